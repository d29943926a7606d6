/**
 * The embedded catalogue store: one SQLite file (better-sqlite3) in the data directory, in WAL
 * mode so readers never wait for the writer. Every write is one transaction that includes its
 * history entry, so a failed write leaves neither a record nor an entry behind.
 */
import Database from 'better-sqlite3';
import type { CensusRecord } from '../../domain/census-record.js';
import { recordFacets } from '../../domain/facets.js';
import { AlreadyExistsError, NotFoundError, VersionMismatchError } from '../../domain/errors.js';
import {
  FACET_FILTERS, UNFINISHED,
  type CatalogueStore, type CollectingUnit, type HistoryEntry, type ImportJob, type IngestJob, type JobStore, type Page, type PageStore, type RecordPage, type RecordQuery, type RecordStore,
  type PublicChange, type PublicRecordFilter, type PublicRecordQuery, type PublicRecordState,
  type Session, type SessionStore, type UnitStore, type UserAccount, type UserStore,
} from '../../ports/catalogue-store.js';
import type { StoreSnapshotFacts, StoreSnapshots } from '../../ports/store-snapshot.js';
import { publicChangeOf } from '../public-records.js';
import { openDatabase, type Migration } from './sqlite.js';

// Version 1 of the schema, as the first releases created it (every statement IF NOT EXISTS, since
// files from before migrations were counted hold it already). Never edit it: a change to the
// schema is a new step in MIGRATIONS below, which existing files receive at their next open.
//
// Records are split in two tables: a narrow one with the columns queries filter, sort and count
// by, and one with the JSON documents. Filters and counts then scan ~100-byte rows that stay in
// the page cache instead of multi-kilobyte documents spilling onto overflow pages.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY,
  census_number TEXT NOT NULL UNIQUE,
  unit TEXT NOT NULL,
  status TEXT NOT NULL,
  version INTEGER NOT NULL,
  edition_type TEXT,
  dynasty TEXT,
  division TEXT,
  grade TEXT,
  damage_grade TEXT,
  year_from INTEGER,
  year_to INTEGER,
  updated_at TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS record_docs (
  id INTEGER PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_status ON records (status, census_number);
CREATE INDEX IF NOT EXISTS records_unit ON records (unit, census_number);
CREATE INDEX IF NOT EXISTS records_edition_type ON records (edition_type, census_number);
CREATE INDEX IF NOT EXISTS records_dynasty ON records (dynasty, census_number);
CREATE INDEX IF NOT EXISTS records_division ON records (division, census_number);
CREATE INDEX IF NOT EXISTS records_grade ON records (grade, census_number);
-- Dated records first in either direction: the ORDER BY expressions of list() match these
-- exactly; year_to rides along so that a year range is tested in the index, without the table.
DROP INDEX IF EXISTS records_year_asc;
DROP INDEX IF EXISTS records_year_desc;
CREATE INDEX IF NOT EXISTS records_by_year ON records (year_from IS NULL, year_from, census_number, year_to);
CREATE INDEX IF NOT EXISTS records_by_year_desc ON records (year_from IS NULL, -year_from, census_number, year_to);
CREATE INDEX IF NOT EXISTS records_updated ON records (updated_at, census_number);
CREATE UNIQUE INDEX IF NOT EXISTS records_seq ON records (seq);
CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  census_number TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  version INTEGER NOT NULL,
  comment TEXT,
  changes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS history_record ON history (census_number, id);
CREATE TABLE IF NOT EXISTS pages (
  census_number TEXT NOT NULL,
  image_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (census_number, image_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pages_order ON pages (census_number, sequence);
CREATE INDEX IF NOT EXISTS pages_image ON pages (image_id);
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  doc TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS units (
  province TEXT NOT NULL,
  code TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (province, code)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS users (
  username TEXT PRIMARY KEY,
  doc TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  doc TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at);
`;

/**
 * The schema, step by step (README, Upgrades): a new file runs every step, an existing one the
 * steps after its version, each once, in order, in a transaction (sqlite.ts). Add a step at the
 * end; never change or remove one that has been released. test/integration/migrations.test.ts
 * checks that a version-1 file migrated and a new file end with the same schema.
 */
const FIRST = 'catalogue: records, history, pages, jobs, units, users, sessions';
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: FIRST, up: SCHEMA },
  {
    version: 2,
    name: 'schema_migrations: which steps ran, and when',
    up: `CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT -- null: applied before steps were recorded
);
INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, '${FIRST}', NULL);`,
  },
  {
    version: 3,
    name: 'import jobs kept across restarts; one page per place; sessions by user',
    up: (db) => {
      db.exec(`CREATE TABLE import_jobs (
  id TEXT PRIMARY KEY,
  doc TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (username);`);
      uniquePagePlaces(db);
    },
  },
  {
    version: 4,
    name: 'the public catalogue: each record as last published or withdrawn, and the log of changes',
    up: `CREATE TABLE public_records (
  census_number TEXT PRIMARY KEY,
  datestamp TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  unit TEXT NOT NULL,
  division TEXT,
  digitized INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX public_records_datestamp ON public_records (datestamp);
CREATE INDEX public_records_unit ON public_records (unit, census_number);
CREATE INDEX public_records_division ON public_records (division, census_number);
CREATE TABLE public_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  census_number TEXT NOT NULL,
  datestamp TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  unit TEXT NOT NULL,
  division TEXT,
  digitized INTEGER NOT NULL,
  was_digitized INTEGER NOT NULL
);
CREATE INDEX public_changes_digitized ON public_changes (seq) WHERE digitized OR was_digitized;
-- Records published before this step enter as published at their last update, in that order.
INSERT INTO public_records (census_number, datestamp, deleted, unit, division, digitized)
  SELECT r.census_number, strftime('%Y-%m-%dT%H:%M:%SZ', r.updated_at), 0, r.unit, r.division, ifnull(json_extract(d.doc, '$.pageCount'), 0) > 0
  FROM records r JOIN record_docs d ON d.id = r.id WHERE r.status = 'published';
INSERT INTO public_changes (census_number, datestamp, deleted, unit, division, digitized, was_digitized)
  SELECT census_number, datestamp, 0, unit, division, digitized, 0 FROM public_records ORDER BY datestamp, census_number;`,
  },
  {
    version: 5,
    name: 'page text (OCR, proofreading) with its history; OCR jobs',
    // Read and written by sqlite-page-text-store.ts; in this file so that backups hold it.
    up: `CREATE TABLE page_texts (
  census_number TEXT NOT NULL,
  image_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (census_number, image_id)
) WITHOUT ROWID;
CREATE TABLE page_text_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  census_number TEXT NOT NULL,
  image_id TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX page_text_history_page ON page_text_history (census_number, image_id, id);
CREATE TABLE ocr_jobs (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  doc TEXT NOT NULL
) WITHOUT ROWID;`,
  },
  {
    version: 6,
    name: 'exhibits (展览) and their history',
    // Read and written by sqlite-exhibit-store.ts; in this file so that backups hold it.
    up: `CREATE TABLE exhibits (
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
  {
    version: 7,
    name: 'the log of public changes names the multi-part work of each record',
    // The log did not keep it before: each entry takes the work its record names now (a record
    // moved since is counted in its present work throughout, so every work's count stays whole).
    up: `ALTER TABLE public_changes ADD COLUMN work TEXT;
UPDATE public_changes SET work = (SELECT json_extract(d.doc, '$.fields.partOf.work')
  FROM records r JOIN record_docs d ON d.id = r.id WHERE r.census_number = public_changes.census_number);`,
  },
];

const isUniqueViolation = (e: unknown) =>
  e instanceof Error && 'code' in e && /^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test(String(e.code));

type Row = Record<string, unknown>;

const publicState = (r: Row): PublicRecordState => ({
  censusNumber: r.census_number as string, datestamp: r.datestamp as string, deleted: r.deleted === 1,
  unit: r.unit as string, division: (r.division as string | null) ?? null, digitized: r.digitized === 1,
});

/** The WHERE clause and parameters of a public-records filter. */
function publicWhere(f: PublicRecordFilter & { after?: string }): { clause: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value?: unknown) => {
    where.push(sql);
    if (value !== undefined) params.push(value);
  };
  if (f.after !== undefined) add('census_number > ?', f.after);
  if (f.from !== undefined) add('datestamp >= ?', f.from);
  if (f.until !== undefined) add('datestamp <= ?', f.until);
  if (f.unit !== undefined) add('unit = ?', f.unit);
  if (f.division === true) add('division IS NOT NULL');
  else if (f.division !== undefined) add('division = ?', f.division);
  if (f.deleted !== undefined) add('deleted = ?', f.deleted ? 1 : 0);
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

class SqliteRecordStore implements RecordStore {
  private readonly insertRecord;
  private readonly insertDoc;
  private readonly updateRecord;
  private readonly updateDoc;
  private readonly insertHistory;
  private readonly selectRecord;
  private readonly selectHistory;
  private readonly selectChanges;
  private readonly selectPublic;
  private readonly upsertPublic;
  private readonly insertPublicChange;

  constructor(private readonly db: Database.Database) {
    this.insertRecord = db.prepare(`INSERT INTO records
      (census_number, unit, status, version, edition_type, dynasty, division, grade, damage_grade, year_from, year_to, updated_at, seq)
      VALUES (@censusNumber, @unit, @status, @version, @editionType, @dynasty, @division, @grade, @damageGrade, @yearFrom, @yearTo, @updatedAt,
        (SELECT ifnull(max(seq), 0) + 1 FROM records))`);
    this.insertDoc = db.prepare('INSERT INTO record_docs (id, doc) VALUES (?, ?)');
    this.updateRecord = db.prepare(`UPDATE records SET unit=@unit, status=@status, version=@version,
      edition_type=@editionType, dynasty=@dynasty, division=@division, grade=@grade, damage_grade=@damageGrade,
      year_from=@yearFrom, year_to=@yearTo, updated_at=@updatedAt, seq=(SELECT ifnull(max(seq), 0) + 1 FROM records)
      WHERE census_number=@censusNumber AND version=@expectedVersion RETURNING id`);
    this.updateDoc = db.prepare('UPDATE record_docs SET doc = ? WHERE id = ?');
    this.insertHistory = db.prepare(`INSERT INTO history (census_number, at, actor, action, version, comment, changes)
      VALUES (@censusNumber, @at, @actor, @action, @version, @comment, @changes)`);
    this.selectRecord = db
      .prepare('SELECT d.doc FROM records r JOIN record_docs d ON d.id = r.id WHERE r.census_number = ?')
      .pluck();
    this.selectHistory = db.prepare('SELECT * FROM history WHERE census_number = ? ORDER BY id');
    this.selectChanges = db.prepare(
      'SELECT r.seq, d.doc FROM records r JOIN record_docs d ON d.id = r.id WHERE r.seq > ? ORDER BY r.seq LIMIT ?',
    );
    this.selectPublic = db.prepare('SELECT * FROM public_records WHERE census_number = ?');
    this.upsertPublic = db.prepare(`INSERT INTO public_records (census_number, datestamp, deleted, unit, division, digitized)
      VALUES (@censusNumber, @datestamp, @deleted, @unit, @division, @digitized)
      ON CONFLICT (census_number) DO UPDATE SET datestamp = excluded.datestamp, deleted = excluded.deleted, unit = excluded.unit,
        division = excluded.division, digitized = excluded.digitized`);
    this.insertPublicChange = db.prepare(`INSERT INTO public_changes (census_number, datestamp, deleted, unit, division, work, digitized, was_digitized)
      VALUES (@censusNumber, @datestamp, @deleted, @unit, @division, @work, @digitized, @wasDigitized)`);
  }

  /** Inside the write's transaction: the record's state in the public catalogue, and the change logged. */
  private notePublic(record: CensusRecord, at: string): void {
    const row = this.selectPublic.get(record.fields.censusNumber) as Row | undefined;
    const change = publicChangeOf(record, at, row ? publicState(row) : null);
    if (!change) return;
    const params = { ...change, deleted: change.deleted ? 1 : 0, digitized: change.digitized ? 1 : 0, wasDigitized: change.wasDigitized ? 1 : 0 };
    this.upsertPublic.run(params);
    this.insertPublicChange.run(params);
  }

  private params(record: CensusRecord) {
    return {
      ...recordFacets(record),
      censusNumber: record.fields.censusNumber,
      version: record.version,
      updatedAt: record.updatedAt,
    };
  }

  private historyParams(entry: HistoryEntry) {
    return { ...entry, changes: JSON.stringify(entry.changes) };
  }

  async create(record: CensusRecord, entry: HistoryEntry): Promise<void> {
    try {
      this.db.transaction(() => {
        const { lastInsertRowid } = this.insertRecord.run(this.params(record));
        this.insertDoc.run(lastInsertRowid, JSON.stringify(record));
        this.insertHistory.run(this.historyParams(entry));
        this.notePublic(record, entry.at);
      })();
    } catch (e) {
      if (isUniqueViolation(e)) throw new AlreadyExistsError(`Record ${record.fields.censusNumber}`, 'censusNumber');
      throw e;
    }
  }

  async replace(record: CensusRecord, expectedVersion: number, entry: HistoryEntry): Promise<void> {
    this.db.transaction(() => {
      const updated = this.updateRecord.get({ ...this.params(record), expectedVersion }) as { id: number } | undefined;
      if (!updated) {
        const current = this.selectRecord.get(record.fields.censusNumber) as string | undefined;
        if (current === undefined) throw new NotFoundError(`Record ${record.fields.censusNumber}`);
        throw new VersionMismatchError();
      }
      this.updateDoc.run(JSON.stringify(record), updated.id);
      this.insertHistory.run(this.historyParams(entry));
      this.notePublic(record, entry.at);
    })();
  }

  async get(censusNumber: string): Promise<CensusRecord | null> {
    const doc = this.selectRecord.get(censusNumber) as string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as CensusRecord);
  }

  async list(query: RecordQuery): Promise<RecordPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const f = query.filter;
    let columns = 0;
    const inList = (column: string, values: readonly unknown[] | undefined) => {
      if (!values) return;
      columns += 1;
      if (values.length === 0) {
        where.push('0');
        return;
      }
      where.push(`${column} IN (${values.map(() => '?').join(',')})`);
      params.push(...values);
    };
    for (const key of FACET_FILTERS) inList(key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), f[key]);
    // Each bound of a year range tests its own column (year_to ≥ from, year_from ≤ to).
    columns += (f.yearFrom !== undefined ? 1 : 0) + (f.yearTo !== undefined ? 1 : 0);
    if (f.yearFrom !== undefined) {
      where.push('year_to >= ?');
      params.push(f.yearFrom);
    }
    if (f.yearTo !== undefined) {
      where.push('year_from <= ?');
      params.push(f.yearTo);
    }
    if (f.visibleTo === 'published') {
      where.push("status = 'published'");
      columns += 1;
    } else if (f.visibleTo && typeof f.visibleTo === 'object') {
      where.push("(unit = ? OR status = 'published')");
      params.push(f.visibleTo.unit);
      columns += 2;
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const order = {
      censusNumber: 'census_number ASC',
      '-censusNumber': 'census_number DESC',
      updatedAt: 'updated_at ASC, census_number ASC',
      '-updatedAt': 'updated_at DESC, census_number ASC',
      year: 'year_from IS NULL, year_from, census_number',
      '-year': 'year_from IS NULL, -year_from, census_number',
    }[query.sort];
    // One filter column is counted inside its index. Over several, an index would count by
    // looking up every matching row; a scan of the narrow table is 2-3 times faster
    // (measured by npm run bench).
    const from = columns >= 2 ? 'records NOT INDEXED' : 'records';
    const total = this.db.prepare(`SELECT count(*) FROM ${from} ${clause}`).pluck().get(...params) as number;
    // The page's ids first, from the narrow table; then only those documents.
    const ids = this.db
      .prepare(`SELECT id FROM records ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .pluck()
      .all(...params, query.limit, query.offset) as number[];
    if (ids.length === 0) return { records: [], total };
    const docs = new Map(
      (this.db.prepare(`SELECT id, doc FROM record_docs WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as { id: number; doc: string }[])
        .map((r) => [r.id, r.doc]),
    );
    return { records: ids.map((id) => JSON.parse(docs.get(id)!) as CensusRecord), total };
  }

  async history(censusNumber: string): Promise<HistoryEntry[]> {
    return (this.selectHistory.all(censusNumber) as Row[]).map(historyEntry);
  }

  async latestComments(censusNumbers: string[]): Promise<HistoryEntry[]> {
    if (censusNumbers.length === 0) return [];
    const rows = this.db.prepare(
      `SELECT * FROM history WHERE id IN (SELECT MAX(id) FROM history WHERE comment IS NOT NULL
         AND census_number IN (SELECT value FROM json_each(?)) GROUP BY census_number)`,
    ).all(JSON.stringify(censusNumbers)) as Row[];
    return rows.map(historyEntry);
  }

  async count(): Promise<number> {
    return this.db.prepare('SELECT count(*) FROM records').pluck().get() as number;
  }

  async changesSince(seq: number, limit: number): Promise<{ seq: number; record: CensusRecord }[]> {
    const rows = this.selectChanges.all(seq, limit) as { seq: number; doc: string }[];
    return rows.map((r) => ({ seq: r.seq, record: JSON.parse(r.doc) as CensusRecord }));
  }

  async publicRecords(query: PublicRecordQuery): Promise<PublicRecordState[]> {
    const { clause, params } = publicWhere(query);
    const rows = this.db.prepare(`SELECT * FROM public_records ${clause} ORDER BY census_number LIMIT ? OFFSET ?`)
      .all(...params, query.limit, query.offset ?? 0) as Row[];
    return rows.map(publicState);
  }

  async countPublicRecords(filter: PublicRecordFilter): Promise<number> {
    const { clause, params } = publicWhere(filter);
    return this.db.prepare(`SELECT count(*) FROM public_records ${clause}`).pluck().get(...params) as number;
  }

  async publicRecord(censusNumber: string): Promise<PublicRecordState | null> {
    const row = this.selectPublic.get(censusNumber) as Row | undefined;
    return row ? publicState(row) : null;
  }

  async earliestPublicDatestamp(): Promise<string | null> {
    return (this.db.prepare('SELECT min(datestamp) FROM public_records').pluck().get() as string | null) ?? null;
  }

  async publicChanges(query: { digitized?: boolean; offset: number; limit: number }): Promise<PublicChange[]> {
    const where = query.digitized ? 'WHERE digitized OR was_digitized' : '';
    const rows = this.db.prepare(`SELECT * FROM public_changes ${where} ORDER BY seq LIMIT ? OFFSET ?`).all(query.limit, query.offset) as Row[];
    return rows.map((r) => ({ ...publicState(r), seq: r.seq as number, wasDigitized: r.was_digitized === 1, work: (r.work as string | null) ?? null }));
  }

  async countPublicChanges(query: { digitized?: boolean }): Promise<number> {
    const where = query.digitized ? 'WHERE digitized OR was_digitized' : '';
    return this.db.prepare(`SELECT count(*) FROM public_changes ${where}`).pluck().get() as number;
  }
}

