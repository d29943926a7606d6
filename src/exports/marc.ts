/**
 * Census records as MARC 21 bibliographic records, the way large East Asian collections
 * catalogue 古籍 (LC, Harvard-Yenching, Princeton East Asian Library): romanised fields in
 * Hanyu Pinyin (src/exports/romanize.ts) with the vernacular as written in 880 fields, each
 * pair linked by subfield 6 (MARC 21 Bibliographic, "Appendix A – Control subfields": the
 * regular field carries `$6 880-nn`, its 880 `$6 tag-nn/$1`, `$1` being the script code of
 * CJK; the 880 keeps the indicators of its partner). Then ISO 2709 (leader/09 `a`: UCS/Unicode,
 * lengths in bytes of UTF-8) and MARCXML (the MARC 21 slim schema). Pure: no I/O.
 *
 * Fields (MARC 21 Format for Bibliographic Data, loc.gov/marc/bibliographic):
 * - 001 the census number; 005 the last change; 008 books (dates from the copy's derived years:
 *   `s` one known year, `q` a range or a doubtful year, `n` none, `b` before the common era;
 *   place from the calendar's country: `cc` China, `ja`, `ko`, `vm`; language `chi`).
 * - 035 the census number again: union catalogues (OCLC, the CALIS and NLC loaders) replace an
 *   incoming 001 with their own control number and keep other systems' numbers in 035, so the
 *   census number survives a load there; 09x fields are local call numbers (ours go to 852 $j).
 * - 040 $b chi: the notes are in Chinese, as written.
 * - 100 / 700 persons (inverted pinyin, relator term and code from the 著作方式; the 著作方式
 *   as written in the 880's $e); the first person is the main entry only when an author
 *   (撰, 著 …) — compilers and commentators are added entries, the title the main entry
 *   (AACR2 21.1C, RDA 19.2).
 * - 245 title: $a the title proper (with its bracketed qualifier), $b the 卷 count and
 *   supplements, $c the 著者 statement; 246 the title proper alone; 250 the 版本 statement
 *   (CJK rare-book practice: 明萬曆刻本 is the edition statement); 264 publication (production
 *   for manuscripts) with the imprint and the date as written and its Western years;
 *   300 the 册 (`18 ce`, as LC's CJK records count 冊) and the page size; 490 the series.
 * - Notes: 500 存卷, 版式行款, 批校题跋 (one each), 附注; 501 合订; 505 子目; 520 提要;
 *   561 钤印 (ownership history: collectors' seals); 563 装帧.
 * - 852 the holder and its call number; 856 the record page and, when digitized, the manifest.
 */
import type { CensusRecord } from '../domain/census-record.js';
import { annotationCell } from '../domain/census-sheet.js';
import { fieldHeading } from '../domain/census-record.js';
import {
  copyYears, digitizedManifest, isManuscript, properNames, relatorOf, type CrosswalkContext,
} from './crosswalk.js';
import { capitalize, capitalizeTitle, invertedPerson, romanize, romanizePerson, romanizeProperName } from './romanize.js';
import { recordPageUrl } from '../domain/sitemap.js';
import { clean, escapeXml, textElement } from '../domain/xml.js';

export const MARCXML_NAMESPACE = 'http://www.loc.gov/MARC21/slim';

export interface DataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: [code: string, value: string][];
}

export interface MarcRecord {
  /** 24 characters; positions 00–04 and 12–16 (lengths) are filled in by the ISO 2709 writer. */
  leader: string;
  controlFields: [tag: string, value: string][];
  dataFields: DataField[];
}

const pad4 = (n: number) => String(n).padStart(4, '0');
const COUNTRY_CODES: Readonly<Record<string, string>> = { 中國: 'cc ', 日本: 'ja ', 朝鮮: 'ko ', 越南: 'vm ' };

