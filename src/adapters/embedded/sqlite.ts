/** Opens an SQLite file of the data directory the way every embedded adapter needs it. */
import Database from 'better-sqlite3';

export function openDatabase(file: string, schema: string): Database.Database {
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
  db.exec(schema);
  // Keeps the planner's statistics current for a long-lived connection
  // (https://www.sqlite.org/pragma.html#pragma_optimize).
  db.pragma('optimize = 0x10002');
  return db;
}
