/** Requests of the open-sharing routes (issue 17): citations, Change Discovery pages. */
import { z } from 'zod';
import { CITATION_FORMATS } from '../../exports/citation.js';

export const CiteQuery = z.object({
  format: z.enum(CITATION_FORMATS, { error: `must be one of ${CITATION_FORMATS.join(', ')}` }).default('gbt7714')
    .meta({ description: 'gbt7714 (GB/T 7714-2015, 古籍), ris, bibtex or csl-json' }),
});

/** An OrderedCollectionPage of IIIF Change Discovery, counted from 0 (anything else is 404). */
export const ActivityPageParams = z.object({ page: z.string().regex(/^\d{1,9}$/) });
