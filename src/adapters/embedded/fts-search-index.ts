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
 * A query asked as pinyin is looked up in a table of its own (fts_pinyin), whose columns are the
 * same tiers (src/domain/search-pinyin.ts).
 *
 * By concern: fts-tokens.ts cuts text and queries into FTS5 tokens, fts-columns.ts holds the
 * in-memory columns and their snapshot, fts-hot-phrases.ts the hot-phrase cache, fts-top-k.ts
 * the heap that picks a page; this file the SQLite file, its layout and search().
 */
import type Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { pinyinKey } from '../../domain/search-pinyin.js';
import { indexText, queryPhrases, type QueryPhrase } from '../../domain/search-text.js';
import {
  FACETS, SEARCH_DOCUMENT_VERSION, type FacetCount, type SearchDocument, type SearchIndex, type SearchQuery, type SearchResult,
} from '../../ports/search-index.js';
import { censusKey, censusNumberOfKey, Columns, NO_YEAR, type SnapshotInfo } from './fts-columns.js';
import { HotPhrases } from './fts-hot-phrases.js';
import { literal, stored } from './fts-tokens.js';
import { smallest } from './fts-top-k.js';
import { openDatabase } from './sqlite.js';

export { pairTokens } from './fts-tokens.js';

/**
 * One FTS5 table per ranking tier. A phrase is looked up once in each, so which table answered
 * is the tier of the match, without a second pass over the same doclists.
 */
const TIERS = ['title', 'persons', 'edition', 'other'] as const;

/** The schema of an index of `facets` facets (column f<i> of docs holds facet i). */
const schemaOf = (facets: number) => `
-- Facet values are stored as small integer codes (facet_values), so that loading the columns
-- into memory reads integers only.
CREATE TABLE IF NOT EXISTS docs (
  id INTEGER PRIMARY KEY,
  census_number TEXT NOT NULL UNIQUE,
  key INTEGER NOT NULL,
  proper_length INTEGER NOT NULL,
  ${Array.from({ length: facets }, (_, i) => `f${i} INTEGER`).join(', ')},
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
-- The pinyin of titles and names, by tier: a token equal to or starting with the key in start is
-- the title itself or its start. Prefix indexes for the short keys of progressive typing.
CREATE VIRTUAL TABLE IF NOT EXISTS fts_pinyin USING fts5(
  start, title, persons,
  content = '', contentless_delete = 1, prefix = '2 3'
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
-- The in-memory columns as they were at some generation, so that a start reads a few blobs and
-- the documents written since, instead of every row of docs.
CREATE TABLE IF NOT EXISTS snapshot (name TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
`;

/**
 * The index is rebuildable from the store: a file written by another layout is emptied and
 * refilled (its sequence starts again at 0, so the indexer's catch-up at start indexes every
 * record again), never misread. Raise this for a change the schema text does not show (how
 * text is cut into tokens, how a column is encoded); facets and the schema are in the layout
 * by themselves.
 */
const LAYOUT_VERSION = 6;

/**
 * What the layout is made of, recorded in the file (meta 'layout'): the version above, the facet
 * set the index was built with (column f<i> holds facet i), the schema itself and
 * SEARCH_DOCUMENT_VERSION (documents made another way, such as a century facet computed
 * differently, are made again). A facet added to the table (src/domain/facets.ts) changes it
 * without anyone raising a version — a file built before one once crashed the service at open
 * ("table docs has no column named f10"); now it is rebuilt.
 */
export const layoutOf = (documentVersion: number, facets: readonly string[] = FACETS): string =>
  createHash('sha256').update(`${LAYOUT_VERSION}\n${documentVersion}\n${facets.join(',')}\n${schemaOf(facets.length)}`).digest('hex').slice(0, 16);

/** The facets visibility needs: the workflow status and the holding unit. */
const REQUIRED_FACETS = ['status', 'unit'] as const;

/** A test over one document id: whether it passes the query's filters and visibility. */
type Filter = (id: number) => boolean;

export interface FtsSearchIndexOptions {
  /** The most memory hot phrases may hold (0: none are remembered). */
  hotPhraseBytes?: number;
  /**
   * Phrases matching at least this many documents, and at least 1/64 of them (a hot phrase costs
   * a byte per document), are remembered: reading their doclists again is what made the slowest
   * queries slow (a character or a pair found in most records: 本, 刻本, 普通古籍).
   */
  hotPhraseMinMatches?: number;
  /** The facet set (the names of src/domain/facets.ts FACET_TABLE by default; another in tests). */
  facets?: readonly { name: string }[];
}

