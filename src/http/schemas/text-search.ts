/** Requests and answers of search inside the books (issue 16): GET /api/text/search, GET /api/records/{censusNumber}/text/search. */
import { z } from 'zod';
import { MAX_PHRASE } from '../../services/text-search-service.js';

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const count = (max: number, fallback: number, what: string) => z.string().regex(/^\d{1,4}$/, `must be a whole number from 1 to ${max}`)
  .transform(Number).refine((n) => n >= 1 && n <= max, `must be a whole number from 1 to ${max}`).optional()
  .transform((n) => n ?? fallback).meta({ description: `${what} (1–${max}, default ${fallback})` });

export const TextSearchQuerySchema = z.object({
  // Characters as typed: the service folds them and counts them (at most MAX_PHRASE); this bounds the bytes.
  q: z.string().min(1, 'is required: the phrase to find').max(MAX_PHRASE * 8, `must be at most ${MAX_PHRASE} characters`)
    .meta({ description: `The phrase to find (1–${MAX_PHRASE} characters), blind to traditional, simplified and variant forms` }),
  approximate: flag.optional().transform((v) => v ?? false)
    .meta({ description: 'true: phrases of 4 or more characters also match with one character substituted (an OCR error), ranked after the exact ones' }),
  page: count(1000, 1, 'Page of books'),
  pageSize: count(50, 10, 'Books a page'),
  pagesPerBook: count(20, 3, 'Best pages shown for each book'),
}).strip();

/** A IIIF Content Search autocomplete request: `q` (other parameters are answered as ignored). */
export const AutocompleteQuerySchema = z.object({ q: TextSearchQuerySchema.shape.q }).strip();
/** A IIIF Content Search request: `q`, and `page` as a long answer's `next` links name it (other parameters are answered as ignored). */
export const ContentSearchQuerySchema = AutocompleteQuerySchema.extend({ page: count(1000, 1, 'Page of a long answer, as its next and prev links name it') }).strip();

const Box = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export const TextSearchMatchSchema = z.object({
  snippet: z.object({ before: z.string(), text: z.string(), after: z.string() }).meta({ description: 'The match as written, with characters around it' }),
  boxes: z.array(Box).meta({ description: 'The matched characters\' boxes [x, y, w, h] on the leaf\'s master' }),
  exact: z.boolean().meta({ description: 'false: one character differs (approximate mode)' }),
});
export const TextSearchPageSchema = z.object({
  leaf: z.number().meta({ description: 'The page\'s place in the book, from 1' }),
  label: z.string(),
  juan: z.string().nullable(),
  status: z.enum(['ocr', 'aligned', 'proofread', 'verified']),
  proofread: z.boolean().meta({ description: 'Proofread or verified by a person (not an OCR or aligned draft)' }),
  matchCount: z.number(),
  exactCount: z.number(),
  matches: z.array(TextSearchMatchSchema),
  links: z.object({ text: z.string(), canvas: z.string(), image: z.string() }),
});
export const TextSearchBookSchema = z.object({
  censusNumber: z.string(),
  title: z.string().nullable(),
  pageCount: z.number(),
  matchCount: z.number(),
  exactCount: z.number(),
  pages: z.array(TextSearchPageSchema),
  links: z.object({ record: z.string(), manifest: z.string(), search: z.string() }),
});
export const TextSearchResponseSchema = z.object({
  q: z.string(),
  approximate: z.boolean(),
  total: z.number().meta({ description: 'Books with a match' }),
  matchCount: z.number(),
  page: z.number(),
  pageSize: z.number(),
  books: z.array(TextSearchBookSchema),
});
