/**
 * The contracts the services see for everything kept durably: census records with their
 * history, collecting units, users and sessions. Adapters: src/adapters/embedded (SQLite, the
 * default) and src/adapters/mongo (MONGODB_URI). test/contract/catalogue-store.contract.ts runs
 * every adapter through the same suite.
 */
import type { CensusRecord, FieldChange, RecordStatus } from '../domain/census-record.js';
import type { Role } from '../domain/workflow.js';
import type { Page } from '../domain/page.js';

/** Pages are domain entities (src/domain/page.ts): the stores keep them as they are. */
export type { Heading, Page } from '../domain/page.js';

export interface HistoryEntry {
  censusNumber: string;
  /** ISO 8601 instant. */
  at: string;
  actor: string;
  /** `rederive`: the derived structure was computed again by a newer parser (npm run rederive-records). */
  action: 'create' | 'update' | 'submit' | 'return' | 'approve' | 'publish' | 'withdraw' | 'scan' | 'structure' | 'rederive';
  changes: FieldChange[];
  comment: string | null;
  /** The record version this entry produced. */
  version: number;
}

export interface RecordFilter {
  status?: RecordStatus[];
  /** Unit keys `PPPPPP-UUUU`. */
  unit?: string[];
  editionType?: string[];
  dynasty?: string[];
  division?: string[];
  grade?: string[];
  damageGrade?: string[];
  /** Records whose date range overlaps [yearFrom, yearTo]. */
  yearFrom?: number;
  yearTo?: number;
  /** Visibility: 'published' for anonymous readers; a unit key for a surveyor (own unit + published). */
  visibleTo?: 'all' | 'published' | { unit: string };
}

/** The filters that match a record facet (src/domain/facets.ts recordFacets) exactly. */
export const FACET_FILTERS = ['status', 'unit', 'editionType', 'dynasty', 'division', 'grade', 'damageGrade'] as const;

export type RecordSort = 'censusNumber' | '-censusNumber' | 'updatedAt' | '-updatedAt' | 'year' | '-year';

export interface RecordQuery {
  filter: RecordFilter;
  sort: RecordSort;
  offset: number;
  limit: number;
}

export interface RecordPage {
  records: CensusRecord[];
  total: number;
}

export interface RecordStore {
  /** Inserts the record and its first history entry together. Throws AlreadyExistsError. */
  create(record: CensusRecord, entry: HistoryEntry): Promise<void>;
  /**
   * Replaces the record if its stored version is still `expectedVersion`, and appends the entry,
   * together. Throws VersionMismatchError when the version moved, NotFoundError when it is gone.
   */
  replace(record: CensusRecord, expectedVersion: number, entry: HistoryEntry): Promise<void>;
  get(censusNumber: string): Promise<CensusRecord | null>;
  list(query: RecordQuery): Promise<RecordPage>;
  history(censusNumber: string): Promise<HistoryEntry[]>;
  /** The newest history entry with a comment of each record named (none for a record without), in one query. */
  latestComments(censusNumbers: string[]): Promise<HistoryEntry[]>;
  count(): Promise<number>;
  /**
   * Records written after sequence number `seq`, in write order, at most `limit`. Every write
   * gives the record a new, higher sequence number: this is what search indexes catch up from,
   * so an index that missed a write finds it on its next pass.
   */
  changesSince(seq: number, limit: number): Promise<{ seq: number; record: CensusRecord }[]>;
  /**
   * Records as they stand in the public catalogue, in census-number order after `after`: every
   * record that is or once was published (a withdrawn one as a tombstone, `deleted`). Kept by
   * create and replace in the same write as the record, so OAI-PMH, sitemaps and IIIF Change
   * Discovery never miss a publication or a withdrawal.
   */
  publicRecords(query: PublicRecordQuery): Promise<PublicRecordState[]>;
  countPublicRecords(filter: PublicRecordFilter): Promise<number>;
  publicRecord(censusNumber: string): Promise<PublicRecordState | null>;
  /** The oldest datestamp of publicRecords, or null when nothing was ever published. */
  earliestPublicDatestamp(): Promise<string | null>;
  /**
   * Every change to the public catalogue in the order written, from 0 (an append-only log: page
   * k of it never changes). `digitized`: only changes to records whose digitized copy was or is
   * public (the IIIF manifests).
   */
  publicChanges(query: { digitized?: boolean; offset: number; limit: number }): Promise<PublicChange[]>;
  countPublicChanges(query: { digitized?: boolean }): Promise<number>;
}

