/**
 * The text of each scanned page (全文), kept durably with every change in its history, and the
 * OCR jobs that draft it. Adapters: src/adapters/embedded/sqlite-page-text-store.ts (in the
 * catalogue's SQLite file, so backups hold it) and src/adapters/mongo/mongo-page-text-store.ts.
 * test/contract/page-text-store.contract.ts runs both through the same suite.
 *
 * A page's text belongs to its master (`imageId`), not to its place: rearranging the pages of a
 * record (PUT …/structure) moves the text with its image.
 */
import type { PageText } from '../domain/page-text.js';
import type { RecordJob } from './catalogue-store.js';

/**
 * `ocr` — an engine's draft; `aligned` — a known transcription laid onto the page;
 * `proofread` — corrected by a person; `verified` — checked by a reviewer (the text is then
 * published with a published record).
 */
export type TextStatus = 'ocr' | 'aligned' | 'proofread' | 'verified';
export const TEXT_STATUSES: readonly TextStatus[] = ['ocr', 'aligned', 'proofread', 'verified'];

export interface StoredPageText {
  censusNumber: string;
  imageId: string;
  status: TextStatus;
  page: PageText;
  /** Starts at 1 and grows by one with every change: the ETag of the page's text. */
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface PageTextChange {
  /** `columns.3` for the fourth column, or `status`. */
  field: string;
  before: string | null;
  after: string | null;
}

export interface PageTextHistoryEntry {
  censusNumber: string;
  imageId: string;
  /** ISO 8601 instant. */
  at: string;
  actor: string;
  action: 'ocr' | 'align' | 'proofread' | 'verify';
  status: TextStatus;
  /** The version this entry produced. */
  version: number;
  changes: PageTextChange[];
  comment: string | null;
  /** The page's text as this version left it, so any version can be read back. */
  page: PageText;
}

export type OcrPageOutcome = 'pending' | 'read' | 'kept' | 'failed';

export interface OcrJobPage {
  sequence: number;
  imageId: string;
  outcome: OcrPageOutcome;
  /** Why the page was kept (a person's text is never overwritten) or failed. */
  reason: string | null;
  /** Characters read (for `read`). */
  chars: number | null;
}

/**
 * A job's life as the other jobs' (catalogue-store.ts JobStatus); an OCR job left unfinished by
 * a stopped process is resumed at the next start from the pages still pending.
 */
export interface OcrJob extends RecordJob {
  reason: string | null;
  pages: OcrJobPage[];
}

export interface PageTextStore {
  get(censusNumber: string, imageId: string): Promise<StoredPageText | null>;
  /** Every page text of the record (any order; the service orders them by page). */
  list(censusNumber: string): Promise<StoredPageText[]>;
  /** The status of every page text of the record, without the text: what a manifest needs. */
  statuses(censusNumber: string): Promise<Pick<StoredPageText, 'imageId' | 'status'>[]>;
  /**
   * Writes the text and appends its history entry, together. `expectedVersion` 0: the page has
   * no text yet; otherwise the stored version must still be it. Throws VersionMismatchError
   * when it is not (someone saved meanwhile).
   */
  save(text: StoredPageText, expectedVersion: number, entry: PageTextHistoryEntry): Promise<void>;
  /** The page's history, oldest first. */
  history(censusNumber: string, imageId: string): Promise<PageTextHistoryEntry[]>;
  saveJob(job: OcrJob): Promise<void>;
  getJob(id: string): Promise<OcrJob | null>;
  /** The record's OCR jobs, newest first, at most `limit`. */
  jobsOf(censusNumber: string, limit: number): Promise<OcrJob[]>;
  /** OCR jobs that have not ended (queued, running or interrupted). */
  unfinishedJobs(): Promise<OcrJob[]>;
  close(): Promise<void>;
}
