/**
 * Search: what is indexed for each record, keeping the index caught up with the store, and
 * answering researchers' queries with highlights and facet counts.
 *
 * The store is the truth. Every write gets a sequence number; the indexer reads the writes after
 * the last sequence the index holds and indexes them. A failed pass loses nothing: the next one
 * (after the next write, or on the timer) starts again from the same sequence.
 */
import { z } from 'zod';
import type { CensusRecord } from '../domain/census-record.js';
import { FACET_TABLE, facetFilterShape, facetValuesOf, type FacetDeclaration } from '../domain/facets.js';
import { parseCensusNumber } from '../domain/census-number.js';
import { pinyinKey, pinyinTokensOf } from '../domain/search-pinyin.js';
import { FILLER, highlight, matchRanges, queryPhrases } from '../domain/search-text.js';
import { parseOrThrow } from '../domain/validation.js';
import type { Actor } from '../domain/workflow.js';
import type { CatalogueStore } from '../ports/catalogue-store.js';
import { phraseProblem, type ShownResult, type TextSearchService } from './text-search-service.js';
import { countedFacets, FACETS, YEAR_MATCHES, YEAR_OFS, type FacetCount, type SearchDocument, type SearchIndex, type SearchQuery, type SearchResult } from '../ports/search-index.js';

/** The document a record is indexed as: every as-written statement and derived field. */
export function searchDocumentOf(record: CensusRecord, unitName: string | null): SearchDocument;
/** With another facet table (a test of an index built before a facet was added). */
export function searchDocumentOf<N extends string>(record: CensusRecord, unitName: string | null, facets: readonly FacetDeclaration<N>[]): SearchDocument<N>;
export function searchDocumentOf(record: CensusRecord, unitName: string | null, facets: readonly FacetDeclaration[] = FACET_TABLE): SearchDocument<string> {
  const f = record.fields;
  const d = record.derived;
  const lines = (...values: (string | null | undefined)[]) => values.filter((v): v is string => Boolean(v)).join('\n');
  return {
    censusNumber: f.censusNumber,
    text: {
      title: lines(f.titleStatement, d.title.title, f.series, ...(f.contents ?? [])),
      persons: lines(f.creatorStatement, ...d.creators.map((p) => p.name), ...(f.annotations ?? []).map((a) => `${a.dynasty ?? ''}${a.person}${a.role}`)),
      edition: lines(f.editionStatement, d.edition.type, d.edition.imprint, d.edition.date?.reignEra),
      other: lines(
        f.censusNumber, f.callNumber, unitName, f.extant, f.classification, f.grade, f.damage?.notes, f.binding, f.layout,
        f.frameSize, f.pageSize, ...(f.seals ?? []), ...(f.boundWith ?? []), f.preciousListNumber, f.notes, f.abstract,
        ...(f.annotations ?? []).map((a) => a.text),
      ),
    },
    titleProper: d.title.title,
    // The titles and names researchers type by their reading (issue 20: pinyin search).
    pinyin: pinyinTokensOf(d.title.title, [f.series, ...(f.contents ?? []), f.partOf?.work].filter((v): v is string => Boolean(v)), d.creators.map((p) => p.name)),
    facets: facetValuesOf(facets, record),
    yearFrom: d.edition.date?.gregorianFrom ?? null,
    yearTo: d.edition.date?.gregorianTo ?? null,
    baseYearFrom: (d.edition.baseDate ?? d.edition.date)?.gregorianFrom ?? null,
    baseYearTo: (d.edition.baseDate ?? d.edition.date)?.gregorianTo ?? null,
  };
}

