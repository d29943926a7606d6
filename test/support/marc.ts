/** What the MARC 21 and UNIMARC crosswalk tests share: a published record of fixed dates, and a record as lines. */
import { deriveRecord, type CensusRecord, type RecordFields } from '../../src/domain/census-record.js';
import type { MarcRecord } from '../../src/exports/marc.js';
import { vocabulary } from './records.js';

export function published(fields: RecordFields, extra: Partial<CensusRecord> = {}): CensusRecord {
  return {
    fields, corrections: {}, derived: deriveRecord(fields, {}, vocabulary), status: 'published', version: 1,
    createdAt: '2026-11-29T12:00:00.000Z', updatedAt: '2026-11-30T01:02:03.456Z', createdBy: 'a', updatedBy: 'a', ...extra,
  };
}

/** A MARC record as lines, as yaz-marcdump prints them: `245 00 $6 880-01 $a …` (blanks as spaces). */
export const lines = (m: MarcRecord) => [
  m.leader,
  ...m.controlFields.map(([tag, value]) => `${tag} ${value}`),
  ...m.dataFields.map((x) => `${x.tag} ${x.ind1}${x.ind2} ${x.subfields.map(([c, v]) => `$${c} ${v}`).join(' ')}`),
];
