/**
 * The text of the books: OCR jobs, each page's text with its history and ALTO export, the
 * whole book as plain text, and the canvases' text annotations. Thin: parse, call the text
 * service, respond.
 */
import { Router, type Request, type Response } from 'express';
import { censusNumberProblem } from '../../domain/census-number.js';
import { ValidationError } from '../../domain/errors.js';
import { altoXml } from '../../domain/alto.js';
import { readingLines } from '../../domain/page-text-edit.js';
import { PRESENTATION_CONTEXT } from '../../iiif/manifest.js';
import { textAnnotationPage } from '../../iiif/text-annotations.js';
import type { PageTextView, TextService } from '../../services/text-service.js';
import { requireActor } from '../auth.js';
import { etagOf, requiredVersion } from '../representations.js';

function params(req: Request): { censusNumber: string; n: number } {
  const censusNumber = String(req.params.censusNumber);
  const problem = censusNumberProblem(censusNumber);
  if (problem) throw new ValidationError([{ field: 'censusNumber', problem }]);
  const raw = req.params.n;
  const n = raw === undefined ? 0 : Number(raw);
  if (raw !== undefined && !(/^\d{1,7}$/.test(String(raw)) && n >= 1)) throw new ValidationError([{ field: 'n', problem: 'must be a page number from 1' }]);
  return { censusNumber, n };
}

/** Published text may be kept by shared caches; drafts and what staff see never. */
function cacheFor(req: Request, res: Response, published: boolean): void {
  res.set('Cache-Control', published && !req.actor ? 'public, no-cache' : 'private, no-cache');
  res.set('Vary', 'Authorization');
}

export function pageTextResource(view: PageTextView, baseUrl: string) {
  const { stored } = view;
  const self = `${baseUrl}/api/records/${view.censusNumber}/pages/${view.sequence}`;
  return {
    censusNumber: view.censusNumber,
    page: view.sequence,
    imageId: view.imageId,
    text: readingLines(stored.page).join('\n'),
    status: stored.status,
    version: stored.version,
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy,
    engine: stored.page.engine,
    width: stored.page.width,
    height: stored.page.height,
    columns: stored.page.columns,
    links: {
      self: `${self}/text`,
      history: `${self}/text/history`,
      alto: `${self}/alto.xml`,
      image: `${baseUrl}/iiif/3/${view.imageId}`,
      proofread: `${baseUrl}/records/${view.censusNumber}/pages/${view.sequence}/proof`,
    },
  };
}

export function textRoutes(texts: TextService, baseUrl: string): Router {
  const router = Router();

  router.post('/:censusNumber/text/ocr', async (req, res) => {
    const { censusNumber } = params(req);
    const job = await texts.startOcr(requireActor(req), censusNumber);
    const link = `${baseUrl}/api/records/${censusNumber}/text/ocr/${job.id}`;
    res.status(202).location(link).json({ job, links: { job: link } });
  });

  router.get('/:censusNumber/text/ocr', async (req, res) => {
    const { censusNumber } = params(req);
    res.set('Cache-Control', 'private, no-store');
    res.json({ censusNumber, jobs: await texts.jobs(requireActor(req), censusNumber) });
  });

  router.get('/:censusNumber/text/ocr/:id', async (req, res) => {
    const { censusNumber } = params(req);
    res.set('Cache-Control', 'private, no-store');
    res.json(await texts.job(requireActor(req), censusNumber, String(req.params.id)));
  });

  router.get('/:censusNumber/text.txt', async (req, res) => {
    const { censusNumber } = params(req);
    const { text, record } = await texts.book(req.actor ?? null, censusNumber);
    cacheFor(req, res, record.status === 'published');
    res.type('text/plain; charset=utf-8').send(text);
  });

  router.get('/:censusNumber/pages/:n/text', async (req, res) => {
    const { censusNumber, n } = params(req);
    const view = await texts.page(req.actor ?? null, censusNumber, n);
    cacheFor(req, res, view.record.status === 'published' && view.stored.status === 'verified');
    res.set('ETag', etagOf(view.stored)).json(pageTextResource(view, baseUrl));
  });

  // ALTO 4 XML of the page's text (src/domain/alto.ts), for whoever may read the text.
  router.get('/:censusNumber/pages/:n/alto.xml', async (req, res) => {
    const { censusNumber, n } = params(req);
    const view = await texts.page(req.actor ?? null, censusNumber, n);
    cacheFor(req, res, view.record.status === 'published' && view.stored.status === 'verified');
    res.set('ETag', etagOf(view.stored)).type('application/xml; charset=utf-8').send(altoXml({
      page: view.stored.page, sequence: n, fileName: view.filename ?? view.imageId, imageUrl: `${baseUrl}/iiif/3/${view.imageId}`,
      status: view.stored.status, updatedAt: view.stored.updatedAt, updatedBy: view.stored.updatedBy,
    }));
  });

  router.put('/:censusNumber/pages/:n/text', async (req, res) => {
    const { censusNumber, n } = params(req);
    const actor = requireActor(req);
    // If-None-Match: * types the text of a page that has none (RFC 9110 §13.1.2).
    const expected = req.get('if-none-match') === '*' && !req.get('if-match') ? 0 : requiredVersion(req);
    const view = await texts.correct(actor, censusNumber, n, req.body, expected);
    res.set('ETag', etagOf(view.stored)).json(pageTextResource(view, baseUrl));
  });

  router.get('/:censusNumber/pages/:n/text/history', async (req, res) => {
    const { censusNumber, n } = params(req);
    res.set('Cache-Control', 'private, no-store');
    res.json({ censusNumber, page: n, entries: await texts.history(req.actor ?? null, censusNumber, n) });
  });

  return router;
}

/** /iiif/{censusNumber}/canvas/{n}/text: the AnnotationPage a manifest's canvas refers to. */
export function textAnnotationRoutes(texts: TextService, baseUrl: string): Router {
  const router = Router();
  router.get('/:censusNumber/canvas/:n/text', async (req, res) => {
    const { censusNumber, n } = params(req);
    const view = await texts.page(req.actor ?? null, censusNumber, n);
    cacheFor(req, res, view.record.status === 'published' && view.stored.status === 'verified');
    res.set('ETag', etagOf(view.stored));
    res.set('Content-Type', `application/ld+json;profile="${PRESENTATION_CONTEXT}"`).send(Buffer.from(JSON.stringify(textAnnotationPage(baseUrl, censusNumber, n, view.stored.page))));
  });
  return router;
}