/**
 * A record's standing in the public catalogue since its last change there: published (again),
 * changed while published, or withdrawn (a record leaves publication, or is deleted).
 */
export interface PublicRecordState {
  censusNumber: string;
  /** When it last entered, changed in or left the public catalogue: the write's HistoryEntry.at to the second, `YYYY-MM-DDThh:mm:ssZ`. */
  datestamp: string;
  /** No longer published: a tombstone. */
  deleted: boolean;
  /** Unit key `PPPPPP-UUUU`, and the 四部 division (recordFacets), for selective harvesting. */
  unit: string;
  division: string | null;
  /** Published with scanned pages (it has a public IIIF manifest); false once deleted. */
  digitized: boolean;
}

export interface PublicRecordFilter {
  /** Datestamps from and until, both inclusive, as `YYYY-MM-DDThh:mm:ssZ`. */
  from?: string;
  until?: string;
  unit?: string;
  /** A division term, or true for records that have one. */
  division?: string | true;
  deleted?: boolean;
}

export interface PublicRecordQuery extends PublicRecordFilter {
  /** Census numbers after this one (keyset paging: what was read stays read, whatever is written meanwhile). */
  after?: string;
  offset?: number;
  limit: number;
}

/** One entry of the public catalogue's change log: the state written, and whether a digitized copy was public before. */
export interface PublicChange extends PublicRecordState {
  /** Place in the log: a later change has a higher one. */
  seq: number;
  wasDigitized: boolean;
  /**
   * The multi-part work the record is part of as written (`partOf.work`), null for none: its
   * IIIF collection (/iiif/works/{work}) gains and loses members as the log says.
   */
  work: string | null;
}

export interface CollectingUnit {
  /** GB/T 2260 province-level code, `PPPPPP`. */
  province: string;
  /** The unit's 4-digit code, the `UUUU` of its census numbers. */
  code: string;
  name: string;
  /** Further details: kind of holder (图书馆, 档案馆, 学校, 博物馆, 寺观, 私人), address, contact. */
  kind: string | null;
  address: string | null;
  contact: string | null;
  /**
   * The unit as a provider of manifests (IIIF Presentation 3.0 §3.3.2, an Agent): its own web
   * site, its logo (an image URL), and an identifier — an ISIL (ISO 15511, e.g. CN-430902-1)
   * or another code the unit is known by. Absent on units registered before they existed.
   */
  homepage?: string | null;
  logo?: string | null;
  identifier?: string | null;
  createdAt: string;
  /** A unit no longer taking part (merged, closed): kept for its records, not offered for new ones. Absent means false. */
  disabled?: boolean;
  /**
   * When its name or its provider fields (homepage, logo, identifier) changed, oldest first: what
   * its IIIF collection shows of it changed then, and IIIF Change Discovery tells of it
   * (src/iiif/activity.ts). `at` to the second (`YYYY-MM-DDThh:mm:ssZ`); `after`: how many
   * entries the public change log of digitized records held then (its place in the stream).
   * Absent when never changed.
   */
  collectionChanges?: { at: string; after: number }[];
}

export interface UnitStore {
  /** Throws AlreadyExistsError when the province already has a unit with this code. */
  create(unit: CollectingUnit): Promise<void>;
  get(province: string, code: string): Promise<CollectingUnit | null>;
  list(): Promise<CollectingUnit[]>;
  /** Replaces the unit's details (its province and code, its key, stay); false when there is no such unit. */
  update(unit: CollectingUnit): Promise<boolean>;
}

export interface UserAccount {
  username: string;
  /** A self-describing password hash (see src/services/passwords.ts); never the password. */
  passwordHash: string;
  role: Role;
  /** Unit key `PPPPPP-UUUU` for surveyors; null for others. */
  unit: string | null;
  displayName: string | null;
  createdAt: string;
  disabled: boolean;
}

export interface UserStore {
  /** Throws AlreadyExistsError when the username is taken. */
  create(user: UserAccount): Promise<void>;
  get(username: string): Promise<UserAccount | null>;
  list(): Promise<UserAccount[]>;
  count(): Promise<number>;
  /** Replaces the stored account of `user.username` (its password hash, role, disabled …). Throws NotFoundError. */
  update(user: UserAccount): Promise<void>;
}