/**
 * One place per page of a record, kept by a unique index. Databases written before it may hold
 * records whose concurrent uploads all took page 1: their pages are renumbered in their order
 * (place, then time of ingest) before the index is made.
 */
function uniquePagePlaces(db: Database.Database): void {
  const clashing = db.prepare('SELECT census_number FROM pages GROUP BY census_number HAVING count(*) > count(DISTINCT sequence)').pluck().all() as string[];
  const update = db.prepare('UPDATE pages SET sequence = ?, doc = ? WHERE census_number = ? AND image_id = ?');
  for (const censusNumber of clashing) {
    const pages = (db.prepare('SELECT doc FROM pages WHERE census_number = ?').pluck().all(censusNumber) as string[])
      .map((d) => JSON.parse(d) as Page)
      .sort((a, b) => a.sequence - b.sequence || a.ingestedAt.localeCompare(b.ingestedAt) || a.imageId.localeCompare(b.imageId));
    // Out of the way first, then into place: no two pages meet on a place on the way.
    pages.forEach((p, i) => update.run(-(i + 1), JSON.stringify(p), censusNumber, p.imageId));
    pages.forEach((p, i) => update.run(i + 1, JSON.stringify({ ...p, sequence: i + 1 }), censusNumber, p.imageId));
  }
  db.exec('DROP INDEX pages_order; CREATE UNIQUE INDEX pages_place ON pages (census_number, sequence);');
}

