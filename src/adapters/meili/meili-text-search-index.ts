/**
 * The text search index (issue 16) on a Meilisearch server (MEILI_URL, MEILI_KEY), through the
 * official client. Each page is a document: its search keys, its characters and boxes packed as
 * the embedded index packs them, and its unigram and bigram tokens (src/adapters/meili/text-grams.ts)
 * as the only searchable field. A search asks Meilisearch for the pages holding every token of
 * the phrase (matchingStrategy 'all') under the visibility filter, checks them on their keys and
 * ranks them with the embedded index's code (src/adapters/text-search-hits.ts), then reads the
 * characters of the pages shown alone.
 *
 * Index settings (applied at connect, settingsOf below): searchable `grams` only, read as English
 * so no language detection reaches the tokens; filterable id, censusNumber, unit, status,
 * published; sortable id (stable paging); ranking by words then id alone; typo tolerance and
 * prefix search off (the tokens are ours: a typo or a prefix of one is another token);
 * pagination.maxTotalHits one past the candidate bound. A second index, `<uid>-meta`, holds the
 * layout and the sequence. prefixSearch needs Meilisearch 1.12 (docker-compose.yml runs it).
 *
 * Every request is bounded: a timeout on each HTTP request and task, BATCH pages a request, and
 * at most maxCandidates candidate pages a search (GUJI_TEXT_MEILI_MAX_PAGES; a phrase on more is
 * refused with a field error: checking every page of the catalogue for 之 is the embedded
 * index's work, not a server round trip's).
 *
 * Unverified here: no Meilisearch server can be installed on our machines; the contract suite
 * (test/contract/text-search-index.contract.ts) runs against one wherever MEILI_URL is set.
 */
import type { Index, SearchParams, Settings } from 'meilisearch';
import { DEFAULT_TEXT_MEILI_MAX_PAGES } from '../../config.js';
import { ValidationError } from '../../domain/errors.js';
import type { IndexedPage, TextSearchIndex, TextSearchQuery, TextSearchResult } from '../../ports/text-search-index.js';
import { MeiliIndexes, REQUEST_TIMEOUT_MS, guarded, notFound, openIndexes, quote, settled } from './meili-search-index.js';
import { type CandidateDocument, type MeiliPage, pageDocument, pageId, searchPages } from './text-grams.js';

/** Raised by hand when the documents change meaning (the tokens' rule, the fields): the index is emptied at connect and rebuilt. */
const LAYOUT_VERSION = 1;
const LAYOUT = `text-pages-${LAYOUT_VERSION}`;

/** Pages a request reads or writes. */
const BATCH = 1_000;
/** The tokens are a word each in this locale: nothing segments or detects them otherwise. */
const LOCALES = ['eng'] as const;

/** What a search reads of each candidate: enough to check and rank it, not its characters. */
const CANDIDATE_FIELDS = ['id', 'censusNumber', 'imageId', 'sequence', 'juan', 'status', 'keys'] as const satisfies readonly (keyof CandidateDocument)[];

type MetaDocument = { id: 'layout'; layout: string } | { id: 'seq'; seq: number };

const settingsOf = (maxCandidates: number): Settings => ({
  searchableAttributes: ['grams'],
  localizedAttributes: [{ attributePatterns: ['grams*'], locales: [...LOCALES] }],
  filterableAttributes: ['id', 'censusNumber', 'unit', 'status', 'published'],
  sortableAttributes: ['id'],
  // All candidates hold every word: sorting by id only makes paging through them stable.
  rankingRules: ['words', 'sort'],
  typoTolerance: { enabled: false },
  prefixSearch: 'disabled',
  proximityPrecision: 'byAttribute',
  stopWords: [],
  synonyms: {},
  // A search cut short answers part of its candidates, silently: the request's timeout comes
  // first, so a slow search fails (503) instead; the cutoff only stops the server's work then.
  searchCutoffMs: 2 * REQUEST_TIMEOUT_MS,
  pagination: { maxTotalHits: maxCandidates + 1 },
});

/** `documents`: the pages. */
export class MeiliTextSearchIndex extends MeiliIndexes<MeiliPage, MetaDocument> implements TextSearchIndex {
  private constructor(pages: Index<MeiliPage>, meta: Index<MetaDocument>, url: string, private readonly maxCandidates: number) {
    super(pages, meta, url);
  }

