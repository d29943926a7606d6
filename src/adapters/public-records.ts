/**
 * What a record write does to the public catalogue, for both stores: the state a record takes
 * there and the change logged, or nothing when the record neither is nor was published.
 */
import type { CensusRecord } from '../domain/census-record.js';
import { recordFacets } from '../domain/facets.js';
import type { PublicChange, PublicRecordState } from '../ports/catalogue-store.js';

/** An ISO 8601 instant to the second, as OAI-PMH datestamps are (`YYYY-MM-DDThh:mm:ssZ`). */
export const toSecond = (instant: string): string => `${new Date(instant).toISOString().slice(0, 19)}Z`;

export function publicChangeOf(
  record: CensusRecord, at: string, prior: Pick<PublicRecordState, 'deleted' | 'digitized' | 'datestamp'> | null,
): Omit<PublicChange, 'seq'> | null {
  const published = record.status === 'published';
  const wasPublished = prior !== null && !prior.deleted;
  if (!published && !wasPublished) return null;
  const facets = recordFacets(record);
  return {
    censusNumber: record.fields.censusNumber,
    // Never earlier than the record's last: a harvester that came since must see the change.
    datestamp: prior && prior.datestamp > toSecond(at) ? prior.datestamp : toSecond(at),
    deleted: !published,
    unit: facets.unit,
    division: facets.division,
    work: record.fields.partOf?.work ?? null,
    digitized: published && (record.pageCount ?? 0) > 0,
    wasDigitized: wasPublished && prior.digitized,
  };
}