class SqlitePageStore implements PageStore {
  private readonly insertLast;
  /** Prepared once: every IIIF image request looks its image up (SQLite compiles a statement per prepare). */
  private readonly selectByImage;

  constructor(private readonly db: Database.Database) {
    // One statement, so one write: the place is read and taken under SQLite's write lock, which
    // also serialises other processes (npm run ingest) writing the same file.
    this.insertLast = db.prepare(`INSERT INTO pages (census_number, image_id, sequence, doc)
      SELECT @censusNumber, @imageId, ifnull(max(sequence), 0) + 1, json_set(@doc, '$.sequence', ifnull(max(sequence), 0) + 1)
      FROM pages WHERE census_number = @censusNumber RETURNING doc`).pluck();
    this.selectByImage = db.prepare('SELECT doc FROM pages WHERE image_id = ? ORDER BY census_number').pluck();
  }

  async add(page: Page): Promise<void> {
    try {
      this.db
        .prepare('INSERT INTO pages (census_number, image_id, sequence, doc) VALUES (?, ?, ?, ?)')
        .run(page.censusNumber, page.imageId, page.sequence, JSON.stringify(page));
    } catch (e) {
      if (isUniqueViolation(e) && /sequence/.test((e as Error).message)) {
        throw new AlreadyExistsError(`Page ${page.sequence} of ${page.censusNumber}`, 'sequence');
      }
      if (isUniqueViolation(e)) throw new AlreadyExistsError(`Page ${page.imageId} of ${page.censusNumber}`, 'imageId');
      throw e;
    }
  }

