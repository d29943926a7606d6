/**
 * The contract the search service sees for full-text search with facets. Adapters:
 * src/adapters/embedded/fts-search-index.ts (SQLite FTS5, the default) and, with MEILI_URL,
 * Meilisearch. test/contract/search-index.contract.ts runs every adapter through one suite.
 *
 * Adapters receive text as written and fold and cut it themselves through
 * src/domain/search-text.ts, so every engine matches the same way.
 */
import { countedFacetsOf, FACET_TABLE, FACETS, type FacetName } from '../domain/facets.js';
import type { PinyinTokens } from '../domain/search-pinyin.js';

/** The facets, declared in src/domain/facets.ts: the search document holds one value of each. */
export { FACETS, type FacetName };

/**
 * What the search service puts in a document (searchDocumentOf): raise it when a field or a
 * facet's values are computed differently, so that every adapter re-indexes every record instead
 * of answering from documents made the old way. 2: the century facet's `span` bucket and the
 * base edition's years. 3: the pinyin of titles and names. A facet added to or removed from the table needs no raise: the adapters
 * record the facet set they were built with and rebuild when it changes.
 */
export const SEARCH_DOCUMENT_VERSION = 3;

/** The facets searchers and the overview count (FacetDeclaration.counted: the staff ones for staff only). */
export const countedFacets = (staff: boolean): FacetName[] => countedFacetsOf(FACET_TABLE, staff);

/** N: the facet names (another table's in a test of an index built before a facet was added). */
export interface SearchDocument<N extends string = FacetName> {
  censusNumber: string;
  /** Searchable text as written, by how it ranks: title first, other fields last. */
  text: { title: string; persons: string; edition: string; other: string };
  /** The derived title proper (金華府志), for exact and prefix ranking. */
  titleProper: string;
  /** The pinyin of the titles and names (src/domain/search-pinyin.ts), matched by queries asked as pinyin. */
  pinyin: PinyinTokens;
  facets: Record<N, string | null>;
  /** The copy's years: the last event that made it (a later printing or repair). */
  yearFrom: number | null;
  yearTo: number | null;
  /** The base edition's years (the edition reproduced or first carved); the copy's when it names none. */
  baseYearFrom: number | null;
  baseYearTo: number | null;
}

export type SearchSort = 'relevance' | 'censusNumber' | '-censusNumber' | 'year' | '-year';

/**
 * How a year range selects a record's span of years: `overlap` (the default) any record whose
 * span meets the range; `within` only those whose whole span lies inside it, so 1700–1750 leaves
 * out a plain 清 (1644–1911).
 */
export const YEAR_MATCHES = ['overlap', 'within'] as const;
export type YearMatch = (typeof YEAR_MATCHES)[number];

/** Whose years a range is on: the copy's (the default) or its base edition's. */
export const YEAR_OFS = ['copy', 'base'] as const;
export type YearOf = (typeof YEAR_OFS)[number];

export interface SearchQuery<N extends string = FacetName> {
  /** What the user typed; empty browses everything the filters allow. */
  text: string;
  /**
   * Match the text as pinyin (pinyinKey of src/domain/search-pinyin.ts) against the pinyin of
   * titles and names instead of the text of the fields; ranked as the fields are (title
   * itself, title start, titles, persons).
   */
  pinyin?: boolean;
  filters: Partial<Record<N, string[]>>;
  yearFrom?: number;
  yearTo?: number;
  /** How yearFrom/yearTo select; overlap when absent. */
  yearMatch?: YearMatch;
  /** Whose years yearFrom/yearTo are on; the copy's when absent. */
  yearOf?: YearOf;
  /** 'published' for anonymous searchers; a unit key for a surveyor (own unit and published). */
  visibleTo: 'all' | 'published' | { unit: string };
  sort: SearchSort;
  offset: number;
  limit: number;
  /** Which facets to count over the matches. */
  facets: readonly N[];
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResult<N extends string = FacetName> {
  total: number;
  /** Census numbers of the page, best first. */
  hits: string[];
  facets: Partial<Record<N, FacetCount[]>>;
}

export interface SearchIndex {
  /** Adds or replaces documents, and records that the index has caught up to `seq`. */
  upsert(documents: SearchDocument[], seq: number): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  /** The store sequence the index has caught up to (0 when empty). */
  lastSeq(): Promise<number>;
  /** Removes every document and resets the sequence (for a rebuild). */
  clear(): Promise<void>;
  readonly description: string;
  close(): Promise<void>;
}