  /** Applies the settings, and empties an index of another layout (the service then fills it from the store). */
  static async connect(
    url: string, key: string | undefined, uid = 'guji-text-pages', options: { maxCandidates?: number } = {},
  ): Promise<MeiliTextSearchIndex> {
    const maxCandidates = options.maxCandidates ?? DEFAULT_TEXT_MEILI_MAX_PAGES;
    return openIndexes<MeiliPage, MetaDocument, MeiliTextSearchIndex>(url, key, uid, settingsOf(maxCandidates), async (pages, meta) => {
      const layout = await meta.getDocument('layout').then((d) => ('layout' in d ? d.layout : undefined), (e: unknown) => {
        if (notFound(e)) return undefined;
        throw e;
      });
      if (layout !== LAYOUT) {
        await settled(pages.deleteAllDocuments());
        await settled(meta.addDocuments([{ id: 'layout', layout: LAYOUT }, { id: 'seq', seq: 0 }], { primaryKey: 'id' }));
      }
      return new MeiliTextSearchIndex(pages, meta, url, maxCandidates);
    });
  }

  async put(page: IndexedPage): Promise<void> {
    // A document replaces the page's whole document, tokens included.
    await guarded(() => settled(this.documents.addDocuments([pageDocument(page)], { primaryKey: 'id' })));
  }

  async remove(censusNumber: string, imageId: string): Promise<void> {
    await guarded(() => settled(this.documents.deleteDocument(pageId(censusNumber, imageId))));
  }

  async setPublished(censusNumber: string, published: boolean): Promise<void> {
    // The book's pages not yet so, a batch at a time: each pass leaves fewer, whatever order they come in.
    const filter = `censusNumber = ${quote(censusNumber)} AND published = ${!published}`;
    await guarded(async () => {
      for (;;) {
        const { results } = await this.documents.getDocuments<Pick<MeiliPage, 'id'>>({ filter, fields: ['id'], limit: BATCH });
        if (results.length === 0) return;
        await settled(this.documents.updateDocuments(results.map((r) => ({ id: r.id, published })), { primaryKey: 'id' }));
      }
    });
  }

  async search(query: TextSearchQuery): Promise<TextSearchResult> {
    return searchPages(query, { candidates: (tokens, filter) => this.candidates(tokens, filter), written: (ids) => this.written(ids) });
  }

  /** The pages holding every token under the filter, at most maxCandidates of them. */
  private async candidates(tokens: readonly string[], filter: string | undefined): Promise<CandidateDocument[]> {
    const out: CandidateDocument[] = [];
    for (let page = 1; ; page++) {
      // Finite pagination (hitsPerPage, page) gives an exact total, which the bound is checked on.
      // A page written between two requests may move across a batch's edge (read twice: kept
      // once; or not read, until the next search): batches keep each answer bounded.
      const params = {
        matchingStrategy: 'all', locales: [...LOCALES], hitsPerPage: BATCH, page, sort: ['id:asc'],
        attributesToRetrieve: [...CANDIDATE_FIELDS], ...(filter ? { filter } : {}),
      } satisfies SearchParams;
      const response = await guarded(() => this.documents.search<CandidateDocument, typeof params>(tokens.join(' '), params));
      if (response.totalHits > this.maxCandidates) {
        throw new ValidationError([{ field: 'q', problem: `is on more than ${this.maxCandidates} pages: add characters` }]);
      }
      out.push(...response.hits);
      if (page >= response.totalPages) return out;
    }
  }

  /** The characters and boxes of the pages shown, by id. */
  private async written(ids: readonly string[]): Promise<Map<string, { written: string; boxes: Buffer }>> {
    const out = new Map<string, { written: string; boxes: Buffer }>();
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const { results } = await guarded(() => this.documents.getDocuments<Pick<MeiliPage, 'id' | 'written' | 'boxes'>>({
        filter: `id IN [${batch.map(quote).join(', ')}]`, fields: ['id', 'written', 'boxes'], limit: batch.length,
      }));
      for (const r of results) out.set(r.id, { written: r.written, boxes: Buffer.from(r.boxes, 'base64') });
    }
    return out;
  }

  async count(): Promise<number> {
    return guarded(async () => (await this.documents.getStats()).numberOfDocuments);
  }

  async lastSeq(): Promise<number> {
    return guarded(async () => {
      try {
        const doc = await this.meta.getDocument('seq');
        return 'seq' in doc ? doc.seq : 0;
      } catch (e) {
        if (notFound(e)) return 0;
        throw e;
      }
    });
  }

  async setLastSeq(seq: number): Promise<void> {
    await guarded(() => settled(this.meta.addDocuments([{ id: 'seq', seq }], { primaryKey: 'id' })));
  }

  async clear(): Promise<void> {
    await guarded(async () => {
      await settled(this.documents.deleteAllDocuments());
      await settled(this.meta.addDocuments([{ id: 'seq', seq: 0 }], { primaryKey: 'id' }));
    });
  }

  /** Deletes both indexes (the contract suite's own, after each test). */
  async destroy(): Promise<void> {
    await guarded(async () => {
      await settled(this.documents.delete());
      await settled(this.meta.delete());
    });
  }
}
