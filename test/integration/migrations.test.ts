/**
 * Schema migrations of the embedded store: a file of an older version is brought up to date at
 * open, step by step, keeping its data; a file of a newer version is refused, untouched.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MIGRATIONS, SqliteCatalogueStore } from '../../src/adapters/embedded/sqlite-store.js';
import { migrate, NewerSchemaError } from '../../src/adapters/embedded/sqlite.js';
import { entryOf, recordOf } from '../support/records.js';
import { root, toolEnv } from '../support/data-dir.js';

const V1 = readFileSync(path.join(root, 'test/fixtures/catalogue-schema-v1.sql'), 'utf8');

/** Tables and indexes as SQLite describes them, in a stable order. */
const schemaOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name").all();
  db.close();
  return rows;
};

describe('schema migrations of the SQLite catalogue', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'guji-migrate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A catalogue file as version 1 wrote it, holding one record. */
  function version1File(): string {
    const file = path.join(dir, 'catalogue.sqlite');
    const db = new Database(file);
    db.exec(V1);
    db.pragma('user_version = 1');
    const record = recordOf('430000-0001-0000001', { titleStatement: '通書類聚四卷' });
    const { lastInsertRowid } = db
      .prepare("INSERT INTO records (census_number, unit, status, version, updated_at, seq) VALUES (?, '430000-0001', 'draft', 1, ?, 1)")
      .run(record.fields.censusNumber, record.updatedAt);
    db.prepare('INSERT INTO record_docs (id, doc) VALUES (?, ?)').run(lastInsertRowid, JSON.stringify(record));
    db.close();
    return file;
  }

  it('brings a version-1 file to the last version at open, keeping its records, and records the steps', async () => {
    const file = version1File();
    const store = new SqliteCatalogueStore(file);
    try {
      const record = await store.records.get('430000-0001-0000001');
      expect(record?.fields.titleStatement).to.equal('通書類聚四卷');
      // And it takes writes in the new schema.
      const next = recordOf('430000-0001-0000002');
      await store.records.create(next, entryOf(next));
      expect(await store.records.count()).to.equal(2);
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).to.equal(MIGRATIONS.length);
    const steps = db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as { version: number; applied_at: string | null }[];
    db.close();
    expect(steps.map((s) => s.version)).to.deep.equal(MIGRATIONS.map((m) => m.version));
    expect(steps[0]!.applied_at, 'version 1 ran before steps were recorded').to.equal(null);
    expect(steps.slice(1).every((s) => s.applied_at !== null)).to.equal(true);

    // Migrated and new files end with the same schema: a change made to version 1's SQL instead
    // of as a new step would reach new files only, and fails here.
    const fresh = path.join(dir, 'fresh.sqlite');
    await new SqliteCatalogueStore(fresh).close();
    expect(schemaOf(file)).to.deep.equal(schemaOf(fresh));
    const db2 = new Database(fresh, { readonly: true });
    expect((db2.prepare('SELECT applied_at FROM schema_migrations').pluck().all() as unknown[]).every((a) => a !== null)).to.equal(true);
    db2.close();
  });

  it('runs a step once: opening again changes nothing', async () => {
    const file = version1File();
    await new SqliteCatalogueStore(file).close();
    const steps = () => {
      const db = new Database(file, { readonly: true });
      const rows = db.prepare('SELECT * FROM schema_migrations').all();
      db.close();
      return rows;
    };
    const before = steps();
    await new SqliteCatalogueStore(file).close();
    expect(steps()).to.deep.equal(before);
  });

  it('leaves a file at the version before a step that fails, with nothing of that step', () => {
    const file = path.join(dir, 'steps.sqlite');
    const db = new Database(file);
    const steps = [
      { version: 1, name: 'one', up: 'CREATE TABLE one (a)' },
      { version: 2, name: 'two', up: 'CREATE TABLE two (a); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => migrate(db, file, steps)).to.throw(/no such table: nowhere/);
    expect(db.pragma('user_version', { simple: true })).to.equal(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).to.deep.equal(['one']);
    db.close();
  });

  it('refuses a file of a newer version, with a clear message, and leaves it untouched', () => {
    const file = version1File();
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new SqliteCatalogueStore(file))
      .to.throw(NewerSchemaError, new RegExp(`schema version ${MIGRATIONS.length + 1}, written by a newer guji; this one knows versions up to ${MIGRATIONS.length}`));
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).to.equal(MIGRATIONS.length + 1);
    expect(after.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'").pluck().get()).to.equal(0);
    after.close();

    // The service does not start on it, and says why.
    const started = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { ...toolEnv(dir), PORT: '0' }, encoding: 'utf8', timeout: 60_000 });
    expect(started.status).to.equal(1);
    expect(started.stderr).to.include('written by a newer guji');
  });
});
