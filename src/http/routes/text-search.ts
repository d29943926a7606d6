/**
 * Search inside the books (issue 16): GET /api/text/search across the catalogue,
 * GET /api/records/{censusNumber}/text/search within a book, and a book's IIIF Content Search
 * services (2.0, and 1.0 for Mirador 3) under /iiif/{censusNumber}/. Thin: parse, call the
 * service, respond.
 */
import { Router, type Request, type Response } from 'express';
import { parseOrThrow } from '../../domain/validation.js';
import type { TextSearchService } from '../../services/text-search-service.js';
import { textSearchResource } from '../mappers.js';
import { CensusNumberParams } from '../schemas/common.js';
import { AutocompleteQuerySchema, ContentSearchQuerySchema, TextSearchQuerySchema } from '../schemas/text-search.js';
import { autocompleteResponse1, autocompleteResponse2, searchResponse1, searchResponse2 } from '../../iiif/content-search.js';

/** Matches shown for each page (the rest are counted). */
const MATCHES_PER_PAGE = 10;

const paramsOf = (req: Request) => ({ ...parseOrThrow(TextSearchQuerySchema, req.query), matchesPerPage: MATCHES_PER_PAGE });

/** What the public finds may be kept briefly by shared caches; what staff find never. */
function cacheFor(req: Request, res: Response): void {
  res.set('Cache-Control', req.actor ? 'private, no-store' : 'public, max-age=10');
  res.set('Vary', 'Authorization');
}

export function textSearchRoutes(search: TextSearchService, baseUrl: string): { records: Router; catalogue: Router; iiif: Router } {
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

  // IIIF Content Search: q, and page for the pages of a long answer (its `next` links name it);
  // other parameters (motivation, date, user …) are not supported and are named in `ignored`, as
  // §4.2.4 of 2.0 (and §3.3 of 1.0) require. Open to every origin (the IIIF router's CORS), and
  // what the public may see only unless a bearer token says otherwise.
  const iiif = Router();
  const contentSearch = async (
    req: Request, res: Response, answer: (id: string, ignored: string[], censusNumber: string, q: string, page: number) => Promise<object>, paged = true,
  ) => {
    const { censusNumber } = parseOrThrow(CensusNumberParams, req.params);
    const { q, page } = paged ? parseOrThrow(ContentSearchQuerySchema, req.query) : { ...parseOrThrow(AutocompleteQuerySchema, req.query), page: 1 };
    const ignored = Object.keys(req.query).filter((k) => k !== 'q' && !(paged && k === 'page'));
    const body = await answer(`${baseUrl}${req.originalUrl}`, ignored, censusNumber, q, page);
    cacheFor(req, res);
    res.type('application/ld+json').json(body);
  };
  const actor = (req: Request) => req.actor ?? null;
  iiif.get('/:censusNumber/search', (req, res) => contentSearch(req, res, async (id, ignored, cn, q, page) =>
    searchResponse2(baseUrl, cn, id, q, await search.leafMatches(actor(req), cn, q, page), ignored)));
  iiif.get('/:censusNumber/search/1', (req, res) => contentSearch(req, res, async (id, ignored, cn, q, page) =>
    searchResponse1(baseUrl, cn, id, q, await search.leafMatches(actor(req), cn, q, page), ignored)));
  iiif.get('/:censusNumber/autocomplete', (req, res) => contentSearch(req, res, async (id, ignored, cn, q) =>
    autocompleteResponse2(id, await search.completions(actor(req), cn, q), ignored), false));
  iiif.get('/:censusNumber/autocomplete/1', (req, res) => contentSearch(req, res, async (id, ignored, cn, q) =>
    autocompleteResponse1(baseUrl, cn, id, await search.completions(actor(req), cn, q), ignored), false));
  return { records, catalogue, iiif };
}
