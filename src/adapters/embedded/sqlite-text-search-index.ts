/**
 * The embedded text search index (issue 16): its own SQLite file in the data directory
 * (text-search.sqlite, beside the catalogue's search.sqlite), rebuildable from the page-text
 * store: a file of another layout is emptied at open and the service fills it again.
 *
 * FTS5 narrows the pages, then each candidate is checked against its folded text
 * (src/domain/text-match.ts). Each page's search keys are indexed one character a token —
 * written with a space between characters, so FTS5's unicode61 tokenizer makes every letter,
 * digit or ideograph a token of its own (punctuation is a separator, as it is in the phrase) —
 * and a phrase of any length is an FTS5 phrase query of its characters
 * (https://www.sqlite.org/fts5.html#fts5_phrases): a page holding the phrase always holds that
 * token sequence, so no page is missed; the check drops pages where punctuation made tokens adjacent.
 * Approximate mode (one character substituted) asks for either half of the phrase exactly: a
 * phrase with one character changed keeps one half intact (the pigeonhole principle).
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Box } from '../../domain/page-text.js';
import { findMatches, indexable, keysOf, phraseChars, type FoundMatch } from '../../domain/text-match.js';
import type { TextStatus } from '../../ports/page-text-store.js';
import {
  APPROXIMATE_MIN, type BookHit, type IndexedPage, type PageHit, type TextMatch, type TextSearchIndex, type TextSearchQuery, type TextSearchResult,
} from '../../ports/text-search-index.js';
import { parseCensusNumber } from '../../domain/census-number.js';
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
  -- The characters as written: joined, or a JSON array when one is more than a code point.
  written TEXT NOT NULL,
  -- Their boxes, four unsigned 16-bit integers each (x, y, w, h: masters are under 65,536 px a side).
  boxes BLOB NOT NULL,
  UNIQUE (census_number, image_id)
);
CREATE INDEX pages_book ON pages (census_number, sequence);
CREATE VIRTUAL TABLE fts USING fts5(body, book, tokenize = 'unicode61 remove_diacritics 0', content = '', contentless_delete = 1);
`;
/** Raised by hand when what is stored changes meaning without the schema changing (the keys' rule). */
const LAYOUT_VERSION = 1;
const LAYOUT = createHash('sha256').update(`${LAYOUT_VERSION}\n${SCHEMA}`).digest('hex').slice(0, 16);

/** Characters of context each side of a match. */
const CONTEXT = 12;

const spaced = (keys: string) => [...keys].join(' ');
/** An FTS5 phrase of the keys a word index keeps (a `"` is a separator for unicode61; doubled to be safe). */
const ftsPhrase = (keys: string) => `"${[...keys].filter(indexable).join(' ').replaceAll('"', '""')}"`;

/** A page's characters kept compactly: 8 bytes of box and the character itself (JSON took ~25 bytes a character). */
function packed(chars: IndexedPage['chars']): { written: string; boxes: Buffer } {
  const boxes = new Uint16Array(chars.length * 4);
  chars.forEach((c, i) => boxes.set(c.box.map((v) => Math.min(65_535, Math.max(0, Math.round(v)))), i * 4));
  // A page that opens with `[` is kept as JSON too, so reading it back is never ambiguous.
  const single = chars.every((c) => [...c.char].length === 1) && chars[0]?.char !== '[';
  return { written: single ? chars.map((c) => c.char).join('') : JSON.stringify(chars.map((c) => c.char)), boxes: Buffer.from(boxes.buffer) };
}

function unpacked(row: { written: string; boxes: Buffer }): [string, ...Box][] {
  const chars: string[] = row.written.startsWith('[') ? JSON.parse(row.written) : [...row.written];
  // A copy: the blob's bytes need not start on an even offset.
  const boxes = new Uint16Array(new Uint8Array(row.boxes).buffer);
  return chars.map((c, i) => [c, boxes[i * 4]!, boxes[i * 4 + 1]!, boxes[i * 4 + 2]!, boxes[i * 4 + 3]!]);
}

