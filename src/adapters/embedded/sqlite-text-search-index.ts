/**
 * The embedded text search index (issue 16): its own SQLite file in the data directory
 * (text-search.sqlite, beside the catalogue's search.sqlite), rebuildable from the page-text
 * store: a file of another layout is emptied at open and the service fills it again.
 *
 * FTS5 narrows the pages, then each candidate is checked against its folded text — counted in
 * SQLite where that is exact, otherwise by src/domain/text-match.ts. Each key a word index keeps
 * (letters, digits, ideographs; not punctuation) gives two tokens (see tokens()): a pair (the
 * key and the next) and a gap token (the key and the one after next), written with a space
 * between tokens so FTS5's unicode61 tokenizer keeps each whole. A phrase is the FTS5 phrase
 * query of its own tokens (https://www.sqlite.org/fts5.html#fts5_phrases), less those that
 * depend on what follows it on the page: a page holding the phrase holds that token sequence,
 * so no page is missed. Pairs rather than single characters because the common characters (之,
 * 也, 而) are on nearly every page: a phrase query of single characters walked their whole
 * position lists, a pair's list is short.
 *
 * Counts kept without reading pages, for the phrases most pages hold:
 * - one character across the catalogue: char_counts, each key's pages and occurrences in each
 *   book (and in its verified pages), kept at write time;
 * - two ideographs: the pair token's instances (FTS5's fts5vocab 'instance' table), whose
 *   document ids carry the book and whether the page is verified (ftsId), so pages and
 *   occurrences per book are counted inside FTS5.
 * Only the pages of the books shown are then read. Within one book its pages are read directly.
 *
 * Approximate mode (one character substituted): for each place the tokens that do not depend on
 * it, NEAR one another (approximateQuery) — the gap token spans the place — then SQLite keeps
 * only pages with a window of at most one difference (instr, GLOB) before the exact check.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { indexable, keysOf, phraseChars } from '../../domain/text-match.js';
import type { TextStatus } from '../../ports/page-text-store.js';
import {
  APPROXIMATE_MIN, type BookHit, type IndexedPage, type TextSearchIndex, type TextSearchQuery, type TextSearchResult,
} from '../../ports/text-search-index.js';
import { parseCensusNumber } from '../../domain/census-number.js';
import { bestPages, type Candidate, groupedByBook, packed, pageHit, type PageReader, rankedBooks, type RankedPage, unpacked } from '../text-search-hits.js';
import { openDatabase } from './sqlite.js';

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE pages (
  id INTEGER PRIMARY KEY,
  census_number TEXT NOT NULL,
  image_id TEXT NOT NULL,
  unit TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  juan TEXT,
  status TEXT NOT NULL,
  published INTEGER NOT NULL,
  keys TEXT NOT NULL,
  UNIQUE (census_number, image_id)
);
-- What is read for the pages shown only, apart: with it in the rows above, checking a page's
-- keys read four times the bytes (a row of ~5.6 KB spans two database pages).
CREATE TABLE texts (
  id INTEGER PRIMARY KEY REFERENCES pages (id) ON DELETE CASCADE,
  -- The characters as written: joined, or a JSON array when one is more than a code point.
  written TEXT NOT NULL,
  -- Their boxes, four unsigned 16-bit integers each (x, y, w, h: masters are under 65,536 px a side).
  boxes BLOB NOT NULL
);
CREATE INDEX pages_book ON pages (census_number, sequence);
CREATE TABLE books (id INTEGER PRIMARY KEY, census_number TEXT NOT NULL UNIQUE, unit TEXT NOT NULL, published INTEGER NOT NULL);
-- Each key's pages and occurrences in each book, and in the book's verified pages (what the public sees).
CREATE TABLE char_counts (
  key TEXT NOT NULL, book INTEGER NOT NULL, pages INTEGER NOT NULL, matches INTEGER NOT NULL, vpages INTEGER NOT NULL, vmatches INTEGER NOT NULL,
  PRIMARY KEY (key, book)
) WITHOUT ROWID;
-- Rowids are ftsId(): the book, whether the page is verified, and the page's id.
CREATE VIRTUAL TABLE fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 0', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE fts_instances USING fts5vocab(fts, 'instance');
`;
/** Raised by hand when what is stored changes meaning without the schema changing (the keys' rule). */
const LAYOUT_VERSION = 2;
const LAYOUT = createHash('sha256').update(`${LAYOUT_VERSION}\n${SCHEMA}`).digest('hex').slice(0, 16);

