/**
 * IIIF Change Discovery API 1.0 (https://iiif.io/api/discovery/1.0/, cited as §): the public
 * manifests' creations, updates and deletions as an Activity Streams OrderedCollection, in
 * pages of a fixed size numbered from 0, oldest activity first and newest last (§2.2, §3.1).
 * The log under it is append-only (RecordStore.publicChanges), so a full page never changes and
 * a consumer walking back from `last` stops at the first activity it has seen (§3.5.2).
 * Pure: the service reads the store.
 */
import type { PublicChange } from '../ports/catalogue-store.js';
import { manifestId } from './manifest.js';

export const DISCOVERY_CONTEXT = 'http://iiif.io/api/discovery/1/context.json';
/** §4.1: JSON-LD with the context as profile. */
export const DISCOVERY_CONTENT_TYPE = `application/ld+json;profile="${DISCOVERY_CONTEXT}"`;
/** Activities per page. Changing it renumbers every page, so it is fixed, not configured. */
export const ACTIVITY_PAGE_SIZE = 100;

export const activityCollectionId = (baseUrl: string) => `${baseUrl}/iiif/activity`;
export const activityPageId = (baseUrl: string, page: number) => `${baseUrl}/iiif/activity/page/${page}`;

/** The last page's number: page 0 exists even when nothing has happened yet. */
export const lastActivityPage = (total: number, pageSize: number) => Math.max(0, Math.ceil(total / pageSize) - 1);

export function activityCollection(baseUrl: string, total: number, pageSize: number) {
  return {
    '@context': DISCOVERY_CONTEXT,
    id: activityCollectionId(baseUrl),
    type: 'OrderedCollection',
    totalItems: total,
    first: { id: activityPageId(baseUrl, 0), type: 'OrderedCollectionPage' },
    last: { id: activityPageId(baseUrl, lastActivityPage(total, pageSize)), type: 'OrderedCollectionPage' },
  };
}

/**
 * A change to a record whose digitized copy was or is public, as what happened to its manifest
 * (§2.1.3): it appeared (published with pages, or pages added to a published record), changed,
 * or went (withdrawn; §4.2: content no longer available gets a Delete).
 */
export function activityOf(baseUrl: string, change: PublicChange) {
  const type = !change.wasDigitized ? 'Create' : change.digitized ? 'Update' : 'Delete';
  return { type, object: { id: manifestId(baseUrl, change.censusNumber), type: 'Manifest' }, endTime: change.datestamp };
}

export function activityPage(baseUrl: string, page: number, changes: readonly PublicChange[], total: number, pageSize: number) {
  const last = lastActivityPage(total, pageSize);
  return {
    '@context': DISCOVERY_CONTEXT,
    id: activityPageId(baseUrl, page),
    type: 'OrderedCollectionPage',
    startIndex: page * pageSize,
    partOf: { id: activityCollectionId(baseUrl), type: 'OrderedCollection' },
    ...(page > 0 ? { prev: { id: activityPageId(baseUrl, page - 1), type: 'OrderedCollectionPage' } } : {}),
    ...(page < last ? { next: { id: activityPageId(baseUrl, page + 1), type: 'OrderedCollectionPage' } } : {}),
    orderedItems: changes.map((c) => activityOf(baseUrl, c)),
  };
}
