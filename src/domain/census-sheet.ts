/**
 * Census spreadsheets: the columns surveyors fill, under the census headings in Chinese (as the
 * platform's templates print them, simplified or traditional) or the API's JSON keys, and how a
 * row becomes a record and a record a row. Pure: readers and writers of CSV/XLSX are adapters.
 * Export writes exactly what import reads, so that export → import changes nothing.
 */
import type { FieldProblem } from './errors.js';
import { CENSUS_FIELDS, isRequired, type Annotation, type CensusField, type CensusRecord, type RecordInput, type SheetKind } from './census-record.js';
import type { HistoricalDate } from './historical-date.js';
import { readCount } from './numerals.js';

/** A cell as read: text, a number, or what a spreadsheet may hold where text is expected. */
export type Cell = string | number | boolean | Date | { formula: string } | null;

interface Column {
  /** The heading export writes. */
  heading: string;
  /** Other headings import accepts: the JSON key first, then traditional forms and older names. */
  aliases: string[];
  kind: SheetKind;
  get: (r: RecordInput) => string | number | string[] | undefined;
  set: (r: Partial<RecordInput>, value: string | number | string[]) => void;
}

/** Separators of several values in one cell: 、 ； ; | and line breaks (not commas, which titles use). */
export const LIST_SEPARATOR = /[、；;|\n]+/;

/** The column of a census field (CENSUS_FIELDS), under its label: a key, or a part of one (damage.grade). */
function columnOf(field: CensusField): Column {
  const [top, part] = field.key.split('.') as [keyof RecordInput & string, string | undefined];
  const base = { heading: field.label.zh, aliases: [field.key, ...(field.sheet?.aliases ?? [])], kind: field.sheet?.kind ?? 'text' };
  const record = (r: Partial<RecordInput>) => r as Record<string, unknown>;
  if (base.kind === 'annotations') {
    return {
      ...base,
      get: (r) => (r.annotations?.length ? annotationCell(r.annotations) : undefined),
      set: (r, v) => {
        r.annotations = parseAnnotationCell(v as string).annotations;
      },
    };
  }
  if (part === undefined) {
    return {
      ...base,
      get: (r) => record(r)[top] as string | number | string[] | undefined,
      set: (r, v) => {
        record(r)[top] = v;
      },
    };
  }
  // A part written alone starts from what its key declares (破损类型 without 破损级别: grade '').
  const start = (CENSUS_FIELDS as readonly CensusField[]).find((f) => f.key === top)?.partsStartFrom ?? {};
  return {
    ...base,
    get: (r) => (record(r)[top] as Record<string, string | number | string[] | undefined> | undefined)?.[part],
    set: (r, v) => {
      record(r)[top] = { ...start, ...(record(r)[top] as object | undefined), [part]: v };
    },
  };
}

/** The census sheet's columns, in order: every field that declares one. */
export const COLUMNS: readonly Column[] = (CENSUS_FIELDS as readonly CensusField[]).filter((f) => f.sheet).map(columnOf);

export const HEADINGS = COLUMNS.map((c) => c.heading);
const BY_HEADING = new Map(COLUMNS.flatMap((c) => [c.heading, ...c.aliases].map((h) => [h, c] as const)));

/** A date's Western years as a cell: `1892`, `1644–1911`, `-206–8`; empty when undated. */
const yearsCell = (date: HistoricalDate | null | undefined): string => {
  const from = date?.gregorianFrom ?? null;
  if (from === null) return '';
  const to = date?.gregorianTo ?? from;
  return to === from ? String(from) : `${from}–${to}`;
};

/**
 * What the platform reads from the statements, written after the census columns for those who
 * sort and count in a spreadsheet (issue 13). Export-only: import recognises these headings and
 * never reads them, so export → import still changes nothing, and editing them changes nothing —
 * the statements are the truth.
 */
const DERIVED_COLUMNS: readonly { heading: string; cell: (r: CensusRecord) => string | number }[] = [
  // The copy's date: the last event that made this copy (a later printing or repair).
  { heading: '版本年代（公元）', cell: (r) => yearsCell(r.derived.edition.date) },
  { heading: '底本', cell: (r) => r.derived.edition.base?.statement ?? '' },
  { heading: '底本年代（公元）', cell: (r) => yearsCell(r.derived.edition.baseDate) },
  { heading: '藏者', cell: (r) => r.derived.edition.holder ?? '' },
  { heading: '国别', cell: (r) => r.derived.edition.country ?? '' },
  { heading: '存卷数', cell: (r) => r.derived.extant?.count ?? '' },
  {
    heading: '所存卷次',
    cell: (r) => {
      const e = r.derived.extant;
      return e ? [...e.named, ...e.ranges.map((x) => (x.from === x.to ? String(x.from) : `${x.from}–${x.to}`))].join('、') : '';
    },
  },
];