interface Candidate {
  id: number;
  census_number: string;
  image_id: string;
  sequence: number;
  juan: string | null;
  status: TextStatus;
  /** The page's keys, or, for a single character, null and its count (`n`) as SQLite made it. */
  keys: string | null;
  n: number | null;
}

export class SqliteTextSearchIndex implements TextSearchIndex {
  readonly description: string;
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.ensureLayout();
    this.statements = {
      find: this.db.prepare('SELECT id FROM pages WHERE census_number = ? AND image_id = ?').pluck(),
      insert: this.db.prepare(`INSERT INTO pages (census_number, image_id, unit, sequence, juan, status, published, keys, written, boxes)
        VALUES (@censusNumber, @imageId, @unit, @sequence, @juan, @status, @published, @keys, @written, @boxes)`),
      insertFts: this.db.prepare('INSERT INTO fts (rowid, body, book) VALUES (?, ?, ?)'),
      deletePage: this.db.prepare('DELETE FROM pages WHERE id = ?'),
      deleteFts: this.db.prepare('DELETE FROM fts WHERE rowid = ?'),
      publish: this.db.prepare('UPDATE pages SET published = ? WHERE census_number = ?'),
      chars: this.db.prepare('SELECT written, boxes FROM pages WHERE id = ?'),
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

  /** Many pages in one transaction (a rebuild, the bench). */
  putAll(pages: readonly IndexedPage[]): void {
    this.db.transaction(() => {
      for (const page of pages) {
        this.removeNow(page.censusNumber, page.imageId);
        const keys = keysOf(page.chars.map((c) => c.char));
        const { lastInsertRowid } = this.statements.insert.run({
          censusNumber: page.censusNumber, imageId: page.imageId, unit: parseCensusNumber(page.censusNumber)?.unitKey ?? '', sequence: page.sequence,
          juan: page.juan, status: page.status, published: page.published ? 1 : 0, keys,
          ...packed(page.chars),
        });
        this.statements.insertFts.run(lastInsertRowid, spaced(keys), page.censusNumber);
      }
    })();
  }

  private removeNow(censusNumber: string, imageId: string): void {
    const id = this.statements.find.get(censusNumber, imageId) as number | undefined;
    if (id === undefined) return;
    this.statements.deleteFts.run(id);
    this.statements.deletePage.run(id);
  }

  async remove(censusNumber: string, imageId: string): Promise<void> {
    this.db.transaction(() => this.removeNow(censusNumber, imageId))();
  }

  async setPublished(censusNumber: string, published: boolean): Promise<void> {
    this.statements.publish.run(published ? 1 : 0, censusNumber);
  }

  async search(query: TextSearchQuery): Promise<TextSearchResult> {
    const phrase = keysOf(phraseChars(query.q));
    const length = [...phrase].length;
    if (length === 0) return { total: 0, matchCount: 0, books: [] };
    const approximate = query.approximate && length >= APPROXIMATE_MIN;
    // A phrase of punctuation alone narrows nothing: every visible page is checked.
    let match = [...phrase].some(indexable) ? `body: ${ftsPhrase(phrase)}` : '';
    if (approximate) {
      const half = Math.floor(length / 2);
      const [left, right] = [[...phrase].slice(0, half).join(''), [...phrase].slice(half).join('')];
      // A half with nothing a word index keeps narrows nothing: every page is a candidate then.
      match = [left, right].every((h) => [...h].some(indexable)) ? `body: (${ftsPhrase(left)} OR ${ftsPhrase(right)})` : '';
    }
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.censusNumber) {
      where.push('p.census_number = ?');
      params.push(query.censusNumber);
      if (match) match = `(${match}) AND book: "${query.censusNumber.replaceAll('"', '""')}"`;
    }
    if (query.visibility.public) where.push("p.published = 1 AND p.status = 'verified'");
    else if (query.visibility.units !== 'all') {
      where.push('(p.published = 1 OR p.unit = ?)');
      params.push(query.visibility.units);
    }
    const from = match ? 'fts JOIN pages p ON p.id = fts.rowid' : 'pages p';
    if (match) {
      where.unshift('fts MATCH ?');
      params.unshift(match);
    }
    // One character a word index keeps: every candidate holds it, so SQLite counts it in place
    // (length() counts characters) instead of handing every page's keys over to be scanned; the
    // keys of the pages shown are read afterwards. The most common characters (之, 也, 而) are
    // on most pages, and reading those keys was most of such a search's time.
    const counted = length === 1 && match !== '';
    const keys = counted ? `NULL AS keys, length(p.keys) - length(replace(p.keys, ?, '')) AS n` : 'p.keys, NULL AS n';
    if (counted) params.unshift(phrase);
    const candidates = this.db.prepare(`SELECT p.id, p.census_number, p.image_id, p.sequence, p.juan, p.status, ${keys} FROM ${from}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`).all(...params) as Candidate[];
    return rankHits(candidates, phrase, approximate, query, {
      chars: (id) => unpacked(this.statements.chars.get(id) as { written: string; boxes: Buffer }),
      keys: (id) => this.statements.keys.get(id) as string,
    });
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
      this.db.exec("DELETE FROM pages; DELETE FROM fts; DELETE FROM meta WHERE key = 'seq'");
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

/**
 * Checks the candidate pages, groups their matches by book and ranks them: books and pages with
 * more exact matches first (approximate ones count after), then census number and page order.
 * The characters (as written, with boxes) are read only for the pages shown.
 */
function rankHits(
  candidates: readonly Candidate[], phrase: string, approximate: boolean, query: TextSearchQuery,
  read: { chars: (id: number) => [string, ...Box][]; keys: (id: number) => string },
): TextSearchResult {
  const books = new Map<string, { hit: BookHit; pages: { c: Candidate; found: FoundMatch[] | null; count: number; exact: number }[] }>();
  let matchCount = 0;
  for (const c of candidates) {
    // Counted by SQLite (a single character: every match exact), or found in the keys.
    const found = c.keys === null ? null : findMatches(c.keys, phrase, approximate);
    const count = found ? found.length : c.n ?? 0;
    if (count === 0) continue;
    const exact = found ? found.filter((f) => f.exact).length : count;
    let book = books.get(c.census_number);
    if (!book) books.set(c.census_number, (book = { hit: { censusNumber: c.census_number, pageCount: 0, matchCount: 0, exactCount: 0, pages: [] }, pages: [] }));
    book.pages.push({ c, found, count, exact });
    book.hit.pageCount += 1;
    book.hit.matchCount += count;
    book.hit.exactCount += exact;
    matchCount += count;
  }
  const ranked = [...books.values()].sort((a, b) => b.hit.exactCount - a.hit.exactCount || b.hit.matchCount - a.hit.matchCount
    || (a.hit.censusNumber < b.hit.censusNumber ? -1 : 1));
  const n = [...phrase].length;
  const shown = ranked.slice(query.offset, query.offset + query.limit).map(({ hit, pages }) => {
    pages.sort((a, b) => b.exact - a.exact || b.count - a.count || a.c.sequence - b.c.sequence);
    hit.pages = pages.slice(0, query.pagesPerBook).map(({ c, found: known, exact }): PageHit => {
      const found = known ?? findMatches(read.keys(c.id), phrase, approximate);
      const chars = read.chars(c.id);
      const text = (from: number, to: number) => chars.slice(Math.max(0, from), Math.max(0, to)).map((ch) => ch[0]).join('');
      return {
        imageId: c.image_id, sequence: c.sequence, juan: c.juan, status: c.status, proofread: c.status === 'proofread' || c.status === 'verified',
        total: found.length, exactCount: exact,
        // Exact matches first, then in reading order.
        matches: [...found].sort((a, b) => Number(b.exact) - Number(a.exact) || a.start - b.start).slice(0, query.matchesPerPage).map((f): TextMatch => ({
          prefix: text(f.start - CONTEXT, f.start), exact: text(f.start, f.start + n), suffix: text(f.start + n, f.start + n + CONTEXT),
          chars: chars.slice(f.start, f.start + n).map((ch) => ch[0]), start: f.start, boxes: chars.slice(f.start, f.start + n).map((ch) => ch.slice(1) as Box), isExact: f.exact,
        })),
      };
    });
    return hit;
  });
  return { total: ranked.length, matchCount, books: shown };
}
