/**
 * The OpenAPI 3.1 description served at /api/openapi.json, generated from the schemas the routes
 * parse with and the schemas their mappers' answers follow (src/http/schemas/): zod's
 * toJSONSchema emits JSON Schema 2020-12, the dialect OpenAPI 3.1 uses, so the description cannot
 * drift from what the service accepts and answers. Each operation below says only what no schema
 * can: its summary, who may call it and which errors it gives. test/integration/openapi.test.ts
 * checks that every route of the app is here and that real answers fit their schemas.
 */
import { z } from 'zod';
import { RecordInputSchema } from '../domain/census-record.js';
import { countedFacets, FACETS } from '../ports/search-index.js';
import { CredentialsSchema, NewUserSchema, PasswordChangeSchema, UserChangeSchema } from '../services/auth-service.js';
import { TransitionSchema } from '../services/record-service.js';
import { ArrangementSchema } from '../services/scan-service.js';
// The search query is the search service's own schema (its route is src/http/routes/search.ts).
import { MAX_TEXT_BOOKS, SearchParamsSchema } from '../services/search-service.js';
import { IIIF_LEAVES_PER_PAGE, MAX_PHRASE } from '../services/text-search-service.js';
import { NewUnitSchema, UnitChangeSchema } from '../services/unit-service.js';
import {
  SessionSchema, SessionUserSchema, RevokedSchema, UnitKeyParams, UnitListSchema, UnitSchema, UserListSchema, UserSchema, UsernameParams,
} from './schemas/accounts.js';
import { CensusNumberParams, ErrorSchema, IfMatchHeader, OptionalIfMatchHeader } from './schemas/common.js';
import {
  CollectionPartParams, CollectionSchema, ImageInfoSchema, ImageParams, ImageRequestParams, ManifestParams, ManifestSchema, WorkParams,
  DivisionCollectionParams, UnitCollectionParams,
} from './schemas/iiif.js';
import { HistorySchema, RecordDetailSchema, RecordListQuerySchema, RecordListSchema, RecordResourceSchema } from './schemas/records.js';
import { ArrangedSchema, IngestJobSchema, JobParams, ScanJobAcceptedSchema, ScanUploadSchema } from './schemas/scans.js';
import { SearchResponseSchema } from './schemas/search-response.js';
import { ExhibitListQuerySchema, SlugParams } from './schemas/exhibits.js';
import { CanvasPartParams } from './schemas/iiif.js';
import { ActivityPageParams, CiteQuery } from './schemas/sharing.js';
import { AlignQuery, OcrJobParams, PageParams } from './schemas/texts.js';
import { AutocompleteQuerySchema, ContentSearchQuerySchema, TextSearchQuerySchema, TextSearchResponseSchema } from './schemas/text-search.js';
import {
  DryRunQuery, ExportParams, ExportQuery, ImportJobParams, ImportJobSchema, ImportReportSchema, ImportUploadSchema, StructureSheetParams,
  StructureSheetsResultSchema, StructureUploadSchema,
} from './schemas/sheets.js';

/** Named schemas: request bodies are described as the client sends them, answers as the server writes them. */
const REQUESTS = {
  RecordInput: RecordInputSchema, Transition: TransitionSchema, Arrangement: ArrangementSchema, Credentials: CredentialsSchema,
  NewUser: NewUserSchema, PasswordChange: PasswordChangeSchema, UserChange: UserChangeSchema, NewUnit: NewUnitSchema, UnitChange: UnitChangeSchema,
};
const RESPONSES = {
  Error: ErrorSchema, Record: RecordResourceSchema, RecordList: RecordListSchema, RecordDetail: RecordDetailSchema, History: HistorySchema,
  IngestJob: IngestJobSchema, ScanJobAccepted: ScanJobAcceptedSchema, Arranged: ArrangedSchema, ImportReport: ImportReportSchema,
  ImportJob: ImportJobSchema, StructureSheetsResult: StructureSheetsResultSchema, User: UserSchema, UserList: UserListSchema,
  Session: SessionSchema, SessionUser: SessionUserSchema, Revoked: RevokedSchema, Unit: UnitSchema, UnitList: UnitListSchema,
  SearchResponse: SearchResponseSchema, ImageInfo: ImageInfoSchema, Manifest: ManifestSchema, Collection: CollectionSchema,
};

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

/** The components of one direction; a schema registered there is referred to by name wherever it appears. */
function components(named: Record<string, z.ZodType>, io: Io) {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` });
  // Each comes with $schema and an $id; in OpenAPI the dialect is the document's and the name is its key.
  const bare = Object.entries(schemas).map(([id, { $schema: _, $id: __, ...schema }]) => [id, schema]);
  return { schemas: Object.fromEntries(bare) as Record<string, JsonSchema>, idOf: (s: z.ZodType) => registry.get(s)?.id };
}

const requests = components(REQUESTS, 'input');
const responses = components(RESPONSES, 'output');

/** A schema as a reference when it is named, inline otherwise. */
function schemaOf(schema: z.ZodType, io: Io): JsonSchema {
  const id = (io === 'input' ? requests : responses).idOf(schema);
  if (id) return { $ref: `#/components/schemas/${id}` };
  const { $schema: _, ...inline } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return inline;
}

