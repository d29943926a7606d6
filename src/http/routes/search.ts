/** GET /api/search (docs/API.md, Search). */
import { Router } from 'express';
import type { SearchService } from '../../services/search-service.js';
import { manifestId } from '../../iiif/manifest.js';
import { thumbnailUrl } from '../representations.js';
import { textBookResource } from '../mappers.js';

export function searchRoutes(search: SearchService, baseUrl: string): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const result = await search.search(req.actor ?? null, req.query);
    // The answer depends on who asks (staff see drafts): a browser that kept the public's answer
    // must not give it to the same URL asked with an Authorization header (RFC 9111 §4.1).
    res.set({ 'Cache-Control': req.actor ? 'private, no-store' : 'public, max-age=10', Vary: 'Authorization' });
    res.json({
      q: result.query.text,
      in: result.in,
      // The terms searched instead when the query as typed found nothing (乾隆刻本 → 乾隆 刻本).
      segmented: result.segmented,
      // Whether the query was read as pinyin (zztj → 資治通鑑) because it matched nothing as written.
      pinyin: result.pinyin,
      total: result.total,
      page: result.page,
      pageSize: result.pageSize,
      sort: result.query.sort,
      hits: result.hits.map(({ record, highlights, matchedIn, text }) => ({
        censusNumber: record.fields.censusNumber,
        callNumber: record.fields.callNumber,
        titleStatement: record.fields.titleStatement,
        creatorStatement: record.fields.creatorStatement ?? null,
        editionStatement: record.fields.editionStatement,
        volumeCount: record.fields.volumeCount,
        extant: record.fields.extant ?? null,
        holdingUnit: record.fields.holdingUnit,
        title: record.derived.title.title,
        editionType: record.derived.edition.type,
        date: record.derived.edition.date,
        classification: record.derived.classification,
        grade: record.derived.grade?.term ?? null,
        status: record.status,
        highlights,
        matchedIn,
        // Found in the text: its matches and best pages (in=fields: counted only, no pages).
        text: text ? textBookResource(text, result.query.text, baseUrl) : null,
        links: {
          record: `${baseUrl}/api/records/${record.fields.censusNumber}`,
          ...((record.pageCount ?? 0) > 0 ? { manifest: manifestId(baseUrl, record.fields.censusNumber) } : {}),
          ...(record.cover ? { thumbnail: thumbnailUrl(baseUrl, record.cover) } : {}),
        },
      })),
      facets: result.facets,
    });
  });
  return router;
}
