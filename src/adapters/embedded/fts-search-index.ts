/**
 * The embedded search index: SQLite FTS5 in its own file in the data directory, so it survives
 * restarts without a rebuild. Text is folded and cut one CJK character per token
 * (src/domain/search-text.ts) and every query is a phrase query, which gives Chinese substring
 * matching with recall 1.0 (docs/SEARCH.md). The FTS table is contentless: the records
 * themselves live in the catalogue store.
 *
 * FTS5 finds the matching rows fast; what is slow in SQL is everything per match afterwards
 * (joining each match to its facets costs ~0.5 µs a row, a GROUP BY per facet more). So the
 * facet values, years and census-number order of every document are also kept here in typed
 * arrays indexed by row id — about 30 bytes a document — and filters, totals, facet counts and
 * the choice of the page run over the matched row ids in one pass. Each ranking tier (title,
 * persons, edition, other) has its own FTS5 table, so the table that answered gives the tier;
 * one more lookup from the first token of the title proper tells exact and prefix titles apart.
 */
import type Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { indexText, queryPhrases, type QueryPhrase } from '../../domain/search-text.js';
import {
  FACETS, SEARCH_DOCUMENT_VERSION, type FacetCount, type FacetName, type SearchDocument, type SearchIndex, type SearchQuery, type SearchResult,
} from '../../ports/search-index.js';
import { openDatabase } from './sqlite.js';

/**
 * One FTS5 table per ranking tier. A phrase is looked up once in each, so which table answered
 * is the tier of the match, without a second pass over the same doclists.
 */
const TIERS = ['title', 'persons', 'edition', 'other'] as const;

const SCHEMA = `
-- Facet values are stored as small integer codes (facet_values), so that loading the columns
-- into memory reads integers only.
CREATE TABLE IF NOT EXISTS docs (
  id INTEGER PRIMARY KEY,
  census_number TEXT NOT NULL UNIQUE,
  key INTEGER NOT NULL,
  proper_length INTEGER NOT NULL,
  ${FACETS.map((_, i) => `f${i} INTEGER`).join(', ')},
  year_from INTEGER, year_to INTEGER, base_year_from INTEGER, base_year_to INTEGER,
  generation INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_generation ON docs (generation);
CREATE TABLE IF NOT EXISTS facet_values (
  facet INTEGER NOT NULL,
  code INTEGER NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (facet, code)
) WITHOUT ROWID;
${TIERS.map(
  (t) => `CREATE VIRTUAL TABLE IF NOT EXISTS fts_${t} USING fts5(
  ${t === 'title' ? 'proper, title' : 'text'},
  content = '', contentless_delete = 1, prefix = '1',
  tokenize = "unicode61 remove_diacritics 0 tokenchars '□'"
);`,
).join('\n')}
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
-- The in-memory columns as they were at some generation, so that a start reads a few blobs and
-- the documents written since, instead of every row of docs.
CREATE TABLE IF NOT EXISTS snapshot (name TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
`;

/**
 * The index is rebuildable from the store: a file written by another layout is emptied and
 * refilled (its sequence starts again at 0, so the indexer's catch-up at start indexes every
 * record again), never misread.
 */
const LAYOUT_VERSION = 6;

/**
 * What the layout is made of, recorded in the file (meta 'layout'): the version above, the facet
 * set (column f<i> holds FACETS[i]), the schema itself and SEARCH_DOCUMENT_VERSION (documents
 * made another way, such as a century facet computed differently, are made again). A new facet changes it without anyone
 * remembering to raise LAYOUT_VERSION — a file built before it once crashed the service at open
 * ("table docs has no column named f10"); now it is rebuilt.
 */
export const layoutOf = (documentVersion: number): string =>
  createHash('sha256').update(`${LAYOUT_VERSION}\n${documentVersion}\n${FACETS.join(',')}\n${SCHEMA}`).digest('hex').slice(0, 16);
const LAYOUT = layoutOf(SEARCH_DOCUMENT_VERSION);

/** Column f<i> of docs holds the code of FACETS[i]. */
const FACET_COLUMNS = FACETS.map((_, i) => `f${i}`);
const NO_YEAR = -32768;

/** Written after the last character of a run of Chinese characters (a private-use character). */
const RUN_END = '\uE001';
const CHINESE = /^[\p{Script=Han}\u3007□]$/u;

