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
import { countedFacets, FACETS, YEAR_MATCHES, YEAR_OFS, type SearchDocument, type SearchIndex, type SearchQuery } from '../ports/search-index.js';

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
    const { searched, result } = await this.answer({ ...query, offset: 0, limit: 0, facets: [] });
    return (await this.index.search({ ...searched, limit: result.total })).hits;
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

  async search(actor: Actor | null, params: unknown) {
    const { p, query } = this.queryOf(actor, params);
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
    const phrases = queryPhrases(searched.text);
    const records = await Promise.all(result.hits.map((cn) => this.store.records.get(cn)));
    const hits = records
      .filter((r): r is CensusRecord => r !== null)
      .map((r) => {
        const highlights: Record<string, string> = {};
        for (const key of ['titleStatement', 'creatorStatement', 'editionStatement', 'callNumber', 'censusNumber', 'extant', 'notes'] as const) {
          const text = r.fields[key];
          if (typeof text !== 'string') continue;
          const ranges = matchRanges(text, phrases);
          if (ranges.length > 0) highlights[key] = highlight(text, ranges);
        }
        return { record: r, highlights };
      });
    return { query, segmented, pinyin: searched.pinyin === true, total: result.total, hits, facets: result.facets, page, pageSize: p.pageSize };
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

/** At most this many index counts to segment one query (each one is a full-text count). */
const SEGMENT_PROBES = 48;
class SegmentBudgetSpent extends Error {}
