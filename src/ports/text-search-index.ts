/**
 * Search inside the books (issue 16): the text of every page, folded as the catalogue search
 * folds (src/domain/text-fold.ts, one code point per code point, so a match's offsets map back
 * onto the characters as written and their boxes), searched for a phrase of any length within a
 * book or across the catalogue. Adapters: src/adapters/embedded/sqlite-text-search-index.ts;
 * test/contract/text-search-index.contract.ts holds every adapter to the same behaviour.
 *
 * The index is rebuildable from the page-text store and the records (src/services/text-search-service.ts).
 */
import type { Box } from '../domain/page-text.js';
import type { TextStatus } from './page-text-store.js';

/** One page's searchable text: the characters of its body and notes in reading order, as written. */
export interface IndexedPage {
  censusNumber: string;
  imageId: string;
  /** The page's place in the book (1-based) and its 卷, when the structure names one. */
  sequence: number;
  juan: string | null;
  status: TextStatus;
  /** Whether the record is published (with `status` verified, the page is public). */
  published: boolean;
  chars: { char: string; box: Box }[];
}

/**
 * Whose drafts a search sees: the public sees verified pages of published records; staff see
 * every page of published records and the records they may read (`units: 'all'` for reviewers
 * and admins, a surveyor's unit key otherwise) — src/domain/permissions.ts readPageDrafts.
 */
export type TextVisibility = { public: true } | { public: false; units: 'all' | string };

export interface TextSearchQuery {
  /** The phrase as typed (folded by the index). */
  q: string;
  /** Within one book, or across the catalogue when left out. */
  censusNumber?: string;
  visibility: TextVisibility;
  /** Also phrases of ≥ APPROXIMATE_MIN characters with one character substituted, ranked after the exact ones. */
  approximate: boolean;
  /** Books skipped and returned (book-level paging), and the best pages shown for each. */
  offset: number;
  limit: number;
  pagesPerBook: number;
  /** Matches returned for each page shown (boxes for highlighting). */
  matchesPerPage: number;
}

/** The shortest phrase searched approximately: shorter ones would match almost anywhere. */
export const APPROXIMATE_MIN = 4;

export interface TextMatch {
  /** Characters before and after, and the match itself, as written. */
  prefix: string;
  exact: string;
  suffix: string;
  /** The matched characters as written, one each (a character may be a code point with its marks). */
  chars: string[];
  /** Offset of the match among the page's characters. */
  start: number;
  /** The matched characters' boxes, in reading order. */
  boxes: Box[];
  /** False for a match with one character substituted (approximate mode). */
  isExact: boolean;
}

export interface PageHit {
  imageId: string;
  sequence: number;
  juan: string | null;
  status: TextStatus;
  /** Proofread or verified by a person (not an OCR or aligned draft). */
  proofread: boolean;
  /** How many matches the page has (exact and approximate), and the first `matchesPerPage`. */
  total: number;
  exactCount: number;
  matches: TextMatch[];
}

export interface BookHit {
  censusNumber: string;
  /** Pages with a match, and matches, in the whole book. */
  pageCount: number;
  matchCount: number;
  exactCount: number;
  /** The best pages: most exact matches first, then the book's order. */
  pages: PageHit[];
}

export interface TextSearchResult {
  /** Books with a match, and matches across them. */
  total: number;
  matchCount: number;
  books: BookHit[];
}

export interface TextSearchIndex {
  /** Indexes a page's text, replacing what the page had. */
  put(page: IndexedPage): Promise<void>;
  remove(censusNumber: string, imageId: string): Promise<void>;
  /** A record was published or taken back: its pages' visibility follows. */
  setPublished(censusNumber: string, published: boolean): Promise<void>;
  search(query: TextSearchQuery): Promise<TextSearchResult>;
  /** Pages indexed (0 when the index is new: the service then fills it from the store). */
  count(): Promise<number>;
  /** The catalogue-store sequence whose record changes (publications) the index has seen. */
  lastSeq(): Promise<number>;
  setLastSeq(seq: number): Promise<void>;
  clear(): Promise<void>;
  readonly description: string;
  close(): Promise<void>;
}