/**
 * The tokens this index stores for the text's tokens (search-text.ts cuts one a character):
 * each run of Chinese characters becomes its overlapping pairs — 通書類聚 → 通書 書類 類聚 — and
 * its last character marked as the end of the run (聚\uE001). A query of two characters then
 * reads one doclist instead of merging two long ones by position, and longer ones a phrase of
 * pairs; one character is a prefix query (通*), which the one-character prefix index answers
 * from a single doclist. In a query, a run that other tokens follow must end there (the mark);
 * a run that ends the query may go on in the text.
 */
export function pairTokens(tokens: readonly string[], query: boolean): { tokens: string[]; prefix: boolean } {
  const out: string[] = [];
  let prefix = false;
  for (let i = 0; i < tokens.length; i++) {
    if (!CHINESE.test(tokens[i]!)) {
      out.push(tokens[i]!);
      continue;
    }
    let j = i;
    while (j + 1 < tokens.length && CHINESE.test(tokens[j + 1]!)) j += 1;
    for (let k = i; k < j; k++) out.push(tokens[k]! + tokens[k + 1]!);
    const last = j === tokens.length - 1;
    if (!query || !last) out.push(tokens[j]! + RUN_END);
    else if (i === j) {
      out.push(tokens[j]!);
      prefix = true;
    }
    i = j;
  }
  return { tokens: out, prefix };
}

/** What the index stores for text as search-text.ts cuts it. */
const stored = (indexed: string) => (indexed ? pairTokens(indexed.split(' '), false).tokens.join(' ') : '');

/** FTS5 string literal: a phrase in double quotes, quotes doubled, `*` for a prefix. */
const literal = (p: QueryPhrase) => {
  const { tokens, prefix } = pairTokens(p.tokens, true);
  return `"${tokens.map((t) => t.replace(/"/g, '""')).join(' ')}"${prefix || p.prefix ? '*' : ''}`;
};

/** The census number as a number (PP UUUU NNNNNNN, 13 digits): its order is the census order. */
const censusKey = (cn: string) => Number(cn.slice(0, 2) + cn.slice(7, 11) + cn.slice(12));

/**
 * A phrase that matches many documents, remembered as the best tier it matched each document in
 * (3 + tier; 0 where it is absent), as of a generation of the file.
 */
interface HotPhrase {
  tiers: Uint8Array;
  generation: number;
}

/** Beyond this many documents written since a hot phrase was remembered, it is read again. */
const HOT_PATCH_LIMIT = 256;

/** Per-document values kept in memory, indexed by row id. */
class Columns {
  /** What of the file this memory reflects: its epoch (changed by clear) and last generation read. */
  epoch = '';
  generation = 0;
  size = 0;
  present = new Uint8Array(0);
  key = new Float64Array(0);
  properLength = new Uint8Array(0);
  yearFrom = new Int16Array(0);
  yearTo = new Int16Array(0);
  baseYearFrom = new Int16Array(0);
  baseYearTo = new Int16Array(0);
  codes: Uint16Array[] = FACETS.map(() => new Uint16Array(0));
  private work = new Uint8Array(0);
  /** Per facet: code → value (code 0 is null) and value → code. */
  values: string[][] = FACETS.map(() => ['']);
  codeOf: Map<string, number>[] = FACETS.map(() => new Map());
  /** Hot phrases by their FTS5 query, least recently used first, and the bytes they hold. */
  hot = new Map<string, HotPhrase>();
  hotBytes = 0;

  /** The typed arrays, by name, as a snapshot stores them. */
  arrays(): [string, Uint8Array | Int16Array | Uint16Array | Float64Array][] {
    return [
      ['present', this.present], ['key', this.key], ['properLength', this.properLength], ['yearFrom', this.yearFrom], ['yearTo', this.yearTo],
      ['baseYearFrom', this.baseYearFrom], ['baseYearTo', this.baseYearTo],
      ...this.codes.map((c, f) => [`f${f}`, c] as [string, Uint16Array]),
    ];
  }

