/** GET /api/records/{censusNumber}/cite?format=gbt7714|ris|bibtex|csl-json (issue 20): a record's citation. */
import { Router } from 'express';
import { parseOrThrow } from '../../domain/validation.js';
import { CITATION_MEDIA, citation } from '../../exports/citation.js';
import type { RecordService } from '../../services/record-service.js';
import type { SharingService } from '../../services/sharing-service.js';
import { attachment } from '../content-disposition.js';
import { CensusNumberParams } from '../schemas/common.js';
import { CiteQuery } from '../schemas/sharing.js';

export function citationRoutes(records: RecordService, sharing: SharingService): Router {
  const router = Router();
  router.get('/:censusNumber/cite', async (req, res) => {
    const { censusNumber: cn } = parseOrThrow(CensusNumberParams, req.params);
    const { format } = parseOrThrow(CiteQuery, req.query);
    const record = await records.readable(req.actor ?? null, cn);
    const media = CITATION_MEDIA[format];
    if (record.status === 'published') res.set('Access-Control-Allow-Origin', '*');
    res.set({ 'Cache-Control': record.status === 'published' && !req.actor ? 'public, no-cache' : 'private, no-cache', Vary: 'Authorization' });
    res.type(media.type).set('Content-Disposition', attachment(`${cn}.${media.extension}`));
    res.send(citation(record, await sharing.context(record), format));
  });
  return router;
}
