/**
 * The facets records are filtered and counted by, each declared once: how its value is read from
 * a record, its label, whether `GET /api/records` filters by it too, who sees it counted, which
 * values it may take and how its values are ordered. The search document, the query schemas of
 * search and of the record list, the OpenAPI parameters, the search engines' columns and
 * filterable attributes, and the pages' facet lists (GET /api/schema) are all derived from
 * FACET_TABLE; adding a facet is one entry here, its labels and its tests (docs/CHANGE-TRACES.md).
 */
import { z } from 'zod';
import { parseCensusNumber } from './census-number.js';
import { RECORD_STATUSES, type CensusRecord, type Label, type RecordStatus } from './census-record.js';
import type { HistoricalDate } from './historical-date.js';

export interface FacetDeclaration<N extends string = string> {
  name: N;
  label: Label;
  /** The facet's value for a record; null when the record has none. */
  read: (record: CensusRecord) => string | null;
  /**
   * Whether `GET /api/records` filters by it as well. The record stores index these values
   * (recordFacets below; a new one needs its column in src/adapters/embedded/sqlite-store.ts).
   */
  listFilter: boolean;
  /** Who sees it counted in search and the overview: everyone, staff only, or nobody (a filter only). */
  counted: 'public' | 'staff' | 'none';
  /** The only values it takes, when it has a closed set: a filter naming another is refused. */
  values?: readonly string[];
  /** Labels of values that are codes rather than words (status, digitized). */
  valueLabels?: Readonly<Record<string, Label>>;
  /** How its values are listed: most frequent first, or in time order (centuries). */
  order: 'count' | 'chronological';
}

/** The century of a Western year, as the facet names it: 16 for 1501–1600, -1 for 100–1 BCE. */
export function centuryOf(year: number | null): string | null {
  if (year === null) return null;
  return String(year > 0 ? Math.ceil(year / 100) : -Math.ceil(-year / 100));
}

/**
 * The century facet's bucket for a date no single century holds: one naming only a dynasty that
 * crosses centuries (清, 1644–1911) or spanning more than a century (明末清初). Issue 13: "uncertain
 * or dynasty-only dates belong to no single century" — filing 清 under the 17th put every plain
 * 清 record there.
 */
export const CENTURY_SPAN = 'span';

/** The widest span, in years, still filed under the century it starts in (康熙 1662–1722 under the 17th). */
const CENTURY_WIDEST = 100;

/** The century facet of a date: its century, CENTURY_SPAN when it has none, null when undated. */
export function centuryFacetOf(date: HistoricalDate | null | undefined): string | null {
  const from = date?.gregorianFrom ?? null;
  if (!date || from === null) return null;
  const to = date.gregorianTo ?? from;
  const first = centuryOf(from);
  if (first === centuryOf(to)) return first;
  return date.precision === 'dynasty' || to - from > CENTURY_WIDEST ? CENTURY_SPAN : first;
}

const STATUS_LABELS: Record<RecordStatus, Label> = {
  draft: { zh: '草稿', en: 'draft' }, submitted: { zh: '已提交', en: 'submitted' }, returned: { zh: '返修', en: 'returned' },
  approved: { zh: '已通过', en: 'approved' }, published: { zh: '已发布', en: 'published' },
};

/** Keeps the name and whether it is a list filter in the type, for the types derived below. */
const facet = <N extends string, L extends boolean>(declaration: FacetDeclaration<N> & { listFilter: L }) => declaration;

