/** Opens an SQLite file of the data directory the way every embedded adapter needs it. */
import Database from 'better-sqlite3';

/**
 * One step of a schema, applied once: `version` numbers the steps from 1 with no gap; `up` is
 * SQL, or a function for what SQL alone cannot say (a rewrite of documents).
 */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database.Database) => void);
}

/** A database written by a newer version of guji than this one: it is not opened. */
export class NewerSchemaError extends Error {
  constructor(file: string, found: number, known: number) {
    super(
      `${file} has schema version ${found}, written by a newer guji; this one knows versions up to ${known}. ` +
        'Run the newer guji, or restore a backup taken before the upgrade (README, Upgrades).',
    );
    this.name = 'NewerSchemaError';
  }
}

/**
 * Without `migrations` the caller keeps its own layout (the search index, which is rebuilt
 * rather than migrated, and uses user_version for its layout version).
 */
export function openDatabase(file: string, migrations?: readonly Migration[]): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable in WAL mode across application crashes; only a power loss may lose the
  // last transactions (https://www.sqlite.org/pragma.html#pragma_synchronous).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Another process (npm run reindex, an import) may hold the write lock for a moment.
  db.pragma('busy_timeout = 10000');
  // A 64 MiB page cache and memory-mapped reads keep a large catalogue's hot pages in memory
  // instead of re-reading them through system calls on every query.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  try {
    if (migrations) migrate(db, file, migrations);
  } catch (e) {
    db.close();
    throw e;
  }
  // Keeps the planner's statistics current for a long-lived connection
  // (https://www.sqlite.org/pragma.html#pragma_optimize).
  db.pragma('optimize = 0x10002');
  return db;
}

/**
 * Brings the file up to the last migration: the schema version is SQLite's user_version (in the
 * file's header, written in the same transaction as the step), so each step runs exactly once,
 * in order, and a step that fails leaves the file at the version before it. Each step is also
 * recorded in schema_migrations (once that table exists) with when it ran, for operators.
 */
export function migrate(db: Database.Database, file: string, migrations: readonly Migration[]): void {
  const latest = migrations.length;
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} is numbered ${m.version}; expected ${i + 1}`);
  });
  const version = () => db.pragma('user_version', { simple: true }) as number;
  const found = version();
  if (found > latest) throw new NewerSchemaError(file, found, latest);
  // Steps run before schema_migrations existed (a new file's first ones) are recorded with it.
  let unrecorded: Migration[] = [];
  for (const m of migrations.slice(found)) {
    // IMMEDIATE: two processes opening an old file at once take turns, and the second finds the
    // step done (busy_timeout makes it wait).
    db.transaction(() => {
      if (version() >= m.version) return;
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      const recorded = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
      unrecorded.push(m);
      if (recorded) {
        const record = db.prepare('INSERT OR REPLACE INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
        for (const r of unrecorded) record.run(r.version, r.name, new Date().toISOString());
        unrecorded = [];
      }
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
