/**
 * Exhibits in the catalogue's SQLite file (its tables are a step of the catalogue's migrations,
 * sqlite-store.ts), so that a backup holds them with the records they show. They refer to
 * records by census number only. Each write is one transaction with its history entry.
 */
import type Database from 'better-sqlite3';
import type { Exhibit, ExhibitHistoryEntry } from '../../domain/exhibit.js';
import { AlreadyExistsError, NotFoundError, VersionMismatchError } from '../../domain/errors.js';
import type { ExhibitQuery, ExhibitStore } from '../../ports/exhibit-store.js';
import { MIGRATIONS } from './sqlite-store.js';
import { openDatabase } from './sqlite.js';

export class SqliteExhibitStore implements ExhibitStore {
  readonly description: string;
  private readonly db: Database.Database;

  /** `file`: the catalogue's file (create-adapters.ts CATALOGUE_FILE); brought up to date on open. */
  constructor(file: string) {
    this.db = openDatabase(file, MIGRATIONS);
    this.description = `SQLite ${file}`;
  }

  private readonly history_ = (entry: ExhibitHistoryEntry) =>
    this.db.prepare('INSERT INTO exhibit_history (slug, doc) VALUES (?, ?)').run(entry.slug, JSON.stringify(entry));

  async create(exhibit: Exhibit, entry: ExhibitHistoryEntry): Promise<void> {
    try {
      this.db.transaction(() => {
        this.db.prepare('INSERT INTO exhibits (slug, status, version, updated_at, doc) VALUES (?, ?, ?, ?, ?)')
          .run(exhibit.slug, exhibit.status, exhibit.version, exhibit.updatedAt, JSON.stringify(exhibit));
        this.history_(entry);
      })();
    } catch (e) {
      if (e instanceof Error && 'code' in e && String(e.code).startsWith('SQLITE_CONSTRAINT')) throw new AlreadyExistsError(`Exhibit ${exhibit.slug}`, 'slug');
      throw e;
    }
  }

  async get(slug: string): Promise<Exhibit | null> {
    const doc = this.db.prepare('SELECT doc FROM exhibits WHERE slug = ?').pluck().get(slug) as string | undefined;
    return doc ? (JSON.parse(doc) as Exhibit) : null;
  }

  async replace(exhibit: Exhibit, expectedVersion: number, entry: ExhibitHistoryEntry): Promise<void> {
    this.db.transaction(() => {
      const { changes } = this.db.prepare('UPDATE exhibits SET status = ?, version = ?, updated_at = ?, doc = ? WHERE slug = ? AND version = ?')
        .run(exhibit.status, exhibit.version, exhibit.updatedAt, JSON.stringify(exhibit), exhibit.slug, expectedVersion);
      if (changes === 0) {
        const found = this.db.prepare('SELECT version FROM exhibits WHERE slug = ?').pluck().get(exhibit.slug);
        throw found === undefined ? new NotFoundError(`Exhibit ${exhibit.slug}`) : new VersionMismatchError(`"v${found}"`);
      }
      this.history_(entry);
    })();
  }

  async history(slug: string): Promise<ExhibitHistoryEntry[]> {
    return (this.db.prepare('SELECT doc FROM exhibit_history WHERE slug = ? ORDER BY id').pluck().all(slug) as string[]).map((d) => JSON.parse(d));
  }

  async list(query: ExhibitQuery): Promise<{ exhibits: Exhibit[]; total: number }> {
    const statuses = query.statuses ?? null;
    const where = statuses ? `WHERE status IN (${statuses.map(() => '?').join(', ')})` : '';
    const args = statuses ?? [];
    const total = this.db.prepare(`SELECT count(*) FROM exhibits ${where}`).pluck().get(...args) as number;
    const docs = this.db.prepare(`SELECT doc FROM exhibits ${where} ORDER BY updated_at DESC, slug LIMIT ? OFFSET ?`).pluck()
      .all(...args, query.limit, query.offset) as string[];
    return { exhibits: docs.map((d) => JSON.parse(d) as Exhibit), total };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
