/**
 * Pieces every request and response schema uses. Request schemas parse at the edge (the route
 * calls parseOrThrow on them); response schemas describe what the mappers build. Both feed the
 * OpenAPI description (src/http/openapi.ts), so it says what the code does.
 */
import { z } from 'zod';
import { CENSUS_NUMBER_PATTERN, censusNumberProblem } from '../../domain/census-number.js';

/** A filter's values (`a,b` or repeated), as the facet table reads them. */
export { commaList } from '../../domain/facets.js';

/** 普查编号 `PPPPPP-UUUU-NNNNNNN`, refused with the problem censusNumberProblem names. */
export const censusNumber = z
  .string()
  .superRefine((value, ctx) => {
    const problem = censusNumberProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ pattern: CENSUS_NUMBER_PATTERN.source, description: 'The census number (普查编号)' });

export const CensusNumberParams = z.object({ censusNumber });

/** `If-Match` of an update: the ETag the client read (428 without it, 412 when it moved on). */
export const IfMatchHeader = z.object({ 'If-Match': z.string().meta({ description: 'The ETag of the version read' }) });
/** `If-Match` where the update may go without it (a transition) or needs it only when it writes. */
export const OptionalIfMatchHeader = IfMatchHeader.partial();

/** The one error shape (src/http/errors.ts). */
export const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), problem: z.string() })),
  }),
});

export const instant = z.string().meta({ format: 'date-time' });
export const url = z.string().meta({ format: 'uri' });
