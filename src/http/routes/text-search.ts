/**
 * Search inside the books (issue 16): GET /api/text/search across the catalogue,
 * GET /api/records/{censusNumber}/text/search within a book. Thin: parse, call the service, respond.
 */
import { Router, type Request, type Response } from 'express';
import { parseOrThrow } from '../../domain/validation.js';
import type { TextSearchService } from '../../services/text-search-service.js';
import { textSearchResource } from '../mappers.js';
import { CensusNumberParams } from '../schemas/common.js';
import { TextSearchQuerySchema } from '../schemas/text-search.js';

/** Matches shown for each page (the rest are counted). */
const MATCHES_PER_PAGE = 10;

const paramsOf = (req: Request) => ({ ...parseOrThrow(TextSearchQuerySchema, req.query), matchesPerPage: MATCHES_PER_PAGE });

/** What the public finds may be kept briefly by shared caches; what staff find never. */
function cacheFor(req: Request, res: Response): void {
  res.set('Cache-Control', req.actor ? 'private, no-store' : 'public, max-age=10');
  res.set('Vary', 'Authorization');
}

export function textSearchRoutes(search: TextSearchService, baseUrl: string): { records: Router; catalogue: Router } {
  const records = Router();
  records.get('/:censusNumber/text/search', async (req, res) => {
    const { censusNumber } = parseOrThrow(CensusNumberParams, req.params);
    const params = paramsOf(req);
    const result = await search.searchBook(req.actor ?? null, censusNumber, params);
    cacheFor(req, res);
    res.json(textSearchResource(result, params, baseUrl));
  });
  const catalogue = Router();
  catalogue.get('/search', async (req, res) => {
    const params = paramsOf(req);
    const result = await search.searchAll(req.actor ?? null, params);
    cacheFor(req, res);
    res.json(textSearchResource(result, params, baseUrl));
  });
  return { records, catalogue };
}