  async append(page: Omit<Page, 'sequence'>): Promise<Page> {
    try {
      return JSON.parse(this.insertLast.get({ censusNumber: page.censusNumber, imageId: page.imageId, doc: JSON.stringify(page) }) as string) as Page;
    } catch (e) {
      if (isUniqueViolation(e)) throw new AlreadyExistsError(`Page ${page.imageId} of ${page.censusNumber}`, 'imageId');
      throw e;
    }
  }

  async tally(): Promise<{ censusNumber: string; pages: number; cover: string }[]> {
    return this.db.prepare(`SELECT census_number AS censusNumber, count(*) AS pages,
      (SELECT image_id FROM pages f WHERE f.census_number = p.census_number ORDER BY sequence LIMIT 1) AS cover
      FROM pages p GROUP BY census_number ORDER BY census_number`).all() as { censusNumber: string; pages: number; cover: string }[];
  }
  async list(censusNumber: string): Promise<Page[]> {
    const docs = this.db.prepare('SELECT doc FROM pages WHERE census_number = ? ORDER BY sequence').pluck().all(censusNumber) as string[];
    return docs.map((d) => JSON.parse(d));
  }
  async byImage(imageId: string): Promise<Page[]> {
    const docs = this.selectByImage.all(imageId) as string[];
    return docs.map((d) => JSON.parse(d));
  }
  async count(): Promise<number> {
    return this.db.prepare('SELECT count(*) FROM pages').pluck().get() as number;
  }
  async arrange(censusNumber: string, pages: Page[]): Promise<void> {
    const update = this.db.prepare('UPDATE pages SET sequence = ?, doc = ? WHERE census_number = ? AND image_id = ?');
    this.db.transaction(() => {
      // Every page out of the way first (places are unique), then each into its new place.
      for (const [i, page] of pages.entries()) {
        if (update.run(-(i + 1), JSON.stringify(page), censusNumber, page.imageId).changes !== 1) {
          throw new NotFoundError(`Page ${page.imageId} of ${censusNumber}`);
        }
      }
      for (const page of pages) update.run(page.sequence, JSON.stringify(page), censusNumber, page.imageId);
    })();
  }
}