export class FtsSearchIndex implements SearchIndex {
  readonly description: string;
  /** Whether opening found an index of another layout and emptied it (the indexer refills it). */
  readonly rebuilt: boolean;
  private readonly db: Database.Database;
  private columns: Columns | null = null;
  private readonly statements;
  private readonly hotBytes: number;
  private readonly hotMinMatches: number;
  /** The facet names; column f<i> of docs holds the code of facets[i]. */
  private readonly facets: readonly string[];
  private readonly layout: string;

  constructor(file: string, options: FtsSearchIndexOptions = {}) {
    this.hotBytes = options.hotPhraseBytes ?? 64 * 2 ** 20;
    this.hotMinMatches = options.hotPhraseMinMatches ?? 10_000;
    this.facets = options.facets?.map((f) => f.name) ?? FACETS;
    const missing = REQUIRED_FACETS.filter((f) => !this.facets.includes(f));
    if (missing.length > 0) throw new Error(`The search index needs the facets ${missing.join(', ')}`);
    this.layout = layoutOf(SEARCH_DOCUMENT_VERSION, this.facets);
    this.db = openDatabase(file);
    this.rebuilt = this.ensureLayout();
    const columns = ['key', 'proper_length', ...this.facets.map((_, i) => `f${i}`), 'year_from', 'year_to', 'base_year_from', 'base_year_to'];
    const placeholders = columns.map(() => '?').join(', ');
    this.statements = {
      findId: this.db.prepare('SELECT id FROM docs WHERE census_number = ?').pluck(),
      insertDoc: this.db.prepare(`INSERT INTO docs (census_number, ${columns.join(', ')}, generation) VALUES (?, ${placeholders}, ?)`),
      updateDoc: this.db.prepare(`UPDATE docs SET (${columns.join(', ')}, generation) = (${placeholders}, ?) WHERE id = ?`),
      getMeta: this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      docsSince: this.db.prepare(`SELECT id, ${columns.join(', ')} FROM docs WHERE generation > ?`).raw(),
      insertValue: this.db.prepare('INSERT INTO facet_values (facet, code, value) VALUES (?, ?, ?)'),
      deleteFts: [...TIERS, 'pinyin'].map((t) => this.db.prepare(`DELETE FROM fts_${t} WHERE rowid = ?`)),
      insertTitle: this.db.prepare('INSERT INTO fts_title (rowid, proper, title) VALUES (?, ?, ?)'),
      insertPinyin: this.db.prepare('INSERT INTO fts_pinyin (rowid, start, title, persons) VALUES (?, ?, ?, ?)'),
      matchPinyin: this.db.prepare('SELECT json_group_array(rowid) FROM fts_pinyin WHERE fts_pinyin MATCH ?').pluck(),
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
    if (layout() === this.layout) return false;
    return this.db.transaction(() => {
      if (layout() === this.layout) return false;
      const found = tables();
      // Virtual tables first: dropping one drops its shadow tables.
      for (const t of found.filter((t) => t.sql.startsWith('CREATE VIRTUAL TABLE'))) this.db.exec(`DROP TABLE IF EXISTS "${t.name}"`);
      for (const t of found) this.db.exec(`DROP TABLE IF EXISTS "${t.name}"`);
      this.db.exec(schemaOf(this.facets.length));
      this.db.prepare("INSERT INTO meta (key, value) VALUES ('layout', ?)").run(this.layout);
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
    const columns = new Columns(this.facets.length, new HotPhrases(this.hotBytes, this.hotMinMatches));
    columns.epoch = this.epoch();
    for (const v of this.statements.allValues.all() as { facet: number; code: number; value: string }[]) columns.define(v.facet, v.code, v.value);
    const snapshot = this.statements.getMeta.get('snapshot') as string | undefined;
    const taken = snapshot ? (JSON.parse(snapshot) as SnapshotInfo) : null;
    if (columns.fits(taken)) {
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
      this.statements.setMeta.run('snapshot', JSON.stringify(c.snapshotInfo()));
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

  async upsert(documents: SearchDocument<string>[], seq: number): Promise<void> {
    const rows: (number | null)[][] = [];
    let c: Columns;
    try {
      // IMMEDIATE takes the write lock first, so the columns read next are the latest.
      this.db.transaction(() => {
        c = this.fresh();
        const generation = c.generation + 1;
        for (const doc of documents) {
          const proper = indexText(doc.titleProper);
          const codes = this.facets.map((facet, f) => {
            const value = (doc.facets as Record<string, string | null>)[facet] ?? null;
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
          const { start, title, persons } = doc.pinyin;
          if (start || title || persons) this.statements.insertPinyin.run(id, start, title, persons);
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

  async search(query: SearchQuery<string>): Promise<SearchResult<string>> {
    const c = this.fresh();
    const phrases = query.pinyin ? [] : queryPhrases(query.text);
    const passes = this.filterOf(c, query);
    // The documents that contain every phrase, and the tier each matched the first phrase in.
    const tier = c.scratch();
    const candidates = query.pinyin
      ? this.matchPinyin(pinyinKey(query.text), tier)
      : phrases.length > 0 ? this.match(c, phrases, tier) : Int32Array.from({ length: c.size }, (_, i) => i);
    const counting = this.facetCounter(c, query.facets);
    const matched = collect(candidates, passes, tier, counting.take);
    const facets = counting.counts();
    const page = this.page(c, query, matched, phrases, tier);
    for (const id of matched) tier[id] = 0;
    return { total: matched.length, hits: page.slice(query.offset).map((id) => censusNumberOfKey(c.key[id]!)), facets };
  }

  /** The facet's column index; a facet this index was not built with is a programming error. */
  private facetIndex(facet: string): number {
    const f = this.facets.indexOf(facet);
    if (f === -1) throw new Error(`The search index has no facet ${facet}`);
    return f;
  }

  /**
   * The query's filters and visibility as one test over document ids. Only the filters asked for
   * are checked, each as a lookup: allowed[code] of its facet's column.
   */
  private filterOf(c: Columns, query: SearchQuery<string>): Filter {
    const filters: { codes: Uint16Array; allowed: Uint8Array }[] = [];
    for (const [facet, values] of Object.entries(query.filters) as [string, string[] | undefined][]) {
      if (!values) continue;
      const f = this.facetIndex(facet);
      const allowed = new Uint8Array(c.values[f]!.length);
      for (const v of values) {
        const code = c.codeOf[f]!.get(v);
        if (code !== undefined) allowed[code] = 1;
      }
      filters.push({ codes: c.codes[f]!, allowed });
    }
    const statusAt = this.facetIndex('status');
    const unitAt = this.facetIndex('unit');
    const status = c.codes[statusAt]!;
    const units = c.codes[unitAt]!;
    const published = c.codeOf[statusAt]!.get('published') ?? -1;
    const ownUnit = typeof query.visibleTo === 'object' ? (c.codeOf[unitAt]!.get(query.visibleTo.unit) ?? -1) : -1;
    const visibility = query.visibleTo === 'published' ? 1 : typeof query.visibleTo === 'object' ? 2 : 0;
    const { yearFrom, yearTo } = query;
    const within = query.yearMatch === 'within';
    const { present } = c;
    // The years filtered on: the copy's (the last event that made it) or its base edition's.
    const [from, to] = query.yearOf === 'base' ? [c.baseYearFrom, c.baseYearTo] : [c.yearFrom, c.yearTo];
    return (id: number): boolean => {
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
  }

  /** Counts the values of the facets asked for over the documents it is given, in one pass with the filter. */
  private facetCounter(c: Columns, asked: readonly string[]): { take: (id: number) => void; counts: () => SearchResult<string>['facets'] } {
    const indexes = asked.map((facet) => this.facetIndex(facet));
    const counts = indexes.map((f) => new Uint32Array(c.values[f]!.length));
    const counted = indexes.map((f) => c.codes[f]!);
    return {
      take: (id) => {
        for (let j = 0; j < counted.length; j++) counts[j]![counted[j]![id]!]! += 1;
      },
      counts: () => {
        const facets: SearchResult<string>['facets'] = {};
        asked.forEach((facet, j) => {
          const f = indexes[j]!;
          const list: FacetCount[] = [];
          counts[j]!.forEach((count, code) => {
            if (code !== 0 && count > 0) list.push({ value: c.values[f]![code]!, count });
          });
          facets[facet] = list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
        });
        return facets;
      },
    };
  }

  /** The ids of the page (the first offset + limit in the query's order). */
  private page(c: Columns, query: SearchQuery<string>, matched: number[], phrases: readonly QueryPhrase[], tier: Uint8Array): number[] {
    const need = query.offset + query.limit;
    const byKey = (a: number, b: number) => c.key[a]! < c.key[b]!;
    switch (query.sort) {
      case 'censusNumber':
        return smallest(matched, need, byKey);
      case '-censusNumber':
        return smallest(matched, need, (a, b) => c.key[a]! > c.key[b]!);
      case 'year':
      case '-year': {
        const sign = query.sort === 'year' ? 1 : -1;
        return smallest(matched, need, (a, b) => {
          const ya = c.yearFrom[a]!;
          const yb = c.yearFrom[b]!;
          if (ya !== yb) return ya === NO_YEAR ? false : yb === NO_YEAR ? true : sign * ya < sign * yb;
          return c.key[a]! < c.key[b]!;
        });
      }
      default:
        if (phrases.length > 0) return this.rankByRelevance(c, matched, phrases[0]!, need, tier);
        // Pinyin matches come with their tiers already.
        return query.pinyin ? smallest(matched, need, byTier(c, tier)) : smallest(matched, need, byKey);
    }
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
    const source = {
      size: c.size,
      generation: c.generation,
      changedSince: (generation: number, limit: number) => this.statements.changedSince.all(generation, limit) as number[],
      tierOf: (query: string, id: number) => this.statements.matchOne.findIndex((statement) => statement.get({ query, id }) !== undefined),
    };
    phrases.forEach((phrase, p) => {
      const key = literal(phrase);
      const found: number[] = [];
      let lists: number[][] = [];
      const hot = c.hot.get(key, source) ?? c.hot.remember(key, (lists = this.lookup(key)), source);
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
    return smallest(matched, need, byTier(c, tier));
  }

  /**
   * The ids whose pinyin has a token equal to or starting with the key, with their tiers in
   * `tier`: 1 the title proper read whole (or its initials), 2 its start, 3 any title, 4 a
   * person. A key is letters only (pinyinKey), so it is an FTS5 string as it is.
   */
  private matchPinyin(key: string | null, tier: Uint8Array): number[] {
    if (!key) return [];
    const found: number[] = [];
    [`start : "${key}"`, `start : "${key}"*`, `title : "${key}"*`, `persons : "${key}"*`].forEach((query, t) => {
      for (const id of JSON.parse(this.statements.matchPinyin.get(query) as string) as number[]) {
        // Looked up best tier first: the first tier an id is found in is its best.
        if (tier[id] === 0) {
          tier[id] = 1 + t;
          found.push(id);
        }
      }
    });
    return found;
  }

  async lastSeq(): Promise<number> {
    return (this.statements.getMeta.get('seq') as number | undefined) ?? 0;
  }

  async clear(): Promise<void> {
    this.db.transaction(() => {
      for (const t of [...TIERS, 'pinyin']) this.db.exec(`DELETE FROM fts_${t}`);
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

/** Best tier first; ties by census number. */
const byTier = (c: Columns, tier: Uint8Array) => (a: number, b: number) => (tier[a] !== tier[b] ? tier[a]! < tier[b]! : c.key[a]! < c.key[b]!);

/**
 * The candidates that pass the filter, in id order, each handed to `take` (the facet counter);
 * `tier` keeps the tiers of those that passed only.
 */
function collect(candidates: Int32Array | number[] | Uint8Array, passes: Filter, tier: Uint8Array, take: (id: number) => void): number[] {
  const matched: number[] = [];
  if (candidates instanceof Uint8Array) {
    // One phrase that matches many: its tiers, one byte a document.
    for (let id = 0; id < candidates.length; id++) {
      if (candidates[id] !== 0 && passes(id)) {
        tier[id] = candidates[id]!;
        matched.push(id);
        take(id);
      }
    }
  } else {
    for (let i = 0; i < candidates.length; i++) {
      const id = candidates[i]!;
      if (passes(id)) {
        matched.push(id);
        take(id);
      } else tier[id] = 0;
    }
  }
  return matched;
}