/**
 * The parameters an object schema of the path, query or headers describes: one per property, its
 * description lifted to the parameter (`docs` gives those the schema lacks).
 */
function parametersOf(where: 'path' | 'query' | 'header', schema: z.ZodObject | undefined, docs: Record<string, string> = {}) {
  if (!schema) return [];
  const json = schemaOf(schema, 'input') as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties).map(([name, { description, ...property }]) => {
    const text = (description as string | undefined) ?? docs[name];
    const required = where === 'path' || (json.required ?? []).includes(name);
    return { name, in: where, required, ...(text ? { description: text } : {}), schema: property };
  });
}

interface Answer {
  description: string;
  schema?: z.ZodType;
  /** The media type when not application/json. */
  media?: string;
}

interface Operation {
  summary: string;
  description?: string;
  /** Sends the bearer token (docs/API.md: writes require it). */
  bearer?: boolean;
  path?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  /** Descriptions of query parameters whose schema has none. */
  queryDocs?: Record<string, string>;
  body?: z.ZodType;
  /** A multipart/form-data body: the files by field. */
  upload?: z.ZodObject;
  answers: Record<number, Answer>;
  errors?: number[];
}

function operation(op: Operation) {
  const parameters = [
    ...parametersOf('path', op.path), ...parametersOf('query', op.query, op.queryDocs), ...parametersOf('header', op.headers),
  ];
  const body = op.body ? { 'application/json': { schema: schemaOf(op.body, 'input') } }
    : op.upload ? { 'multipart/form-data': { schema: schemaOf(op.upload, 'input') } }
    : undefined;
  const answered = Object.entries(op.answers).map(([status, { description, schema, media }]) => [
    status, schema ? { description, content: { [media ?? 'application/json']: { schema: schemaOf(schema, 'output') } } } : { description },
  ]);
  const error = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.bearer ? { security: [{ bearer: [] }] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: body } } : {}),
    responses: Object.fromEntries([...answered, ...(op.errors ?? []).map((status) => [String(status), error])]),
  };
}

const JSON_LD = 'application/ld+json';
const loose = z.looseObject({});

/** The search parameters' meaning (the schema itself is the search service's). */
const SEARCH_DOCS: Record<string, string> = {
  q: 'What to find; parts separated by spaces must all match',
  ...Object.fromEntries(FACETS.map((name) => [name, 'Comma-separated values'])),
  yearFrom: 'First Western year of the range, on the copy\'s date (the last event that made it)',
  yearTo: 'Last Western year of the range',
  yearMatch: 'How the range selects a record\'s span of years: overlap (default) — the span meets the range, so a plain 清 (1644–1911) is in 1700–1750; within — the whole span lies inside the range, so it is not',
  yearOf: 'Whose years the range is on: copy (default) — the copy\'s date, the last event that made it (清光緒十年（1884）刻十八年（1892）印本: 1892); base — the base edition\'s, the edition reproduced or first carved (1884; 明翻宋本: 宋), or the copy\'s when the statement names none',
  sort: 'relevance (default with q), censusNumber, -censusNumber, year, -year',
  pageSize: 'At most 100',
  in: `Where to look (issue 16): fields (default) — the catalogue's fields; text — the text of the digitized books' pages (a phrase of 1–${MAX_PHRASE} characters; the public finds verified text of published books), ` +
    `the first ${MAX_TEXT_BOOKS} books found, best first, narrowed by the filters and counted in the facets; all — both: the books whose fields match, then those found only in the text. ` +
    'Each hit says where it matched (matchedIn) and carries its best pages in the text (text.pages: leaf, 卷, snippet as written, boxes); with fields, digitized hits whose text holds the query too carry its counts there',
};

/** A Content Search service of a book (search or autocomplete, 2.0 or 1.0): one query, one JSON-LD answer, the same refusals. */
const contentSearch = (summary: string, answer: string, query: typeof AutocompleteQuerySchema = ContentSearchQuerySchema): Record<string, Operation> => ({
  get: { summary, path: CensusNumberParams, query, answers: { 200: { description: answer, schema: loose, media: JSON_LD } }, errors: [400, 404] },
});

/** A streamed export of the records search finds (its query and filters), in one format. */
const recordsExport = (summary: string, media: string): Record<string, Operation> => ({
  get: { summary, query: ExportQuery, queryDocs: SEARCH_DOCS, answers: { 200: { description: 'The records', media } }, errors: [400] },
});