  /** Takes the arrays of a snapshot of `size` documents (as arrays() named them). */
  restore(size: number, blobs: Map<string, Buffer>): void {
    const take = <T extends Uint8Array | Int16Array | Uint16Array | Float64Array>(name: string, make: (n: number) => T): T => {
      const blob = blobs.get(name)!;
      const array = make(size);
      new Uint8Array(array.buffer).set(blob);
      return array;
    };
    this.size = size;
    this.present = take('present', (n) => new Uint8Array(n));
    this.key = take('key', (n) => new Float64Array(n));
    this.properLength = take('properLength', (n) => new Uint8Array(n));
    this.yearFrom = take('yearFrom', (n) => new Int16Array(n));
    this.yearTo = take('yearTo', (n) => new Int16Array(n));
    this.baseYearFrom = take('baseYearFrom', (n) => new Int16Array(n));
    this.baseYearTo = take('baseYearTo', (n) => new Int16Array(n));
    this.codes = this.codes.map((_, f) => take(`f${f}`, (n) => new Uint16Array(n)));
  }

  ensure(id: number): void {
    if (id < this.size) return;
    let size = Math.max(1024, this.size);
    while (size <= id) size *= 2;
    const grow = <T extends Uint8Array | Int16Array | Uint16Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.present = grow(this.present, (n) => new Uint8Array(n));
    this.key = grow(this.key, (n) => new Float64Array(n));
    this.properLength = grow(this.properLength, (n) => new Uint8Array(n));
    this.yearFrom = grow(this.yearFrom, (n) => new Int16Array(n).fill(NO_YEAR));
    this.yearTo = grow(this.yearTo, (n) => new Int16Array(n).fill(NO_YEAR));
    this.baseYearFrom = grow(this.baseYearFrom, (n) => new Int16Array(n).fill(NO_YEAR));
    this.baseYearTo = grow(this.baseYearTo, (n) => new Int16Array(n).fill(NO_YEAR));
    this.codes = this.codes.map((c) => grow(c, (n) => new Uint16Array(n)));
    this.size = size;
  }

  /** A zeroed byte per document for a search to mark with; the search zeroes what it marked. */
  scratch(): Uint8Array {
    if (this.work.length !== this.size) this.work = new Uint8Array(this.size);
    return this.work;
  }

  /** The code of a facet value; a value seen for the first time gets the next code. */
  code(facet: number, value: string | null, onNew: (code: number) => void): number {
    if (value === null) return 0;
    let code = this.codeOf[facet]!.get(value);
    if (code === undefined) {
      code = this.values[facet]!.length;
      this.define(facet, code, value);
      onNew(code);
    }
    return code;
  }

  define(facet: number, code: number, value: string): void {
    this.values[facet]![code] = value;
    this.codeOf[facet]!.set(value, code);
  }

  /** row: [id, key, properLength, f0 … f10, yearFrom, yearTo, baseYearFrom, baseYearTo] as stored. */
  set(row: (number | null)[]): void {
    const id = row[0]!;
    this.ensure(id);
    this.present[id] = 1;
    this.key[id] = row[1]!;
    this.properLength[id] = Math.min(255, row[2]!);
    for (let f = 0; f < FACETS.length; f++) this.codes[f]![id] = row[3 + f] ?? 0;
    this.yearFrom[id] = row[3 + FACETS.length] ?? NO_YEAR;
    this.yearTo[id] = row[4 + FACETS.length] ?? NO_YEAR;
    this.baseYearFrom[id] = row[5 + FACETS.length] ?? NO_YEAR;
    this.baseYearTo[id] = row[6 + FACETS.length] ?? NO_YEAR;
  }
}

/** Keeps the k smallest items by a comparator (a bounded max-heap), for the page. */
function smallest(ids: Iterable<number>, k: number, less: (a: number, b: number) => boolean): number[] {
  const heap: number[] = [];
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[p]!, heap[i]!)) break;
      [heap[p], heap[i]] = [heap[i]!, heap[p]!];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[m]!, heap[l]!)) m = l;
      if (r < heap.length && less(heap[m]!, heap[r]!)) m = r;
      if (m === i) return;
      [heap[m], heap[i]] = [heap[i]!, heap[m]!];
      i = m;
    }
  };
  if (k <= 0) return [];
  for (const id of ids) {
    if (heap.length < k) {
      heap.push(id);
      up(heap.length - 1);
    } else if (less(id, heap[0]!)) {
      heap[0] = id;
      down(0);
    }
  }
  return heap.sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
}

