/**
 * The answer of GET /api/search, for the OpenAPI description and its test. The query schema is
 * the search service's (SearchParamsSchema); the route builds this shape (src/http/routes/search.ts).
 */
import { z } from 'zod';
import { RECORD_STATUSES } from '../../domain/census-record.js';
import { FACETS } from '../../ports/search-index.js';
import { url } from './common.js';
import { TextSearchBookSchema } from './text-search.js';
import { SEARCH_IN } from '../../services/search-service.js';

export const SearchResponseSchema = z.object({
  q: z.string(),
  in: z.enum(SEARCH_IN).meta({ description: 'Where the query was looked for: fields (著录), text (the pages\' text, 全文) or all (both)' }),
  segmented: z.array(z.string()).nullable().meta({ description: 'When the query as typed found nothing: the separate terms searched instead (乾隆刻本 → 乾隆, 刻本); null otherwise' }),
  pinyin: z.boolean().meta({ description: 'Whether the query, Latin letters that matched nothing as written, was read as pinyin of titles and names (zztj, zizhi tongjian → 資治通鑑)' }),
  total: z.number().int(),
  page: z.number().int().meta({ description: 'The page answered: a page past the last answers the last' }),
  pageSize: z.number().int(),
  sort: z.enum(['relevance', 'censusNumber', '-censusNumber', 'year', '-year']),
  hits: z.array(z.object({
    censusNumber: z.string(),
    callNumber: z.string(),
    titleStatement: z.string(),
    creatorStatement: z.string().nullable(),
    editionStatement: z.string(),
    volumeCount: z.number().int(),
    extant: z.string().nullable(),
    holdingUnit: z.string(),
    title: z.string(),
    editionType: z.string().nullable(),
    date: z.looseObject({}).nullable(),
    classification: z.looseObject({}).nullable(),
    grade: z.string().nullable(),
    status: z.enum(RECORD_STATUSES),
    highlights: z.record(z.string(), z.string()).meta({ description: 'Fields where the query matched, with the matches marked' }),
    matchedIn: z.array(z.enum(['fields', 'text'])).meta({ description: 'Where the record matched: its fields, its pages\' text, or both (in=all)' }),
    text: TextSearchBookSchema.nullable().meta({
      description: 'The query in the book\'s text: pages and matches counted, and with in=text or in=all its best pages (leaf, 卷, snippet as written, boxes, exact, proofread); ' +
        'with in=fields counted only (pages empty), for digitized books whose text holds it; null when the text does not',
    }),
    links: z.object({ record: url, manifest: url.optional(), thumbnail: url.optional() }).strict(),
  }).strict()),
  facets: z.partialRecord(z.enum(FACETS), z.array(z.object({ value: z.string(), count: z.number().int() }).strict())),
}).strict();
