/**
 * Census records as UNIMARC bibliographic records, the format CNMARC (the NLC's 中国机读目录格式,
 * and its profile for ancient books 汉语文古籍机读目录格式) is built on. Pure: no I/O. Written out
 * by the MARC 21 crosswalk's writers (src/exports/marc.ts): ISO 2709, and the same elements as
 * MarcXchange (ISO 25577), the format-neutral XML of ISO 2709 records.
 *
 * What it follows (and where it does not): the field and subfield definitions of IFLA's UNIMARC
 * Manual — Bibliographic Format (1994 edition with its updates, archive.ifla.org/VI/3/p1996-1,
 * and the UNIMARC Concise Bibliographic Format of May 1998); the record label and field 100 as the
 * NLC's Online Library Cataloging Center documents CNMARC (olcc.nlc.cn, the same positions and
 * codes, with 50 = ISO/IEC 10646 for the character set); relator codes from UNIMARC Appendix C.
 * The profile for ancient books itself (its 古籍 coded-data fields, 905 holdings, the pinyin
 * subfields $A, $E, $F of CNMARC, Chinese 著作方式 in $4) was not at hand, so none of that is
 * written: this is UNIMARC that a CNMARC loader reads, not the 古籍 profile.
 *
 * Fields:
 * - Record label: n, a printed text (b manuscript), m monograph; 17 `3` below full level (a
 *   census record, made with the book but not full cataloguing); 18 `i` partial ISBD; 450.
 * - 001 the census number; 005 the last change; 035 the census number again (union catalogues
 *   replace 001, as with MARC 21).
 * - 100 general processing data: date entered, the copy's dates (d one known year, f a range or
 *   a doubtful year, u unknown), target audience not coded (|), y not a government publication,
 *   0 unmodified, chi, y no transliteration, 50 (ISO/IEC 10646, UTF-8), title script ea (Chinese).
 * - 101 0# $a chi; 102 $a the country of the copy (ISO 3166: CN, JP, KR, VN) when known.
 * - 200 1# $a the title proper as written (bracketed qualifier kept), $e what follows it (the
 *   卷 count), $f the 著者 statement as written. UNIMARC's ISBD punctuation is generated from
 *   the subfields, so none is written into them (unlike MARC 21).
 * - 205 $a the 版本; 210 $c the imprint, $d the date as written with its Western years;
 *   215 $a the 册, $d the page size; 225 1# $a the series (no authority form).
 * - Notes: 300 分类 (四部, as written: no UNIMARC class scheme code exists for it) and 附注,
 *   合订; 307 版式行款, 版框, 装帧 (physical description); 316 存卷 and each 批校题跋 (notes on
 *   the copy in hand, $5 the holder); 317 钤印 (provenance, $5 the holder); 327 子目; 330 提要.
 * - 517 1# $a the title proper alone, without the 卷 count.
 * - 700 the first person when an author, 701 the other authors, 702 everyone else (secondary
 *   responsibility: compilers, commentators, editors …), each #0 (name in direct order, as
 *   Chinese names are): $a the name as written, $f the dynasty (UNIMARC's "dates attached to
 *   the name", the nearest subfield for 明), $4 the relator code where the 著作方式 maps.
 * - 801 #0 $a CN $b the holder $c the last change (original cataloguing agency).
 * - 856 4# $u the record page and, when digitized, the IIIF manifest, $2 their link text.
 */
import type { CensusRecord } from '../domain/census-record.js';
import { annotationCell } from '../domain/census-sheet.js';
import { fieldHeading } from '../domain/census-record.js';
import { recordPageUrl } from '../domain/sitemap.js';
import { copyYears, digitizedManifest, isManuscript, relatorOf, type CrosswalkContext } from './crosswalk.js';
import { type DataField, field005, fitForIso2709, iso2709, type MarcRecord, marcXmlOf } from './marc.js';

/** MarcXchange (ISO 25577) as yaz-marcdump reads and writes it. */
export const MARCXCHANGE_NAMESPACE = 'info:lc/xmlns/marcxchange-v1';
const MARCXCHANGE_RECORD = { namespace: MARCXCHANGE_NAMESPACE, attributes: { format: 'UNIMARC', type: 'Bibliographic' } };
export const MARCXCHANGE_COLLECTION_START = `<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="${MARCXCHANGE_NAMESPACE}">\n`;
export const MARCXCHANGE_COLLECTION_END = '</collection>\n';

/**
 * MARC relator (src/exports/crosswalk.ts) → UNIMARC Appendix C: 070 author, 220 compiler, 212
 * commentator for written text (Appendix C: "for the writer of commentary or explanatory notes
 * about a text"), 340 editor, 440 illustrator, 170 calligrapher, 020 annotator. Translators get
 * no code: its number was not in the sources at hand.
 */
const UNIMARC_RELATORS: Readonly<Record<string, string>> = { aut: '070', com: '220', cmm: '212', edt: '340', ill: '440', cll: '170', ann: '020' };
/** ISO 3166 codes (UNIMARC Appendix B) of the countries a copy's calendar names. */
const COUNTRIES: Readonly<Record<string, string>> = { 中國: 'CN', 日本: 'JP', 朝鮮: 'KR', 越南: 'VN' };

/** 100 $a: 36 positions (UNIMARC 100, General Processing Data). */
export function field100(record: CensusRecord): string {
  const entered = record.createdAt.slice(0, 10).replace(/-/g, '');
  const years = copyYears(record.derived.edition.date ?? null);
  const pad4 = (n: number) => String(n).padStart(4, '0');
  let dates: string;
  if (!years || years.from < 0) dates = 'u        ';
  else if (years.exact) dates = `d${pad4(years.from)}    `;
  else dates = `f${pad4(years.from)}${pad4(years.to)}`;
  // 17–19 target audience (| not coded), 20 y, 21 0, 22–24 chi, 25 y, 26–29 50, 30–33 blank, 34–35 ea.
  const value = `${entered}${dates}|||y0chiy50      ea`;
  if (value.length !== 36) throw new Error(`100 of ${record.fields.censusNumber} is ${value.length} characters`);
  return value;
}

