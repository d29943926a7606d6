/** Builders for tests: real census records derived the way the service derives them. */
import { deriveRecord, type CensusRecord, type RecordFields, type RecordStatus } from '../../src/domain/census-record.js';
import { defaultVocabulary } from '../../src/domain/vocabulary.js';
import type { HistoryEntry } from '../../src/ports/catalogue-store.js';

export const vocabulary = defaultVocabulary();

export function fieldsOf(censusNumber: string, overrides: Partial<RecordFields> = {}): RecordFields {
  return {
    censusNumber,
    callNumber: '10634',
    titleStatement: '［萬曆］金華府志三十卷',
    creatorStatement: '（明）王懋德（明）陸鳳儀纂修',
    editionStatement: '明萬曆刻本',
    volumeCount: 18,
    holdingUnit: censusNumber.split('-')[1]!,
    ...overrides,
  };
}

export function recordOf(censusNumber: string, overrides: Partial<RecordFields> = {}, status: RecordStatus = 'draft', version = 1): CensusRecord {
  const fields = fieldsOf(censusNumber, overrides);
  const at = new Date(Date.UTC(2026, 10, 29, 12, 0, version)).toISOString();
  return {
    fields, corrections: {}, derived: deriveRecord(fields, {}, vocabulary), status, version,
    createdAt: at, updatedAt: at, createdBy: 'tester', updatedBy: 'tester',
  };
}

export function entryOf(record: CensusRecord, action: HistoryEntry['action'] = 'create'): HistoryEntry {
  return {
    censusNumber: record.fields.censusNumber, at: record.updatedAt, actor: 'tester', action,
    changes: [{ field: 'status', before: null, after: record.status }], comment: null, version: record.version,
  };
}
