/**
 * Page text in the embedded catalogue's SQLite file (its tables are step 4 of sqlite-store.ts
 * MIGRATIONS, so npm run backup's snapshot holds them). A text and its history entry are written
 * in one transaction; the version check is in the same statement as the write.
 */
import type Database from 'better-sqlite3';
import { VersionMismatchError } from '../../domain/errors.js';
import { UNFINISHED } from '../../ports/catalogue-store.js';
import type { OcrJob, PageTextHistoryEntry, PageTextStore, StoredPageText } from '../../ports/page-text-store.js';
import { openDatabase } from './sqlite.js';
import { MIGRATIONS } from './sqlite-store.js';

export class SqlitePageTextStore implements PageTextStore {
  private readonly db: Database.Database;

  /** `file`: the catalogue's file (create-adapters.ts CATALOGUE_FILE); brought up to date on open. */
  constructor(file: string) {
    this.db = openDatabase(file, MIGRATIONS);
  }

  async get(censusNumber: string, imageId: string): Promise<StoredPageText | null> {
    const doc = this.db.prepare('SELECT doc FROM page_texts WHERE census_number = ? AND image_id = ?').pluck().get(censusNumber, imageId) as string | undefined;
    return doc === undefined ? null : JSON.parse(doc);
  }

  async list(censusNumber: string): Promise<StoredPageText[]> {
    return (this.db.prepare('SELECT doc FROM page_texts WHERE census_number = ?').pluck().all(censusNumber) as string[]).map((d) => JSON.parse(d));
  }

  async statuses(censusNumber: string): Promise<Pick<StoredPageText, 'imageId' | 'status'>[]> {
    // The status read inside SQLite: the columns' text never reaches JavaScript.
    return this.db.prepare("SELECT image_id AS imageId, json_extract(doc, '$.status') AS status FROM page_texts WHERE census_number = ?").all(censusNumber) as Pick<StoredPageText, 'imageId' | 'status'>[];
  }

  async save(text: StoredPageText, expectedVersion: number, entry: PageTextHistoryEntry): Promise<void> {
    const doc = JSON.stringify(text);
    const history = JSON.stringify(entry);
    this.db.transaction(() => {
      const written = expectedVersion === 0
        ? this.db.prepare('INSERT INTO page_texts (census_number, image_id, version, doc) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
          .run(text.censusNumber, text.imageId, text.version, doc)
        : this.db.prepare('UPDATE page_texts SET version = ?, doc = ? WHERE census_number = ? AND image_id = ? AND version = ?')
          .run(text.version, doc, text.censusNumber, text.imageId, expectedVersion);
      if (written.changes !== 1) throw new VersionMismatchError();
      this.db.prepare('INSERT INTO page_text_history (census_number, image_id, doc) VALUES (?, ?, ?)').run(entry.censusNumber, entry.imageId, history);
    })();
  }

  async history(censusNumber: string, imageId: string): Promise<PageTextHistoryEntry[]> {
    return (this.db.prepare('SELECT doc FROM page_text_history WHERE census_number = ? AND image_id = ? ORDER BY id').pluck().all(censusNumber, imageId) as string[])
      .map((d) => JSON.parse(d));
  }

  async saveJob(job: OcrJob): Promise<void> {
    this.db.prepare('INSERT INTO ocr_jobs (id, status, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, doc = excluded.doc')
      .run(job.id, job.status, JSON.stringify(job));
  }

  async getJob(id: string): Promise<OcrJob | null> {
    const doc = this.db.prepare('SELECT doc FROM ocr_jobs WHERE id = ?').pluck().get(id) as string | undefined;
    return doc === undefined ? null : JSON.parse(doc);
  }

  async jobsOf(censusNumber: string, limit: number): Promise<OcrJob[]> {
    // The jobs table is small (one row a batch): a scan of its documents is fine.
    return (this.db.prepare(`SELECT doc FROM ocr_jobs WHERE json_extract(doc, '$.censusNumber') = ?
      ORDER BY json_extract(doc, '$.createdAt') DESC, id LIMIT ?`).pluck().all(censusNumber, limit) as string[]).map((d) => JSON.parse(d));
  }

  async unfinishedJobs(): Promise<OcrJob[]> {
    return (this.db.prepare(`SELECT doc FROM ocr_jobs WHERE status IN (${UNFINISHED.map(() => '?').join(',')})`).pluck().all(...UNFINISHED) as string[])
      .map((d) => JSON.parse(d));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
