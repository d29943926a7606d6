/** Requests of the page-text routes (issue 15): a record's page, an OCR job. */
import { z } from 'zod';
import { censusNumber } from './common.js';

/** A page (leaf image) of a record, counted from 1 in the record's page order. */
const pageNumber = z.string()
  .regex(/^\d{1,7}$/, 'must be a page number from 1')
  .transform(Number)
  .refine((n) => n >= 1, 'must be a page number from 1')
  .meta({ description: 'The page, from 1, in the order of the record\'s pages' });

export const PageParams = z.object({ censusNumber, n: pageNumber });
export const OcrJobParams = z.object({ censusNumber, id: z.string().max(100) });

/** POST …/text/align with the file as text/plain: its format, when it is not to be guessed. */
export const AlignQuery = z.object({ format: z.enum(['auto', 'plain', 'mandoku', 'ctext']).default('auto') });