export interface Session {
  /** SHA-256 of the bearer token: a stolen database does not yield usable tokens. */
  tokenHash: string;
  username: string;
  createdAt: string;
  expiresAt: string;
}

export interface SessionStore {
  create(session: Session): Promise<void>;
  get(tokenHash: string): Promise<Session | null>;
  delete(tokenHash: string): Promise<void>;
  /**
   * Ends every session of `username` but the one whose hash is `except` (the caller's own, when
   * they change their password); returns how many.
   */
  deleteByUser(username: string, except?: string): Promise<number>;
  /** Removes sessions that expired before `now`; returns how many. */
  purgeExpired(now: string): Promise<number>;
}

export interface PageStore {
  /**
   * Adds a page at the place it names. Throws AlreadyExistsError when the record already has
   * this master, or a page at this place.
   */
  add(page: Page): Promise<void>;
  /**
   * Adds a page after the record's last one and returns it with its place. The place is decided
   * inside the store's write, so batches running at once on one record never share a place.
   * Throws AlreadyExistsError when the record already has this master.
   */
  append(page: Omit<Page, 'sequence'>): Promise<Page>;
  /** The record's pages in reading order. */
  list(censusNumber: string): Promise<Page[]>;
  /** Every page showing this image (one master may serve several records). */
  byImage(imageId: string): Promise<Page[]>;
  /**
   * Replaces the order and the 册/卷/leaf labels of a record's pages together: `pages` are the
   * record's pages, each with its new sequence and labels.
   */
  arrange(censusNumber: string, pages: Page[]): Promise<void>;
  /** Pages on all records. */
  count(): Promise<number>;
  /** Each record that has pages: how many, and the first page's image (its cover). */
  tally(): Promise<{ censusNumber: string; pages: number; cover: string }[]>;
}

export type IngestOutcome = 'pending' | 'ingested' | 'skipped' | 'refused' | 'failed';

export interface IngestJobFile {
  filename: string;
  outcome: IngestOutcome;
  /** Why the file was refused or failed, or skipped (already on the record). */
  reason: string | null;
  imageId: string | null;
  sequence: number | null;
}

/**
 * A job's life: queued → running → done, or interrupted (the service stopped it at a file or row
 * boundary, saying why) and then, at the next start, failed with the reason.
 */
export type JobStatus = 'queued' | 'running' | 'interrupted' | 'done' | 'failed';
/** Statuses of a job that has not ended. */
export const UNFINISHED: readonly JobStatus[] = ['queued', 'running', 'interrupted'];

/** The process running a job: at start, jobs of a process that is gone are ended. */
export interface JobRunner {
  host: string;
  pid: number;
}

/** What every job on a record keeps: who started it and when, where it stands, and which process runs it. */
export interface RecordJob {
  id: string;
  censusNumber: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  status: JobStatus;
  /** Why the job was interrupted or failed. */
  reason?: string | null;
  runner?: JobRunner;
}

export interface IngestJob extends RecordJob {
  files: IngestJobFile[];
}

/** A spreadsheet import as kept; `report` is the importer's (src/services/sheet-service.ts). */
export interface ImportJob<Report = unknown> {
  id: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  filename: string;
  dryRun: boolean;
  status: Exclude<JobStatus, 'queued'>;
  /** Rows read so far, and the part of the file read (0 to 1). */
  rows: number;
  read: number;
  report: Report | null;
  error: { code: string; message: string; details: { field: string; problem: string }[] } | null;
  runner?: JobRunner;
}

export interface JobStore {
  save(job: IngestJob): Promise<void>;
  get(id: string): Promise<IngestJob | null>;
  saveImport(job: ImportJob): Promise<void>;
  getImport(id: string): Promise<ImportJob | null>;
  /** Ingest and import jobs that have not ended (queued, running or interrupted). */
  unfinished(): Promise<{ ingests: IngestJob[]; imports: ImportJob[] }>;
}

export interface CatalogueStore {
  readonly records: RecordStore;
  readonly pages: PageStore;
  readonly jobs: JobStore;
  readonly units: UnitStore;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  /** Where the data lives, for logs and /health (never a password). */
  readonly description: string;
  /**
   * A mark that differs after every write committed to the catalogue since it was last read, by
   * this process or by another sharing the store (npm run ingest, import): a cache of what the
   * store says stays true while the mark does, one comparison per use. null when the store cannot
   * tell cheaply; then nothing read from it may be kept.
   */
  changeMark(): string | null;
  close(): Promise<void>;
}
