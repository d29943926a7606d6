/**
 * Response shapes: what the services return, as the API answers it. Each mapper builds the shape
 * its schema in src/http/schemas/ describes (test/integration/openapi.test.ts checks real answers
 * against the schemas), so routes only parse, call the service, map and send.
 */
import type { CensusRecord } from '../domain/census-record.js';
import { recordActions } from '../domain/permissions.js';
import type { Exhibit } from '../domain/exhibit.js';
import type { Actor } from '../domain/workflow.js';
import { manifestId } from '../iiif/manifest.js';
import type { HistoryEntry, IngestJob, Page, RecordPage } from '../ports/catalogue-store.js';
import { shownJob } from '../services/job-runner.js';
import { readingLines } from '../domain/page-text-edit.js';
import type { PageTextView } from '../services/text-service.js';
import { thumbnailUrl } from './representations.js';
import { canvasIdOf } from '../iiif/text-annotations.js';
import type { ShownResult, TextSearchParams } from '../services/text-search-service.js';

/** A record: the fields as written, then what the service derived and knows (RecordResourceSchema). */
export function recordResource(record: CensusRecord, baseUrl: string) {
  const self = `${baseUrl}/api/records/${record.fields.censusNumber}`;
  return {
    ...record.fields,
    ...(Object.keys(record.corrections).length > 0 ? { corrections: record.corrections } : {}),
    derived: record.derived,
    status: record.status,
    pageCount: record.pageCount ?? 0,
    version: record.version,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
    links: {
      self,
      history: `${self}/history`,
      ...((record.pageCount ?? 0) > 0 ? { manifest: manifestId(baseUrl, record.fields.censusNumber) } : {}),
      ...(record.cover ? { thumbnail: thumbnailUrl(baseUrl, record.cover) } : {}),
    },
  };
}

/** For staff pages: what this reader may do now (edit, submit, return, approve, publish). */
const actionsFor = (actor: Actor | null, record: CensusRecord) => (actor ? { actions: recordActions(actor, record) } : {});

/**
 * A page of records (RecordListSchema). `linkTo(n)` is the address of page n with the same
 * filters; `prev` is kept within the pages there are, so a reader past the end can step back.
 */
export function recordList(
  result: RecordPage, paging: { page: number; pageSize: number }, actor: Actor | null, baseUrl: string, linkTo: (page: number) => string,
  comments: Map<string, HistoryEntry> = new Map(),
) {
  const { page, pageSize } = paging;
  const pages = Math.max(1, Math.ceil(result.total / pageSize));
  const latest = (r: CensusRecord) => {
    const e = comments.get(r.fields.censusNumber);
    return e ? { latestComment: { comment: e.comment!, actor: e.actor, at: e.at, action: e.action } } : {};
  };
  return {
    records: result.records.map((r) => ({ ...recordResource(r, baseUrl), ...actionsFor(actor, r), ...latest(r) })),
    total: result.total,
    page,
    pageSize,
    links: {
      ...(page > 1 ? { prev: linkTo(Math.min(page - 1, pages)) } : {}),
      ...(page < pages ? { next: linkTo(page + 1) } : {}),
    },
  };
}

/** One record with its pages (RecordDetailSchema); who ingested a page is staff business kept out. */
export function recordDetail(record: CensusRecord, pages: Page[], actor: Actor | null, baseUrl: string) {
  return {
    ...recordResource(record, baseUrl),
    ...actionsFor(actor, record),
    pages: pages.map(({ censusNumber: _, ingestedBy: __, ...page }) => ({ ...page, sha256: page.imageId })),
  };
}

export const history = (censusNumber: string, entries: HistoryEntry[]) => ({ censusNumber, entries });

/** 202 to an upload (ScanJobAcceptedSchema): the job and where to follow it. */
export const scanJobAccepted = (job: IngestJob, baseUrl: string) => ({
  job: shownJob(job),
  links: { job: `${baseUrl}/api/jobs/${job.id}` },
});

export const arranged = <P>(censusNumber: string, pages: P[]) => ({ censusNumber, pages });
export const structureSheetsResult = <P>(censusNumber: string, dryRun: boolean, pages: P[]) => ({ censusNumber, dryRun, pages });

export const userList = <U>(users: U[]) => ({ users });
export const revoked = (count: number) => ({ revoked: count });
export const unitList = <U>(units: U[]) => ({ units });

/** A page's text as GET …/pages/{n}/text answers it (and PUT takes it back, corrected). */
export function pageTextResource(view: PageTextView, baseUrl: string) {
  const { stored } = view;
  const self = `${baseUrl}/api/records/${view.censusNumber}/pages/${view.sequence}`;
  return {
    censusNumber: view.censusNumber,
    page: view.sequence,
    imageId: view.imageId,
    text: readingLines(stored.page).join('\n'),
    status: stored.status,
    version: stored.version,
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy,
    engine: stored.page.engine,
    width: stored.page.width,
    height: stored.page.height,
    columns: stored.page.columns,
    links: {
      self: `${self}/text`,
      history: `${self}/text/history`,
      alto: `${self}/alto.xml`,
      image: `${baseUrl}/iiif/3/${view.imageId}`,
      proofread: `${baseUrl}/records/${view.censusNumber}/pages/${view.sequence}/proof`,
    },
  };
}

/** An exhibit as the API answers it, with its links. */
export function exhibitResource(exhibit: Exhibit, baseUrl: string) {
  const self = `${baseUrl}/api/exhibits/${exhibit.slug}`;
  return {
    ...exhibit,
    links: { self, history: `${self}/history`, page: `${baseUrl}/exhibits/${exhibit.slug}`, manifest: `${baseUrl}/iiif/exhibits/${exhibit.slug}/manifest` },
  };
}

/** GET /api/text/search and GET /api/records/{censusNumber}/text/search (issue 16). */
export function textSearchResource(result: ShownResult, params: TextSearchParams, baseUrl: string) {
  return {
    q: params.q,
    approximate: params.approximate,
    total: result.total,
    matchCount: result.matchCount,
    page: params.page,
    pageSize: params.pageSize,
    books: result.books.map((book) => textBookResource(book, params.q, baseUrl)),
  };
}

/** A book found in the text, with its best pages: leaf, 卷, snippets as written, boxes. */
export function textBookResource(book: ShownResult['books'][number], q: string, baseUrl: string) {
  return {
    censusNumber: book.censusNumber,
    title: book.title,
    pageCount: book.pageCount,
    matchCount: book.matchCount,
    exactCount: book.exactCount,
    pages: book.pages.map((p) => ({
      leaf: p.sequence,
      label: p.label,
      juan: p.juan,
      status: p.status,
      proofread: p.proofread,
      matchCount: p.total,
      exactCount: p.exactCount,
      matches: p.matches.map((m) => ({ snippet: { before: m.prefix, text: m.exact, after: m.suffix }, boxes: m.boxes, exact: m.isExact })),
      links: {
        text: `${baseUrl}/api/records/${book.censusNumber}/pages/${p.sequence}/text`,
        canvas: canvasIdOf(baseUrl, book.censusNumber, p.sequence),
        image: `${baseUrl}/iiif/3/${p.imageId}`,
      },
    })),
    links: {
      record: `${baseUrl}/api/records/${book.censusNumber}`,
      manifest: manifestId(baseUrl, book.censusNumber),
      search: `${baseUrl}/api/records/${book.censusNumber}/text/search?q=${encodeURIComponent(q)}`,
    },
  };
}
