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
import { indexable, keysOf, phraseChars } from '../../domain/text-match.js';
import {
  APPROXIMATE_MIN, type IndexedPage, type TextSearchIndex, type TextSearchQuery, type TextSearchResult,
} from '../../ports/text-search-index.js';
import { type Candidate, packed, rankHits, unpacked } from '../text-search-hits.js';
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

const spaced = (keys: string) => [...keys].join(' ');
/** An FTS5 phrase of the keys a word index keeps (a `"` is a separator for unicode61; doubled to be safe). */
const ftsPhrase = (keys: string) => `"${[...keys].filter(indexable).join(' ').replaceAll('"', '""')}"`;

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