export class SearchIndexer {
  private running: Promise<void> = Promise.resolve();
  private pending = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: CatalogueStore,
    private readonly index: SearchIndex,
    private readonly log: (message: string, error?: unknown) => void = console.error,
    private readonly batchSize = 500,
  ) {}

  /** Indexes every write the index has not seen; resolves when caught up. */
  catchUp(onProgress?: (indexed: number) => void): Promise<void> {
    // One pass at a time; a request while one runs schedules exactly one more after it.
    if (this.pending) return this.running;
    this.pending = true;
    // A failed pass must not stop the ones after it: each starts from the index's own sequence.
    this.running = this.running.catch(() => {}).then(async () => {
      this.pending = false;
      const units = new Map((await this.store.units.list()).map((u) => [`${u.province}-${u.code}`, u.name]));
      let seq = await this.index.lastSeq();
      let indexed = 0;
      for (;;) {
        const changes = await this.store.records.changesSince(seq, this.batchSize);
        if (changes.length === 0) break;
        const documents = changes.map(({ record }) =>
          searchDocumentOf(record, units.get(parseCensusNumber(record.fields.censusNumber)?.unitKey ?? '') ?? null),
        );
        seq = changes[changes.length - 1]!.seq;
        await this.index.upsert(documents, seq);
        indexed += changes.length;
        onProgress?.(indexed);
      }
    });
    return this.running;
  }

  /** After a write: catch up soon, without making the writer wait or fail. */
  notify(): void {
    this.catchUp().catch((e) => this.log('search indexing failed; it is retried on the next write or tick', e));
  }

  /** A safety net: catch up every `ms` in case a notification was lost or a pass failed. */
  start(ms = 2000): void {
    this.timer = setInterval(() => this.notify(), ms);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Empties the index and indexes every record again (npm run reindex). */
  async rebuild(onProgress?: (indexed: number) => void): Promise<void> {
    await this.running.catch(() => {});
    await this.index.clear();
    await this.catchUp(onProgress);
  }
}

/**
 * Where a query is looked for (issue 16): the catalogue's fields (著录, the default), the text of
 * the digitized books' pages (全文), or both (全部).
 */
export const SEARCH_IN = ['fields', 'text', 'all'] as const;
export type SearchIn = (typeof SEARCH_IN)[number];

/** Books found in the text that a catalogue search takes at most (the best first): they are filtered and counted in memory. */
export const MAX_TEXT_BOOKS = 1000;
/** Best pages shown under a hit found in the text, and matches shown for each. */
const TEXT_PAGES_PER_HIT = 3;
const TEXT_MATCHES_PER_PAGE = 3;

const emptyIsAbsent = (v: unknown) => (v === '' ? undefined : v);

export const SearchParamsSchema = z
  .object({
    q: z.string().max(200, 'must be at most 200 characters').default(''),
    ...facetFilterShape(FACETS),
    // The page's year boxes send `yearFrom=` when left empty: that is no bound, not year 0.
    yearFrom: z.preprocess(emptyIsAbsent, z.coerce.number().int().optional()),
    yearTo: z.preprocess(emptyIsAbsent, z.coerce.number().int().optional()),
    yearMatch: z.enum(YEAR_MATCHES).default('overlap'),
    yearOf: z.enum(YEAR_OFS).default('copy'),
    sort: z.enum(['relevance', 'censusNumber', '-censusNumber', 'year', '-year']).default('relevance'),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    in: z.enum(SEARCH_IN).default('fields'),
  })
  .strict();

/** What a searcher may see: anonymous readers published records, surveyors also their unit's, staff all. */
export function visibilityOf(actor: Actor | null): SearchQuery['visibleTo'] {
  return !actor ? 'published' : actor.role === 'surveyor' ? { unit: actor.unit ?? '' } : 'all';
}

export class SearchService {
  constructor(
    private readonly store: CatalogueStore,
    private readonly index: SearchIndex,
    /** Search inside the books (issue 16): `in=text` and `in=all`; without it every search is of the fields. */
    private readonly text?: TextSearchService,
  ) {}

  /** The query a searcher's parameters ask for, as the index takes it. */
  private queryOf(actor: Actor | null, params: unknown) {
    const p = parseOrThrow(SearchParamsSchema, params);
    const staff = actor !== null;
    const filters: SearchQuery['filters'] = {};
    for (const facet of FACETS) if (p[facet]) filters[facet] = p[facet];
    const query: SearchQuery = {
      text: p.q,
      filters,
      ...(p.yearFrom !== undefined ? { yearFrom: p.yearFrom } : {}),
      ...(p.yearTo !== undefined ? { yearTo: p.yearTo } : {}),
      yearMatch: p.yearMatch,
      yearOf: p.yearOf,
      visibleTo: visibilityOf(actor),
      // Without a query there is nothing to rank by; browse in census-number order.
      sort: p.sort === 'relevance' && !p.q.trim() ? 'censusNumber' : p.sort,
      offset: (p.page - 1) * p.pageSize,
      limit: p.pageSize,
      // The workflow status is staff business.
      facets: countedFacets(staff),
    };
    return { p, query };
  }