/** 008 for books (MARC 21 Bibliographic, 008 – All materials and Books): 40 characters. */
export function field008(record: CensusRecord): string {
  const entered = record.createdAt.slice(2, 10).replace(/-/g, '');
  const date = record.derived.edition.date ?? null;
  const years = copyYears(date);
  let dates: string;
  if (!years) dates = 'nuuuuuuuu';
  else if (years.from < 0) dates = 'b        ';
  else if (years.exact) dates = `s${pad4(years.from)}    `;
  else dates = `q${pad4(years.from)}${pad4(years.to)}`;
  const place = COUNTRY_CODES[date?.country ?? record.derived.edition.country ?? '中國'] ?? 'cc ';
  // 18–21 illustrations, 22 audience, 23 form of item (original: blank), 24–27 contents,
  // 28 government publication, 29 conference, 30 festschrift, 31 index, 32 undefined,
  // 33 literary form (0 not fiction), 34 biography; 35–37 language, 38 modified, 39 source (d: other).
  const value = `${entered}${dates}${place}    ` + '  ' + '    ' + ' 000 0 ' + 'chi' + ' d';
  if (value.length !== 40) throw new Error(`008 of ${record.fields.censusNumber} is ${value.length} characters`);
  return value;
}

/** 005, the last change as `YYYYMMDDhhmmss.f` (MARC 21 and UNIMARC alike, from ISO 8601). */
export const field005 = (record: CensusRecord): string =>
  record.updatedAt.replace(/[-:T]/g, '').replace(/\.(\d).*$/, '.$1').replace(/Z$/, '');

/** The leader; 00–04 and 12–16 are the writer's (ISO 2709) — zeros until then. */
export function leaderOf(record: CensusRecord): string {
  // 05 n new; 06 a language material (t manuscript); 07 m monograph; 08 blank; 09 a UCS/Unicode;
  // 10–11 indicator and subfield-code counts; 17 7 minimal level (a census record, not full
  // cataloguing); 18 i ISBD punctuation included; 19 blank; 20–23 4500.
  return `00000n${isManuscript(record) ? 't' : 'a'}m a22000007i 4500`;
}

/** ISBD: the mark that ends a subfield before the next one. */
const before = (text: string, mark: string) => (text ? `${text}${mark}` : text);