class SqliteJobStore implements JobStore {
  constructor(private readonly db: Database.Database) {}
  async save(job: IngestJob): Promise<void> {
    this.db.prepare('INSERT INTO jobs (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc').run(job.id, JSON.stringify(job));
  }
  async get(id: string): Promise<IngestJob | null> {
    const doc = this.db.prepare('SELECT doc FROM jobs WHERE id = ?').pluck().get(id) as string | undefined;
    return doc === undefined ? null : JSON.parse(doc);
  }
  async saveImport(job: ImportJob): Promise<void> {
    this.db.prepare('INSERT INTO import_jobs (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc').run(job.id, JSON.stringify(job));
  }
  async getImport(id: string): Promise<ImportJob | null> {
    const doc = this.db.prepare('SELECT doc FROM import_jobs WHERE id = ?').pluck().get(id) as string | undefined;
    return doc === undefined ? null : JSON.parse(doc);
  }
  async unfinished(): Promise<{ ingests: IngestJob[]; imports: ImportJob[] }> {
    // Read once at start: a scan of the job documents is fine for that.
    const select = (table: string) => (this.db
      .prepare(`SELECT doc FROM ${table} WHERE json_extract(doc, '$.status') IN (${UNFINISHED.map(() => '?').join(',')})`)
      .pluck().all(...UNFINISHED) as string[]).map((d) => JSON.parse(d));
    return { ingests: select('jobs'), imports: select('import_jobs') };
  }
}

