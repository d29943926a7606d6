/**
 * IIIF Change Discovery API 1.0 (https://iiif.io/api/discovery/1.0/, cited as §): the public
 * manifests' and collections' creations, updates and deletions as an Activity Streams OrderedCollection, in
 * pages of a fixed size numbered from 0, oldest activity first and newest last (§2.2, §3.1).
 * The log under it is append-only (RecordStore.publicChanges) and the activities are derived from
 * it in order (ActivityDerivation), so a full page never changes and a consumer walking back from
 * `last` stops at the first activity it has seen (§3.5.2).
 * Pure: the service reads the store.
 */
import type { PublicChange } from '../ports/catalogue-store.js';
import { collectionId, divisionCollectionId, manifestId, unitCollectionId, workCollectionId } from './manifest.js';

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
 * The collections of public manifests the stream tells about (src/services/manifest-service.ts
 * serves them): every published, digitized record (`all`), a holding unit's, a 四部 division's,
 * a multi-part work's (its parts). A key names one in the derivation: '' for all,
 * `unit:PPPPPP-UUUU`, `division:經部`, `work:資治通鑑-同治江蘇書局`.
 */
export type CollectionKey = string;
export const ALL_COLLECTION: CollectionKey = '';
export const unitCollectionKey = (unit: string): CollectionKey => `unit:${unit}`;
export const divisionCollectionKey = (division: string): CollectionKey => `division:${division}`;
export const workCollectionKey = (work: string): CollectionKey => `work:${work}`;

function collectionIdOf(baseUrl: string, key: CollectionKey): string {
  if (key === ALL_COLLECTION) return collectionId(baseUrl);
  const [kind, value] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  if (kind === 'unit') return unitCollectionId(baseUrl, value);
  return kind === 'work' ? workCollectionId(baseUrl, value) : divisionCollectionId(baseUrl, value);
}

type ActivityType = 'Create' | 'Update' | 'Delete';

/** One activity, before it is given URLs: on a record's manifest or on a collection. */
export interface ActivityEntry {
  type: ActivityType;
  manifest?: string;
  collection?: CollectionKey;
  /** §2.3.1 endTime: the change's datestamp, `YYYY-MM-DDThh:mm:ssZ`. */
  endTime: string;
}

/**
 * The activities of the public catalogue, derived from its append-only change log
 * (RecordStore.publicChanges with `digitized`), one change at a time in log order. Deriving them
 * again from the same log gives the same stream, so nothing but the log is stored, and a restart
 * (or a second process) tells the same story.
 *
 * A record's manifest (§2.1.3) appears when the record is published with pages (Create), changes
 * while public (Update), and goes when withdrawn (Delete; §4.2: "the resource … is no longer
 * available"). A collection changes when a manifest joins or leaves it — a record published or
 * withdrawn, moved to another 四部 division or made part of another work (partOf.work) — and
 * only then: it lists its members by reference, and a member's own change is its manifest's
 * activity (§2.1.3: changes "deemed to be insignificant to the publisher … MAY also be omitted").
 * A unit's, division's or work's collection exists while it has a member (its URL answers 404
 * otherwise): Create with its first, Delete with its last, Create again when one returns. The collection of everything always
 * answers, empty or not, so it is created with its first member and never deleted.
 */
export class ActivityDerivation {
  readonly entries: ActivityEntry[] = [];
  /** How many log entries were applied, and how many activities there were after each. */
  private applied = 0;
  private readonly entriesAfter: number[] = [0];
  private readonly members = new Map<CollectionKey, number>();
  /** The collections each public manifest is listed in, to know which it leaves. */
  private readonly listedIn = new Map<string, CollectionKey[]>();
  private everCreatedAll = false;
  /** Per collection, after which log entry it came to exist or stopped. */
  private readonly lifetimes = new Map<CollectionKey, { after: number; exists: boolean }[]>();

  apply(change: PublicChange): void {
    this.applied += 1;
    if (change.digitized || change.wasDigitized) this.activitiesOf(change);
    this.entriesAfter.push(this.entries.length);
  }

