/**
 * The search index on a Meilisearch server (MEILI_URL, MEILI_KEY), through the official client
 * and its types. Meilisearch segments Chinese into dictionary words and folds traditional forms
 * only after segmenting (docs/SEARCH.md), so it is given the same folded text, cut one
 * character a word, that the embedded index uses, and every query is sent as phrases over it.
 * The pinyin of titles and names (src/domain/search-pinyin.ts) is three attributes of its own,
 * searched only by a query asked as pinyin: its key, unquoted, is a prefix of a token there.
 * Settings are applied at start. Unverified here: no Meilisearch server can be installed on our
 * machines; the contract suite runs against one wherever MEILI_URL is set.
 */
import { createHash } from 'node:crypto';
import { Meilisearch, MeilisearchError, type EnqueuedTaskPromise, type Index, type RecordAny, type SearchParams, type Settings } from 'meilisearch';
import { AppError } from '../../domain/errors.js';
import { pinyinKey } from '../../domain/search-pinyin.js';
import { FILLER, UNREADABLE, indexText, queryPhrases } from '../../domain/search-text.js';
import { FACET_TABLE } from '../../domain/facets.js';
import {
  SEARCH_DOCUMENT_VERSION, type FacetCount, type SearchDocument, type SearchIndex, type SearchQuery, type SearchResult,
} from '../../ports/search-index.js';

/** A record as Meilisearch holds it: its text folded and cut, one attribute per facet. */
type MeiliDocument = {
  id: string;
  censusNumber: string;
  titleProper: string;
  title: string;
  persons: string;
  edition: string;
  other: string;
  pinyinStart: string;
  pinyinTitle: string;
  pinyinPersons: string;
  yearFrom: number | null;
  yearTo: number | null;
  baseYearFrom: number | null;
  baseYearTo: number | null;
} & Record<string, string | number | null>;

interface SeqDocument {
  id: 'seq';
  seq: number;
  /** The SEARCH_DOCUMENT_VERSION and settings (facet set included) the documents were made under (fingerprintOf; absent before it was recorded). */
  settings?: string;
}

/** Meilisearch answers at most 10 words of a query; longer phrases go as consecutive pieces. */
export const MAX_QUERY_WORDS = 10;

export class SearchUnavailableError extends AppError {
  constructor(cause: unknown) {
    super(503, 'search_unavailable', 'The search engine did not answer; try again shortly.', [], { cause });
  }
}

/** Milliseconds a request may take, and a task (a write, or emptying an index) until it is done. */
export const REQUEST_TIMEOUT_MS = 15_000;
const TASK_TIMEOUT_MS = 120_000;

/** A client whose every request and every wait for a task is bounded in time. */
export function meiliClient(url: string, key: string | undefined): Meilisearch {
  return new Meilisearch({ host: url, ...(key ? { apiKey: key } : {}), timeout: REQUEST_TIMEOUT_MS, defaultWaitOptions: { timeout: TASK_TIMEOUT_MS } });
}

/** Waits for a task and fails when it did (the client resolves failed tasks as if done). */
export async function settled(task: EnqueuedTaskPromise): Promise<void> {
  const done = await task.waitTask();
  if (done.status !== 'succeeded') throw new SearchUnavailableError(new Error(`Meilisearch task ${done.uid} ${done.status}: ${done.error?.message ?? ''}`));
}

/** Runs a request; the client's errors (refused, unreachable, timed out, failed) become SearchUnavailableError. */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw e instanceof MeilisearchError ? new SearchUnavailableError(e) : e;
  }
}

/** Meilisearch's answer for an index or a document that does not exist (yet). */
export const notFound = (e: unknown) => e instanceof MeilisearchError && /not.?found/i.test(e.message);

/**
 * Opens index `uid` on the server at `url`: checks the server's health, applies `settings` and
 * gives the index and its `<uid>-meta` index to `open`; any failure says the server cannot be used.
 */
export async function openIndexes<D extends RecordAny, M extends RecordAny, T>(
  url: string, key: string | undefined, uid: string, settings: Settings, open: (documents: Index<D>, meta: Index<M>) => Promise<T>,
): Promise<T> {
  const client = meiliClient(url, key);
  try {
    await client.health();
    const documents = client.index<D>(uid);
    await settled(documents.updateSettings(settings));
    return await open(documents, client.index<M>(`${uid}-meta`));
  } catch (e) {
    throw new Error(`Meilisearch at ${url} cannot be used: ${(e as Error).message}`, { cause: e });
  }
}

