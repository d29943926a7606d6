/**
 * Citations of a record, for researchers' reference managers and papers (issue 20): GB/T
 * 7714-2015 (信息与文献 参考文献著录规则) in its form for 古籍, RIS, BibTeX (biblatex fields)
 * and CSL-JSON. Pure: the record and the crosswalk context in, text out.
 *
 * What the record gives each: the title as written (题名卷数 — the 卷 count is the title's
 * 其他题名信息 in GB/T 7714, `增订本草备要: 四卷[M]` in its example), the persons of the 著者 by
 * their 著作方式 (src/exports/crosswalk.ts relatorOf), the edition type and imprint derived from
 * the 版本 statement, the copy's Western years (copyYears: a reign era gives a range), the
 * number of 册, the holder, call number and census number, and the record page.
 */
import type { CensusRecord } from '../domain/census-record.js';
import type { Person } from '../domain/creator-statement.js';
import { parseDateAt } from '../domain/historical-date.js';
import { copyYears, isManuscript, relatorOf, scriptTag, type CrosswalkContext } from './crosswalk.js';
import { recordPageUrl } from '../domain/sitemap.js';

export const CITATION_FORMATS = ['gbt7714', 'ris', 'bibtex', 'csl-json'] as const;
export type CitationFormat = (typeof CITATION_FORMATS)[number];

/** Media type and file extension of each format (RIS: application/x-research-info-systems, as reference managers register it). */
export const CITATION_MEDIA: Readonly<Record<CitationFormat, { type: string; extension: string }>> = {
  gbt7714: { type: 'text/plain; charset=utf-8', extension: 'txt' },
  ris: { type: 'application/x-research-info-systems; charset=utf-8', extension: 'ris' },
  bibtex: { type: 'application/x-bibtex; charset=utf-8', extension: 'bib' },
  'csl-json': { type: 'application/vnd.citationstyles.csl+json; charset=utf-8', extension: 'json' },
};

/** CSL 1.0.2 name variables a person of the 著者 goes to, by MARC relator; a person with no role written is the author. */
export type CslRole = 'author' | 'compiler' | 'editor' | 'translator' | 'illustrator' | 'contributor';
const CSL_ROLE: Readonly<Record<string, CslRole>> = { aut: 'author', com: 'compiler', edt: 'editor', trl: 'translator', ill: 'illustrator' };

/** The CSL name variable of a person of the 著者 (author when no role is written, contributor for a role no variable names). */
export function cslRole(person: Person): CslRole {
  if (!person.role) return 'author';
  return CSL_ROLE[relatorOf(person)?.code ?? ''] ?? 'contributor';
}

/** The title proper with its bracketed qualifier as cataloguers write it: ［萬曆］金華府志. */
function titleProper(record: CensusRecord): string {
  const t = record.derived.title;
  return `${t.qualifier ? `［${t.qualifier}］` : ''}${t.title}`;
}

/** 卷 count and supplements as written: 三十卷, 三十卷首一卷; empty when the title has none. */
function juanText(record: CensusRecord): string {
  const t = record.derived.title;
  return [t.juan?.text, ...t.supplements.map((s) => `${s.label}${s.juan.text}`)].filter(Boolean).join('');
}

/**
 * The date as the statement writes it, without a Western year in brackets: `明嘉靖三十年（1551）`
 * → 明嘉靖三十年; empty when it is only a Western year (`1552`).
 */
function writtenDate(record: CensusRecord): string {
  const display = record.derived.edition.date?.display ?? '';
  const rest = display.replace(/\s*[（(]\s*\d{1,4}\s*[）)]\s*/g, '').trim();
  return /^\d+$/.test(rest) ? '' : rest;
}

/**
 * The 版本项 as the record writes it. GB/T 7714-2015 gives a 古籍 its kind of copy there (写本,
 * 抄本, 刻本, 活字本 …); the census statement already says it, with the date and the imprint the
 * 出版项 cites: the statement less its leading date and imprint — 明嘉靖三十年（1551）芝城銅活字印本
 * → 銅活字印本, 清寫本 → 寫本 — quoted as catalogued, never the vocabulary's folded term (写本).
 * Empty when the statement is all date and imprint.
 */