/** Units, users and sessions are small documents keyed by their natural keys. */
class SqliteUnitStore implements UnitStore {
  constructor(private readonly db: Database.Database) {}
  async create(unit: CollectingUnit): Promise<void> {
    try {
      this.db.prepare('INSERT INTO units (province, code, doc) VALUES (?, ?, ?)').run(unit.province, unit.code, JSON.stringify(unit));
    } catch (e) {
      if (isUniqueViolation(e)) throw new AlreadyExistsError(`Unit ${unit.province}-${unit.code}`, 'code');
      throw e;
    }
  }
  async get(province: string, code: string): Promise<CollectingUnit | null> {
    const doc = this.db.prepare('SELECT doc FROM units WHERE province = ? AND code = ?').pluck().get(province, code) as string | undefined;
    return doc === undefined ? null : JSON.parse(doc);
  }
  async list(): Promise<CollectingUnit[]> {
    return (this.db.prepare('SELECT doc FROM units ORDER BY province, code').pluck().all() as string[]).map((d) => JSON.parse(d));
  }
  async update(unit: CollectingUnit): Promise<boolean> {
    return this.db.prepare('UPDATE units SET doc = ? WHERE province = ? AND code = ?').run(JSON.stringify(unit), unit.province, unit.code).changes === 1;
  }
}

