/**
 * IIIF Presentation 3.0: /iiif/{censusNumber}/manifest, /iiif/collection and the unit's,
 * division's and work's collections. Served as JSON-LD
 * with the Presentation 3 context as profile (§6.1 of the specification).
 */
import { Router, type Request, type Response } from 'express';
import { censusNumberProblem } from '../../domain/census-number.js';
import { NotFoundError } from '../../domain/errors.js';
import { PRESENTATION_CONTEXT } from '../../iiif/manifest.js';
import type { ManifestService } from '../../services/manifest-service.js';
import type { RenderingService } from '../../services/rendering-service.js';
import { notModified } from '../conditional-get.js';

function sendJsonLd(res: Response, body: unknown) {
  res.set('Content-Type', `application/ld+json;profile="${PRESENTATION_CONTEXT}"`).send(Buffer.from(JSON.stringify(body)));
}

export function iiifPresentationRoutes(manifests: ManifestService, renderings?: RenderingService): Router {
  const router = Router();

  router.get('/collection', async (_req, res) => {
    res.set('Cache-Control', 'public, no-cache');
    sendJsonLd(res, await manifests.collection());
  });
  router.get('/collection/:part', async (req, res) => {
    const part = Number(req.params.part);
    if (!Number.isInteger(part)) throw new NotFoundError(`Collection part ${req.params.part}`);
    res.set('Cache-Control', 'public, no-cache');
    sendJsonLd(res, await manifests.collection(part));
  });

  // A unit's and a 四部 division's collections, split into parts like the whole one.
  const partOf = (req: Request) => {
    if (req.params.part === undefined) return undefined;
    const part = Number(req.params.part);
    if (!Number.isInteger(part)) throw new NotFoundError(`Collection part ${req.params.part}`);
    return part;
  };
  for (const path of ['/units/:unit', '/units/:unit/:part']) {
    router.get(path, async (req, res) => {
      res.set('Cache-Control', 'public, no-cache');
      sendJsonLd(res, await manifests.unitCollection(String(req.params.unit), partOf(req)));
    });
  }
  for (const path of ['/divisions/:division', '/divisions/:division/:part']) {
    router.get(path, async (req, res) => {
      res.set('Cache-Control', 'public, no-cache');
      sendJsonLd(res, await manifests.divisionCollection(String(req.params.division), partOf(req)));
    });
  }

  router.get('/works/:work', async (req, res) => {
    res.set('Cache-Control', 'public, no-cache');
    sendJsonLd(res, await manifests.work(String(req.params.work)));
  });

  /** A manifest or a part of it, revalidated by what the manifest is made of. */
  const sendVersioned = (req: Request, res: Response, body: unknown, answer: { version: string; published: boolean; withheld: boolean }) => {
    // Revalidate every time: the manifest changes with the record and its pages. Staff see draft
    // text in it (canvas annotations): never in a shared cache.
    res.set('Cache-Control', answer.published && !req.actor ? 'public, no-cache' : 'private, no-cache');
    res.set('Vary', 'Authorization');
    // The version names the form too: the withheld one of a draft is not revalidated into the whole.
    if (notModified(req, res, `"m${answer.version}"`)) return;
    sendJsonLd(res, body);
  };
  const censusNumberOf = (req: Request) => {
    const cn = String(req.params.censusNumber);
    if (censusNumberProblem(cn)) throw new NotFoundError(`A manifest of ${cn}`);
    return cn;
  };

  router.get('/:censusNumber/manifest', async (req, res) => {
    const answer = await manifests.manifest(req.actor ?? null, censusNumberOf(req));
    sendVersioned(req, res, answer.manifest, answer);
  });
  // The manifest's `rendering`: the access copies as one PDF, streamed from the file kept
  // (sendFile answers Range requests); revalidated by the ETag of what it is made of.
  if (renderings) {
    router.get('/:censusNumber/scans.pdf', async (req, res) => {
      const { file, etag, record } = await renderings.pdf(req.actor ?? null, censusNumberOf(req));
      res.set('Cache-Control', record.status === 'published' && !req.actor ? 'public, no-cache' : 'private, no-cache');
      res.set('Vary', 'Authorization');
      if (notModified(req, res, etag)) return;
      // RFC 6266: the census number as the ASCII name, the title as written in filename*.
      const name = `${record.fields.censusNumber} ${record.fields.titleStatement}.pdf`;
      res.set('Content-Disposition', `inline; filename="${record.fields.censusNumber}.pdf"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
      res.type('application/pdf').sendFile(file, { etag: false, lastModified: false, cacheControl: false });
    });
  }
  // Canvas and range ids dereference (Presentation 3.0 §3.3).
  for (const kind of ['canvas', 'range'] as const) {
    router.get(`/:censusNumber/${kind}/:key`, async (req, res) => {
      const answer = await manifests.part(req.actor ?? null, censusNumberOf(req), kind, String(req.params.key));
      sendVersioned(req, res, answer.part, answer);
    });
  }
  return router;
}
