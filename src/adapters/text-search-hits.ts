/**
 * What the text search adapters share (issue 16): a page's characters kept compactly, and the
 * ranking of the candidate pages an index narrowed to. Moved unchanged from
 * src/adapters/embedded/sqlite-text-search-index.ts so the Meilisearch adapter
 * (src/adapters/meili/meili-text-search-index.ts) answers as the embedded one does; the ranking
 * is split in two (rankBooks, pageHit) so an adapter that reads the pages shown asynchronously
 * can read them between the two.
 */
import type { Box } from '../domain/page-text.js';
import { findMatches, type FoundMatch } from '../domain/text-match.js';
import type { TextStatus } from '../ports/page-text-store.js';
import type { BookHit, IndexedPage, PageHit, TextMatch, TextSearchQuery } from '../ports/text-search-index.js';

/** Characters of context each side of a match. */
const CONTEXT = 12;

/** A page's characters kept compactly: 8 bytes of box and the character itself (JSON took ~25 bytes a character). */
export function packed(chars: IndexedPage['chars']): { written: string; boxes: Buffer } {
  const boxes = new Uint16Array(chars.length * 4);
  chars.forEach((c, i) => boxes.set(c.box.map((v) => Math.min(65_535, Math.max(0, Math.round(v)))), i * 4));
  // A page that opens with `[` is kept as JSON too, so reading it back is never ambiguous.
  const single = chars.every((c) => [...c.char].length === 1) && chars[0]?.char !== '[';
  return { written: single ? chars.map((c) => c.char).join('') : JSON.stringify(chars.map((c) => c.char)), boxes: Buffer.from(boxes.buffer) };
}

export function unpacked(row: { written: string; boxes: Buffer }): [string, ...Box][] {
  const chars: string[] = row.written.startsWith('[') ? JSON.parse(row.written) : [...row.written];
  // A copy: the blob's bytes need not start on an even offset.
  const boxes = new Uint16Array(new Uint8Array(row.boxes).buffer);
  return chars.map((c, i) => [c, boxes[i * 4]!, boxes[i * 4 + 1]!, boxes[i * 4 + 2]!, boxes[i * 4 + 3]!]);
}

export interface Candidate {
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

/** A candidate page with its matches (null: counted, not yet found). */
export interface RankedPage {
  c: Candidate;
  found: FoundMatch[] | null;
  count: number;
  exact: number;
}

export interface PageReader {
  chars: (id: number) => [string, ...Box][];
  keys: (id: number) => string;
}

/** A book's hit and its candidate pages with their matches. */
export interface BookPages {
  hit: BookHit;
  pages: RankedPage[];
}

/** Checks the candidate pages and groups their matches by book (a page with none is dropped). */
export function groupedByBook(candidates: readonly Candidate[], phrase: string, approximate: boolean): Map<string, BookPages> {
  const books = new Map<string, BookPages>();
  for (const c of candidates) {
    // Counted by SQLite (every match exact), or found in the keys.
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
  }
  return books;
}

/**
 * Ranks the books: more exact matches first (approximate ones count after), then more matches,
 * then census number; gives the total, every book's matches summed, and the books of the page asked.
 */
export function rankedBooks<B extends { hit: BookHit }>(books: B[], query: TextSearchQuery): { total: number; matchCount: number; shown: B[] } {
  const sorted = [...books].sort((a, b) => b.hit.exactCount - a.hit.exactCount || b.hit.matchCount - a.hit.matchCount
    || (a.hit.censusNumber < b.hit.censusNumber ? -1 : 1));
  return { total: sorted.length, matchCount: sorted.reduce((sum, b) => sum + b.hit.matchCount, 0), shown: sorted.slice(query.offset, query.offset + query.limit) };
}

/** A book's best pages by the same rule (more exact, then more matches), then the book's order. */
export function bestPages(pages: RankedPage[], pagesPerBook: number): RankedPage[] {
  return [...pages].sort((a, b) => b.exact - a.exact || b.count - a.count || a.c.sequence - b.c.sequence).slice(0, pagesPerBook);
}

/** groupedByBook, rankedBooks and bestPages: the books shown with their best pages, whose characters are not read yet. */
export function rankBooks(candidates: readonly Candidate[], phrase: string, approximate: boolean, query: TextSearchQuery): { total: number; matchCount: number; shown: BookPages[] } {
  const { total, matchCount, shown } = rankedBooks([...groupedByBook(candidates, phrase, approximate).values()], query);
  return { total, matchCount, shown: shown.map(({ hit, pages }) => ({ hit, pages: bestPages(pages, query.pagesPerBook) })) };
}

/** A page shown, its matches with their context and boxes; the characters are read for it alone. */
export function pageHit(page: RankedPage, phrase: string, approximate: boolean, matchesPerPage: number, read: PageReader): PageHit {
  const { c, found: known, exact } = page;
  const n = [...phrase].length;
  const found = known ?? findMatches(read.keys(c.id), phrase, approximate);
  const chars = read.chars(c.id);
  const text = (from: number, to: number) => chars.slice(Math.max(0, from), Math.max(0, to)).map((ch) => ch[0]).join('');
  return {
    imageId: c.image_id, sequence: c.sequence, juan: c.juan, status: c.status, proofread: c.status === 'proofread' || c.status === 'verified',
    total: found.length, exactCount: exact,
    // Exact matches first, then in reading order.
    matches: [...found].sort((a, b) => Number(b.exact) - Number(a.exact) || a.start - b.start).slice(0, matchesPerPage).map((f): TextMatch => ({
      prefix: text(f.start - CONTEXT, f.start), exact: text(f.start, f.start + n), suffix: text(f.start + n, f.start + n + CONTEXT),
      chars: chars.slice(f.start, f.start + n).map((ch) => ch[0]), start: f.start, boxes: chars.slice(f.start, f.start + n).map((ch) => ch.slice(1) as Box), isExact: f.exact,
    })),
  };
}