class SqliteUserStore implements UserStore {
  constructor(private readonly db: Database.Database) {}
  async create(user: UserAccount): Promise<void> {
    try {
      this.db.prepare('INSERT INTO users (username, doc) VALUES (?, ?)').run(user.username, JSON.stringify(user));
    } catch (e) {
      if (isUniqueViolation(e)) throw new AlreadyExistsError(`User ${user.username}`, 'username');
      throw e;
    }
  }
  async get(username: string): Promise<UserAccount | null> {
    const doc = this.db.prepare('SELECT doc FROM users WHERE username = ?').pluck().get(username) as string | undefined;
    return doc === undefined ? null : JSON.parse(doc);
  }
  async list(): Promise<UserAccount[]> {
    return (this.db.prepare('SELECT doc FROM users ORDER BY username').pluck().all() as string[]).map((d) => JSON.parse(d));
  }
  async count(): Promise<number> {
    return this.db.prepare('SELECT count(*) FROM users').pluck().get() as number;
  }
  async update(user: UserAccount): Promise<void> {
    const { changes } = this.db.prepare('UPDATE users SET doc = ? WHERE username = ?').run(JSON.stringify(user), user.username);
    if (changes === 0) throw new NotFoundError(`User ${user.username}`);
  }
}

class SqliteSessionStore implements SessionStore {
  constructor(private readonly db: Database.Database) {}
  async create(session: Session): Promise<void> {
    this.db
      .prepare('INSERT INTO sessions (token_hash, username, expires_at, doc) VALUES (?, ?, ?, ?)')
      .run(session.tokenHash, session.username, session.expiresAt, JSON.stringify(session));
  }
  async get(tokenHash: string): Promise<Session | null> {
    const doc = this.db.prepare('SELECT doc FROM sessions WHERE token_hash = ?').pluck().get(tokenHash) as string | undefined;
    return doc === undefined ? null : JSON.parse(doc);
  }
  async delete(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }
  async deleteByUser(username: string, except?: string): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE username = ? AND token_hash IS NOT ?').run(username, except ?? null).changes;
  }
  async purgeExpired(now: string): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(now).changes;
  }
}

