/** The records API (docs/API.md, Records): thin — parse, call the service, respond. */
import { Router } from 'express';
import { censusNumberProblem } from '../../domain/census-number.js';
import { ValidationError, VersionMismatchError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import { recordActions } from '../../domain/permissions.js';
import { RecordListQuerySchema, type RecordService } from '../../services/record-service.js';
import type { ScanService } from '../../services/scan-service.js';
import { requireActor } from '../auth.js';
import { etagOf, recordResource, requiredVersion, versionFromIfMatch } from '../representations.js';

function censusNumberParam(value: string | string[] | undefined): string {
  const cn = String(value);
  const problem = censusNumberProblem(cn);
  if (problem) throw new ValidationError([{ field: 'censusNumber', problem }]);
  return cn;
}

export function recordRoutes(records: RecordService, scans: ScanService, baseUrl: string): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const record = await records.register(requireActor(req), req.body);
    const resource = recordResource(record, baseUrl);
    res.status(201).location(resource.links.self).set('ETag', etagOf(record)).json(resource);
  });

  router.get('/', async (req, res) => {
    const query = parseOrThrow(RecordListQuerySchema, req.query);
    const page = await records.list(req.actor ?? null, query);
    const pages = Math.max(1, Math.ceil(page.total / query.pageSize));
    const link = (n: number) => {
      const params = new URLSearchParams(req.query as Record<string, string>);
      params.set('page', String(n));
      return `${baseUrl}/api/records?${params}`;
    };
    res.json({
      records: page.records.map((r) => ({ ...recordResource(r, baseUrl), ...(req.actor ? { actions: recordActions(req.actor, r) } : {}) })),
      total: page.total,
      page: query.page,
      pageSize: query.pageSize,
      links: {
        ...(query.page > 1 ? { prev: link(Math.min(query.page - 1, pages)) } : {}),
        ...(query.page < pages ? { next: link(query.page + 1) } : {}),
      },
    });
  });

  router.get('/:censusNumber', async (req, res) => {
    const record = await records.readable(req.actor ?? null, censusNumberParam(req.params.censusNumber));
    const etag = etagOf(record);
    res.set('ETag', etag);
    // Drafts change under review: staff must always see the current version.
    // What staff see (drafts, their actions) must never reach a shared cache.
    res.set('Cache-Control', record.status === 'published' && !req.actor ? 'public, no-cache' : 'private, no-cache');
    res.set('Vary', 'Authorization');
    // Published records are for everyone: other sites' scripts may read them (issue 17).
    if (record.status === 'published') res.set('Access-Control-Allow-Origin', '*');
    if (req.get('if-none-match') === etag) {
      res.status(304).end();
      return;
    }
    const pages = await scans.pages(req.actor ?? null, record.fields.censusNumber);
    res.json({
      ...recordResource(record, baseUrl),
      // For staff pages: what this reader may do now (edit, submit, return, approve, publish).
      ...(req.actor ? { actions: recordActions(req.actor, record) } : {}),
      pages: pages.map(({ censusNumber, ingestedBy, ...page }) => ({ ...page, sha256: page.imageId })),
    });
  });

  router.put('/:censusNumber', async (req, res) => {
    const actor = requireActor(req);
    const cn = censusNumberParam(req.params.censusNumber);
    const record = await records.update(actor, cn, req.body, requiredVersion(req));
    res.set('ETag', etagOf(record)).json(recordResource(record, baseUrl));
  });

  router.get('/:censusNumber/history', async (req, res) => {
    const cn = censusNumberParam(req.params.censusNumber);
    res.json({ censusNumber: cn, entries: await records.history(req.actor ?? null, cn) });
  });

  router.post('/:censusNumber/transitions', async (req, res) => {
    const actor = requireActor(req);
    const cn = censusNumberParam(req.params.censusNumber);
    const ifMatch = req.get('if-match');
    const expected = ifMatch ? versionFromIfMatch(ifMatch) : undefined;
    if (ifMatch && expected === undefined) throw new VersionMismatchError();
    const record = await records.transition(actor, cn, req.body, expected);
    res.set('ETag', etagOf(record)).json(recordResource(record, baseUrl));
  });

  return router;
}
