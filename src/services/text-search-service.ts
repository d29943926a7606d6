/**
 * Search inside the books (issue 16): keeps the text search index current — a page's text as it
 * is saved, a record's pages as it is published or taken back — and answers phrase searches
 * within a book or across the catalogue as the actor may see them (src/domain/permissions.ts:
 * the public reads verified pages of published records; staff who may read a record's page
 * drafts find them too).
 */
import type { CensusRecord } from '../domain/census-record.js';
import { ValidationError } from '../domain/errors.js';
import { can, readableScope } from '../domain/permissions.js';
import { indexable, phraseChars, searchKey } from '../domain/text-match.js';
import type { Actor } from '../domain/workflow.js';
import { pageLabel } from '../iiif/manifest.js';
import type { LeafMatchPage, Term } from '../iiif/content-search.js';
import type { CatalogueStore, Page } from '../ports/catalogue-store.js';
import type { PageTextStore, StoredPageText } from '../ports/page-text-store.js';
import type { IndexedPage, PageHit, TextSearchIndex, TextSearchQuery, TextSearchResult, TextVisibility } from '../ports/text-search-index.js';
import type { RecordService } from './record-service.js';

/** The longest phrase searched (GET …/text/search?q=), in characters. */
export const MAX_PHRASE = 50;
/**
 * One IIIF Content Search answer lists every match on this many leaves (the leaves with the
 * most matches first); a book with more is answered in pages that link to each other (§4.2.2).
 */
export const IIIF_LEAVES_PER_PAGE = 50;
/** Matches listed for one leaf: more than a leaf of a classical book holds characters, so in effect all. */
const IIIF_MATCHES_PER_LEAF = 5000;
const MAX_TERMS = 10;

export interface TextSearchParams {
  q: string;
  approximate: boolean;
  page: number;
  pageSize: number;
  /** Best pages shown for each book, and matches shown for each page. */
  pagesPerBook: number;
  matchesPerPage: number;
}

/** A page hit with its leaf as the book now stands (its place and label may have changed since it was indexed). */
export type ShownPageHit = PageHit & { label: string };
export interface ShownResult extends Omit<TextSearchResult, 'books'> {
  books: (Omit<TextSearchResult['books'][number], 'pages'> & { title: string | null; pages: ShownPageHit[] })[];
}

/** The body and notes of a page in reading order (the 版心's title, 卷 and leaf number are not the text). */
export function indexedPage(record: CensusRecord, page: Page, text: StoredPageText): IndexedPage {
  return {
    censusNumber: text.censusNumber, imageId: text.imageId, sequence: page.sequence, juan: page.juan ?? null, status: text.status,
    published: record.status === 'published',
    chars: text.page.columns.filter((c) => c.kind !== 'banxin').flatMap((c) => c.chars.map((ch) => ({ char: ch.char, box: ch.box }))),
  };
}

/** Why a query cannot be searched as a phrase of the text, or null when it can. */
export function phraseProblem(q: string): string | null {
  const chars = phraseChars(q.trim());
  if (!chars.some((c) => indexable(searchKey(c)))) return 'must hold a character to find (a letter, digit or ideograph)';
  return chars.length > MAX_PHRASE ? `must be at most ${MAX_PHRASE} characters` : null;
}

/** The phrase as the index takes it, or a ValidationError on `q`. */
function checkedPhrase(q: string): string {
  const problem = phraseProblem(q);
  if (problem) throw new ValidationError([{ field: 'q', problem }]);
  return phraseChars(q.trim()).join('');
}

/** Whose pages a search across the catalogue sees (src/domain/permissions.ts readableScope). */
function catalogueVisibility(actor: Actor | null): TextVisibility {
  const scope = actor ? readableScope(actor) : 'published';
  return scope === 'published' ? { public: true } : { public: false, units: scope === 'all' ? 'all' : scope.unit };
}