/** An index of documents and its meta index (the sequence, what the documents were made under), as openIndexes gives them. */
export abstract class MeiliIndexes<D extends RecordAny, M extends RecordAny> {
  readonly description: string;

  protected constructor(protected readonly documents: Index<D>, protected readonly meta: Index<M>, url: string) {
    this.description = `Meilisearch ${url} index ${documents.uid}`;
  }

  async close(): Promise<void> {
    // The client keeps no connection open between requests.
  }
}

/** What a query searches: the text as written, or (asked as pinyin) the pinyin, each best tier first. */
const TEXT_ATTRIBUTES = ['titleProper', 'title', 'persons', 'edition', 'other'];
const PINYIN_ATTRIBUTES = ['pinyinStart', 'pinyinTitle', 'pinyinPersons'];

/** The index settings for a facet set: each facet is a filterable attribute. */
const settingsOf = (facets: readonly string[]): Settings => ({
  // Title proper first: an exact or leading match there outranks one further in (the attribute rule).
  searchableAttributes: [...TEXT_ATTRIBUTES, ...PINYIN_ATTRIBUTES],
  filterableAttributes: [...facets, 'yearFrom', 'yearTo', 'baseYearFrom', 'baseYearTo'],
  sortableAttributes: ['censusNumber', 'yearFrom'],
  rankingRules: ['sort', 'words', 'attribute', 'exactness', 'censusNumber:asc'],
  // Single characters must match exactly: a typo of one character is another character.
  typoTolerance: { enabled: false },
  nonSeparatorTokens: [FILLER, UNREADABLE],
  faceting: { maxValuesPerFacet: 1000 },
  pagination: { maxTotalHits: 1_000_000 },
});

/**
 * What the documents were indexed under, recorded with the sequence: the document version and the
 * settings, facet set included. When either changes, lastSeq() answers 0 and the indexer indexes
 * every record again — a facet added to src/domain/facets.ts reaches documents indexed before it
 * without anyone raising a version.
 */
const fingerprintOf = (settings: Settings): string =>
  createHash('sha256').update(`${SEARCH_DOCUMENT_VERSION}\n${JSON.stringify(settings)}`).digest('hex').slice(0, 16);

export const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** `documents`: the records. */
export class MeiliSearchIndex extends MeiliIndexes<MeiliDocument, SeqDocument> implements SearchIndex {
  private constructor(
    records: Index<MeiliDocument>,
    meta: Index<SeqDocument>,
    url: string,
    /** The facet names, one attribute each. */
    private readonly facets: readonly string[],
    private readonly fingerprint: string,
  ) {
    super(records, meta, url);
  }

  /** `facets`: the facet set (src/domain/facets.ts FACET_TABLE by default; another in tests). */
  static async connect(url: string, key: string | undefined, uid = 'guji-records', facets: readonly { name: string }[] = FACET_TABLE): Promise<MeiliSearchIndex> {
    const names = facets.map((f) => f.name);
    const settings = settingsOf(names);
    return openIndexes<MeiliDocument, SeqDocument, MeiliSearchIndex>(
      url, key, uid, settings, async (records, meta) => new MeiliSearchIndex(records, meta, url, names, fingerprintOf(settings)),
    );
  }

  async upsert(documents: SearchDocument<string>[], seq: number): Promise<void> {
    await guarded(async () => {
      if (documents.length > 0) {
        const docs: MeiliDocument[] = documents.map((d) => ({
          id: d.censusNumber,
          censusNumber: d.censusNumber,
          titleProper: indexText(d.titleProper),
          title: indexText(d.text.title),
          persons: indexText(d.text.persons),
          edition: indexText(d.text.edition),
          other: indexText(d.text.other),
          pinyinStart: d.pinyin.start,
          pinyinTitle: d.pinyin.title,
          pinyinPersons: d.pinyin.persons,
          ...Object.fromEntries(this.facets.map((f) => [f, (d.facets as Record<string, string | null>)[f] ?? null])),
          yearFrom: d.yearFrom,
          yearTo: d.yearTo,
          baseYearFrom: d.baseYearFrom,
          baseYearTo: d.baseYearTo,
        }));
        await settled(this.documents.addDocuments(docs, { primaryKey: 'id' }));
      }
      // The sequence is written after the documents it covers: a crash in between re-indexes them.
      await settled(this.meta.addDocuments([{ id: 'seq', seq, settings: this.fingerprint }], { primaryKey: 'id' }));
    });
  }