/** Every facet, in the order the search page and the OpenAPI description list them. */
export const FACET_TABLE = [
  facet({ name: 'division', label: { zh: '四部', en: 'Four Branches' }, read: (r) => r.derived.classification?.division ?? null, listFilter: true, counted: 'public', order: 'count' }),
  facet({ name: 'category', label: { zh: '类', en: 'Category' }, read: (r) => r.derived.classification?.category ?? null, listFilter: false, counted: 'public', order: 'count' }),
  facet({ name: 'editionType', label: { zh: '版本类型', en: 'Edition type' }, read: (r) => r.derived.edition.type, listFilter: true, counted: 'public', order: 'count' }),
  facet({ name: 'dynasty', label: { zh: '朝代', en: 'Dynasty' }, read: (r) => r.derived.edition.date?.dynasty ?? null, listFilter: true, counted: 'public', order: 'count' }),
  facet({ name: 'century', label: { zh: '世纪', en: 'Century' }, read: (r) => centuryFacetOf(r.derived.edition.date), listFilter: false, counted: 'public', order: 'chronological' }),
  facet({
    name: 'unit', label: { zh: '收藏单位', en: 'Holding unit' }, read: (r) => parseCensusNumber(r.fields.censusNumber)?.unitKey ?? null,
    listFilter: true, counted: 'public', order: 'count',
  }),
  facet({ name: 'grade', label: { zh: '定级', en: 'Grade' }, read: (r) => r.derived.grade?.term ?? null, listFilter: true, counted: 'public', order: 'count' }),
  facet({ name: 'damageGrade', label: { zh: '破损', en: 'Damage' }, read: (r) => r.derived.damage?.grade ?? null, listFilter: true, counted: 'public', order: 'count' }),
  facet({
    name: 'digitized', label: { zh: '数字化', en: 'Digitized' }, read: (r) => ((r.pageCount ?? 0) > 0 ? 'true' : 'false'),
    listFilter: false, counted: 'public', values: ['true', 'false'], order: 'count',
    valueLabels: { true: { zh: '已数字化', en: 'digitized' }, false: { zh: '未数字化', en: 'not digitized' } },
  }),
  // The workflow status is staff business.
  facet({
    name: 'status', label: { zh: '审校状态', en: 'Review status' }, read: (r) => r.status,
    listFilter: true, counted: 'staff', values: RECORD_STATUSES, valueLabels: STATUS_LABELS, order: 'count',
  }),
  // Which multi-part work a record is part of: it filters (the work's IIIF collection lists the
  // parts) but is not counted, since each work has a handful of records.
  facet({ name: 'work', label: { zh: '所属多册作品', en: 'Part of the multi-volume work' }, read: (r) => r.fields.partOf?.work ?? null, listFilter: false, counted: 'none', order: 'count' }),
] as const;

export type FacetName = (typeof FACET_TABLE)[number]['name'];
export const FACETS = FACET_TABLE.map((f) => f.name) as FacetName[] as readonly FacetName[];

/** The facets searchers and the overview count: the public ones, and the staff ones for staff. */
export function countedFacetsOf<N extends string>(table: readonly FacetDeclaration<N>[], staff: boolean): N[] {
  return table.filter((f) => f.counted === 'public' || (staff && f.counted === 'staff')).map((f) => f.name);
}

type ListFilterDeclaration = Extract<(typeof FACET_TABLE)[number], { listFilter: true }>;
export type ListFilterName = ListFilterDeclaration['name'];
export const LIST_FILTERS = FACET_TABLE.filter((f) => f.listFilter).map((f) => f.name) as ListFilterName[] as readonly ListFilterName[];

/** The values records are filtered, sorted and counted by in the record stores; every store indexes these. */
export type RecordFacets = { [K in ListFilterName]: string | null } & {
  status: RecordStatus;
  unit: string;
  yearFrom: number | null;
  yearTo: number | null;
};

export function recordFacets(record: CensusRecord): RecordFacets {
  const date = record.derived.edition.date;
  const values = Object.fromEntries(FACET_TABLE.filter((f) => f.listFilter).map((f) => [f.name, f.read(record)]));
  // A record always has a unit (its census number names it); '' for one that does not parse.
  return { ...values, unit: values.unit ?? '', yearFrom: date?.gregorianFrom ?? null, yearTo: date?.gregorianTo ?? null } as RecordFacets;
}

/** The facet values of a record, for the search document. */
export function facetValuesOf<N extends string>(table: readonly FacetDeclaration<N>[], record: CensusRecord): Record<N, string | null> {
  return Object.fromEntries(table.map((f) => [f.name, f.read(record)])) as Record<N, string | null>;
}

/** Lists its facet values in the facet's order. */
export function inFacetOrder<T extends { value: string; count: number }>(declaration: Pick<FacetDeclaration, 'order'>, counts: readonly T[]): T[] {
  if (declaration.order === 'count') return [...counts];
  // In time order; the `span` bucket (no single century) last.
  const at = (v: string) => (v === CENTURY_SPAN ? Infinity : Number(v));
  return [...counts].sort((a, b) => at(a.value) - at(b.value));
}

/** A query parameter of several values: `a,b` or repeated (`?unit=a&unit=b`), trimmed, blanks dropped. */
export const commaList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .meta({ description: 'Comma-separated values' });

type FilterValue<N> = N extends 'status' ? RecordStatus : string;
export type FacetFilterShape<N extends string> = { [K in N]: z.ZodOptional<z.ZodType<FilterValue<K>[], unknown>> };

/**
 * The query parameters that filter by facets, for a zod object: each a comma-separated list,
 * checked against the facet's closed set of values when it has one. Search takes every facet
 * (`FACETS`); the record list its own (`LIST_FILTERS`).
 */
export function facetFilterShape<N extends FacetName>(names: readonly N[]): FacetFilterShape<N> {
  const shape: Record<string, z.ZodType> = {};
  for (const name of names) {
    const { values } = FACET_TABLE.find((f) => f.name === name)!;
    shape[name] = (values ? commaList.pipe(z.array(z.enum(values as [string, ...string[]]))) : commaList).optional();
  }
  return shape as unknown as FacetFilterShape<N>;
}