export function marcRecord(record: CensusRecord, context: CrosswalkContext): MarcRecord {
  const f = record.fields;
  const d = record.derived;
  const fields: DataField[] = [];
  const alternates: DataField[] = [];
  const names = new Map<string, string>();
  for (const n of properNames(record)) names.set(n, romanizeProperName(n));
  for (const p of d.creators) names.set(p.name, romanizePerson(p.name));
  const rom = (text: string) => romanize(text, names);
  const field = (tag: string, ind1: string, ind2: string, subfields: [string, string][]) => {
    fields.push({ tag, ind1, ind2, subfields });
  };
  /** A romanised field and its vernacular 880, linked both ways by $6. */
  const linked = (tag: string, ind1: string, ind2: string, roman: [string, string][], vernacular: [string, string][]) => {
    const occurrence = String(alternates.length + 1).padStart(2, '0');
    fields.push({ tag, ind1, ind2, subfields: [['6', `880-${occurrence}`], ...roman] });
    alternates.push({ tag: '880', ind1, ind2, subfields: [['6', `${tag}-${occurrence}/$1`], ...vernacular] });
  };

  const controlFields: [string, string][] = [
    ['001', f.censusNumber],
    ['005', field005(record)],
    ['008', field008(record)],
  ];
  field('035', ' ', ' ', [['a', f.censusNumber]]);
  field('040', ' ', ' ', [['b', 'chi']]);

  // Persons: the first is the main entry (100) when an author; everyone else an added entry (700).
  const persons = d.creators.map((p) => ({ person: p, relator: relatorOf(p) }));
  const main = persons[0]?.relator?.code === 'aut' ? persons[0] : undefined;
  const personField = (tag: string, { person, relator }: (typeof persons)[number]) => {
    const roman: [string, string][] = [['a', `${invertedPerson(person.name)}${relator ? ',' : '.'}`]];
    if (relator) roman.push(['e', `${relator.term}.`], ['4', relator.code]);
    const vernacular: [string, string][] = [['a', person.role ? `${person.name},` : person.name]];
    if (person.role) vernacular.push(['e', person.role]);
    if (relator) vernacular.push(['4', relator.code]);
    linked(tag, '1', ' ', roman, vernacular);
  };
  if (main) personField('100', main);

  // 245: $a title proper (qualifier kept), $b what follows it in the statement, $c 著者.
  const statement = f.titleStatement;
  const title = d.title.title;
  const at = statement.indexOf(title);
  const proper = at >= 0 ? statement.slice(0, at + title.length).trim() : statement;
  const rest = at >= 0 ? statement.slice(at + title.length).trim() : '';
  const romanTitle = capitalizeTitle(rom(proper));
  const responsibility = f.creatorStatement ?? '';
  const t245 = (a: string, b: string, c: string): [string, string][] => {
    const out: [string, string][] = [['a', before(a, b ? ' :' : c ? ' /' : '.')]];
    if (b) out.push(['b', before(b, c ? ' /' : '.')]);
    if (c) out.push(['c', `${c}.`]);
    return out;
  };
  linked('245', main ? '1' : '0', '0', t245(romanTitle, rest ? rom(rest) : '', responsibility ? rom(responsibility) : ''), t245(proper, rest, responsibility));
  if (title !== statement) linked('246', '3', '0', [['a', capitalize(rom(title))]], [['a', title]]);
  linked('250', ' ', ' ', [['a', `${capitalize(rom(f.editionStatement))}.`]], [['a', f.editionStatement]]);

  // 264: the imprint as written is place and publisher together; the date as written, then its years.
  const date = d.edition.date;
  const years = copyYears(date);
  const span = years ? (years.from === years.to ? String(years.from) : `${years.from}-${years.to}`) : '';
  const writtenDate = date?.display ?? '';
  const romanDate = writtenDate ? rom(writtenDate) + (span && !writtenDate.includes(span) ? ` [${span}]` : '') : span ? `[${span}]` : '[date not identified]';
  const vernacularDate = writtenDate ? writtenDate + (span && !writtenDate.includes(span) ? `［${span}］` : '') : span ? `［${span}］` : '［出版年不詳］';
  const imprint = d.edition.imprint;
  linked(
    '264', ' ', isManuscript(record) ? '0' : '1',
    [['a', '[Place of publication not identified] :'], ['b', imprint ? `${capitalize(rom(imprint))},` : '[publisher not identified],'], ['c', romanDate]],
    [['a', '［出版地不詳］ :'], ['b', imprint ? `${imprint},` : '［出版者不詳］,'], ['c', vernacularDate]],
  );
  const extent = `${f.volumeCount} ce`;
  linked('300', ' ', ' ', [['a', before(extent, f.pageSize ? ' ;' : '')], ...(f.pageSize ? [['c', f.pageSize] as [string, string]] : [])],
    [['a', before(`${f.volumeCount}冊`, f.pageSize ? ' ;' : '')], ...(f.pageSize ? [['c', f.pageSize] as [string, string]] : [])]);
  if (f.series) linked('490', '0', ' ', [['a', capitalize(rom(f.series))]], [['a', f.series]]);

  const note = (tag: string, heading: string, text: string | undefined) => {
    if (text) field(tag, ' ', ' ', [['a', `${heading}：${text}`]]);
  };
  note('500', fieldHeading('extant'), f.extant);
  note('500', fieldHeading('layout'), f.layout);
  note('500', fieldHeading('frameSize'), f.frameSize);
  for (const a of f.annotations ?? []) note('500', fieldHeading('annotations'), annotationCell([a]));
  note('500', fieldHeading('classification'), f.classification);
  note('500', fieldHeading('notes'), f.notes);
  if (f.boundWith?.length) field('501', ' ', ' ', [['a', `${fieldHeading('boundWith')}：${f.boundWith.join('、')}`]]);
  if (f.contents?.length) field('505', '0', ' ', [['a', f.contents.join(' -- ')]]);
  if (f.abstract) field('520', ' ', ' ', [['a', f.abstract]]);
  if (f.seals?.length) field('561', ' ', ' ', [['a', `${fieldHeading('seals')}：${f.seals.join('、')}`]]);
  if (f.binding) field('563', ' ', ' ', [['a', f.binding]]);

  for (const p of persons) if (p !== main) personField('700', p);
  field('852', ' ', ' ', [['a', context.unitName], ['j', f.callNumber]]);
  const manifest = digitizedManifest(record, context.baseUrl);
  if (manifest) field('856', '4', '1', [['3', 'IIIF Presentation 3.0 manifest'], ['u', manifest], ['q', 'application/ld+json']]);
  field('856', '4', '2', [['3', '普查登记'], ['u', recordPageUrl(context.baseUrl, f.censusNumber)]]);

  const sorted = fields.map((x, i) => [x, i] as const).sort(([a, i], [b, j]) => a.tag.localeCompare(b.tag) || i - j).map(([x]) => x);
  return { leader: leaderOf(record), controlFields, dataFields: fitForIso2709([...sorted, ...alternates]) };
}

