/**
 * The census fields a public record page shows, in the order of the census form, with their
 * headings (docs/DOMAIN.md). One list, so that the page can move to the field list the API
 * publishes without a second place to change. Top-level headings come from the domain's
 * FIELD_HEADINGS; parts of a field have their own.
 */
import { FIELD_HEADINGS, type RecordFields } from '../../domain/census-record.js';

type Key = keyof RecordFields;

const PART_HEADINGS: Readonly<Record<string, string>> = {
  'damage.grade': '破损级别', 'damage.types': '破损类型', 'damage.notes': '破损说明', 'partOf.work': '所属多册作品', 'partOf.sequence': '分册序号',
};

const SHOWN: readonly string[] = [
  'censusNumber', 'callNumber', 'titleStatement', 'creatorStatement', 'editionStatement', 'volumeCount', 'extant', 'holdingUnit',
  'classification', 'grade', 'gradeStandard', 'damage.grade', 'damage.types', 'damage.notes', 'binding', 'layout', 'frameSize',
  'pageSize', 'seals', 'series', 'contents', 'boundWith', 'preciousListNumber', 'notes', 'abstract', 'partOf.work', 'partOf.sequence',
];

export const PAGE_FIELDS: readonly { key: string; label: string }[] = SHOWN.map((key) => ({
  key, label: PART_HEADINGS[key] ?? FIELD_HEADINGS[key as Key],
}));

/** A field's value as written, for display: lists one per line; null when empty. */
export function shownValue(fields: RecordFields, key: string): string | null {
  const value = key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], fields);
  if (Array.isArray(value)) return value.length ? value.join('\n') : null;
  return value === undefined || value === null || value === '' ? null : String(value);
}