export const DERIVED_HEADINGS = DERIVED_COLUMNS.map((c) => c.heading);

/** The export-only cells of a record, in DERIVED_HEADINGS order. */
export function derivedCells(record: CensusRecord): (string | number)[] {
  return DERIVED_COLUMNS.map((c) => c.cell(record));
}

export interface SheetLayout {
  /** Column index → column, for the headings recognised. */
  columns: Map<number, Column>;
  /** Headings no column answers to (reported, not read). */
  unknown: string[];
  /** Export-only headings (DERIVED_HEADINGS) the sheet has: recognised, never read. */
  derived: string[];
  /** Required headings the sheet lacks. */
  missing: string[];
}

/** The headings of the fields a record must have. */
const REQUIRED = (CENSUS_FIELDS as readonly CensusField[]).filter((f) => f.sheet && isRequired(f)).map((f) => f.label.zh);

export function sheetLayout(headings: readonly string[]): SheetLayout {
  const columns = new Map<number, Column>();
  const unknown: string[] = [];
  const derived: string[] = [];
  headings.forEach((h, i) => {
    const heading = h.replace(/^\uFEFF/, '').trim();
    if (!heading) return;
    const column = BY_HEADING.get(heading);
    if (column) columns.set(i, column);
    else if (DERIVED_HEADINGS.includes(heading)) derived.push(heading);
    else unknown.push(heading);
  });
  const present = new Set([...columns.values()].map((c) => c.heading));
  return { columns, unknown, derived, missing: REQUIRED.filter((h) => !present.has(h)) };
}

/** A sheet row as a record input, or the problems that stop it (column headings as the sheet has them). */
export function rowToInput(cells: readonly Cell[], layout: SheetLayout, headings: readonly string[]): { input: RecordInput; problems: FieldProblem[] } {
  const input: Partial<RecordInput> = {};
  const problems: FieldProblem[] = [];
  for (const [i, column] of layout.columns) {
    const cell = cells[i] ?? null;
    const heading = headings[i]!.trim();
    if (cell === null || cell === '') continue;
    if (cell instanceof Date) {
      problems.push({ field: heading, problem: 'is a date cell; census fields are text (format the column as text)' });
      continue;
    }
    if (typeof cell === 'object') {
      problems.push({ field: heading, problem: `is a formula (${cell.formula}); enter the value itself` });
      continue;
    }
    if (column.kind === 'integer') {
      // 册数 written in Chinese numerals (四, 十八) is as good as 4 or 18.
      const n = readCount(typeof cell === 'number' ? cell : String(cell));
      if (n === null) {
        problems.push({ field: heading, problem: `must be a whole number, not ${JSON.stringify(cell)}` });
        continue;
      }
      column.set(input, n);
    } else if (column.kind === 'annotations') {
      const { problems: wrong } = parseAnnotationCell(String(cell));
      if (wrong.length > 0) problems.push(...wrong.map((problem) => ({ field: heading, problem })));
      else column.set(input, String(cell));
    } else if (column.kind === 'list') {
      column.set(input, String(cell).split(LIST_SEPARATOR).map((s) => s.trim()).filter(Boolean));
    } else if (column.kind === 'code') {
      column.set(input, String(cell).trim());
    } else {
      column.set(input, typeof cell === 'string' ? cell : String(cell));
    }
  }
  return { input: input as RecordInput, problems };
}

/**
 * A sheet speaks only for its own columns: when a row updates an existing record, the fields the
 * sheet has no column for — and those no column holds, such as 批校题跋 — keep their values. An
 * empty cell in a column the sheet has does clear its field: that is what the sheet says.
 */