/**
 * Data fields as every MARC format writes them (MARC 21 here, UNIMARC in src/exports/unimarc.ts):
 * values with no MARC delimiters or XML-forbidden characters, each field within ISO 2709's length.
 */
export const fitForIso2709 = (fields: DataField[]): DataField[] => fitted(fields.map(cleaned));

/** Values with no MARC delimiters or XML-forbidden characters. */
const cleaned = (x: DataField): DataField => ({ ...x, subfields: x.subfields.map(([c, v]) => [c, clean(v)]) });

/** Most bytes of one field's data (ISO 2709: four digits of length, terminator included). */
const MAX_FIELD_BYTES = 9999;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Text cut to at most `max` bytes of UTF-8, on a character boundary, with … when cut. */
function cutTo(text: string, max: number): string {
  if (bytes(text) <= max) return text;
  let out = '';
  let used = bytes('…');
  for (const ch of text) {
    const n = bytes(ch);
    if (used + n > max) break;
    out += ch;
    used += n;
  }
  return `${out}…`;
}

/**
 * Keeps every field within ISO 2709's 9,999 bytes: a note longer than that (a 提要 may be 20,000
 * characters) is cut, saying so with …; a field of many short subfields (a long list of 子目, one
 * $a each in UNIMARC 327) loses its last ones, the one left last ending with …. The whole text
 * stays in the record JSON and MODS.
 */
function fitted(fields: DataField[]): DataField[] {
  return fields.map((x) => {
    const subfields = x.subfields.map(([c, v]) => [c, v] as [string, string]);
    const size = () => 2 + subfields.reduce((n, [, v]) => n + 2 + bytes(v), 0) + 1;
    const excess = () => size() - MAX_FIELD_BYTES;
    if (excess() <= 0) return x;
    while (excess() > 0) {
      const longest = subfields.reduce((a, b) => (bytes(b[1]) > bytes(a[1]) ? b : a));
      // One value makes most of the field (a note and its $5): it is cut. Otherwise the last go.
      if (subfields.length === 1 || (bytes(longest[1]) * 2 > size() && bytes(longest[1]) > excess() + bytes('…'))) {
        longest[1] = cutTo(longest[1], bytes(longest[1]) - excess());
        break;
      }
      subfields.pop();
      const last = subfields.at(-1)!;
      if (!last[1].endsWith('…')) last[1] = `${last[1]}…`;
    }
    return { ...x, subfields };
  });
}

const FIELD_TERMINATOR = '\x1e';
const RECORD_TERMINATOR = '\x1d';
const SUBFIELD_DELIMITER = '\x1f';
/** ISO 2709: five digits of record length. */
export const MAX_RECORD_BYTES = 99_999;