  /**
   * Every census number the parameters select, in their order, at once (for exports): paging
   * through a large result with offsets would sort it again for every page.
   */
  async censusNumbers(actor: Actor | null, params: Record<string, unknown>): Promise<string[]> {
    const { page: _page, pageSize: _pageSize, ...rest } = params;
    const { query } = this.queryOf(actor, rest);
    // The records the page shows for these parameters, segmented query included.
    const { searched } = await this.answer({ ...query, offset: 0, limit: 0, facets: [] });
    return (await this.every(searched)).hits;
  }

  /**
   * The index's answer to a query, or when it finds nothing, to it read as pinyin or to its
   * segmented form (issue 20).
   */
  private async answer(query: SearchQuery) {
    const result = await this.index.search(query);
    // Latin letters that match no field as written (a call number, a note) are pinyin typed
    // without a Chinese input method: zizhi tongjian, zztj.
    if (result.total === 0 && pinyinKey(query.text)) {
      const searched = { ...query, pinyin: true };
      return { searched, result: await this.index.search(searched), segmented: null };
    }
    // A run of characters with no exact hit (乾隆刻本) may still be words that stand apart in the
    // records (乾隆…刻本): try it as separate terms and say so.
    const segmented = result.total === 0 ? await this.segmented(query) : null;
    if (!segmented) return { searched: query, result, segmented };
    const searched = { ...query, text: segmented.join(' ') };
    return { searched, result: await this.index.search(searched), segmented };
  }

  async search(actor: Actor | null, params: unknown): Promise<SearchAnswer> {
    const { p, query } = this.queryOf(actor, params);
    if (p.in !== 'fields' && this.text) return this.searchText(actor, p.q, p.in, query, p.page);
    const answered = await this.answer(query);
    const { segmented } = answered;
    let { searched, result } = answered;
    // A page past the last (?page=999 of 7) shows the last page and says which it is.
    let page = p.page;
    if (result.hits.length === 0 && result.total > 0) {
      page = Math.ceil(result.total / p.pageSize);
      searched = { ...searched, offset: (page - 1) * p.pageSize };
      result = await this.index.search(searched);
    }
    const shown = await this.shown(result.hits, searched.text);
    // Digitized hits whose text holds the query too are counted, for a link to search the text (in=text).
    const digitized = shown.filter((h) => (h.record.pageCount ?? 0) > 0).map((h) => h.record.fields.censusNumber);
    const inText = this.text && digitized.length > 0 && phraseProblem(p.q) === null
      ? await this.text.inBooks(actor, digitized, { q: p.q, approximate: false, pagesPerBook: 0, matchesPerPage: 0 })
      : new Map<string, TextHit>();
    const hits = shown.map((h) => ({ ...h, matchedIn: ['fields'] as SearchIn[], text: inText.get(h.record.fields.censusNumber) ?? null }));
    return { query, in: p.in, segmented, pinyin: searched.pinyin === true, total: result.total, hits, facets: result.facets, page, pageSize: p.pageSize };
  }