const PATHS: Record<string, Record<string, Operation>> = {
  '/health': {
    get: { summary: 'Liveness and readiness', answers: { 200: { description: 'Serving: {status, store, search}', schema: loose } } },
  },
  '/api/openapi.json': { get: { summary: 'This description', answers: { 200: { description: 'OpenAPI 3.1', schema: loose } } } },
  '/api/schema': {
    get: {
      summary: 'The census fields and search facets with their labels (zh, en), as src/domain/census-record.ts and src/domain/facets.ts declare them: what the pages draw their form and facets from',
      answers: { 200: { description: '{fields: [{key, label, required, form, sheetColumn}], readOnlyKeys, facets: [{name, label, counted, listFilter, order, valueLabels}]}', schema: loose } },
    },
  },
  '/api/vocabularies': {
    get: { summary: 'The controlled vocabularies in force', answers: { 200: { description: 'Vocabularies', schema: loose } } },
  },
  '/api/session': {
    post: {
      summary: 'Sign in; returns a bearer token',
      description:
        'Throttled per client address (a token bucket, GUJI_SIGNIN_PER_MINUTE) and per account (after GUJI_SIGNIN_FREE_FAILURES consecutive failures each attempt waits 1 s, 2 s, 4 s … up to GUJI_SIGNIN_MAX_WAIT_S): 429 with Retry-After. ' +
        '503 with Retry-After when too many password checks are already waiting.',
      body: CredentialsSchema, answers: { 201: { description: 'Token', schema: SessionSchema } }, errors: [400, 401, 429, 503],
    },
    get: {
      summary: 'Who the token belongs to', bearer: true,
      answers: { 200: { description: 'User', schema: SessionUserSchema } }, errors: [401],
    },
    delete: { summary: 'Sign out (revoke the token)', bearer: true, answers: { 204: { description: 'Signed out' } }, errors: [401] },
  },
  '/api/units/{key}': {
    get: {
      summary: 'One collecting unit (its key PPPPPP-UUUU): the provider\'s id in its manifests; staff also see address and contact',
      path: UnitKeyParams, answers: { 200: { description: 'Unit', schema: UnitSchema } }, errors: [404],
    },
    patch: {
      summary: 'Change a collecting unit (admin): its details, {"disabled": true} to stop it taking part (its records stay), or how it appears as the provider of its manifests — homepage, logo, identifier (ISIL)',
      bearer: true, path: UnitKeyParams, body: UnitChangeSchema,
      answers: { 200: { description: 'Unit', schema: UnitSchema } }, errors: [400, 401, 403, 404],
    },
  },
  '/api/units': {
    get: {
      summary: 'Collecting units (收藏单位): province, code, name and kind; staff also see address and contact',
      answers: { 200: { description: 'Units', schema: UnitListSchema } },
    },
    post: {
      summary: 'Register a collecting unit (admin)', bearer: true, body: NewUnitSchema,
      answers: { 201: { description: 'Created', schema: UnitSchema } }, errors: [400, 401, 403, 409],
    },
  },
  '/api/users': {
    get: { summary: 'Users (admin)', bearer: true, answers: { 200: { description: 'Users', schema: UserListSchema } }, errors: [401, 403] },
    post: {
      summary: 'Create a user (admin)', bearer: true, body: NewUserSchema,
      answers: { 201: { description: 'Created; Location names it', schema: UserSchema } }, errors: [400, 401, 403, 409],
    },
  },
  '/api/users/{username}': {
    get: {
      summary: 'One user (admin, or the user themself)', bearer: true, path: UsernameParams,
      answers: { 200: { description: 'User', schema: UserSchema } }, errors: [401, 403, 404],
    },
    patch: {
      summary: 'Edit an account (admin): display name, role, unit (a surveyor\'s is required); {"disabled": true} ends its sessions at once and refuses its sign-ins',
      bearer: true, path: UsernameParams, body: UserChangeSchema,
      answers: { 200: { description: 'User', schema: UserSchema } }, errors: [400, 401, 403, 404],
    },
  },
  '/api/users/{username}/password': {
    put: {
      summary: 'Set a password: the user themself gives currentPassword and keeps this session (their others end); an admin resets another user\'s password and ends all their sessions',
      bearer: true, path: UsernameParams, body: PasswordChangeSchema,
      answers: { 204: { description: 'Set' } }, errors: [400, 401, 403, 404, 429, 503],
    },
  },
  '/api/users/{username}/sessions': {
    delete: {
      summary: 'End every session of a user (admin, or the user themself)', bearer: true, path: UsernameParams,
      answers: { 200: { description: 'The number of sessions ended', schema: RevokedSchema } }, errors: [401, 403, 404],
    },
  },
  '/api/records': {
    get: {
      summary: 'A page of records with filters', query: RecordListQuerySchema,
      answers: { 200: { description: 'Records, total, page, pageSize, links', schema: RecordListSchema } }, errors: [400],
    },
    post: {
      summary: 'Register a record (draft)', bearer: true, body: RecordInputSchema,
      answers: { 201: { description: 'Created; Location and ETag headers', schema: RecordResourceSchema } }, errors: [400, 401, 403, 409],
    },
  },
  '/api/records/{censusNumber}': {
    get: {
      summary: 'One record with its pages, with ETag (If-None-Match: 304)', path: CensusNumberParams,
      answers: { 200: { description: 'Record', schema: RecordDetailSchema }, 304: { description: 'Not modified' } }, errors: [400, 404],
    },
    put: {
      summary: 'Update a record; If-Match required',
      bearer: true, path: CensusNumberParams, headers: IfMatchHeader, body: RecordInputSchema,
      answers: { 200: { description: 'Updated', schema: RecordResourceSchema } }, errors: [400, 401, 403, 404, 412, 428],
    },
  },
  '/api/records/{censusNumber}/history': {
    get: {
      summary: 'Every change: who, when, what (staff)', bearer: true, path: CensusNumberParams,
      answers: { 200: { description: 'Entries', schema: HistorySchema } }, errors: [400, 401, 404],
    },
  },
  '/api/records/{censusNumber}/transitions': {
    post: {
      summary: 'Workflow: submit, return, approve, publish, withdraw (published → approved, with a comment; OAI-PMH then lists the record as deleted)',
      bearer: true, path: CensusNumberParams, headers: OptionalIfMatchHeader, body: TransitionSchema,
      answers: { 200: { description: 'Record in its new status', schema: RecordResourceSchema } }, errors: [400, 401, 403, 404, 409, 412],
    },
  },
  '/api/records/{censusNumber}/scans': {
    post: {
      summary: 'Upload scans (multipart, field "files", one or many images); ingested in natural file-name order. A published record\'s scans and structure are changed by reviewers and admins only (403 reviewer_required)',
      description: 'At most GUJI_MAX_UPLOAD_FILES files and GUJI_MAX_UPLOAD_MB in all (413, before a byte is read when Content-Length says so).',
      bearer: true, path: CensusNumberParams, upload: ScanUploadSchema,
      answers: { 202: { description: 'The ingest job; Location: /api/jobs/{id}', schema: ScanJobAcceptedSchema } },
      errors: [400, 401, 403, 404, 413, 503, 507],
    },
  },
  '/api/records/{censusNumber}/structure': {
    put: {
      summary: 'Set the order, 册/卷/leaf labels and table-of-contents headings of the pages, listing every page once',
      bearer: true, path: CensusNumberParams, headers: IfMatchHeader, body: ArrangementSchema,
      answers: { 200: { description: 'The pages in their new order; ETag: the record\'s new version', schema: ArrangedSchema } },
      errors: [400, 401, 403, 404, 412, 428],
    },
  },
  '/api/records/{censusNumber}/structure/sheets': {
    post: {
      summary: 'Set the structure from the NLC template\'s sheets (CSV or XLSX): field "volumes" (分册表) and/or "contents" (目次表); ?dryRun=true checks only',
      description: 'If-Match is required unless dryRun.',
      bearer: true, path: CensusNumberParams, query: DryRunQuery, headers: OptionalIfMatchHeader, upload: StructureUploadSchema,
      answers: { 200: { description: 'The pages as arranged', schema: StructureSheetsResultSchema } },
      errors: [400, 401, 403, 404, 412, 413, 428],
    },
  },
  '/api/records/{censusNumber}/structure/sheets/{sheet}.{format}': {
    get: {
      summary: 'The structure as the volume sheet (sheet=volumes) or the table of contents (sheet=contents), csv or xlsx',
      path: StructureSheetParams, answers: { 200: { description: 'The sheet (text/csv or xlsx)' } }, errors: [404],
    },
  },
  '/api/jobs/{id}': {
    get: {
      summary: 'An ingest job: status (queued, running, done; interrupted by a stop, then failed at the next start, with its reason) and each file\'s outcome (ingested, skipped, refused with its reason, failed)',
      bearer: true, path: JobParams, answers: { 200: { description: 'The job', schema: IngestJobSchema } }, errors: [401, 404],
    },
  },
  '/api/imports': {
    post: {
      summary: 'Import a census sheet (multipart field "file", .csv or .xlsx): upsert by 普查编号; ?dryRun=true checks only',
      description: '`Prefer: respond-async` (RFC 7240) answers 202 at once with a job to follow at Location.',
      bearer: true, query: DryRunQuery, upload: ImportUploadSchema,
      answers: {
        200: { description: 'What the import did or would do', schema: ImportReportSchema },
        202: { description: 'The import job (Prefer: respond-async)', schema: ImportJobSchema },
      },
      errors: [400, 401, 403, 413, 503],
    },
  },
  '/api/imports/{id}': {
    get: {
      summary: 'An import started with Prefer: respond-async: its progress, then its report or error (its starter or an admin)',
      bearer: true, path: ImportJobParams, answers: { 200: { description: 'The job', schema: ImportJobSchema } }, errors: [401, 404],
    },
  },
  '/api/exports/records.{format}': {
    get: {
      summary: 'Export records (csv, xlsx or jsonl) with the census headings and the filters of search, streamed',
      description:
        'csv and xlsx end with export-only columns read from the statements: 版本年代（公元） (the copy\'s date: the last event that made it, in Western years), 底本 and 底本年代（公元） (the base edition reproduced or first carved), 藏者 (a holder named before the edition), 国别 (whose calendar dates it), 存卷数 and 所存卷次 (存卷 parsed). Import recognises them and never reads them, so an export imports back unchanged.',
      path: ExportParams, query: ExportQuery, queryDocs: SEARCH_DOCS,
      answers: { 200: { description: 'The sheet' } }, errors: [400, 404],
    },
  },
  '/api/exports/records.mrc': recordsExport('MARC 21 bibliographic records (ISO 2709, UTF-8) with the filters of search, streamed: romanised (ALA-LC pinyin) fields linked by $6 to 880 fields as written', 'application/marc'),
  '/api/exports/records.marcxml': recordsExport('The same records as MARCXML (a MARC21slim collection)', 'application/marcxml+xml'),
  '/api/exports/records.mods.xml': recordsExport('The same records as MODS 3.7 (a modsCollection)', 'application/mods+xml'),
  '/api/exports/records.unimarc': recordsExport('The same records as UNIMARC bibliographic records (ISO 2709, UTF-8: 100 character set 50), the base of CNMARC; field choices in src/exports/unimarc.ts', 'application/marc'),
  '/api/exports/records.unimarc.xml': recordsExport('The same UNIMARC records as MarcXchange (ISO 25577) XML', 'application/xml'),
  '/api/records/{censusNumber}.mods.xml': {
    get: {
      summary: 'One record as MODS 3.7 (published records for everyone, with CORS; drafts for staff who may read them)',
      path: CensusNumberParams, answers: { 200: { description: 'MODS', media: 'application/mods+xml' } }, errors: [400, 404],
    },
  },
  '/api/records/{censusNumber}/bag.zip': {
    get: {
      summary: 'A BagIt (RFC 8493) bag of a digitized record, streamed as zip: masters under their stored SHA-256, the record as JSON, MODS and MARCXML, the manifest (staff)',
      bearer: true, path: CensusNumberParams, answers: { 200: { description: 'The bag', media: 'application/zip' } }, errors: [400, 401, 403, 404],
    },
  },
  '/api/records/{censusNumber}/cite': {
    get: {
      summary: 'A citation of the record: GB/T 7714-2015 (古籍), RIS, BibTeX or CSL-JSON',
      path: CensusNumberParams, query: CiteQuery, answers: { 200: { description: 'The citation', media: 'text/plain' } }, errors: [400, 404],
    },
  },
  '/api/records/{censusNumber}/text/ocr': {
    post: {
      summary: 'Read the text of the record\'s pages by OCR, as a job (202): pages a person proofread, verified or aligned are kept',
      bearer: true, path: CensusNumberParams, answers: { 202: { description: 'The job', schema: loose } }, errors: [400, 401, 403, 404, 503],
    },
    get: {
      summary: 'The record\'s OCR jobs (staff)',
      bearer: true, path: CensusNumberParams, answers: { 200: { description: 'Jobs', schema: loose } }, errors: [400, 401, 403, 404],
    },
  },
  '/api/records/{censusNumber}/text/ocr/{id}': {
    get: {
      summary: 'One OCR job: its progress and what became of each page (read, kept, failed)',
      bearer: true, path: OcrJobParams, answers: { 200: { description: 'The job', schema: loose } }, errors: [400, 401, 403, 404],
    },
  },
  '/api/records/{censusNumber}/text/align': {
    post: {
      summary: 'Lay a known text (a volume or 卷: plain text, a Kanseki Repository file or ctext text) onto the pages by aligning it with their text; flagged pages and pages a person proofread are left as they were',
      description: 'JSON {"text": …, "format": "auto|plain|mandoku|ctext"}, or the file itself as text/plain with ?format=. Answers what became of each page: aligned, flagged (agreement below 0.5) or kept. 409 ocr_draft_missing when no page has text to align with.',
      bearer: true, path: CensusNumberParams, query: AlignQuery, body: loose,
      answers: { 200: { description: 'Each page\'s outcome', schema: loose } }, errors: [400, 401, 403, 404, 409, 413],
    },
  },
  '/api/records/{censusNumber}/text.txt': {
    get: {
      summary: 'The whole book\'s text in reading order, with 卷 and page markers (verified pages of published records for the public; drafts for staff)',
      path: CensusNumberParams, answers: { 200: { description: 'The text', media: 'text/plain' } }, errors: [400, 404],
    },
  },
  '/api/records/{censusNumber}/pages/{n}/text': {
    get: {
      summary: 'A page\'s text: columns right to left, each with its box and characters (char, box, confidence); status ocr, aligned, proofread or verified',
      path: PageParams, answers: { 200: { description: 'The page\'s text', schema: loose } }, errors: [400, 404],
    },
    put: {
      summary: 'Correct a page\'s text (staff; If-Match, or If-None-Match: * for a page with none): proofread, or verified by a reviewer',
      bearer: true, path: PageParams, headers: OptionalIfMatchHeader, body: loose,
      answers: { 200: { description: 'The page\'s text as saved', schema: loose } }, errors: [400, 401, 403, 404, 412, 413, 428],
    },
  },
  '/api/records/{censusNumber}/pages/{n}/text/history': {
    get: {
      summary: 'Every version of a page\'s text: who, when, what changed (staff)',
      bearer: true, path: PageParams, answers: { 200: { description: 'Entries', schema: loose } }, errors: [400, 401, 403, 404],
    },
  },
  '/api/records/{censusNumber}/pages/{n}/alto.xml': {
    get: {
      summary: 'A page\'s text as ALTO 4 XML (vertical text: a TextLine per column, a String per character with its box and confidence)',
      path: PageParams, answers: { 200: { description: 'ALTO', media: 'application/xml' } }, errors: [400, 404],
    },
  },
  '/api/records/{censusNumber}/text/search': {
    get: {
      summary: 'Search inside one book: every leaf where a phrase occurs, with snippets as written and the characters\' boxes (verified pages of published records for the public; drafts for staff who may read them)',
      path: CensusNumberParams, query: TextSearchQuerySchema,
      answers: { 200: { description: 'The book (at most one) with its pages hit, best first', schema: TextSearchResponseSchema } }, errors: [400, 404],
    },
  },
  '/api/text/search': {
    get: {
      summary: 'Search inside the books across the catalogue: books where a phrase occurs, most matches first, each with its best pages (leaf, 卷, snippet, boxes, exact, proofread)',
      query: TextSearchQuerySchema, answers: { 200: { description: 'Books hit', schema: TextSearchResponseSchema } }, errors: [400],
    },
  },
  '/api/open-data': {
    get: {
      summary: 'The open-data dump of the published catalogue: its files under /open-data/, their SHA-256 and when it was made',
      answers: { 200: { description: 'The dump', schema: loose } }, errors: [404],
    },
    post: {
      summary: 'Make the open-data dump again now (admin); answers when it is made',
      bearer: true, answers: { 200: { description: 'The dump', schema: loose } }, errors: [401, 403],
    },
  },
  '/api/exhibits': {
    get: {
      summary: 'Exhibits (展览): published ones for everyone; staff also see drafts, submitted and returned ones (?status=)',
      query: ExhibitListQuerySchema, answers: { 200: { description: 'A page of exhibits', schema: loose } }, errors: [400],
    },
    post: {
      summary: 'Write an exhibit (staff): sections of items — a book, a page or a region, from this catalogue or any IIIF manifest URL — each with a caption and credit',
      description: 'An item pointing at an unpublished record, an unreachable manifest or a region outside the image is refused (422) with its code and field.',
      bearer: true, body: loose, answers: { 201: { description: 'The exhibit', schema: loose } }, errors: [400, 401, 403, 409, 422],
    },
  },
  '/api/exhibits/{slug}': {
    get: { summary: 'One exhibit', path: SlugParams, answers: { 200: { description: 'The exhibit', schema: loose } }, errors: [404] },
    put: {
      summary: 'Change an exhibit (If-Match): its author while it is a draft or returned, reviewers and admins at any time',
      bearer: true, path: SlugParams, headers: IfMatchHeader, body: loose,
      answers: { 200: { description: 'The exhibit', schema: loose } }, errors: [400, 401, 403, 404, 412, 422, 428],
    },
  },
  '/api/exhibits/{slug}/preview': {
    get: { summary: 'The exhibit\'s article as its public page will show it (staff, before publishing)', bearer: true, path: SlugParams, answers: { 200: { description: 'HTML', media: 'text/html' } }, errors: [401, 404] },
  },
  '/api/exhibits/{slug}/history': {
    get: { summary: 'Every change of an exhibit: who, when, what (staff)', bearer: true, path: SlugParams, answers: { 200: { description: 'Entries', schema: loose } }, errors: [401, 404] },
  },
  '/api/exhibits/{slug}/transitions': {
    post: {
      summary: 'Workflow: submit (its author), return (with a comment) or publish (a reviewer); publishing checks every item again',
      bearer: true, path: SlugParams, headers: OptionalIfMatchHeader, body: loose,
      answers: { 200: { description: 'The exhibit in its new status', schema: loose } }, errors: [400, 401, 403, 404, 409, 412, 422],
    },
  },
  '/api/stats': {
    get: {
      summary: 'The district overview: totals and breakdowns, progress by unit, the conservation worklist',
      answers: { 200: { description: 'Overview', schema: loose } },
    },
  },
  '/api/search': {
    get: {
      summary: 'Full-text search blind to traditional, simplified and variant forms, with facets',
      description:
        'Any run of characters of a title, person, edition statement or other field finds the record. Anonymous searchers see published records; staff also drafts (surveyors their own unit\'s). ' +
        `Facets counted: ${countedFacets(false).join(', ')}, and for staff also ${countedFacets(true).filter((f) => !countedFacets(false).includes(f)).join(', ')}; ` +
        `filters only, not counted: ${FACETS.filter((f) => !countedFacets(true).includes(f)).join(', ')} (\`work\` selects the parts of a multi-part work). ` +
        'century is 16 for 1501–1600, -1 for 100–1 BCE, and `span` for a date no single century holds: a dynasty only (清) or a span of more than 100 years (明末清初).',
      query: SearchParamsSchema, queryDocs: SEARCH_DOCS,
      answers: {
        200: { description: 'Hits with their statements as written, highlights and links; facet counts', schema: SearchResponseSchema },
      },
      errors: [400, 503],
    },
  },
  '/iiif/3/{imageId}': {
    get: {
      summary: 'An image\'s base URI: 303 to its information (Image API §2.2)', path: ImageParams,
      answers: { 303: { description: 'See info.json' } },
    },
  },
  '/iiif/3/{imageId}/info.json': {
    get: {
      summary: 'Image information (Image API §5), JSON-LD unless Accept asks for application/json', path: ImageParams,
      answers: { 200: { description: 'Image information', schema: ImageInfoSchema, media: JSON_LD } }, errors: [404],
    },
  },
  '/iiif/3/{imageId}/{region}/{size}/{rotation}/{qualityFormat}': {
    get: {
      summary: 'An image request (Image API §4), level 2; ETag and Link: canonical (If-None-Match: 304)', path: ImageRequestParams,
      answers: { 200: { description: 'The image (image/jpeg, image/png or image/webp)' }, 304: { description: 'Not modified' } },
      // 501: a format of §4.5 other than jpg, png and webp (image_format_not_served).
      errors: [400, 404, 501, 503],
    },
  },
  '/iiif/activity': {
    get: {
      summary: 'IIIF Change Discovery 1.0: the OrderedCollection of Create, Update and Delete activities on public manifests and collections',
      answers: { 200: { description: 'OrderedCollection', schema: loose, media: 'application/ld+json' } },
    },
  },
  '/iiif/activity/page/{page}': {
    get: {
      summary: 'One OrderedCollectionPage of 100 activities, oldest first; a full page never changes',
      path: ActivityPageParams, answers: { 200: { description: 'OrderedCollectionPage', schema: loose, media: 'application/ld+json' } }, errors: [404],
    },
  },
  '/iiif/{censusNumber}/canvas/{n}/text': {
    get: {
      summary: 'The AnnotationPage of a canvas\'s text: one supplementing TextualBody per column, targeting its xywh',
      path: PageParams, answers: { 200: { description: 'AnnotationPage', schema: loose, media: 'application/ld+json' } }, errors: [400, 404],
    },
  },
  '/iiif/exhibits/{slug}/manifest': {
    get: {
      summary: 'An exhibit as a Presentation 3.0 manifest: a canvas per item, a region painted as the region\'s own image',
      path: SlugParams, answers: { 200: { description: 'Manifest', schema: loose, media: 'application/ld+json' } }, errors: [404],
    },
  },
  '/iiif/{censusNumber}/canvas/{key}': {
    get: {
      summary: 'A canvas of a manifest on its own, with @context and partOf (Presentation 3.0 §3.3: ids dereference)',
      path: CanvasPartParams, answers: { 200: { description: 'Canvas', schema: loose, media: 'application/ld+json' } }, errors: [404],
    },
  },
  '/iiif/{censusNumber}/range/{key}': {
    get: {
      summary: 'A range of a manifest on its own, with @context and partOf',
      path: CanvasPartParams, answers: { 200: { description: 'Range', schema: loose, media: 'application/ld+json' } }, errors: [404],
    },
  },
  '/iiif/auth/probe/{imageId}': {
    get: {
      summary: 'IIIF Authorization Flow 2.0 probe service (§2.1): what the image would answer this client (status 200, 401 or 403, with a heading and note)',
      path: z.object({ imageId: z.string() }), answers: { 200: { description: 'AuthProbeResult2', schema: loose, media: 'application/ld+json' } }, errors: [404],
    },
  },
  '/iiif/auth/access': {
    get: { summary: 'The access service (2.0 §2.2, 1.0 login): the window a viewer opens to sign staff in', answers: { 200: { description: 'HTML', media: 'text/html' } } },
  },
  '/iiif/auth/cookie': {
    post: {
      summary: 'Turns this tab\'s staff session into the access cookie of /iiif reads (HttpOnly, SameSite=Strict, Path=/iiif)',
      bearer: true, answers: { 204: { description: 'Set' } }, errors: [401],
    },
  },
  '/iiif/auth/token': {
    get: {
      summary: 'The token service (2.0 §2.3, 1.0 §3.2): a page that posts an access token to the viewer, to this site\'s own pages only',
      query: z.object({ messageId: z.string().max(2000), origin: z.string().max(500) }),
      answers: { 200: { description: 'HTML that posts the token message', media: 'text/html' } }, errors: [400],
    },
  },
  '/iiif/auth/logout': {
    get: { summary: 'The logout service: ends the viewer\'s access (the staff session stays)', answers: { 200: { description: 'HTML', media: 'text/html' } } },
  },
  '/iiif/{censusNumber}/search': contentSearch(
    'IIIF Content Search 2.0 within a book: an AnnotationPage of the matched characters (one annotation a column, xywh on the canvas) with their match context (contextualizing TextQuoteSelector); ' +
      `every match of up to ${IIIF_LEAVES_PER_PAGE} leaves, a longer answer in pages (partOf, next, prev)`,
    'AnnotationPage',
  ),
  '/iiif/{censusNumber}/search/1': contentSearch(
    'IIIF Content Search 1.0 within a book (sc:AnnotationList with hits), for the viewers that ask for it (Mirador 3, the Universal Viewer 4); a longer answer in pages (within, next, prev, startIndex)',
    'AnnotationList',
  ),
  '/iiif/{censusNumber}/autocomplete': contentSearch(
    'IIIF Content Search 2.0 autocomplete: the phrase with the characters that follow it in the book, most frequent first (TermPage)',
    'TermPage',
    AutocompleteQuerySchema,
  ),
  '/iiif/{censusNumber}/autocomplete/1': contentSearch('IIIF Content Search 1.0 autocomplete (search:TermList)', 'TermList', AutocompleteQuerySchema),
  '/iiif/collection': {
    get: {
      summary: 'The collection of published digitized records (Presentation API §5.1)',
      answers: { 200: { description: 'Collection', schema: CollectionSchema, media: JSON_LD } },
    },
  },
  '/iiif/collection/{part}': {
    get: {
      summary: 'One part of a large collection', path: CollectionPartParams,
      answers: { 200: { description: 'Collection', schema: CollectionSchema, media: JSON_LD } }, errors: [404],
    },
  },
  '/iiif/units/{unit}': {
    get: {
      summary: 'A holding unit\'s published digitized records, as a collection provided by it; 404 while it has none', path: UnitCollectionParams,
      answers: { 200: { description: 'Collection', schema: CollectionSchema, media: JSON_LD } }, errors: [404],
    },
  },
  '/iiif/units/{unit}/{part}': {
    get: {
      summary: 'One part of a large unit collection', path: UnitCollectionParams.extend(CollectionPartParams.shape),
      answers: { 200: { description: 'Collection', schema: CollectionSchema, media: JSON_LD } }, errors: [404],
    },
  },
  '/iiif/divisions/{division}': {
    get: {
      summary: 'A 四部 division\'s published digitized records, as a collection; 404 while it has none', path: DivisionCollectionParams,
      answers: { 200: { description: 'Collection', schema: CollectionSchema, media: JSON_LD } }, errors: [404],
    },
  },
  '/iiif/divisions/{division}/{part}': {
    get: {
      summary: 'One part of a large division collection', path: DivisionCollectionParams.extend(CollectionPartParams.shape),
      answers: { 200: { description: 'Collection', schema: CollectionSchema, media: JSON_LD } }, errors: [404],
    },
  },
  '/iiif/works/{work}': {
    get: {
      summary: 'The parts of a multi-part work, as a collection', path: WorkParams,
      answers: { 200: { description: 'Collection', schema: CollectionSchema, media: JSON_LD } }, errors: [404],
    },
  },
  '/iiif/{censusNumber}/manifest': {
    get: {
      summary: 'A digitized record\'s manifest (Presentation API §5.2), with ETag (If-None-Match: 304)', path: ManifestParams,
      answers: { 200: { description: 'Manifest', schema: ManifestSchema, media: JSON_LD }, 304: { description: 'Not modified' } },
      errors: [404],
    },
  },
  '/iiif/{censusNumber}/scans.pdf': {
    get: {
      summary: 'The manifest\'s rendering: a PDF of the access copies, one page per leaf, made on the first request and kept; ETag (If-None-Match: 304), Range',
      path: ManifestParams, answers: { 200: { description: 'PDF', media: 'application/pdf' }, 304: { description: 'Not modified' } },
      errors: [404],
    },
  },
};

const paths = Object.fromEntries(Object.entries(PATHS).map(([path, ops]) => [
  path, Object.fromEntries(Object.entries(ops).map(([method, op]) => [method, operation(op)])),
]));

export function openApiDocument(baseUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'guji — census and digitization catalogue of classical Chinese books',
      version: '0.1.0',
      description:
        'Records are keyed by their census number (普查编号). Errors are {"error":{"code","message","details":[{"field","problem"}]}}. ' +
        'Writes need Authorization: Bearer <token> from POST /api/session. ' +
        'IIIF: Image API 3.0 at /iiif/3/{imageId}/… (imageId = the master\'s SHA-256), manifests at /iiif/{censusNumber}/manifest, ' +
        'the collection of published digitized records at /iiif/collection.',
    },
    servers: [{ url: baseUrl }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { ...requests.schemas, ...responses.schemas },
    },
    paths,
  };
}
