/**
 * The census fields a public record page shows, in the order of the census form, with their
 * headings (docs/DOMAIN.md) from the field table (CENSUS_FIELDS in src/domain/census-record.ts).
 */
import { fieldHeading, type RecordFields } from '../../domain/census-record.js';

const SHOWN: readonly string[] = [
  'censusNumber', 'callNumber', 'titleStatement', 'creatorStatement', 'editionStatement', 'volumeCount', 'extant', 'holdingUnit',
  'classification', 'grade', 'gradeStandard', 'damage.grade', 'damage.types', 'damage.notes', 'binding', 'layout', 'frameSize',
  'pageSize', 'seals', 'series', 'contents', 'boundWith', 'preciousListNumber', 'notes', 'abstract', 'partOf.work', 'partOf.sequence',
];

export const PAGE_FIELDS: readonly { key: string; label: string }[] = SHOWN.map((key) => ({ key, label: fieldHeading(key) }));

/** A field's value as written, for display: lists one per line; null when empty. */
export function shownValue(fields: RecordFields, key: string): string | null {
  const value = key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], fields);
  if (Array.isArray(value)) return value.length ? value.join('\n') : null;
  return value === undefined || value === null || value === '' ? null : String(value);
}