  /**
   * Search inside the books from the catalogue search (issue 16): the books whose page text holds
   * the phrase (the first MAX_TEXT_BOOKS, as the text search ranks them and lets the actor see
   * them), narrowed by the filters; with `all`, after the books whose fields match. Each hit on
   * the page carries its best pages. The order asked (census number, year) sorts the books found
   * only in the text among themselves: hits in the fields come first, in the index's order.
   */
  private async searchText(actor: Actor | null, q: string, where: 'text' | 'all', query: SearchQuery, asked: number): Promise<SearchAnswer> {
    const text = this.text!;
    const found = await text.booksFound(actor, q, MAX_TEXT_BOOKS);
    let inText = found.books.map((b) => b.censusNumber);
    const narrowed = Object.values(query.filters).some((v) => v && v.length > 0) || query.yearFrom !== undefined || query.yearTo !== undefined;
    if (narrowed) {
      // The filters as the index applies them (facets, years, whose years), over every record they select.
      const allowed = new Set((await this.every({ ...query, text: '' })).hits);
      inText = inText.filter((cn) => allowed.has(cn));
    }
    let fields: { ids: string[]; facets: SearchResult['facets']; searched: string; segmented: string[] | null; pinyin: boolean } = {
      ids: [], facets: {}, searched: q, segmented: null, pinyin: false,
    };
    if (where === 'all') {
      const { searched, segmented } = await this.answer({ ...query, offset: 0, limit: 0, facets: [] });
      const all = await this.every(searched, query.facets);
      fields = { ids: all.hits, facets: all.facets, searched: searched.text, segmented, pinyin: searched.pinyin === true };
    }
    const inFields = new Set(fields.ids);
    const onlyInText = (await Promise.all(inText.filter((cn) => !inFields.has(cn)).map((cn) => this.store.records.get(cn))))
      .filter((r): r is CensusRecord => r !== null);
    const ids = [...fields.ids, ...sortedBy(onlyInText, query.sort).map((r) => r.fields.censusNumber)];
    const facets = addedFacets(fields.facets, facetCounts(onlyInText, query.facets));
    // A page past the last shows the last page, as for the fields.
    const pageSize = query.limit;
    const page = ids.length === 0 ? asked : Math.min(asked, Math.ceil(ids.length / pageSize));
    const pageIds = ids.slice((page - 1) * pageSize, page * pageSize);
    const known = new Map(onlyInText.map((r) => [r.fields.censusNumber, r]));
    const shown = await this.shown(pageIds, fields.searched, known);
    const textSet = new Set(inText);
    const pages = await text.inBooks(actor, pageIds.filter((cn) => textSet.has(cn)), {
      q, approximate: false, pagesPerBook: TEXT_PAGES_PER_HIT, matchesPerPage: TEXT_MATCHES_PER_PAGE,
    });
    const hits = shown.map((h) => {
      const cn = h.record.fields.censusNumber;
      const matchedIn: SearchIn[] = [...(inFields.has(cn) ? ['fields' as const] : []), ...(pages.has(cn) ? ['text' as const] : [])];
      return { ...h, matchedIn, text: pages.get(cn) ?? null };
    });
    return { query: { ...query, text: q }, in: where, segmented: fields.segmented, pinyin: fields.pinyin, total: ids.length, hits, facets, page, pageSize };
  }

  /** Every census number a query selects, in its order (and its facets when asked). */
  private async every(query: SearchQuery, facets: SearchQuery['facets'] = []): Promise<SearchResult> {
    const { total } = await this.index.search({ ...query, offset: 0, limit: 0, facets: [] });
    return this.index.search({ ...query, offset: 0, limit: total, facets });
  }

  /** The records of a page of hits, with the fields where the query's phrases match marked. */
  private async shown(ids: readonly string[], text: string, known: ReadonlyMap<string, CensusRecord> = new Map()) {
    const phrases = queryPhrases(text);
    const records = await Promise.all(ids.map((cn) => known.get(cn) ?? this.store.records.get(cn)));
    return records
      .filter((r): r is CensusRecord => r !== null)
      .map((r) => {
        const highlights: Record<string, string> = {};
        for (const key of ['titleStatement', 'creatorStatement', 'editionStatement', 'callNumber', 'censusNumber', 'extant', 'notes'] as const) {
          const value = r.fields[key];
          if (typeof value !== 'string') continue;
          const ranges = matchRanges(value, phrases);
          if (ranges.length > 0) highlights[key] = highlight(value, ranges);
        }
        return { record: r, highlights };
      });
  }