/**
 * The tokens of a page's (or phrase's) keys: two for each key a word index keeps — the key and
 * the next when that is kept too (a pair, else the key alone), then the key and the one after
 * next (a gap token, `0` between them, else the key alone) — so a key at ordinal j among the kept
 * ones has its tokens at 2j and 2j + 1. Of a phrase, tokens that depend on keys past its end
 * are left out (the sequence stops at the first), and so are those depending on `unknown`,
 * the place of a substitution in approximate mode.
 */
function tokens(keys: string, page: boolean, from = 0, to?: number): string[] {
  const k = [...keys];
  const end = to ?? k.length;
  const known = (i: number) => page || i < end;
  const out: string[] = [];
  for (let i = from; i < end; i++) {
    if (!indexable(k[i]!)) continue;
    if (!known(i + 1)) break;
    out.push(i + 1 < k.length && indexable(k[i + 1]!) ? k[i] + k[i + 1]! : k[i]!);
    if (!known(i + 2)) break;
    out.push(gap(k, i));
  }
  return out;
}

/** The gap token of key i: with the key after next (three code points: never a pair, which has two), or the key alone. */
const gap = (k: readonly string[], i: number) => (i + 2 < k.length && indexable(k[i + 2]!) ? `${k[i]}0${k[i + 2]}` : k[i]!);

const quoted = (t: readonly string[]) => `"${t.join(' ').replaceAll('"', '""')}"`;

/**
 * The FTS5 query for pages that may hold `keys`: the phrase of its tokens, a prefix query for
 * one key at its end, or '' when it has none a word index keeps (every page is a candidate then).
 * A `"` is a separator for unicode61, never in a token: doubled all the same.
 */
function ftsQuery(keys: string): string {
  const k = [...keys];
  const found = tokens(keys, false);
  if (found.length > 0) return quoted(found);
  const last = k[k.length - 1];
  return last !== undefined && indexable(last) ? `"${last.replaceAll('"', '""')}" *` : '';
}

/**
 * The FTS5 query for pages that may hold the phrase with at most one key substituted: for each
 * place i, the tokens that do not depend on it — those of the keys before (up to i), the gap
 * token over it, those of the keys after — NEAR one another. Between the last token before and
 * the first after lie at most five (the keys i − 2 to i leave out one gap, two pairs and two
 * gaps), so NEAR(…, 5) misses no window. '' when some place leaves nothing to ask for.
 */
function approximateQuery(keys: string): string {
  const k = [...keys];
  const groups: string[] = [];
  for (let i = 0; i < k.length; i++) {
    const parts = [tokens(keys, false, 0, i), i >= 1 && i + 1 < k.length && indexable(k[i - 1]!) ? [gap(k, i - 1)] : [], tokens(keys, false, i + 1)]
      .filter((t) => t.length > 0).map(quoted);
    if (parts.length === 0) return '';
    groups.push(parts.length === 1 ? parts[0]! : `NEAR(${parts.join(' ')}, 5)`);
  }
  return [...new Set(groups)].join(' OR ');
}

/**
 * An FTS5 rowid carrying what the pair counts need: the book (ids below 2^20 keep it an exact
 * JavaScript number), whether the page is verified, and the page's own id (below 2^32).
 */
const ftsId = (book: number, verified: boolean, id: number) => book * 2 ** 33 + (verified ? 2 ** 32 : 0) + id;