/** The record label; 00–04 and 12–16 are the ISO 2709 writer's. */
export const unimarcLabel = (record: CensusRecord): string => `00000n${isManuscript(record) ? 'b' : 'a'}m  22000003i 450 `;

export function unimarcRecord(record: CensusRecord, context: CrosswalkContext): MarcRecord {
  const f = record.fields;
  const d = record.derived;
  const fields: DataField[] = [];
  const field = (tag: string, ind1: string, ind2: string, subfields: [string, string][]) => fields.push({ tag, ind1, ind2, subfields });
  const holder: [string, string] = ['5', context.unitName];

  field('035', ' ', ' ', [['a', f.censusNumber]]);
  field('100', ' ', ' ', [['a', field100(record)]]);
  field('101', '0', ' ', [['a', 'chi']]);
  const country = COUNTRIES[d.edition.date?.country ?? d.edition.country ?? '中國'];
  if (country) field('102', ' ', ' ', [['a', country]]);

  const statement = f.titleStatement;
  const title = d.title.title;
  const at = statement.indexOf(title);
  const proper = at >= 0 ? statement.slice(0, at + title.length).trim() : statement;
  const rest = at >= 0 ? statement.slice(at + title.length).trim() : '';
  field('200', '1', ' ', [['a', proper], ...(rest ? [['e', rest] as [string, string]] : []), ...(f.creatorStatement ? [['f', f.creatorStatement] as [string, string]] : [])]);
  field('205', ' ', ' ', [['a', f.editionStatement]]);
  const date = d.edition.date;
  const years = copyYears(date);
  const span = years ? (years.from === years.to ? String(years.from) : `${years.from}-${years.to}`) : '';
  const written = date?.display ?? '';
  const dated = written ? written + (span && !written.includes(span) ? `［${span}］` : '') : span ? `［${span}］` : '';
  const imprint: [string, string][] = [...(d.edition.imprint ? [['c', d.edition.imprint] as [string, string]] : []), ...(dated ? [['d', dated] as [string, string]] : [])];
  if (imprint.length) field('210', ' ', ' ', imprint);
  field('215', ' ', ' ', [['a', `${f.volumeCount}册`], ...(f.pageSize ? [['d', f.pageSize] as [string, string]] : [])]);
  if (f.series) field('225', '1', ' ', [['a', f.series]]);

  const note = (tag: string, heading: string, text: string | undefined, copy = false) => {
    if (text) field(tag, ' ', ' ', [['a', `${heading}：${text}`], ...(copy ? [holder] : [])]);
  };
  note('300', fieldHeading('classification'), f.classification);
  note('300', fieldHeading('notes'), f.notes);
  if (f.boundWith?.length) note('300', fieldHeading('boundWith'), f.boundWith.join('、'));
  note('307', fieldHeading('layout'), f.layout);
  note('307', fieldHeading('frameSize'), f.frameSize);
  note('307', fieldHeading('binding'), f.binding);
  note('316', fieldHeading('extant'), f.extant, true);
  for (const a of f.annotations ?? []) note('316', fieldHeading('annotations'), annotationCell([a]), true);
  if (f.seals?.length) note('317', fieldHeading('seals'), f.seals.join('、'), true);
  if (f.contents?.length) field('327', ' ', ' ', f.contents.map((c) => ['a', c] as [string, string]));
  if (f.abstract) field('330', ' ', ' ', [['a', f.abstract]]);
  if (title !== statement) field('517', '1', ' ', [['a', title]]);

  const persons = d.creators.map((p) => ({ person: p, relator: relatorOf(p) }));
  const main = persons[0]?.relator?.code === 'aut' ? persons[0] : undefined;
  for (const p of persons) {
    const tag = p === main ? '700' : p.relator?.code === 'aut' ? '701' : '702';
    const code = p.relator ? UNIMARC_RELATORS[p.relator.code] : undefined;
    field(tag, ' ', '0', [['a', p.person.name], ...(p.person.dynasty ? [['f', p.person.dynasty] as [string, string]] : []), ...(code ? [['4', code] as [string, string]] : [])]);
  }
  field('801', ' ', '0', [['a', 'CN'], ['b', context.unitName], ['c', record.updatedAt.slice(0, 10).replace(/-/g, '')]]);
  const manifest = digitizedManifest(record, context.baseUrl);
  if (manifest) field('856', '4', ' ', [['u', manifest], ['q', 'application/ld+json'], ['2', 'IIIF Presentation 3.0 manifest']]);
  field('856', '4', ' ', [['u', recordPageUrl(context.baseUrl, f.censusNumber)], ['2', '普查登记']]);

  const sorted = fields.map((x, i) => [x, i] as const).sort(([a, i], [b, j]) => a.tag.localeCompare(b.tag) || i - j).map(([x]) => x);
  return { leader: unimarcLabel(record), controlFields: [['001', f.censusNumber], ['005', field005(record)]], dataFields: fitForIso2709(sorted) };
}

/** ISO 2709 of a UNIMARC record: its notes are the 3-- block. */
export const unimarcIso2709 = (record: MarcRecord): Buffer => iso2709(record, '3');

/** One MarcXchange `<record format="UNIMARC" type="Bibliographic">`, no XML declaration. */
export const marcXchangeOf = (record: MarcRecord): string => marcXmlOf(record, MARCXCHANGE_RECORD);