function editionAsWritten(record: CensusRecord): string {
  const statement = record.fields.editionStatement.trim();
  const rest = statement.slice(parseDateAt(statement)?.end ?? 0).trim();
  const imprint = record.derived.edition.imprint;
  return imprint && rest.startsWith(imprint) ? rest.slice(imprint.length).trim() : rest;
}

/**
 * GB/T 7714-2015 for a 古籍 (its example: `汪昂. 增订本草备要: 四卷[M]. 刻本. 京都: 老二酉堂,
 * 1881(清光绪七年).`): at most three persons then `, 等` (§8.1.2); title: 卷数 [M]; the
 * edition (版本项, the kind of copy as written); place: publisher, unknown ones as [出版地不详] and
 * [出版者不详] (§8.8.1.3, §8.8.2.3); the Western year with the year as written in brackets after
 * it (§8.8.3.1), an inferred span in square brackets. The text is kept as written.
 */
export function gbt7714(record: CensusRecord): string {
  const d = record.derived;
  const persons = d.creators.slice(0, 3).map((p) => p.name);
  const more = d.creators.length > 3 || d.creators.some((p) => p.etAl);
  const responsibility = persons.length ? `${persons.join(', ')}${more ? ', 等' : ''}. ` : '';
  const juan = juanText(record);
  const title = `${titleProper(record)}${juan ? `: ${juan}` : ''}[M]. `;
  const written = editionAsWritten(record);
  const edition = written ? `${written}. ` : '';
  const years = copyYears(d.edition.date);
  const writtenYear = writtenDate(record);
  const year = years
    ? `${years.exact ? years.from : `[${years.from}${years.to !== years.from ? `—${years.to}` : ''}]`}${writtenYear ? `(${writtenYear})` : ''}`
    : writtenYear || '[出版年不详]';
  const publisher = isManuscript(record) ? '' : `[出版地不详]: ${d.edition.imprint ?? '[出版者不详]'}, `;
  return `${responsibility}${title}${edition}${publisher}${year}.`;
}

/** RIS (Research Information Systems): one tag a line, `TY  - BOOK` to `ER  - `, CRLF as the format asks. */
export function ris(record: CensusRecord, context: CrosswalkContext): string {
  const f = record.fields;
  const d = record.derived;
  const tag = { author: 'AU', compiler: 'A2', editor: 'A2', translator: 'A4', illustrator: 'A3', contributor: 'A3' } as const;
  const years = copyYears(d.edition.date);
  const lines: [string, string | number | null | undefined][] = [
    ['TY', 'BOOK'],
    ['TI', f.titleStatement],
    ['ST', d.title.title],
    ...d.creators.map((p): [string, string] => [tag[cslRole(p)], p.name]),
    ['ET', f.editionStatement],
    ['PB', d.edition.imprint],
    // PY is YYYY: only an exact year; a span stays in the edition statement and DA.
    ['PY', years?.exact ? years.from : null],
    ['DA', years && !years.exact ? `${years.from}/${years.to}` : null],
    ['NV', f.volumeCount],
    ['CN', f.callNumber],
    ['AN', f.censusNumber],
    ['LA', scriptTag(f.titleStatement)],
    ['UR', recordPageUrl(context.baseUrl, f.censusNumber)],
    ['N1', `收藏单位：${context.unitName}`],
    ['N1', f.creatorStatement ? `著者：${f.creatorStatement}` : null],
    ['N1', f.extant ? `存卷：${f.extant}` : null],
    ['ER', ''],
  ];
  // A line break inside a value would start a tag of its own.
  const one = (v: string | number) => String(v).replace(/\s*[\r\n]+\s*/g, ' ');
  return lines.filter(([, v]) => v !== null && v !== undefined).map(([t, v]) => `${t}  - ${one(v!)}`).join('\r\n') + '\r\n';
}