export class FtsSearchIndex implements SearchIndex {
  readonly description: string;
  /** Whether opening found an index of another layout and emptied it (the indexer refills it). */
  readonly rebuilt: boolean;
  private readonly db: Database.Database;
  private columns: Columns | null = null;
  private readonly statements;
  /** The most memory hot phrases may hold (0: none are remembered). */
  private readonly hotBytes: number;
  /**
   * Phrases matching at least this many documents, and at least 1/64 of them (a hot phrase costs
   * a byte per document), are remembered: reading their doclists again is what made the slowest
   * queries slow (a character or a pair found in most records: 本, 刻本, 普通古籍).
   */
  private readonly hotMinMatches: number;

  constructor(file: string, options: { hotPhraseBytes?: number; hotPhraseMinMatches?: number } = {}) {
    this.hotBytes = options.hotPhraseBytes ?? 64 * 2 ** 20;
    this.hotMinMatches = options.hotPhraseMinMatches ?? 10_000;
    this.db = openDatabase(file);
    this.rebuilt = this.ensureLayout();
    const columns = ['key', 'proper_length', ...FACET_COLUMNS, 'year_from', 'year_to', 'base_year_from', 'base_year_to'];
    const placeholders = columns.map(() => '?').join(', ');
    this.statements = {
      findId: this.db.prepare('SELECT id FROM docs WHERE census_number = ?').pluck(),
      insertDoc: this.db.prepare(`INSERT INTO docs (census_number, ${columns.join(', ')}, generation) VALUES (?, ${placeholders}, ?)`),
      updateDoc: this.db.prepare(`UPDATE docs SET (${columns.join(', ')}, generation) = (${placeholders}, ?) WHERE id = ?`),
      getMeta: this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      docsSince: this.db.prepare(`SELECT id, ${columns.join(', ')} FROM docs WHERE generation > ?`).raw(),
      insertValue: this.db.prepare('INSERT INTO facet_values (facet, code, value) VALUES (?, ?, ?)'),
      deleteFts: TIERS.map((t) => this.db.prepare(`DELETE FROM fts_${t} WHERE rowid = ?`)),
      insertTitle: this.db.prepare('INSERT INTO fts_title (rowid, proper, title) VALUES (?, ?, ?)'),
      // The title table is written by insertTitle; the others hold one text column.
      insertText: TIERS.map((t) => (t === 'title' ? null : this.db.prepare(`INSERT INTO fts_${t} (rowid, text) VALUES (?, ?)`))),
      // One JSON array per lookup: better-sqlite3 hands rows over one at a time (~110 ns each),
      // while SQLite builds the array and V8 parses it in well under half that.
      match: TIERS.map((t) => this.db.prepare(`SELECT json_group_array(rowid) FROM fts_${t} WHERE fts_${t} MATCH ?`).pluck()),
      // A range, not `rowid = ?`: with a MATCH, FTS5 (SQLite 3.53.2, as better-sqlite3 12 builds
      // it) answers `rowid = ?` and `rowid IN (?)` with the first matching row, whatever its rowid.
      // Its range constraints seek in the doclist and are exact (test/contract/search-index.test.ts).
      matchOne: TIERS.map((t) => this.db.prepare(`SELECT 1 FROM fts_${t} WHERE fts_${t} MATCH @query AND rowid BETWEEN @id AND @id`).pluck()),
      changedSince: this.db.prepare('SELECT id FROM docs WHERE generation > ? LIMIT ?').pluck(),
      allValues: this.db.prepare('SELECT facet, code, value FROM facet_values'),
      allDocs: this.db.prepare(`SELECT id, ${columns.join(', ')} FROM docs`).raw(),
      snapshotBlob: this.db.prepare('INSERT INTO snapshot (name, data) VALUES (?, ?)'),
      snapshotBlobs: this.db.prepare('SELECT name, data FROM snapshot'),
    };
    this.description = `SQLite FTS5 ${file}`;
  }