/** Ideographs of Unicode 6.1 (unicode61's tables): a pair of them is one token as written. */
const IDEOGRAPH = /^[\u3400-\u4DB5\u4E00-\u9FCB\u{20000}-\u{2A6D6}\u{2A700}-\u{2B734}\u{2B740}-\u{2B81D}]$/u;

/** Whether a proper prefix of the phrase is also its suffix: then matches may overlap, which replace() would not count. */
function overlaps(chars: readonly string[]): boolean {
  for (let k = 1; k < chars.length; k++) if (chars.slice(0, k).join('') === chars.slice(chars.length - k).join('')) return true;
  return false;
}

/** A GLOB pattern matching the text exactly (`*`, `?` and `[` bracketed). */
const globbed = (chars: readonly string[]) => chars.map((c) => (c === '*' || c === '?' || c === '[' ? `[${c}]` : c)).join('');

/** A book's changes to char_counts: key → [pages, matches, verified pages, verified matches]. */
type CountDelta = Map<string, [number, number, number, number]>;

export class SqliteTextSearchIndex implements TextSearchIndex {
  readonly description: string;
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.ensureLayout();
    this.statements = {
      find: this.db.prepare('SELECT id, keys, status, (SELECT id FROM books WHERE census_number = pages.census_number) AS book FROM pages WHERE census_number = ? AND image_id = ?'),
      insert: this.db.prepare(`INSERT INTO pages (census_number, image_id, unit, sequence, juan, status, published, keys)
        VALUES (@censusNumber, @imageId, @unit, @sequence, @juan, @status, @published, @keys)`),
      insertText: this.db.prepare('INSERT INTO texts (id, written, boxes) VALUES (@id, @written, @boxes)'),
      insertFts: this.db.prepare('INSERT INTO fts (rowid, body) VALUES (?, ?)'),
      deletePage: this.db.prepare('DELETE FROM pages WHERE id = ?'),
      deleteFts: this.db.prepare('DELETE FROM fts WHERE rowid = ?'),
      publish: this.db.prepare('UPDATE pages SET published = ? WHERE census_number = ?'),
      publishBook: this.db.prepare('UPDATE books SET published = ? WHERE census_number = ?'),
      book: this.db.prepare(`INSERT INTO books (census_number, unit, published) VALUES (?, ?, ?)
        ON CONFLICT (census_number) DO UPDATE SET published = excluded.published RETURNING id`).pluck(),
      bookId: this.db.prepare('SELECT id FROM books WHERE census_number = ?').pluck(),
      addCounts: this.db.prepare(`INSERT INTO char_counts (key, book, pages, matches, vpages, vmatches) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (key, book) DO UPDATE SET pages = pages + excluded.pages, matches = matches + excluded.matches,
        vpages = vpages + excluded.vpages, vmatches = vmatches + excluded.vmatches RETURNING pages`).pluck(),
      dropCounts: this.db.prepare('DELETE FROM char_counts WHERE key = ? AND book = ?'),
      chars: this.db.prepare('SELECT written, boxes FROM texts WHERE id = ?'),
      keys: this.db.prepare('SELECT keys FROM pages WHERE id = ?').pluck(),
      count: this.db.prepare('SELECT count(*) FROM pages').pluck(),
      getMeta: this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
    this.description = `SQLite FTS5 ${file}`;
  }

