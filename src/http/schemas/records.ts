/** GET/POST/PUT /api/records…: what the routes read and what they answer (docs/API.md, Records). */
import { z } from 'zod';
import { CorrectionsSchema, RECORD_STATUSES, RecordFieldsSchema } from '../../domain/census-record.js';
import { facetFilterShape, LIST_FILTERS } from '../../domain/facets.js';
import { ON_RECORD } from '../../domain/permissions.js';
import { instant, url } from './common.js';

/** The filters of `GET /api/records`. */
export const RecordListQuerySchema = z
  .object({
    // The facets declared listFilter in src/domain/facets.ts.
    ...facetFilterShape(LIST_FILTERS),
    yearFrom: z.coerce.number().int().optional(),
    yearTo: z.coerce.number().int().optional(),
    sort: z.enum(['censusNumber', '-censusNumber', 'updatedAt', '-updatedAt', 'year', '-year']).default('censusNumber')
      .meta({ description: 'censusNumber, updatedAt or year; prefix - for descending' }),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();

/** What the service derived (src/domain/census-record.ts Derived); nested parts as the parsers give them. */
const DerivedSchema = z.looseObject({
  title: z.looseObject({ title: z.string() }),
  extant: z.looseObject({}).nullable().optional(),
  creators: z.array(z.looseObject({ name: z.string() })),
  edition: z.looseObject({ type: z.string().nullable() }),
  classification: z.looseObject({}).nullable(),
  grade: z.object({ term: z.string(), level: z.number(), tier: z.string().nullable() }).nullable(),
  damage: z.object({ grade: z.string(), rank: z.number(), types: z.array(z.string()) }).nullable(),
  binding: z.string().nullable(),
});

/** A record on the wire: the fields as written, then what the service derived and knows. */
export const RecordResourceSchema = RecordFieldsSchema.extend({
  corrections: CorrectionsSchema.optional(),
  derived: DerivedSchema,
  status: z.enum(RECORD_STATUSES),
  pageCount: z.number().int(),
  version: z.number().int(),
  createdAt: instant,
  createdBy: z.string(),
  updatedAt: instant,
  updatedBy: z.string(),
  links: z.object({ self: url, history: url, manifest: url.optional(), thumbnail: url.optional() }).strict(),
  /** For staff: what this reader may do now. */
  actions: z.array(z.enum(ON_RECORD)).optional()
    .meta({ description: 'For signed-in readers: what they may do with this record now (src/domain/permissions.ts)' }),
  latestComment: z.object({ comment: z.string(), actor: z.string(), at: instant, action: z.string() }).strict().optional()
    .meta({ description: 'In lists, for staff: the newest history entry with a comment (a reason for returning the record, say)' }),
}).strict();

export const RecordListSchema = z.object({
  records: z.array(RecordResourceSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  links: z.object({ prev: url.optional(), next: url.optional() }).strict(),
}).strict();

/** One scanned page as a record lists it; `sha256` repeats imageId under the name archivists use. */
export const PageSchema = z.object({
  imageId: z.string(),
  sha256: z.string(),
  sequence: z.number().int(),
  volume: z.string().nullable(),
  juan: z.string().nullable(),
  label: z.string().nullable(),
  headings: z.array(z.object({ level: z.number().int(), title: z.string(), author: z.string().nullable() })).optional(),
  filename: z.string(),
  bytes: z.number().int(),
  ingestedAt: instant,
  format: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  bitDepth: z.number().int(),
  colorSpace: z.string(),
  iccProfile: z.boolean(),
}).strict();

export const RecordDetailSchema = RecordResourceSchema.extend({ pages: z.array(PageSchema) }).strict();

export const HistorySchema = z.object({
  censusNumber: z.string(),
  entries: z.array(z.object({
    censusNumber: z.string(),
    at: instant,
    actor: z.string(),
    action: z.enum(['create', 'update', 'submit', 'return', 'approve', 'publish', 'scan', 'structure', 'rederive']),
    changes: z.array(z.looseObject({ field: z.string() })),
    comment: z.string().nullable(),
    version: z.number().int(),
  }).strict()),
}).strict();
