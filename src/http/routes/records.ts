/** The records API (docs/API.md, Records): parse, call the service, map, send. */
import { Router } from 'express';
import { VersionMismatchError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { RecordService } from '../../services/record-service.js';
import type { ScanService } from '../../services/scan-service.js';
import { requireActor } from '../auth.js';
import { notModified } from '../conditional-get.js';
import { history, recordDetail, recordList, recordResource } from '../mappers.js';
import { etagOf, requiredVersion, versionFromIfMatch } from '../representations.js';
import { CensusNumberParams } from '../schemas/common.js';
import { RecordListQuerySchema } from '../schemas/records.js';

export function recordRoutes(records: RecordService, scans: ScanService, baseUrl: string): Router {
  const router = Router();
  const censusNumberOf = (params: unknown) => parseOrThrow(CensusNumberParams, params).censusNumber;

  router.post('/', async (req, res) => {
    const record = await records.register(requireActor(req), req.body);
    const resource = recordResource(record, baseUrl);
    res.status(201).location(resource.links.self).set('ETag', etagOf(record)).json(resource);
  });

  router.get('/', async (req, res) => {
    const query = parseOrThrow(RecordListQuerySchema, req.query);
    const page = await records.list(req.actor ?? null, query);
    const linkTo = (n: number) => {
      const params = new URLSearchParams(req.query as Record<string, string>);
      params.set('page', String(n));
      return `${baseUrl}/api/records?${params}`;
    };
    const comments = await records.latestComments(req.actor ?? null, page.records);
    res.json(recordList(page, query, req.actor ?? null, baseUrl, linkTo, comments));
  });

  router.get('/:censusNumber', async (req, res) => {
    const record = await records.readable(req.actor ?? null, censusNumberOf(req.params));
    // Drafts change under review: staff must always see the current version.
    // What staff see (drafts, their actions) must never reach a shared cache.
    res.set('Cache-Control', record.status === 'published' && !req.actor ? 'public, no-cache' : 'private, no-cache');
    res.set('Vary', 'Authorization');
    // Published records are for everyone: other sites' scripts may read them (issue 17).
    if (record.status === 'published') res.set('Access-Control-Allow-Origin', '*');
    if (notModified(req, res, etagOf(record))) return;
    const pages = await scans.pages(req.actor ?? null, record.fields.censusNumber);
    res.json(recordDetail(record, pages, req.actor ?? null, baseUrl));
  });

  router.put('/:censusNumber', async (req, res) => {
    const actor = requireActor(req);
    const cn = censusNumberOf(req.params);
    const record = await records.update(actor, cn, req.body, requiredVersion(req));
    res.set('ETag', etagOf(record)).json(recordResource(record, baseUrl));
  });

  router.get('/:censusNumber/history', async (req, res) => {
    const cn = censusNumberOf(req.params);
    res.json(history(cn, await records.history(req.actor ?? null, cn)));
  });

  router.post('/:censusNumber/transitions', async (req, res) => {
    const actor = requireActor(req);
    const cn = censusNumberOf(req.params);
    const ifMatch = req.get('if-match');
    const expected = ifMatch ? versionFromIfMatch(ifMatch) : undefined;
    if (ifMatch && expected === undefined) throw new VersionMismatchError();
    const record = await records.transition(actor, cn, req.body, expected);
    res.set('ETag', etagOf(record)).json(recordResource(record, baseUrl));
  });

  return router;
}