  async search(query: SearchQuery<string>): Promise<SearchResult<string>> {
    const phrases = query.pinyin ? [] : queryPhrases(query.text).flatMap((p) => {
      const pieces: string[] = [];
      for (let i = 0; i < p.tokens.length; i += MAX_QUERY_WORDS) pieces.push(`"${p.tokens.slice(i, i + MAX_QUERY_WORDS).join(' ')}"`);
      return pieces;
    });
    const filter: string[] = [];
    for (const [facet, values] of Object.entries(query.filters) as [string, string[] | undefined][]) {
      if (!values) continue;
      filter.push(values.length ? `${facet} IN [${values.map(quote).join(', ')}]` : 'censusNumber NOT EXISTS');
    }
    // overlap: the span meets the range; within: the whole span lies inside it.
    // The years filtered on: the copy's (the last event that made it) or its base edition's.
    const within = query.yearMatch === 'within';
    const [from, to] = query.yearOf === 'base' ? ['baseYearFrom', 'baseYearTo'] : ['yearFrom', 'yearTo'];
    if (query.yearFrom !== undefined) filter.push(`${within ? from : to} >= ${query.yearFrom}`);
    if (query.yearTo !== undefined) filter.push(`${within ? to : from} <= ${query.yearTo}`);
    if (query.visibleTo === 'published') filter.push('status = "published"');
    else if (typeof query.visibleTo === 'object') filter.push(`(unit = ${quote(query.visibleTo.unit)} OR status = "published")`);
    const sorts: Record<SearchQuery['sort'], string[] | undefined> = {
      relevance: undefined,
      censusNumber: ['censusNumber:asc'],
      '-censusNumber': ['censusNumber:desc'],
      year: ['yearFrom:asc', 'censusNumber:asc'],
      '-year': ['yearFrom:desc', 'censusNumber:asc'],
    };
    const sort = sorts[query.sort];
    const params = {
      // Finite pagination gives an exact total; facet counts and page links need it.
      hitsPerPage: query.limit,
      page: Math.floor(query.offset / query.limit) + 1,
      matchingStrategy: 'all',
      attributesToRetrieve: ['censusNumber'],
      attributesToSearchOn: query.pinyin ? PINYIN_ATTRIBUTES : TEXT_ATTRIBUTES,
      ...(filter.length ? { filter: filter.join(' AND ') } : {}),
      ...(sort ? { sort } : {}),
      ...(query.facets.length ? { facets: [...query.facets] } : {}),
    } satisfies SearchParams;
    // A key is letters only; unquoted, Meilisearch matches it as the prefix of a token. A query
    // asked as pinyin that is not one (a single letter) finds nothing, as in the embedded index.
    const key = query.pinyin ? pinyinKey(query.text) : null;
    if (query.pinyin && !key) return { total: 0, hits: [], facets: Object.fromEntries(query.facets.map((f) => [f, []])) };
    const response = await guarded(() => this.documents.search(key ?? (phrases.join(' ') || null), params));
    const facets: SearchResult<string>['facets'] = {};
    for (const facet of query.facets) {
      facets[facet] = Object.entries(response.facetDistribution?.[facet] ?? {})
        .map(([value, count]): FacetCount => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    }
    return { total: response.totalHits, hits: response.hits.map((h) => h.censusNumber), facets };
  }

  async lastSeq(): Promise<number> {
    return guarded(async () => {
      try {
        // Documents made another way, or under other settings (a facet added), are made again:
        // from 0 the indexer re-indexes every record, each replacing its old document.
        const { seq, settings } = await this.meta.getDocument('seq');
        return settings === this.fingerprint ? seq : 0;
      } catch (e) {
        // A new index has neither the meta index nor the document.
        if (notFound(e)) return 0;
        throw e;
      }
    });
  }

  async clear(): Promise<void> {
    await guarded(async () => {
      await settled(this.documents.deleteAllDocuments());
      await settled(this.meta.deleteAllDocuments());
    });
  }
}
