/** GET /api/records/{censusNumber}/cite?format=gbt7714|ris|bibtex|csl-json (issue 20): a record's citation. */
import { Router } from 'express';
import { censusNumberProblem } from '../../domain/census-number.js';
import { ValidationError } from '../../domain/errors.js';
import { CITATION_FORMATS, CITATION_MEDIA, citation, type CitationFormat } from '../../exports/citation.js';
import type { RecordService } from '../../services/record-service.js';
import type { SharingService } from '../../services/sharing-service.js';
import { attachment } from '../content-disposition.js';

export function citationRoutes(records: RecordService, sharing: SharingService): Router {
  const router = Router();
  router.get('/:censusNumber/cite', async (req, res) => {
    const cn = String(req.params.censusNumber);
    const format = req.query.format ?? 'gbt7714';
    const problems = [
      ...(censusNumberProblem(cn) ? [{ field: 'censusNumber', problem: censusNumberProblem(cn)! }] : []),
      ...(!CITATION_FORMATS.includes(format as CitationFormat) ? [{ field: 'format', problem: `must be one of ${CITATION_FORMATS.join(', ')}` }] : []),
    ];
    if (problems.length) throw new ValidationError(problems);
    const record = await records.readable(req.actor ?? null, cn);
    const media = CITATION_MEDIA[format as CitationFormat];
    if (record.status === 'published') res.set('Access-Control-Allow-Origin', '*');
    res.set({ 'Cache-Control': record.status === 'published' && !req.actor ? 'public, no-cache' : 'private, no-cache', Vary: 'Authorization' });
    res.type(media.type).set('Content-Disposition', attachment(`${cn}.${media.extension}`));
    res.send(citation(record, await sharing.context(record), format as CitationFormat));
  });
  return router;
}