  private activitiesOf(change: PublicChange): void {
    const at = change.datestamp;
    const type: ActivityType = !change.wasDigitized ? 'Create' : change.digitized ? 'Update' : 'Delete';
    this.entries.push({ type, manifest: change.censusNumber, endTime: at });
    const listed = [
      ALL_COLLECTION, unitCollectionKey(change.unit),
      ...(change.division ? [divisionCollectionKey(change.division)] : []), ...(change.work ? [workCollectionKey(change.work)] : []),
    ];
    const before = change.wasDigitized ? this.listedIn.get(change.censusNumber) ?? listed : [];
    const after = change.digitized ? listed : [];
    for (const key of before.filter((k) => !after.includes(k))) {
      const count = (this.members.get(key) ?? 1) - 1;
      this.members.set(key, count);
      const gone = count === 0 && key !== ALL_COLLECTION;
      this.entries.push({ type: gone ? 'Delete' : 'Update', collection: key, endTime: at });
      if (gone) this.lifetime(key, false);
    }
    for (const key of after.filter((k) => !before.includes(k))) {
      const count = (this.members.get(key) ?? 0) + 1;
      this.members.set(key, count);
      const created = key === ALL_COLLECTION ? !this.everCreatedAll : count === 1;
      if (key === ALL_COLLECTION) this.everCreatedAll = true;
      this.entries.push({ type: created ? 'Create' : 'Update', collection: key, endTime: at });
      if (created) this.lifetime(key, true);
    }
    if (change.digitized) this.listedIn.set(change.censusNumber, after);
    else this.listedIn.delete(change.censusNumber);
  }

  private lifetime(key: CollectionKey, exists: boolean) {
    const list = this.lifetimes.get(key) ?? [];
    list.push({ after: this.applied, exists });
    this.lifetimes.set(key, list);
  }

  /** Whether the collection existed once the first `after` log entries had happened. */
  existedAfter(key: CollectionKey, after: number): boolean {
    let exists = false;
    for (const l of this.lifetimes.get(key) ?? []) if (l.after <= after) exists = l.exists;
    return exists;
  }

  /** How many activities the first `after` log entries make (all of them for a later place). */
  activitiesAfter(after: number): number {
    return this.entriesAfter[Math.min(after, this.applied)]!;
  }
}

/**
 * A change to what a unit's collection shows of the unit (CollectingUnit.collectionChanges):
 * when, and how many entries the change log held then, which places it in the stream.
 */
export interface UnitCollectionChange {
  unit: string;
  at: string;
  after: number;
}

/**
 * The whole stream: the activities derived from the log, and an Update of a unit's collection
 * where its label or provider changed while it existed (kept by PATCH /api/units/{key}), placed
 * after the log entries that were there when it was made: at the end when made, so the full pages
 * stay as they were.
 */
export function activityStream(derivation: ActivityDerivation, unitChanges: readonly UnitCollectionChange[]): ActivityEntry[] {
  const edits = unitChanges
    .filter((e) => derivation.existedAfter(unitCollectionKey(e.unit), e.after))
    .map((e) => ({ place: derivation.activitiesAfter(e.after), entry: { type: 'Update' as const, collection: unitCollectionKey(e.unit), endTime: e.at } }))
    .sort((a, b) => a.place - b.place || a.entry.endTime.localeCompare(b.entry.endTime) || a.entry.collection.localeCompare(b.entry.collection));
  if (edits.length === 0) return derivation.entries;
  const merged: ActivityEntry[] = [];
  let next = 0;
  derivation.entries.forEach((entry, i) => {
    while (next < edits.length && edits[next]!.place <= i) merged.push(edits[next++]!.entry);
    merged.push(entry);
  });
  return merged.concat(edits.slice(next).map((e) => e.entry));
}

function activityOf(baseUrl: string, entry: ActivityEntry) {
  const object = entry.manifest !== undefined
    ? { id: manifestId(baseUrl, entry.manifest), type: 'Manifest' }
    : { id: collectionIdOf(baseUrl, entry.collection!), type: 'Collection' };
  return { type: entry.type, object, endTime: entry.endTime };
}

export function activityPage(baseUrl: string, page: number, entries: readonly ActivityEntry[], total: number, pageSize: number) {
  const last = lastActivityPage(total, pageSize);
  return {
    '@context': DISCOVERY_CONTEXT,
    id: activityPageId(baseUrl, page),
    type: 'OrderedCollectionPage',
    startIndex: page * pageSize,
    partOf: { id: activityCollectionId(baseUrl), type: 'OrderedCollection' },
    ...(page > 0 ? { prev: { id: activityPageId(baseUrl, page - 1), type: 'OrderedCollectionPage' } } : {}),
    ...(page < last ? { next: { id: activityPageId(baseUrl, page + 1), type: 'OrderedCollectionPage' } } : {}),
    orderedItems: entries.map((e) => activityOf(baseUrl, e)),
  };
}