/** Text for a BibTeX value: the characters TeX gives meaning to escaped, so that no value can close its braces; one line. */
function tex(value: string | number): string {
  return String(value)
    .replace(/[\\{}%&$#_^~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '^' ? '\\textasciicircum{}' : c === '~' ? '\\textasciitilde{}' : `\\${c}`))
    .replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * BibTeX with biblatex fields (`@book`): persons joined by `and`, each name in braces so that
 * BibTeX does not split a Chinese name into first and last; `date` as an ISO 8601 span for a
 * reign era (biblatex), `year` for an exact year; `library` the holder and call number.
 */
export function bibtex(record: CensusRecord, context: CrosswalkContext): string {
  const f = record.fields;
  const d = record.derived;
  const by = (code: string[]) => d.creators.filter((p) => {
    const relator = relatorOf(p)?.code;
    return code.includes(relator ?? (p.role ? 'other' : 'aut'));
  });
  // `and others` for 等 (BibTeX's way to say that further persons are not named).
  const names = (persons: Person[]) =>
    persons.length ? [...persons.map((p) => `{${tex(p.name)}}`), ...(persons.some((p) => p.etAl) ? ['others'] : [])].join(' and ') : null;
  const years = copyYears(d.edition.date);
  const others = d.creators.filter((p) => p.role && !['aut', 'com', 'edt', 'trl', 'cmm', 'ann'].includes(relatorOf(p)?.code ?? ''));
  // [field, value, whether the value is already TeX (name lists)]
  const fields: [string, string | number | null | undefined, boolean?][] = [
    ['author', names(by(['aut'])), true],
    ['editor', names(by(['com', 'edt'])), true],
    ['commentator', names(by(['cmm'])), true],
    ['annotator', names(by(['ann'])), true],
    ['translator', names(by(['trl'])), true],
    ['title', f.titleStatement],
    ['shorttitle', d.title.title],
    ['edition', f.editionStatement],
    ['publisher', d.edition.imprint],
    ['year', years?.exact ? years.from : null],
    ['date', years && !years.exact ? `${years.from}/${years.to}` : null],
    ['volumes', f.volumeCount],
    ['library', `${context.unitName}, ${f.callNumber}`],
    ['langid', 'chinese'],
    ['url', recordPageUrl(context.baseUrl, f.censusNumber)],
    ['note', [`普查编号 ${f.censusNumber}`, ...others.map((p) => `${p.name}${p.role}`), f.extant ? `存卷：${f.extant}` : null].filter(Boolean).join('；')],
  ];
  const body = fields
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v, isTex]) => `  ${k} = {${isTex ? v : tex(v!)}}`)
    .join(',\n');
  return `@book{${f.censusNumber},\n${body}\n}\n`;
}

/** CSL-JSON (Citation Style Language 1.0.2 input data): one item, names as literals (no given/family split of Chinese names). */
export function cslJson(record: CensusRecord, context: CrosswalkContext): Record<string, unknown> {
  const f = record.fields;
  const d = record.derived;
  const years = copyYears(d.edition.date);
  const item: Record<string, unknown> = {
    id: f.censusNumber,
    type: 'book',
    title: f.titleStatement,
    'title-short': d.title.title,
  };
  for (const p of d.creators) ((item[cslRole(p)] ??= []) as { literal: string }[]).push({ literal: p.name });
  Object.assign(item, {
    edition: f.editionStatement,
    ...(d.edition.imprint ? { publisher: d.edition.imprint } : {}),
    ...(years
      ? {
          issued: {
            'date-parts': years.from === years.to ? [[years.from]] : [[years.from], [years.to]],
            ...(d.edition.date?.uncertain || d.edition.date?.precision === 'approx' ? { circa: true } : {}),
          },
        }
      : {}),
    'number-of-volumes': f.volumeCount,
    archive: context.unitName,
    archive_location: f.callNumber,
    'call-number': f.callNumber,
    language: scriptTag(f.titleStatement),
    URL: recordPageUrl(context.baseUrl, f.censusNumber),
    note: `普查编号 ${f.censusNumber}`,
  });
  return item;
}

/** The citation in a format, as the text served. */
export function citation(record: CensusRecord, context: CrosswalkContext, format: CitationFormat): string {
  switch (format) {
    case 'gbt7714':
      return `${gbt7714(record)}\n`;
    case 'ris':
      return ris(record, context);
    case 'bibtex':
      return bibtex(record, context);
    case 'csl-json':
      return `${JSON.stringify([cslJson(record, context)], null, 2)}\n`;
  }
}