/**
 * ISO 2709: directory entries of tag, four-digit length and five-digit start; lengths and starts
 * in bytes of UTF-8 (MARC 21 Specifications, "Unicode encoding environment"; UNIMARC declares
 * its character set in 100 instead). The leader is the format's: this writer fills in its
 * lengths (00–04, 12–16) and keeps the rest. A record over 99,999 bytes loses its longest notes
 * first — the format's notes block, `5` (5xx) in MARC 21, `3` in UNIMARC — each replaced by a
 * note that it was left out.
 */
export function iso2709(record: MarcRecord, notesBlock = '5'): Buffer {
  let current = record;
  for (;;) {
    const buffer = encodeIso2709(current);
    if (buffer.length <= MAX_RECORD_BYTES) return buffer;
    const notes = current.dataFields.filter((x) => x.tag.startsWith(notesBlock) && !x.subfields.some(([c, v]) => c === 'a' && v.startsWith('[Left out')));
    if (notes.length === 0) throw new Error(`MARC record ${current.controlFields[0]?.[1]} is over ${MAX_RECORD_BYTES} bytes`);
    const longest = notes.reduce((a, b) => (bytes(JSON.stringify(a)) >= bytes(JSON.stringify(b)) ? a : b));
    current = {
      ...current,
      dataFields: current.dataFields.map((x) => (x === longest ? { ...x, subfields: [['a', '[Left out of this ISO 2709 record for length: see MARCXML or MODS.]']] } : x)),
    };
  }
}

function encodeIso2709(record: MarcRecord): Buffer {
  const bodies: [string, Buffer][] = [
    ...record.controlFields.map(([tag, value]) => [tag, Buffer.from(value + FIELD_TERMINATOR, 'utf8')] as [string, Buffer]),
    ...record.dataFields.map((x) => [
      x.tag,
      Buffer.from(`${x.ind1}${x.ind2}${x.subfields.map(([c, v]) => SUBFIELD_DELIMITER + c + v).join('')}${FIELD_TERMINATOR}`, 'utf8'),
    ] as [string, Buffer]),
  ];
  let start = 0;
  const directory = bodies.map(([tag, body]) => {
    const entry = `${tag}${String(body.length).padStart(4, '0')}${String(start).padStart(5, '0')}`;
    start += body.length;
    return entry;
  }).join('');
  const base = 24 + directory.length + 1;
  const length = base + start + 1;
  const leader = `${String(Math.min(length, 99_999)).padStart(5, '0')}${record.leader.slice(5, 12)}${String(base).padStart(5, '0')}${record.leader.slice(17)}`;
  return Buffer.concat([Buffer.from(leader + directory + FIELD_TERMINATOR, 'ascii'), ...bodies.map(([, b]) => b), Buffer.from(RECORD_TERMINATOR)]);
}

/**
 * One `<record>` with its namespace, no XML declaration: MARCXML (MARC 21 slim) by default; the
 * same elements serve MarcXchange (ISO 25577) for other formats, named by `root`.
 */
export function marcXmlOf(record: MarcRecord, root: { namespace: string; attributes?: Record<string, string> } = { namespace: MARCXML_NAMESPACE }): string {
  const parts = [
    textElement('leader', {}, record.leader),
    ...record.controlFields.map(([tag, value]) => textElement('controlfield', { tag }, value)),
    ...record.dataFields.map((x) => `<datafield tag="${x.tag}" ind1="${escapeXml(x.ind1)}" ind2="${escapeXml(x.ind2)}">${
      x.subfields.map(([code, v]) => textElement('subfield', { code }, v)).join('')}</datafield>`),
  ];
  const attributes = Object.entries(root.attributes ?? {}).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  return `<record xmlns="${root.namespace}"${attributes}>${parts.join('')}</record>`;
}

/** The MARCXML record of a census record: for the OAI-PMH `marcxml` format and the export. */
export function marcXmlRecord(record: CensusRecord, context: CrosswalkContext): string {
  return marcXmlOf(marcRecord(record, context));
}

/** A MARCXML collection is these around the records. */
export const MARCXML_COLLECTION_START = `<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="${MARCXML_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${MARCXML_NAMESPACE} http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd">\n`;
export const MARCXML_COLLECTION_END = '</collection>\n';