export class SqliteCatalogueStore implements CatalogueStore, StoreSnapshots {
  readonly records: RecordStore;
  readonly pages: PageStore;
  readonly jobs: JobStore;
  readonly units: UnitStore;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly description: string;
  private readonly db: Database.Database;
  private readonly mark: Database.Statement;

  constructor(file: string) {
    this.db = openDatabase(file, MIGRATIONS);
    // total_changes(): rows this connection has written; data_version: changes whenever another
    // connection (another process) has committed (https://www.sqlite.org/pragma.html#pragma_data_version).
    this.mark = this.db.prepare("SELECT total_changes() || '.' || data_version FROM pragma_data_version").pluck();
    this.records = new SqliteRecordStore(this.db);
    this.pages = new SqlitePageStore(this.db);
    this.jobs = new SqliteJobStore(this.db);
    this.units = new SqliteUnitStore(this.db);
    this.users = new SqliteUserStore(this.db);
    this.sessions = new SqliteSessionStore(this.db);
    this.description = `SQLite ${file}`;
  }

  /**
   * VACUUM INTO reads the whole catalogue in one read transaction — a WAL snapshot, so writers
   * (the service, an import) go on meanwhile — and writes a compact copy with its user_version
   * (https://www.sqlite.org/lang_vacuum.html#vacuuminto). The online backup API would restart
   * on every write made by another connection, and may never finish during an import.
   */
  async snapshotTo(file: string): Promise<StoreSnapshotFacts> {
    this.db.prepare('VACUUM INTO ?').run(file);
    const copy = new Database(file, { readonly: true });
    try {
      return {
        schemaVersion: copy.pragma('user_version', { simple: true }) as number,
        records: copy.prepare('SELECT count(*) FROM records').pluck().get() as number,
        seq: copy.prepare('SELECT ifnull(max(seq), 0) FROM records').pluck().get() as number,
      };
    } finally {
      copy.close();
    }
  }

  changeMark(): string {
    return this.mark.get() as string;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

function historyEntry(r: Row): HistoryEntry {
  return {
    censusNumber: r.census_number as string,
    at: r.at as string,
    actor: r.actor as string,
    action: r.action as HistoryEntry['action'],
    version: r.version as number,
    comment: (r.comment as string | null) ?? null,
    changes: JSON.parse(r.changes as string),
  };
}