export function withUnsheetedFields(input: RecordInput, layout: SheetLayout, current: RecordInput): RecordInput {
  const merged: Partial<RecordInput> = { ...input };
  const present = new Set(layout.columns.values());
  for (const column of COLUMNS) {
    if (present.has(column)) continue;
    const key = column.aliases[0]!;
    // A whole key is kept as it is; the parts of 破损 (damage.grade …) through their columns.
    if (!key.includes('.')) {
      if (current[key as keyof RecordInput] !== undefined) (merged as Record<string, unknown>)[key] = current[key as keyof RecordInput];
      continue;
    }
    const value = column.get(current);
    if (value !== undefined) column.set(merged, value);
  }
  const sheeted = new Set(COLUMNS.map((c) => c.aliases[0]!.split('.')[0]));
  for (const [key, value] of Object.entries(current)) {
    if (!sheeted.has(key) && key !== 'corrections') (merged as Record<string, unknown>)[key] = value;
  }
  return merged as RecordInput;
}

/** How an annotation is made, as surveyors write it (longest first, so 批校 is not read as 校). */
const ANNOTATION_ROLES = [
  '批校題跋', '批校题跋', '批校', '批點', '批点', '批注', '批註', '題跋', '题跋', '題記', '题记', '題識', '题识', '題簽', '题签', '題款', '题款',
  '題詩', '题诗', '觀款', '观款', '手跋', '手校', '手批', '過錄', '过录', '圈點', '圈点', '校跋', '跋', '題', '题', '識', '识', '批', '校', '評', '评', '錄', '录',
].sort((a, b) => b.length - a.length);

/**
 * 批校题跋 as surveyors write it in a cell: `（清）黃丕烈跋：題跋文字`, or `清黃丕烈跋、顧廣圻校`.
 * Entries are separated by line breaks, or by 、 ； ; | before any `：`; what follows `：` on its
 * line is the text of the line's last entry. A dynasty holds for the entries after it on its line.
 */
export function parseAnnotationCell(cell: string): { annotations: Annotation[]; problems: string[] } {
  const annotations: Annotation[] = [];
  const problems: string[] = [];
  for (const line of cell.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    const colon = line.search(/[：:]/);
    const head = colon < 0 ? line : line.slice(0, colon);
    const text = colon < 0 ? undefined : line.slice(colon + 1).trim() || undefined;
    const entries = head.split(/[、；;|]/).map((e) => e.trim()).filter(Boolean);
    // A dynasty holds for the names after it on the line, as in 著者 (（清）黃丕烈、顧廣圻跋).
    let lineDynasty: string | undefined;
    entries.forEach((entry, i) => {
      let dynasty = lineDynasty;
      let rest = entry;
      const bracket = /^[（(［[]([^）)］\]]+)[）)］\]]\s*(.+)$/.exec(entry);
      if (bracket) [dynasty, rest] = [bracket[1]!.trim(), bracket[2]!];
      else {
        // Unbracketed, only the dynasties of annotators whose names are not also surnames (周, 宋, 陳, 吳 … are).
        const bare = ['民國', '民国', '清', '明'].find((d) => entry.startsWith(d) && entry.length > d.length + 2);
        if (bare) [dynasty, rest] = [bare, entry.slice(bare.length)];
      }
      lineDynasty = dynasty;
      const role = ANNOTATION_ROLES.find((r) => rest.endsWith(r) && rest.length > r.length);
      if (!role) {
        problems.push(`"${entry}" does not say how it annotates the copy (批, 校, 題, 跋, 識 …)`);
        return;
      }
      annotations.push({
        person: rest.slice(0, -role.length).trim(), role,
        ...(dynasty ? { dynasty } : {}),
        ...(text && i === entries.length - 1 ? { text } : {}),
      });
    });
  }
  return { annotations, problems };
}

/** 批校题跋 as a cell: one entry a line, in the form parseAnnotationCell reads. */
export function annotationCell(annotations: readonly Annotation[]): string {
  return annotations.map((a) => `${a.dynasty ? `（${a.dynasty}）` : ''}${a.person}${a.role}${a.text ? `：${a.text.replace(/\s*\n\s*/g, ' ')}` : ''}`).join('\n');
}

/** A record as a sheet row, in HEADINGS order; lists joined with 、. */
export function recordToRow(fields: RecordInput): (string | number)[] {
  return COLUMNS.map((c) => {
    const v = c.get(fields);
    return v === undefined ? '' : Array.isArray(v) ? v.join('、') : v;
  });
}

/** Which heading a record key is written under, for naming the column of a field problem. */
export function headingOf(field: string): string | undefined {
  const key = field.replace(/\.\d+$/, '');
  return COLUMNS.find((c) => c.aliases[0] === key)?.heading;
}
