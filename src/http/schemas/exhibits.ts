/** Requests of the exhibits API (issue 19): the list's filters, an exhibit's address. */
import { z } from 'zod';
import { EXHIBIT_STATUSES } from '../../domain/exhibit.js';
import { commaList } from './common.js';

export const ExhibitListQuerySchema = z
  .object({
    status: commaList.pipe(z.array(z.enum(EXHIBIT_STATUSES))).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type ExhibitListQuery = z.infer<typeof ExhibitListQuerySchema>;

/** An exhibit's address (anything else is answered 404, as no exhibit can have it). */
export const SlugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,80}$/) });