  /** Empties a file of another layout and creates this one (the service then fills it from the store). */
  private ensureLayout(): void {
    const tables = () => this.db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).all() as { name: string; sql: string }[];
    const layout = () => (tables().some((t) => t.name === 'meta') ? this.db.prepare("SELECT value FROM meta WHERE key = 'layout'").pluck().get() : undefined);
    if (layout() === LAYOUT) return;
    this.db.transaction(() => {
      if (layout() === LAYOUT) return;
      const found = tables();
      // Virtual tables first: dropping one drops its shadow tables.
      for (const t of found.filter((t) => t.sql.startsWith('CREATE VIRTUAL TABLE'))) this.db.exec(`DROP TABLE IF EXISTS "${t.name}"`);
      for (const t of found) this.db.exec(`DROP TABLE IF EXISTS "${t.name}"`);
      this.db.exec(SCHEMA);
      this.db.prepare("INSERT INTO meta (key, value) VALUES ('layout', ?)").run(LAYOUT);
    }).immediate();
  }

  async put(page: IndexedPage): Promise<void> {
    this.putAll([page]);
  }

  /** Many pages in one transaction (a rebuild, the bench); the counts are summed per book first. */
  putAll(pages: readonly IndexedPage[]): void {
    this.db.transaction(() => {
      const deltas = new Map<string, CountDelta>();
      for (const page of pages) {
        this.removeNow(page.censusNumber, page.imageId, deltas);
        const keys = keysOf(page.chars.map((c) => c.char));
        const unit = parseCensusNumber(page.censusNumber)?.unitKey ?? '';
        const book = this.statements.book.get(page.censusNumber, unit, page.published ? 1 : 0) as number;
        const { lastInsertRowid } = this.statements.insert.run({
          censusNumber: page.censusNumber, imageId: page.imageId, unit, sequence: page.sequence,
          juan: page.juan, status: page.status, published: page.published ? 1 : 0, keys,
        });
        this.statements.insertText.run({ id: lastInsertRowid, ...packed(page.chars) });
        this.statements.insertFts.run(ftsId(book, page.status === 'verified', Number(lastInsertRowid)), tokens(keys, true).join(' '));
        counted(deltas, page.censusNumber, keys, page.status, 1);
      }
      this.applyCounts(deltas);
    })();
  }

  private removeNow(censusNumber: string, imageId: string, deltas: Map<string, CountDelta>): void {
    const row = this.statements.find.get(censusNumber, imageId) as { id: number; keys: string; status: TextStatus; book: number } | undefined;
    if (row === undefined) return;
    this.statements.deleteFts.run(ftsId(row.book, row.status === 'verified', row.id));
    this.statements.deletePage.run(row.id);
    counted(deltas, censusNumber, row.keys, row.status, -1);
  }

  private applyCounts(deltas: Map<string, CountDelta>): void {
    for (const [censusNumber, delta] of deltas) {
      const book = this.statements.bookId.get(censusNumber) as number;
      for (const [key, [pages, matches, vpages, vmatches]] of delta) {
        // A page saved again unchanged changes nothing; one verified since changes only the v- counts.
        if (pages === 0 && matches === 0 && vpages === 0 && vmatches === 0) continue;
        if (this.statements.addCounts.get(key, book, pages, matches, vpages, vmatches) === 0) this.statements.dropCounts.run(key, book);
      }
    }
  }

  async remove(censusNumber: string, imageId: string): Promise<void> {
    this.db.transaction(() => {
      const deltas = new Map<string, CountDelta>();
      this.removeNow(censusNumber, imageId, deltas);
      this.applyCounts(deltas);
    })();
  }

  async setPublished(censusNumber: string, published: boolean): Promise<void> {
    this.db.transaction(() => {
      this.statements.publish.run(published ? 1 : 0, censusNumber);
      this.statements.publishBook.run(published ? 1 : 0, censusNumber);
    })();
  }

  async search(query: TextSearchQuery): Promise<TextSearchResult> {
    const chars = [...keysOf(phraseChars(query.q))];
    const phrase = chars.join('');
    const length = chars.length;
    if (length === 0) return { total: 0, matchCount: 0, books: [] };
    const approximate = query.approximate && length >= APPROXIMATE_MIN;
    const read = {
      chars: (id: number) => unpacked(this.statements.chars.get(id) as { written: string; boxes: Buffer }),
      keys: (id: number) => this.statements.keys.get(id) as string,
    };
    if (length === 1 && !query.censusNumber) return this.searchCounted(phrase, this.charCounts(phrase, query), query, read);
    if (length === 2 && !query.censusNumber && chars.every((c) => IDEOGRAPH.test(c))) return this.searchCounted(phrase, this.pairCounts(phrase, query), query, read);

    const where: string[] = [];
    const params: unknown[] = [];
    let match = '';
    if (query.censusNumber) {
      // Within a book its pages are read directly: a few hundred rows, no index needed.
      where.push('p.census_number = ?');
      params.push(query.censusNumber);
    } else match = approximate ? approximateQuery(phrase) : ftsQuery(phrase);
    where.push(...this.visible(query, params, 'p'));
    if (approximate) {
      // Only pages that may hold a window of the phrase with at most one character different:
      // the phrase less its first or last character (instr, a plain byte search), or with one
      // inner character any (GLOB: `*` then a literal is a quick skip, `*?` is not).
      const inner = chars.slice(1, -1).map((_, i) => `*${globbed(chars.slice(0, i + 1))}?${globbed(chars.slice(i + 2))}*`);
      where.push(`(instr(p.keys, ?) > 0 OR instr(p.keys, ?) > 0 ${inner.map(() => 'OR p.keys GLOB ?').join(' ')})`);
      params.push(chars.slice(1).join(''), chars.slice(0, -1).join(''), ...inner);
    } else {
      where.push('instr(p.keys, ?) > 0');
      params.push(phrase);
    }
    const from = match ? 'fts JOIN pages p ON p.id = (fts.rowid & 4294967295)' : 'pages p';
    if (match) {
      where.unshift('fts MATCH ?');
      params.unshift(match);
    }
    // Exact matches that cannot overlap are counted in place (length() counts characters)
    // instead of handing every page's keys over to be scanned; the keys of the pages shown are
    // read afterwards. The common phrases are on tens of thousands of pages.
    const inPlace = !approximate && !overlaps(chars);
    const keys = inPlace ? `NULL AS keys, (length(p.keys) - length(replace(p.keys, ?, ''))) / ${length} AS n` : 'p.keys, NULL AS n';
    if (inPlace) params.unshift(phrase);
    const candidates = this.db.prepare(`SELECT p.id, p.census_number, p.image_id, p.sequence, p.juan, p.status, ${keys} FROM ${from}
      WHERE ${where.join(' AND ')}`).all(...params) as Candidate[];
    const books = groupedByBook(candidates, phrase, approximate);
    return ranked([...books.values()].map((b) => ({ hit: b.hit, pages: () => b.pages })), phrase, approximate, query, read);
  }

  /** The visibility rules as SQL conditions on `pages` (alias `p`) or `books`. */
  private visible(query: TextSearchQuery, params: unknown[], alias: 'p' | 'b'): string[] {
    const { visibility } = query;
    if (visibility.public) return alias === 'p' ? ["p.published = 1 AND p.status = 'verified'"] : ['b.published = 1'];
    if (visibility.units === 'all') return [];
    params.push(visibility.units);
    return [`(${alias}.published = 1 OR ${alias}.unit = ?)`];
  }

  /** Books holding a key, with its pages and occurrences there, from char_counts. */
  private charCounts(key: string, query: TextSearchQuery): BookCount[] {
    const params: unknown[] = [key];
    const where = this.visible(query, params, 'b');
    const v = query.visibility.public ? 'v' : '';
    return this.db.prepare(`SELECT b.census_number, c.${v}pages AS pages, c.${v}matches AS matches FROM char_counts c JOIN books b ON b.id = c.book
      WHERE c.key = ? AND c.${v}pages > 0 ${where.map((w) => `AND ${w}`).join(' ')}`).all(...params) as BookCount[];
  }

  /** Books holding a pair of ideographs, with its pages and occurrences there, counted among the pair token's instances. */
  private pairCounts(pair: string, query: TextSearchQuery): BookCount[] {
    const params: unknown[] = [pair];
    const where = this.visible(query, params, 'b');
    return this.db.prepare(`SELECT b.census_number, x.pages, x.matches FROM (
        SELECT doc >> 33 AS book, count(DISTINCT doc) AS pages, count(*) AS matches FROM fts_instances
        WHERE term = ? ${query.visibility.public ? 'AND (doc >> 32) & 1 = 1' : ''} GROUP BY 1
      ) x JOIN books b ON b.id = x.book ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`).all(...params) as BookCount[];
  }

  /** Exact matches counted per book beforehand: the books ranked from those counts, the pages of the books shown only read. */
  private searchCounted(phrase: string, rows: BookCount[], query: TextSearchQuery, read: PageReader): TextSearchResult {
    const chars = [...phrase];
    const params: unknown[] = [];
    const where = this.visible(query, params, 'p');
    const inPlace = !overlaps(chars);
    const pageRows = this.db.prepare(`SELECT p.id, p.census_number, p.image_id, p.sequence, p.juan, p.status,
      ${inPlace ? `NULL AS keys, (length(p.keys) - length(replace(p.keys, @phrase, ''))) / ${chars.length} AS n` : 'p.keys, NULL AS n'}
      FROM pages p WHERE p.census_number = @book AND instr(p.keys, @phrase) > 0 ${where.map((w) => `AND ${w}`).join(' ')}`);
    const unit = params[0];
    return ranked(rows.map((r) => ({
      hit: { censusNumber: r.census_number, pageCount: r.pages, matchCount: r.matches, exactCount: r.matches, pages: [] },
      pages: () => groupedByBook(pageRows.all(...(unit === undefined ? [] : [unit]), { phrase, book: r.census_number }) as Candidate[], phrase, false).get(r.census_number)?.pages ?? [],
    })), phrase, false, query, read);
  }

  async count(): Promise<number> {
    return this.statements.count.get() as number;
  }

  async lastSeq(): Promise<number> {
    return Number(this.statements.getMeta.get('seq') ?? 0);
  }

  async setLastSeq(seq: number): Promise<void> {
    this.statements.setMeta.run('seq', String(seq));
  }

  async clear(): Promise<void> {
    this.db.transaction(() => {
      this.db.exec("DELETE FROM texts; DELETE FROM pages; DELETE FROM fts; DELETE FROM char_counts; DELETE FROM books; DELETE FROM meta WHERE key = 'seq'");
    })();
  }

  /** Bytes the file takes (for the bench). */
  size(): number {
    return (this.db.pragma('page_count', { simple: true }) as number) * (this.db.pragma('page_size', { simple: true }) as number);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Adds a page's keys to (or, with `sign` -1, takes them from) its book's count changes. */
function counted(deltas: Map<string, CountDelta>, censusNumber: string, keys: string, status: TextStatus, sign: 1 | -1): void {
  let delta = deltas.get(censusNumber);
  if (!delta) deltas.set(censusNumber, (delta = new Map()));
  const onPage = new Map<string, number>();
  for (const k of keys) onPage.set(k, (onPage.get(k) ?? 0) + 1);
  const verified = status === 'verified' ? 1 : 0;
  for (const [k, n] of onPage) {
    const d = delta.get(k) ?? [0, 0, 0, 0];
    d[0] += sign;
    d[1] += sign * n;
    d[2] += sign * verified;
    d[3] += sign * n * verified;
    delta.set(k, d);
  }
}

interface BookCount { census_number: string; pages: number; matches: number }

/** The books ranked and the ones shown given their best pages, read for those pages alone. */
function ranked(books: { hit: BookHit; pages: () => RankedPage[] }[], phrase: string, approximate: boolean, query: TextSearchQuery, read: PageReader): TextSearchResult {
  const { total, matchCount, shown } = rankedBooks(books, query);
  return {
    total,
    matchCount,
    books: shown.map(({ hit, pages }) => {
      hit.pages = bestPages(pages(), query.pagesPerBook).map((page) => pageHit(page, phrase, approximate, query.matchesPerPage, read));
      return hit;
    }),
  };
}
