/**
 * Exhibits in their own SQLite file of the data directory (exhibits.sqlite), beside the
 * catalogue: they refer to records by census number only, and a catalogue restored from a
 * backup leaves them be. Each write is one transaction with its history entry.
 */
import type Database from 'better-sqlite3';
import type { Exhibit, ExhibitHistoryEntry } from '../../domain/exhibit.js';
import { AlreadyExistsError, NotFoundError, VersionMismatchError } from '../../domain/errors.js';
import type { ExhibitQuery, ExhibitStore } from '../../ports/exhibit-store.js';
import { openDatabase, type Migration } from './sqlite.js';

/** The schema step by step, as for the catalogue (sqlite-store.ts): add steps at the end, never edit one. */
export const EXHIBIT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'exhibits and their history',
    up: `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT);
CREATE TABLE exhibits (
  slug TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  doc TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX exhibits_status ON exhibits (status, updated_at);
CREATE INDEX exhibits_updated ON exhibits (updated_at);
CREATE TABLE exhibit_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  slug TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX exhibit_history_slug ON exhibit_history (slug, id);`,
  },
];

export class SqliteExhibitStore implements ExhibitStore {
  readonly description: string;
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(file, EXHIBIT_MIGRATIONS);
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