  /**
   * Empties a file written with another layout and creates this one, in one transaction (another
   * process opening the same file meanwhile waits, then finds the layout made). Returns whether
   * a file holding an index was emptied.
   */
  private ensureLayout(): boolean {
    const tables = () => this.db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).all() as { name: string; sql: string }[];
    const layout = () =>
      tables().some((t) => t.name === 'meta') ? (this.db.prepare("SELECT value FROM meta WHERE key = 'layout'").pluck().get() as string | undefined) : undefined;
    if (layout() === LAYOUT) return false;
    return this.db.transaction(() => {
      if (layout() === LAYOUT) return false;
      const found = tables();
      // Virtual tables first: dropping one drops its shadow tables.
      for (const t of found.filter((t) => t.sql.startsWith('CREATE VIRTUAL TABLE'))) this.db.exec(`DROP TABLE IF EXISTS "${t.name}"`);
      for (const t of found) this.db.exec(`DROP TABLE IF EXISTS "${t.name}"`);
      this.db.exec(SCHEMA);
      this.db.prepare("INSERT INTO meta (key, value) VALUES ('layout', ?)").run(LAYOUT);
      this.db.pragma(`user_version = ${LAYOUT_VERSION}`);
      return found.length > 0;
    }).immediate();
  }

  /**
   * The in-memory columns, read from the docs table on first use. The search worker calls this
   * as soon as it starts, so the service listens at once and the first search finds them loaded.
   */
  warm(): Columns {
    if (this.columns) return this.columns;
    const columns = new Columns();
    columns.epoch = this.epoch();
    for (const v of this.statements.allValues.all() as { facet: number; code: number; value: string }[]) columns.define(v.facet, v.code, v.value);
    const snapshot = this.statements.getMeta.get('snapshot') as string | undefined;
    const taken = snapshot ? (JSON.parse(snapshot) as { epoch: string; generation: number; size: number; facets: number }) : null;
    if (taken && taken.epoch === columns.epoch && taken.facets === FACETS.length) {
      const blobs = new Map((this.statements.snapshotBlobs.all() as { name: string; data: Buffer }[]).map((b) => [b.name, b.data]));
      columns.restore(taken.size, blobs);
      columns.generation = taken.generation;
      this.columns = columns;
      // Then what was written since the snapshot, as fresh() reads other processes' writes.
      return this.fresh();
    }
    columns.generation = this.generation();
    for (const row of this.statements.allDocs.iterate() as IterableIterator<(number | null)[]>) columns.set(row);
    this.columns = columns;
    this.snapshot();
    return columns;
  }

  /**
   * Saves the columns for the next start. After a full read, and at close when documents were
   * written since the last one; a start after a crash reads the documents written since the
   * snapshot it finds, so a stale snapshot costs time, never correctness.
   */
  private snapshot(): void {
    const c = this.columns;
    if (!c || c.size === 0) return;
    this.db.transaction(() => {
      this.db.exec('DELETE FROM snapshot');
      for (const [name, array] of c.arrays()) this.statements.snapshotBlob.run(name, Buffer.from(array.buffer, array.byteOffset, array.byteLength));
      this.statements.setMeta.run('snapshot', JSON.stringify({ epoch: c.epoch, generation: c.generation, size: c.size, facets: FACETS.length }));
    })();
  }

  private epoch(): string {
    let epoch = this.statements.getMeta.get('epoch') as string | undefined;
    if (epoch === undefined) {
      epoch = randomUUID();
      this.statements.setMeta.run('epoch', epoch);
    }
    return epoch;
  }

  private generation(): number {
    return (this.statements.getMeta.get('generation') as number | undefined) ?? 0;
  }

  /**
   * The columns, brought up to date with what other processes (npm run ingest, npm run
   * reindex) wrote to the file since they were read: a cleared file is read again whole; newer
   * generations of documents are read by themselves.
   */
  private fresh(): Columns {
    const c = this.warm();
    if (this.epoch() !== c.epoch) {
      this.columns = null;
      return this.warm();
    }
    const generation = this.generation();
    if (generation > c.generation) {
      for (const v of this.statements.allValues.all() as { facet: number; code: number; value: string }[]) c.define(v.facet, v.code, v.value);
      for (const row of this.statements.docsSince.iterate(c.generation) as IterableIterator<(number | null)[]>) c.set(row);
      c.generation = generation;
    }
    return c;
  }

  async upsert(documents: SearchDocument[], seq: number): Promise<void> {
    const rows: (number | null)[][] = [];
    let c: Columns;
    try {
      // IMMEDIATE takes the write lock first, so the columns read next are the latest.
      this.db.transaction(() => {
        c = this.fresh();
        const generation = c.generation + 1;
        for (const doc of documents) {
          const proper = indexText(doc.titleProper);
          const codes = FACETS.map((facet, f) => {
            const value = doc.facets[facet];
            return c.code(f, value, (code) => this.statements.insertValue.run(f, code, value));
          });
          const values = [censusKey(doc.censusNumber), proper ? proper.split(' ').length : 0, ...codes, doc.yearFrom, doc.yearTo, doc.baseYearFrom, doc.baseYearTo];
          let id = this.statements.findId.get(doc.censusNumber) as number | undefined;
          if (id === undefined) {
            id = Number(this.statements.insertDoc.run(doc.censusNumber, ...values, generation).lastInsertRowid);
          } else {
            this.statements.updateDoc.run(...values, generation, id);
            for (const statement of this.statements.deleteFts) statement.run(id);
          }
          this.statements.insertTitle.run(id, stored(proper), stored(indexText(doc.text.title)));
          TIERS.forEach((tier, i) => {
            const text = this.statements.insertText[i] && stored(indexText(doc.text[tier]));
            if (text) this.statements.insertText[i]!.run(id, text);
          });
          rows.push([id, ...values]);
        }
        this.statements.setMeta.run('seq', seq);
        this.statements.setMeta.run('generation', generation);
      }).immediate();
    } catch (e) {
      // The transaction rolled back: so must the codes it handed out.
      this.columns = null;
      throw e;
    }
    // Only after the commit: memory never shows what the file does not hold.
    for (const row of rows) c!.set(row);
    c!.generation += 1;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const c = this.fresh();
    const phrases = queryPhrases(query.text);

    // Filters as lookups: allowed[f][code] for each filtered facet.
    // Only the filters asked for are checked, each as a lookup: allowed[code] of its facet's column.
    const filters: { codes: Uint16Array; allowed: Uint8Array }[] = [];
    FACETS.forEach((facet, f) => {
      const values = query.filters[facet];
      if (!values) return;
      const allowed = new Uint8Array(c.values[f]!.length);
      for (const v of values) {
        const code = c.codeOf[f]!.get(v);
        if (code !== undefined) allowed[code] = 1;
      }
      filters.push({ codes: c.codes[f]!, allowed });
    });
    const status = c.codes[FACETS.indexOf('status')]!;
    const units = c.codes[FACETS.indexOf('unit')]!;
    const published = c.codeOf[FACETS.indexOf('status')]!.get('published') ?? -1;
    const ownUnit = typeof query.visibleTo === 'object' ? (c.codeOf[FACETS.indexOf('unit')]!.get(query.visibleTo.unit) ?? -1) : -1;
    const visibility = query.visibleTo === 'published' ? 1 : typeof query.visibleTo === 'object' ? 2 : 0;
    const { yearFrom, yearTo } = query;
    const within = query.yearMatch === 'within';
    const { present } = c;
    // The years filtered on: the copy's (the last event that made it) or its base edition's.
    const [from, to] = query.yearOf === 'base' ? [c.baseYearFrom, c.baseYearTo] : [c.yearFrom, c.yearTo];
    const passes = (id: number): boolean => {
      if (!present[id]) return false;
      // Visibility first: for anonymous searchers it removes most of what is not published.
      if (visibility === 1 && status[id] !== published) return false;
      if (visibility === 2 && status[id] !== published && units[id] !== ownUnit) return false;
      for (let k = 0; k < filters.length; k++) {
        if (!filters[k]!.allowed[filters[k]!.codes[id]!]) return false;
      }
      // overlap: the span meets the range; within: the whole span lies inside it.
      if (yearFrom !== undefined && (to[id] === NO_YEAR || (within ? from[id]! : to[id]!) < yearFrom)) return false;
      if (yearTo !== undefined && (from[id] === NO_YEAR || (within ? to[id]! : from[id]!) > yearTo)) return false;
      return true;
    };

    // The documents that contain every phrase, and the tier each matched the first phrase in.
    const tier = c.scratch();
    const candidates = phrases.length > 0 ? this.match(c, phrases, tier) : Int32Array.from({ length: c.size }, (_, i) => i);
    const facetIndexes = query.facets.map((facet) => FACETS.indexOf(facet));
    const counts = facetIndexes.map((f) => new Uint32Array(c.values[f]!.length));
    const counted = facetIndexes.map((f) => c.codes[f]!);
    const matched: number[] = [];
    const take = (id: number) => {
      matched.push(id);
      for (let j = 0; j < counted.length; j++) counts[j]![counted[j]![id]!]! += 1;
    };
    if (candidates instanceof Uint8Array) {
      // One phrase that matches many: its tiers, one byte a document.
      for (let id = 0; id < candidates.length; id++) {
        if (candidates[id] !== 0 && passes(id)) {
          tier[id] = candidates[id]!;
          take(id);
        }
      }
    } else {
      for (let i = 0; i < candidates.length; i++) {
        const id = candidates[i]!;
        if (passes(id)) take(id);
        else tier[id] = 0;
      }
    }

    const facets: SearchResult['facets'] = {};
    query.facets.forEach((facet, j) => {
      const f = facetIndexes[j]!;
      const list: FacetCount[] = [];
      counts[j]!.forEach((count, code) => {
        if (code !== 0 && count > 0) list.push({ value: c.values[f]![code]!, count });
      });
      facets[facet] = list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    });

    const need = query.offset + query.limit;
    const byKey = (a: number, b: number) => c.key[a]! < c.key[b]!;
    let page: number[];
    switch (query.sort) {
      case 'censusNumber':
        page = smallest(matched, need, byKey);
        break;
      case '-censusNumber':
        page = smallest(matched, need, (a, b) => c.key[a]! > c.key[b]!);
        break;
      case 'year':
      case '-year': {
        const sign = query.sort === 'year' ? 1 : -1;
        page = smallest(matched, need, (a, b) => {
          const ya = c.yearFrom[a]!;
          const yb = c.yearFrom[b]!;
          if (ya !== yb) return ya === NO_YEAR ? false : yb === NO_YEAR ? true : sign * ya < sign * yb;
          return c.key[a]! < c.key[b]!;
        });
        break;
      }
      default:
        page = phrases.length > 0 ? this.rankByRelevance(c, matched, phrases[0]!, need, tier) : smallest(matched, need, byKey);
    }
    for (const id of matched) tier[id] = 0;
    return { total: matched.length, hits: page.slice(query.offset).map((id) => this.censusNumberOf(id)), facets };
  }

  /**
   * Looks every phrase up in each tier's table once. Returns the ids that contain all phrases
   * (in any tables) and leaves in `tier` 3 + the index of the best table the first phrase was
   * found in; 0 stays for every other id. A single phrase that matches many documents is
   * returned as its tiers instead (3 + table, or 0, for every id), and `tier` is left to the caller.
   */
  private match(c: Columns, phrases: readonly QueryPhrase[], tier: Uint8Array): number[] | Uint8Array {
    let result: number[] = [];
    let single: Uint8Array | null = null;
    phrases.forEach((phrase, p) => {
      const key = literal(phrase);
      const found: number[] = [];
      let lists: number[][] = [];
      const hot = this.hot(c, key) ?? this.remember(c, key, (lists = this.lookup(key)));
      if (hot && phrases.length === 1) {
        single = hot;
        return;
      }
      if (hot && p === 0) {
        for (let id = 0; id < hot.length; id++) {
          if (hot[id]) {
            tier[id] = hot[id]!;
            found.push(id);
          }
        }
      } else if (hot) {
        for (const id of result) if (hot[id]) found.push(id);
      } else {
        lists.forEach((ids, t) => {
          for (const id of ids) {
            if (p === 0) {
              if (tier[id] === 0) found.push(id);
              if (tier[id] === 0 || tier[id]! > 3 + t) tier[id] = 3 + t;
            } else if (tier[id] !== 0) {
              found.push(id);
            }
          }
        });
      }
      if (p === 0) {
        result = found;
      } else {
        // Keep the ids found for this phrase too: mark them, then drop the others.
        const seen = new Set(found);
        result = result.filter((id) => {
          if (seen.has(id)) return true;
          tier[id] = 0;
          return false;
        });
      }
    });
    return single ?? result;
  }

  /** Per tier, the ids of the documents FTS5 finds the query in. */
  private lookup(query: string): number[][] {
    return this.statements.match.map((statement) => JSON.parse(statement.get(query) as string) as number[]);
  }

  /**
   * A hot phrase's tiers, brought up to date first with the documents written since it was
   * remembered — each looked up in FTS5 itself, so memory can never disagree with the index —
   * or null when it is not remembered or too much was written since.
   */
  private hot(c: Columns, query: string): Uint8Array | null {
    const entry = c.hot.get(query);
    if (!entry) return null;
    c.hot.delete(query);
    if (entry.generation !== c.generation) {
      const changed = this.statements.changedSince.all(entry.generation, HOT_PATCH_LIMIT + 1) as number[];
      if (changed.length > HOT_PATCH_LIMIT) {
        c.hotBytes -= entry.tiers.byteLength;
        return null;
      }
      if (entry.tiers.length < c.size) {
        const grown = new Uint8Array(c.size);
        grown.set(entry.tiers);
        c.hotBytes += grown.byteLength - entry.tiers.byteLength;
        entry.tiers = grown;
      }
      for (const id of changed) {
        const t = this.statements.matchOne.findIndex((statement) => statement.get({ query, id }) !== undefined);
        entry.tiers[id] = t === -1 ? 0 : 3 + t;
      }
      entry.generation = c.generation;
    }
    c.hot.set(query, entry);
    return entry.tiers;
  }

  /**
   * Remembers a phrase that matched many documents, forgetting the least recently used first;
   * returns its tiers, or null for a phrase not worth remembering.
   */
  private remember(c: Columns, query: string, lists: number[][]): Uint8Array | null {
    const matches = lists.reduce((n, ids) => n + ids.length, 0);
    if (matches < this.hotMinMatches || matches * 64 < c.size || c.size > this.hotBytes) return null;
    const tiers = new Uint8Array(c.size);
    // The best (lowest) tier last, so that it stays.
    for (let t = lists.length - 1; t >= 0; t--) for (const id of lists[t]!) tiers[id] = 3 + t;
    for (const [oldest, entry] of c.hot) {
      if (c.hotBytes + tiers.byteLength <= this.hotBytes) break;
      c.hot.delete(oldest);
      c.hotBytes -= entry.tiers.byteLength;
    }
    c.hot.set(query, { tiers, generation: c.generation });
    c.hotBytes += tiers.byteLength;
    return tiers;
  }

  /**
   * Exact title > title prefix > title substring > person > edition > other fields; ties by
   * census number. The tables already told title, person, edition and other apart; one more
   * lookup in the title table finds the matches at the start of the title proper.
   */
  private rankByRelevance(c: Columns, matched: number[], phrase: QueryPhrase, need: number, tier: Uint8Array): number[] {
    const starts = JSON.parse(this.statements.match[0]!.get(`proper : ^ ${literal(phrase)}`) as string) as number[];
    for (const id of starts) {
      // A prefix as long as the whole title proper is the title itself.
      if (tier[id] === 3) tier[id] = c.properLength[id] === phrase.tokens.length && !phrase.prefix ? 1 : 2;
    }
    return smallest(matched, need, (a, b) => (tier[a] !== tier[b] ? tier[a]! < tier[b]! : c.key[a]! < c.key[b]!));
  }

  private censusNumberOf(id: number): string {
    const key = String(this.columns!.key[id]!).padStart(13, '0');
    return `${key.slice(0, 2)}0000-${key.slice(2, 6)}-${key.slice(6)}`;
  }

  async lastSeq(): Promise<number> {
    return (this.statements.getMeta.get('seq') as number | undefined) ?? 0;
  }

  async clear(): Promise<void> {
    this.db.transaction(() => {
      for (const t of TIERS) this.db.exec(`DELETE FROM fts_${t}`);
      this.db.exec("DELETE FROM docs; DELETE FROM facet_values; DELETE FROM snapshot; DELETE FROM meta WHERE key IN ('seq', 'generation', 'snapshot');");
      // A new epoch tells every process holding the columns to read them again.
      this.statements.setMeta.run('epoch', randomUUID());
    })();
    this.columns = null;
  }

  async close(): Promise<void> {
    const taken = this.statements.getMeta.get('snapshot') as string | undefined;
    if (this.columns && (!taken || JSON.parse(taken).generation !== this.columns.generation)) this.snapshot();
    this.db.close();
  }
}
