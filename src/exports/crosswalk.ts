/**
 * What the MODS and MARC crosswalks share: their context, the language tag of a value as
 * written, 著作方式 → MARC relator, and the Western years of the copy's date. Pure.
 */
import type { CensusRecord } from '../domain/census-record.js';
import type { Person } from '../domain/creator-statement.js';
import type { HistoricalDate } from '../domain/historical-date.js';
import { manifestId, scriptOf } from '../iiif/manifest.js';

export interface CrosswalkContext {
  /** PUBLIC_BASE_URL: record pages, the record JSON and manifests are linked from it. */
  baseUrl: string;
  /** The collecting unit's name as registered (收藏单位), or its code when it has none. */
  unitName: string;
  /** The rights URI of the record's images (the record's own, else the service's GUJI_RIGHTS). */
  rights?: string;
}

export const recordJsonUrl = (baseUrl: string, censusNumber: string) => `${baseUrl}/api/records/${censusNumber}`;
export const modsUrl = (baseUrl: string, censusNumber: string) => `${baseUrl}/api/records/${censusNumber}.mods.xml`;
export const digitizedManifest = (record: CensusRecord, baseUrl: string) =>
  (record.pageCount ?? 0) > 0 ? manifestId(baseUrl, record.fields.censusNumber) : null;

/**
 * The BCP 47 tag of Chinese text as written: zh-Hant when it is in traditional characters,
 * zh-Hans in simplified, zh when it is neither (the same characters in both). Only the tag is
 * derived; the text is never converted.
 */
export function scriptTag(text: string): string {
  return scriptOf(text);
}

/** ISO 15924 script code of a BCP 47 tag, for MODS @script and MARC's language of the text. */
export const scriptCode = (tag: string) => (tag === 'zh-Hant' ? 'Hant' : tag === 'zh-Hans' ? 'Hans' : 'Hani');

/** MARC Code List for Relators (id.loc.gov/vocabulary/relators): term and code. */
export interface Relator {
  term: string;
  code: string;
}
const RELATORS = {
  aut: { term: 'author', code: 'aut' }, com: { term: 'compiler', code: 'com' }, cmm: { term: 'commentator', code: 'cmm' },
  edt: { term: 'editor', code: 'edt' }, trl: { term: 'translator', code: 'trl' }, ill: { term: 'illustrator', code: 'ill' },
  cll: { term: 'calligrapher', code: 'cll' }, ann: { term: 'annotator', code: 'ann' },
} satisfies Record<string, Relator>;

/**
 * 著作方式 → relator, by the character that says what was done (the last of the role:
 * 纂修 → 修, 集注 → 注). 撰, 著, 述 make the work (author); 編, 輯, 纂, 修, 集, 選, 錄 gather or
 * arrange it (compiler — gazetteers' 纂修 too); 注, 疏, 箋, 解, 評, 批, 點, 釋, 傳, 義, 證 comment
 * on it (commentator); 校, 訂, 定, 閱 establish the text (editor); 譯 translates; 繪, 圖
 * illustrate; 書 writes it out (calligrapher). A role none of these ends is kept as written
 * only (no relator): 續 (a continuation) or 補 (a supplement) says too little.
 */
const BY_ACT: Readonly<Record<string, Relator>> = Object.fromEntries([
  ...[...'撰著述作製制'].map((c) => [c, RELATORS.aut]),
  ...[...'編编輯辑纂修集選选錄录彙汇'].map((c) => [c, RELATORS.com]),
  ...[...'注註疏箋笺解評评批點点釋释傳传義义證证隱隐詁诂辨辯說说句'].map((c) => [c, RELATORS.cmm]),
  ...[...'校訂订定閱阅勘正刊'].map((c) => [c, RELATORS.edt]),
  ...[...'譯译'].map((c) => [c, RELATORS.trl]),
  ...[...'繪绘圖图畫画'].map((c) => [c, RELATORS.ill]),
  ...[...'書书'].map((c) => [c, RELATORS.cll]),
]);

export function relatorOf(person: Pick<Person, 'role' | 'roleKey'>): Relator | null {
  const role = person.roleKey ?? person.role;
  if (!role) return null;
  if (role === '訓點' || role === '训点' || role === '圈點') return RELATORS.ann;
  if (role.includes('撰')) return RELATORS.aut;
  return BY_ACT[role.slice(-1)] ?? null;
}

/** Whether the copy was written by hand (稿本, 抄本, 写本 …): MARC leader/06 `t`, MODS dateCreated. */
export function isManuscript(record: CensusRecord): boolean {
  const type = record.derived.edition.type;
  if (type) return ['稿本', '抄本', '影抄本', '写本', '彩绘本'].includes(type);
  return record.derived.edition.events?.at(-1)?.kind === 'writing';
}

/** The copy's Western years, derived from the edition statement: [from, to], or null. */
export function copyYears(date: HistoricalDate | null | undefined): { from: number; to: number; exact: boolean } | null {
  if (!date || date.gregorianFrom === null) return null;
  const to = date.gregorianTo ?? date.gregorianFrom;
  return { from: date.gregorianFrom, to, exact: to === date.gregorianFrom && date.precision === 'year' && !date.uncertain && !date.qualifier };
}

/** The persons of the record's 著者 and the dynasty and era names its dates use: proper names to romanise as names. */
export function properNames(record: CensusRecord): string[] {
  const d = record.derived;
  const dates = [d.edition.date, d.edition.baseDate].filter((x): x is HistoricalDate => !!x);
  return [...d.creators.map((p) => p.dynasty), ...dates.flatMap((x) => [x.dynasty, x.reignEra]), d.title.qualifier].filter((x): x is string => !!x);
}
