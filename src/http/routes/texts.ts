/**
 * The text of the books: OCR jobs, each page's text with its history and ALTO export, the
 * whole book as plain text, and the canvases' text annotations. Thin: parse, call the text
 * service, respond.
 */
import express, { Router, type Request, type Response } from 'express';
import { MAX_KNOWN_FILE_LENGTH } from '../../domain/known-text.js';
import { altoXml } from '../../domain/alto.js';
import { parseOrThrow } from '../../domain/validation.js';
import { PRESENTATION_CONTEXT } from '../../iiif/manifest.js';
import { textAnnotationPage } from '../../iiif/text-annotations.js';
import type { TextService } from '../../services/text-service.js';
import { requireActor } from '../auth.js';
import { pageTextResource } from '../mappers.js';
import { etagOf, requiredVersion } from '../representations.js';
import { CensusNumberParams } from '../schemas/common.js';
import { AlignQuery, OcrJobParams, PageParams } from '../schemas/texts.js';

/** Published text may be kept by shared caches; drafts and what staff see never. */
function cacheFor(req: Request, res: Response, published: boolean): void {
  res.set('Cache-Control', published && !req.actor ? 'public, no-cache' : 'private, no-cache');
  res.set('Vary', 'Authorization');
}

export function textRoutes(texts: TextService, baseUrl: string): Router {
  const router = Router();

  router.post('/:censusNumber/text/ocr', async (req, res) => {
    const { censusNumber } = parseOrThrow(CensusNumberParams, req.params);
    const job = await texts.startOcr(requireActor(req), censusNumber);
    const link = `${baseUrl}/api/records/${censusNumber}/text/ocr/${job.id}`;
    res.status(202).location(link).json({ job, links: { job: link } });
  });

  // A known text laid onto the pages: JSON {text, format?}, or the file itself as text/plain
  // (?format=plain|mandoku|ctext, else guessed). A file may be twice the text's limit (its markup).
  router.post('/:censusNumber/text/align', express.text({ type: 'text/plain', limit: `${MAX_KNOWN_FILE_LENGTH * 3}b` }), async (req, res) => {
    const { censusNumber } = parseOrThrow(CensusNumberParams, req.params);
    const body = typeof req.body === 'string' ? { text: req.body, ...parseOrThrow(AlignQuery, req.query) } : req.body;
    res.json(await texts.align(requireActor(req), censusNumber, body));
  });

  router.get('/:censusNumber/text/ocr', async (req, res) => {
    const { censusNumber } = parseOrThrow(CensusNumberParams, req.params);
    res.set('Cache-Control', 'private, no-store');
    res.json({ censusNumber, jobs: await texts.jobs(requireActor(req), censusNumber) });
  });

  router.get('/:censusNumber/text/ocr/:id', async (req, res) => {
    const { censusNumber, id } = parseOrThrow(OcrJobParams, req.params);
    res.set('Cache-Control', 'private, no-store');
    res.json(await texts.job(requireActor(req), censusNumber, id));
  });

  router.get('/:censusNumber/text.txt', async (req, res) => {
    const { censusNumber } = parseOrThrow(CensusNumberParams, req.params);
    const { text, record } = await texts.book(req.actor ?? null, censusNumber);
    cacheFor(req, res, record.status === 'published');
    res.type('text/plain; charset=utf-8').send(text);
  });

  router.get('/:censusNumber/pages/:n/text', async (req, res) => {
    const { censusNumber, n } = parseOrThrow(PageParams, req.params);
    const view = await texts.page(req.actor ?? null, censusNumber, n);
    cacheFor(req, res, view.record.status === 'published' && view.stored.status === 'verified');
    res.set('ETag', etagOf(view.stored)).json(pageTextResource(view, baseUrl));
  });

  // ALTO 4 XML of the page's text (src/domain/alto.ts), for whoever may read the text.
  router.get('/:censusNumber/pages/:n/alto.xml', async (req, res) => {
    const { censusNumber, n } = parseOrThrow(PageParams, req.params);
    const view = await texts.page(req.actor ?? null, censusNumber, n);
    cacheFor(req, res, view.record.status === 'published' && view.stored.status === 'verified');
    res.set('ETag', etagOf(view.stored)).type('application/xml; charset=utf-8').send(altoXml({
      page: view.stored.page, sequence: n, fileName: view.filename ?? view.imageId, imageUrl: `${baseUrl}/iiif/3/${view.imageId}`,
      status: view.stored.status, updatedAt: view.stored.updatedAt, updatedBy: view.stored.updatedBy,
    }));
  });

  router.put('/:censusNumber/pages/:n/text', async (req, res) => {
    const { censusNumber, n } = parseOrThrow(PageParams, req.params);
    const actor = requireActor(req);
    // If-None-Match: * types the text of a page that has none (RFC 9110 §13.1.2).
    const expected = req.get('if-none-match') === '*' && !req.get('if-match') ? 0 : requiredVersion(req);
    const view = await texts.correct(actor, censusNumber, n, req.body, expected);
    res.set('ETag', etagOf(view.stored)).json(pageTextResource(view, baseUrl));
  });

  router.get('/:censusNumber/pages/:n/text/history', async (req, res) => {
    const { censusNumber, n } = parseOrThrow(PageParams, req.params);
    res.set('Cache-Control', 'private, no-store');
    res.json({ censusNumber, page: n, entries: await texts.history(req.actor ?? null, censusNumber, n) });
  });

  return router;
}

/** /iiif/{censusNumber}/canvas/{n}/text: the AnnotationPage a manifest's canvas refers to. */
export function textAnnotationRoutes(texts: TextService, baseUrl: string): Router {
  const router = Router();
  router.get('/:censusNumber/canvas/:n/text', async (req, res) => {
    const { censusNumber, n } = parseOrThrow(PageParams, req.params);
    const view = await texts.page(req.actor ?? null, censusNumber, n);
    cacheFor(req, res, view.record.status === 'published' && view.stored.status === 'verified');
    res.set('ETag', etagOf(view.stored));
    res.set('Content-Type', `application/ld+json;profile="${PRESENTATION_CONTEXT}"`).send(Buffer.from(JSON.stringify(textAnnotationPage(baseUrl, censusNumber, n, view.stored.page))));
  });
  return router;
}