export class TextSearchService {
  /** Index writes, one after another so a later save of a page never lands before an earlier one. */
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: CatalogueStore,
    private readonly texts: PageTextStore,
    private readonly index: TextSearchIndex,
    private readonly records: RecordService,
    private readonly log: (message: string, error?: unknown) => void = console.error,
    private readonly batchSize = 200,
  ) {}

  /** A page's text was saved (TextService.onWritten): it is indexed as its record now stands. */
  pageWritten(text: StoredPageText): void {
    this.enqueue(`indexing the text of ${text.censusNumber} ${text.imageId}`, async () => {
      const [record, pages] = await Promise.all([this.store.records.get(text.censusNumber), this.store.pages.list(text.censusNumber)]);
      const page = pages.find((p) => p.imageId === text.imageId);
      if (!record || !page) return this.index.remove(text.censusNumber, text.imageId);
      await this.index.put(indexedPage(record, page, text));
    });
  }

  /** A record was written (RecordService's afterWrite): publications and withdrawals reach the index. */
  notify(): void {
    this.enqueue('following record changes', () => this.catchUp());
  }

  /** At start: fills an index that is new (or of another layout), then follows the records. */
  async ready(): Promise<void> {
    // In the queue: OCR jobs resumed at start may be saving pages meanwhile.
    const done = this.queue.then(async () => {
      if ((await this.index.lastSeq()) === 0 && (await this.index.count()) === 0) await this.rebuild();
      await this.catchUp();
    });
    this.queue = done.catch(() => {});
    await done;
  }

  /** A safety net, as the catalogue's indexer has: follow record changes every `ms`. */
  start(ms = 2000): void {
    this.timer = setInterval(() => this.notify(), ms);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Resolves when the index writes asked for so far are done. */
  async settled(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.queue;
      await seen;
    } while (seen !== this.queue);
  }

  /** Empties the index and indexes every page's text of every record again. */
  async rebuild(): Promise<number> {
    await this.index.clear();
    let seq = 0;
    let pagesIndexed = 0;
    for (;;) {
      const changes = await this.store.records.changesSince(seq, this.batchSize);
      if (changes.length === 0) break;
      for (const { record } of changes) {
        const texts = await this.texts.list(record.fields.censusNumber);
        if (texts.length === 0) continue;
        const pages = new Map((await this.store.pages.list(record.fields.censusNumber)).map((p) => [p.imageId, p]));
        for (const text of texts) {
          const page = pages.get(text.imageId);
          if (!page) continue;
          await this.index.put(indexedPage(record, page, text));
          pagesIndexed += 1;
        }
      }
      seq = changes.at(-1)!.seq;
    }
    await this.index.setLastSeq(seq);
    return pagesIndexed;
  }

  private async catchUp(): Promise<void> {
    let seq = await this.index.lastSeq();
    for (;;) {
      const changes = await this.store.records.changesSince(seq, this.batchSize);
      if (changes.length === 0) return;
      for (const { record } of changes) await this.index.setPublished(record.fields.censusNumber, record.status === 'published');
      seq = changes.at(-1)!.seq;
      await this.index.setLastSeq(seq);
    }
  }

  private enqueue(what: string, work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((e: unknown) => this.log(`text search: ${what} failed`, e));
  }

  /** Within one book the actor may read: drafts too for staff who may read them. */
  async searchBook(actor: Actor | null, censusNumber: string, params: TextSearchParams): Promise<ShownResult & { record: CensusRecord }> {
    const record = await this.records.readable(actor, censusNumber);
    const visibility: TextVisibility = actor && can(actor, 'readPageDrafts', record) ? { public: false, units: 'all' } : { public: true };
    return { record, ...(await this.run({ censusNumber, visibility }, params)) };
  }

  /** Across the catalogue: the public finds verified pages of published books, staff the drafts they may read. */
  async searchAll(actor: Actor | null, params: TextSearchParams): Promise<ShownResult> {
    return this.run({ visibility: catalogueVisibility(actor) }, params);
  }

  /**
   * The catalogue search's text hits (GET /api/search?in=text): the first `limit` books whose
   * text holds the phrase, best first, as searchAll sees them, without their pages (none is read).
   */
  async booksFound(actor: Actor | null, q: string, limit: number): Promise<TextSearchResult> {
    return this.index.search({
      q: checkedPhrase(q), visibility: catalogueVisibility(actor), approximate: false, offset: 0, limit, pagesPerBook: 0, matchesPerPage: 0,
    });
  }

  /**
   * The named books' best pages, as searchAll sees them (the catalogue search's hits shown on a
   * page): a book with no match is left out.
   */
  async inBooks(actor: Actor | null, censusNumbers: readonly string[], params: Omit<TextSearchParams, 'page' | 'pageSize'>): Promise<Map<string, ShownResult['books'][number]>> {
    const visibility = catalogueVisibility(actor);
    const found = await Promise.all(censusNumbers.map(async (censusNumber) =>
      (await this.run({ censusNumber, visibility }, { ...params, page: 1, pageSize: 1 })).books[0]));
    return new Map(found.filter((b) => b !== undefined).map((b) => [b.censusNumber, b]));
  }

  /**
   * Every exact match on one page's worth of a book's leaves (IIIF_LEAVES_PER_PAGE), in leaf order,
   * for IIIF Content Search: a viewer lists what it gets at once, so no match of those leaves is
   * left out, and the leaves after them are on the next page. A page past the last is the last.
   */
  async leafMatches(actor: Actor | null, censusNumber: string, q: string, page = 1): Promise<LeafMatchPage> {
    const ask = (n: number) => this.searchBook(actor, censusNumber, {
      q, approximate: false, page: 1, pageSize: 1, pagesPerBook: n * IIIF_LEAVES_PER_PAGE, matchesPerPage: IIIF_MATCHES_PER_LEAF,
    });
    let result = await ask(page);
    const pages = Math.max(1, Math.ceil((result.books[0]?.pageCount ?? 0) / IIIF_LEAVES_PER_PAGE));
    if (page > pages) [page, result] = [pages, await ask(pages)];
    const book = result.books[0];
    const matches = (book?.pages ?? []).slice((page - 1) * IIIF_LEAVES_PER_PAGE)
      .flatMap((p) => p.matches.map((m) => ({ sequence: p.sequence, start: m.start, prefix: m.prefix, exact: m.exact, suffix: m.suffix, chars: m.chars, boxes: m.boxes })))
      .sort((a, b) => a.sequence - b.sequence || a.start - b.start);
    const before = (book?.pages ?? []).slice(0, (page - 1) * IIIF_LEAVES_PER_PAGE).reduce((n, p) => n + p.exactCount, 0);
    return { matches, page, pages, total: book?.exactCount ?? 0, startIndex: before };
  }

  /**
   * Completions of the first characters of a phrase in one book: the phrase with the one or two
   * characters that follow it there, as written, most frequent first (Chinese has no words to complete).
   */
  async completions(actor: Actor | null, censusNumber: string, q: string): Promise<Term[]> {
    const counts = new Map<string, number>();
    // The leaves with the most matches (the first page) are sample enough.
    for (const m of (await this.leafMatches(actor, censusNumber, q)).matches) {
      const after = phraseChars(m.suffix);
      for (const extra of [1, 2]) {
        const tail = after.slice(0, extra);
        if (tail.length < extra || !tail.every((c) => indexable(searchKey(c)))) break;
        const term = m.exact + tail.join('');
        counts.set(term, (counts.get(term) ?? 0) + 1);
      }
    }
    return [...counts].map(([value, total]) => ({ value, total })).sort((a, b) => b.total - a.total || (a.value < b.value ? -1 : 1)).slice(0, MAX_TERMS);
  }

  private async run(where: Pick<TextSearchQuery, 'censusNumber' | 'visibility'>, params: TextSearchParams): Promise<ShownResult> {
    const result = await this.index.search({
      ...where, q: checkedPhrase(params.q), approximate: params.approximate, offset: (params.page - 1) * params.pageSize, limit: params.pageSize,
      pagesPerBook: params.pagesPerBook, matchesPerPage: params.matchesPerPage,
    });
    // The leaves as the books stand now, and their titles, for the books shown. A count alone
    // (the catalogue search's "正文中另有 N 处": no pages asked for) reads no leaves.
    const books = await Promise.all(result.books.map(async (book) => {
      const [record, pages] = await Promise.all([this.store.records.get(book.censusNumber), book.pages.length > 0 ? this.store.pages.list(book.censusNumber) : []]);
      const byImage = new Map(pages.map((p) => [p.imageId, p]));
      return {
        ...book, title: record?.fields.titleStatement ?? null,
        pages: book.pages.flatMap((hit) => {
          const page = byImage.get(hit.imageId);
          return page ? [{ ...hit, sequence: page.sequence, juan: page.juan ?? null, label: pageLabel(page) }] : [];
        }),
      };
    }));
    return { ...result, books };
  }
}