  /**
   * The query's parts with each run of single-character tokens (Han) cut greedily into the
   * longest pieces of two or more characters that still find something together with the
   * pieces before them, or null
   * when no cut finds anything. The longest piece is found by halving: a shorter prefix of a
   * phrase matches wherever the longer one does. Probes are bounded so that a long hostile query
   * costs at most SEGMENT_PROBES counts of the index.
   */
  private async segmented(query: SearchQuery): Promise<string[] | null> {
    let probes = 0;
    const finds = async (terms: readonly string[]) => {
      if (++probes > SEGMENT_PROBES) throw new SegmentBudgetSpent();
      return (await this.index.search({ ...query, text: terms.join(' '), offset: 0, limit: 0, facets: [] })).total > 0;
    };
    const terms: string[] = [];
    let cut = false;
    try {
      for (const part of query.text.trim().split(/\s+/u).filter(Boolean)) {
        const chars = [...part];
        const tokens = queryPhrases(part)[0]?.tokens ?? [];
        const runOfCharacters = chars.length >= 4 && tokens.length === chars.length && tokens.every((t) => t !== FILLER && [...t].length === 1);
        if (!runOfCharacters || (await finds([...terms, part]))) {
          terms.push(part);
          continue;
        }
        for (let at = 0; at < chars.length;) {
          const piece = (k: number) => chars.slice(at, at + k).join('');
          // Pieces of one character would find almost anything in a large catalogue (不存在的書名).
          if (chars.length - at < 2 || !(await finds([...terms, piece(2)]))) return null;
          let [lo, hi] = [2, chars.length - at];
          while (lo < hi) {
            const mid = Math.ceil((lo + hi) / 2);
            if (await finds([...terms, piece(mid)])) lo = mid;
            else hi = mid - 1;
          }
          terms.push(piece(lo));
          at += lo;
        }
        cut = true;
      }
    } catch (e) {
      if (e instanceof SegmentBudgetSpent) return null;
      throw e;
    }
    return cut ? terms : null;
  }
}

/** A book's matches in its text: counted, with its best pages when the search was in the text. */
export type TextHit = ShownResult['books'][number];

export interface SearchAnswer {
  query: SearchQuery;
  in: SearchIn;
  segmented: string[] | null;
  /** Whether the query was read as pinyin, having matched nothing as written. */
  pinyin: boolean;
  total: number;
  /** Each with where it matched and, when its text holds the query, its matches there. */
  hits: { record: CensusRecord; highlights: Record<string, string>; matchedIn: SearchIn[]; text: TextHit | null }[];
  facets: SearchResult['facets'];
  page: number;
  pageSize: number;
}

/** Records in the order a search asks for, as the index orders them; relevance keeps their order. */
function sortedBy(records: readonly CensusRecord[], sort: SearchQuery['sort']): CensusRecord[] {
  const cn = (r: CensusRecord) => r.fields.censusNumber;
  const year = (r: CensusRecord) => r.derived.edition.date?.gregorianFrom ?? null;
  const byNumber = (a: CensusRecord, b: CensusRecord) => (cn(a) < cn(b) ? -1 : cn(a) > cn(b) ? 1 : 0);
  switch (sort) {
    case 'censusNumber': return [...records].sort(byNumber);
    case '-censusNumber': return [...records].sort((a, b) => byNumber(b, a));
    case 'year':
    case '-year': {
      // Undated last either way, then census number.
      const sign = sort === 'year' ? 1 : -1;
      return [...records].sort((a, b) => {
        const [ya, yb] = [year(a), year(b)];
        if (ya === yb) return byNumber(a, b);
        return ya === null ? 1 : yb === null ? -1 : sign * (ya - yb);
      });
    }
    default: return [...records];
  }
}

/** The facets asked for, counted over records: most frequent first (as the indexes list them). */
function facetCounts(records: readonly CensusRecord[], asked: SearchQuery['facets']): SearchResult['facets'] {
  const facets: SearchResult['facets'] = {};
  const values = records.map((r) => facetValuesOf(FACET_TABLE, r));
  for (const facet of asked) {
    const counts = new Map<string, number>();
    for (const v of values) if (v[facet] !== null) counts.set(v[facet], (counts.get(v[facet]) ?? 0) + 1);
    facets[facet] = byCount([...counts].map(([value, count]) => ({ value, count })));
  }
  return facets;
}

/** Two facet countings of disjoint sets of records, added. */
function addedFacets(a: SearchResult['facets'], b: SearchResult['facets']): SearchResult['facets'] {
  const facets: SearchResult['facets'] = {};
  for (const facet of new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof SearchResult['facets']>) {
    const counts = new Map<string, number>();
    for (const { value, count } of [...(a[facet] ?? []), ...(b[facet] ?? [])]) counts.set(value, (counts.get(value) ?? 0) + count);
    facets[facet] = byCount([...counts].map(([value, count]) => ({ value, count })));
  }
  return facets;
}

const byCount = (counts: FacetCount[]) => counts.sort((x, y) => y.count - x.count || (x.value < y.value ? -1 : 1));

/** At most this many index counts to segment one query (each one is a full-text count). */
const SEGMENT_PROBES = 48;
class SegmentBudgetSpent extends Error {}
