/**
 * The OpenAPI 3.1 description served at /api/openapi.json. Request bodies are generated from the
 * same zod schemas that validate them (zod's toJSONSchema emits JSON Schema 2020-12, the dialect
 * OpenAPI 3.1 uses), so the description cannot drift from what the service accepts.
 */
import { z } from 'zod';
import { RecordInputSchema } from '../domain/census-record.js';
import { FACETS, YEAR_MATCHES, YEAR_OFS } from '../ports/search-index.js';
import { CredentialsSchema, NewUserSchema, PasswordChangeSchema, UserChangeSchema } from '../services/auth-service.js';
import { TransitionSchema } from '../services/record-service.js';
import { NewUnitSchema, UnitChangeSchema } from '../services/unit-service.js';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const error = { description: 'Error', ...json('Error') };
const cn = { name: 'censusNumber', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{6}-\\d{4}-\\d{7}$' } };
const bearer = [{ bearer: [] }];
const user = { name: 'username', in: 'path', required: true, schema: { type: 'string' } };

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
      schemas: {
        RecordInput: schema(RecordInputSchema),
        Transition: schema(TransitionSchema),
        Credentials: schema(CredentialsSchema),
        NewUser: schema(NewUserSchema),
        PasswordChange: schema(PasswordChangeSchema),
        UserChange: schema(UserChangeSchema),
        NewUnit: schema(NewUnitSchema),
        UnitChange: schema(UnitChangeSchema),
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'details'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                details: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, problem: { type: 'string' } } } },
              },
            },
          },
        },
      },
    },
    paths: {
      '/health': { get: { summary: 'Liveness and readiness', responses: { 200: { description: 'Serving' } } } },
      '/api/session': {
        post: {
          summary: 'Sign in; returns a bearer token',
          description:
            'Throttled per client address (a token bucket, GUJI_SIGNIN_PER_MINUTE) and per account (after GUJI_SIGNIN_FREE_FAILURES consecutive failures each attempt waits 1 s, 2 s, 4 s … up to GUJI_SIGNIN_MAX_WAIT_S): 429 with Retry-After. ' +
            '503 with Retry-After when too many password checks are already waiting.',
          requestBody: json('Credentials'),
          responses: { 201: { description: 'Token' }, 400: error, 401: error, 429: error, 503: error },
        },
        get: { summary: 'Who the token belongs to', security: bearer, responses: { 200: { description: 'User' }, 401: error } },
        delete: { summary: 'Sign out (revoke the token)', security: bearer, responses: { 204: { description: 'Signed out' } } },
      },
      '/api/units': {
        get: { summary: 'Collecting units (收藏单位): province, code, name and kind; staff also see address and contact', responses: { 200: { description: 'Units' } } },
        post: { summary: 'Register a collecting unit (admin)', security: bearer, requestBody: json('NewUnit'), responses: { 201: { description: 'Created' }, 400: error, 403: error, 409: error } },
      },
      '/api/units/{key}': {
        get: {
          summary: 'One collecting unit (key PPPPPP-UUUU): the id of the provider in its manifests, with its website, logo and identifier (ISIL)',
          parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'Unit' }, 404: error },
        },
        patch: {
          summary: 'Set a unit\'s website, logo and identifier (admin); null clears one',
          security: bearer, parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }], requestBody: json('UnitChange'),
          responses: { 200: { description: 'Unit' }, 400: error, 401: error, 403: error, 404: error },
        },
      },
      '/api/users': {
        get: { summary: 'Users (admin)', security: bearer, responses: { 200: { description: 'Users' }, 403: error } },
        post: { summary: 'Create a user (admin)', security: bearer, requestBody: json('NewUser'), responses: { 201: { description: 'Created' }, 400: error, 403: error, 409: error } },
      },
      '/api/users/{username}': {
        get: { summary: 'One user (admin, or the user themself)', security: bearer, parameters: [user], responses: { 200: { description: 'User' }, 403: error, 404: error } },
        patch: {
          summary: 'Disable or enable an account (admin): {"disabled": true} ends its sessions at once and refuses its sign-ins',
          security: bearer, parameters: [user], requestBody: json('UserChange'),
          responses: { 200: { description: 'User' }, 400: error, 403: error, 404: error },
        },
      },
      '/api/users/{username}/password': {
        put: {
          summary: 'Set a password: the user themself gives currentPassword and keeps this session (their others end); an admin resets another user\'s password and ends all their sessions',
          security: bearer, parameters: [user], requestBody: json('PasswordChange'),
          responses: { 204: { description: 'Set' }, 400: error, 403: error, 404: error, 429: error, 503: error },
        },
      },
      '/api/users/{username}/sessions': {
        delete: {
          summary: 'End every session of a user (admin, or the user themself)', security: bearer, parameters: [user],
          responses: { 200: { description: '{revoked: number of sessions ended}' }, 403: error, 404: error },
        },
      },
      '/api/records': {
        get: {
          summary: 'A page of records with filters',
          parameters: ['status', 'unit', 'editionType', 'dynasty', 'division', 'grade', 'damageGrade'].map((name) => ({
            name, in: 'query', required: false, description: 'Comma-separated values', schema: { type: 'string' },
          })).concat(
            ['yearFrom', 'yearTo', 'page', 'pageSize'].map((name) => ({ name, in: 'query', required: false, description: '', schema: { type: 'integer' } as never })),
            [{ name: 'sort', in: 'query', required: false, description: 'censusNumber, updatedAt or year; prefix - for descending', schema: { type: 'string' } }],
          ),
          responses: { 200: { description: 'Records, total, page, pageSize, links' }, 400: error },
        },
        post: {
          summary: 'Register a record (draft)', security: bearer, requestBody: json('RecordInput'),
          responses: { 201: { description: 'Created; Location and ETag headers' }, 400: error, 401: error, 403: error, 409: error },
        },
      },
      '/api/records/{censusNumber}': {
        get: { summary: 'One record, with ETag', parameters: [cn], responses: { 200: { description: 'Record' }, 404: error } },
        put: {
          summary: 'Update a record; If-Match required', security: bearer, requestBody: json('RecordInput'),
          parameters: [cn, { name: 'If-Match', in: 'header', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'Updated' }, 400: error, 403: error, 404: error, 412: error, 428: error },
        },
      },
      '/api/records/{censusNumber}/history': {
        get: { summary: 'Every change: who, when, what (staff)', security: bearer, parameters: [cn], responses: { 200: { description: 'Entries' }, 401: error, 404: error } },
      },
      '/api/records/{censusNumber}/transitions': {
        post: {
          summary: 'Workflow: submit, return, approve, publish', security: bearer, parameters: [cn], requestBody: json('Transition'),
          responses: { 200: { description: 'Record in its new status' }, 400: error, 403: error, 404: error, 409: error, 412: error },
        },
      },
      '/api/records/{censusNumber}/scans': {
        post: {
          summary: 'Upload scans (multipart, field "files", one or many images); ingested in natural file-name order. A published record\'s scans and structure are changed by reviewers and admins only (403 reviewer_required)',
          security: bearer,
          parameters: [cn],
          requestBody: { content: { 'multipart/form-data': { schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } } } } } },
          responses: { 202: { description: 'The ingest job; Location: /api/jobs/{id}' }, 400: error, 401: error, 403: error, 404: error, 503: error },
        },
      },
      '/api/records/{censusNumber}/structure': {
        put: {
          summary: 'Set the order, 册/卷/leaf labels and table-of-contents headings of the pages: {"pages":[{"imageId","volume","juan","label","headings":[{"level","title","author"}]}…]} listing every page once',
          security: bearer,
          parameters: [cn, { name: 'If-Match', in: 'header', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'The pages in their new order' }, 400: error, 403: error, 412: error, 428: error },
        },
      },
      '/api/records/{censusNumber}/structure/sheets': {
        post: {
          summary: 'Set the structure from the NLC template\'s sheets (CSV or XLSX): field "volumes" (分册表: 册次, 册名, 文件) and/or "contents" (目次表: 层级, 题名, 著者, 册次, 起始叶); ?dryRun=true checks only',
          security: bearer,
          parameters: [cn, { name: 'If-Match', in: 'header', required: false, description: 'Required unless dryRun', schema: { type: 'string' } }],
          requestBody: { content: { 'multipart/form-data': { schema: { type: 'object', properties: { volumes: { type: 'string', format: 'binary' }, contents: { type: 'string', format: 'binary' } } } } } },
          responses: { 200: { description: 'The pages as arranged' }, 400: error, 403: error, 412: error, 428: error },
        },
      },
      '/api/records/{censusNumber}/structure/sheets/{sheet}.{format}': {
        get: {
          summary: 'The structure as the volume sheet (sheet=volumes) or the table of contents (sheet=contents), csv or xlsx',
          parameters: [cn, { name: 'sheet', in: 'path', required: true, schema: { type: 'string', enum: ['volumes', 'contents'] } }, { name: 'format', in: 'path', required: true, schema: { type: 'string', enum: ['csv', 'xlsx'] } }],
          responses: { 200: { description: 'The sheet' }, 404: error },
        },
      },
      '/api/imports': {
        post: {
          summary: 'Import a census sheet (multipart field "file", .csv or .xlsx): upsert by 普查编号; ?dryRun=true checks only',
          security: bearer,
          responses: { 200: { description: '{dryRun, rows, created, updated, unchanged, rejected, problems: [{row, column, problem}], ignoredColumns, derivedColumns (export-only columns such as 版本年代（公元）, recognised and not read)}' }, 400: error, 401: error, 503: error },
        },
      },
      '/api/exports/records.{format}': {
        get: {
          summary: 'Export records (csv, xlsx or jsonl) with the census headings and the filters of search, streamed',
          description:
            'csv and xlsx end with export-only columns read from the statements: 版本年代（公元） (the copy\'s date: the last event that made it, in Western years), 底本 and 底本年代（公元） (the base edition reproduced or first carved), 藏者 (a holder named before the edition), 国别 (whose calendar dates it), 存卷数 and 所存卷次 (存卷 parsed). Import recognises them and never reads them, so an export imports back unchanged.',
          parameters: [{ name: 'format', in: 'path', required: true, schema: { type: 'string', enum: ['csv', 'xlsx', 'jsonl'] } }],
          responses: { 200: { description: 'The sheet' }, 404: error },
        },
      },
      '/api/stats': { get: { summary: 'The district overview: totals and breakdowns, progress by unit, the conservation worklist', responses: { 200: { description: 'Overview' } } } },
      '/api/jobs/{id}': {
        get: {
          summary: 'An ingest job: status (queued, running, done; interrupted by a stop, then failed at the next start, with its reason) and each file\'s outcome (ingested, skipped, refused with its reason, failed)',
          security: bearer,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'The job' }, 404: error },
        },
      },
      '/api/search': {
        get: {
          summary: 'Full-text search blind to traditional, simplified and variant forms, with facets',
          description:
            'Any run of characters of a title, person, edition statement or other field finds the record. Anonymous searchers see published records; staff also drafts (surveyors their own unit\'s). ' +
            'Facets counted: division, category, editionType, dynasty, century, unit, grade, damageGrade, digitized, and status for staff; `work` filters the parts of a multi-part work. ' +
            'century is 16 for 1501–1600, -1 for 100–1 BCE, and `span` for a date no single century holds: a dynasty only (清) or a span of more than 100 years (明末清初).',
          parameters: [
            { name: 'q', in: 'query', required: false, description: 'What to find; parts separated by spaces must all match', schema: { type: 'string' } },
            ...FACETS.map((name) => ({
              name, in: 'query', required: false, description: 'Comma-separated values', schema: { type: 'string' },
            })),
            { name: 'yearFrom', in: 'query', required: false, description: 'First Western year of the range, on the copy\'s date (the last event that made it)', schema: { type: 'integer' } },
            { name: 'yearTo', in: 'query', required: false, description: 'Last Western year of the range', schema: { type: 'integer' } },
            {
              name: 'yearMatch', in: 'query', required: false,
              description: 'How the range selects a record\'s span of years: overlap (default) — the span meets the range, so a plain 清 (1644–1911) is in 1700–1750; within — the whole span lies inside the range, so it is not',
              schema: { type: 'string', enum: [...YEAR_MATCHES] },
            },
            {
              name: 'yearOf', in: 'query', required: false,
              description: 'Whose years the range is on: copy (default) — the copy\'s date, the last event that made it (清光緒十年（1884）刻十八年（1892）印本: 1892); base — the base edition\'s, the edition reproduced or first carved (1884; 明翻宋本: 宋), or the copy\'s when the statement names none',
              schema: { type: 'string', enum: [...YEAR_OFS] },
            },
            { name: 'sort', in: 'query', required: false, description: 'relevance (default with q), censusNumber, -censusNumber, year, -year', schema: { type: 'string' } },
            { name: 'page', in: 'query', required: false, description: '', schema: { type: 'integer' } },
            { name: 'pageSize', in: 'query', required: false, description: 'At most 100', schema: { type: 'integer' } },
          ],
          responses: { 200: { description: '{q, total, page, pageSize, sort, hits: [{censusNumber, statements as written, highlights, links}], facets}' }, 400: error, 503: error },
        },
      },
      '/api/vocabularies': { get: { summary: 'The controlled vocabularies in force', responses: { 200: { description: 'Vocabularies' } } } },
    },
  };
}
