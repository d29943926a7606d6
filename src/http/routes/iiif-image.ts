/**
 * IIIF Image API 3.0 at /iiif/3/{imageId}/… (https://iiif.io/api/image/3.0/). Every response,
 * errors included, carries Access-Control-Allow-Origin: * (§7.1) so viewers on other sites can
 * load the images.
 */
import { hash } from 'node:crypto';
import { Router, type RequestHandler, type Response } from 'express';
import { NotFoundError, UnauthenticatedError } from '../../domain/errors.js';
import { authEndpoints, loginService } from '../../iiif/auth.js';
import { IMAGE_CONTEXT, LEVEL2_PROFILE } from '../../iiif/image-info.js';
import type { ImageService } from '../../services/image-service.js';
import { notModified } from '../conditional-get.js';

const MEDIA: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** Images are content-addressed and never change; access to unpublished ones may. */
function cacheFor(res: Response, published: boolean) {
  res.set('Cache-Control', published ? 'public, max-age=31536000, immutable' : 'private, no-cache');
}

/** What info.json says of a published image beyond its pixels: `rights` and `partOf` (§5.6, §5.7). */
export type ImageContext = (imageId: string) => Promise<{ rights?: string; partOf?: unknown[] }>;

const serviceIds = (baseUrl: string) => (imageId: string) => `${baseUrl}/iiif/3/${imageId}`;

export function iiifImageRoutes(images: ImageService, baseUrl: string, context: ImageContext): Router {
  const router = Router();
  const serviceId = serviceIds(baseUrl);

  router.get('/:imageId', (req, res) => {
    // §2.2: the base URI redirects to the image information.
    res.redirect(303, `${serviceId(String(req.params.imageId))}/info.json`);
  });

  router.get('/:imageId/info.json', async (req, res) => {
    const imageId = String(req.params.imageId);
    // The scans of unpublished records carry the IIIF Authentication 1.0 login service (the
    // viewers' flow; 2.0's probe is declared in the manifest, src/iiif/auth.ts); a client that
    // may not see them gets 401 with this description (1.0 §2.2: the viewer reads the service
    // from it).
    let answer: { info: Record<string, unknown>; published: boolean };
    try {
      answer = await images.info(req.actor ?? null, imageId, serviceId(imageId));
    } catch (e) {
      const withheld = e instanceof NotFoundError ? await images.withheldInfo(imageId, serviceId(imageId)) : null;
      if (!withheld) throw e;
      res.status(401);
      answer = { info: withheld, published: false };
    }
    const { published } = answer;
    // The licence and manifests of a published image; of an unpublished one, only its sign-in.
    const info = published ? { ...answer.info, ...(await context(imageId)) } : { ...answer.info, service: [loginService(authEndpoints(baseUrl, imageId))] };
    cacheFor(res, published);
    res.set('Link', `<${LEVEL2_PROFILE}>;rel="profile"`);
    // §5.1: "If the server receives a request with an Accept header, it SHOULD respond following
    // the rules of content negotiation. … If the request does not include an Accept header, the
    // HTTP Content-Type header of the response SHOULD have the value application/ld+json
    // (JSON-LD) with the profile parameter given as the context document". So JSON-LD unless
    // the client prefers plain JSON (Accept: application/json); no Accept, */* or an Accept we
    // cannot meet get JSON-LD. The answer depends on Accept, which caches must know.
    res.vary('Accept');
    const ld = req.accepts(['application/ld+json', 'application/json']) !== 'application/json';
    // A Buffer, so that Express adds no charset to the profile-bearing media type.
    res.set('Content-Type', ld ? `application/ld+json;profile="${IMAGE_CONTEXT}"` : 'application/json').send(Buffer.from(JSON.stringify(info)));
  });

  return router;
}

/** Where createApp mounts the image requests, ahead of what other requests go through. */
export const IMAGE_REQUEST_PATH = '/iiif/3/:imageId/:region/:size/:rotation/:qualityFormat';

/** The image requests (§4): the hot path, mounted by createApp at IMAGE_REQUEST_PATH. */
export function iiifImageRequests(images: ImageService, baseUrl: string): RequestHandler {
  const serviceId = serviceIds(baseUrl);
  return async (req, res) => {
    const imageId = String(req.params.imageId);
    // A client that hangs up before its render's turn takes its place in the queue with it.
    // 'close' also follows every answer sent: only an unfinished one means the client left (an
    // abort builds a DOMException with its stack, a cost on every request otherwise).
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    let answer;
    try {
      answer = await images.image(req.actor ?? null, imageId, {
        region: String(req.params.region),
        size: String(req.params.size),
        rotation: String(req.params.rotation),
        qualityFormat: String(req.params.qualityFormat),
      }, gone.signal);
    } catch (e) {
      if (e instanceof NotFoundError && await images.withheldInfo(imageId, serviceId(imageId))) {
        throw new UnauthenticatedError('The image is of an unpublished book: sign in through the viewer (the access service in its info.json).');
      }
      // The client has gone: there is no one to answer, and nothing went wrong here.
      if (gone.signal.aborted) return;
      throw e;
    }
    const canonical = `${serviceId(imageId)}/${answer.request.canonical}`;
    // crypto.hash, one shot: 1.2 µs a request against 3 for createHash().update().digest().
    const etag = `"${hash('sha256', `${imageId}/${answer.request.canonical}`, 'base64url').slice(0, 27)}"`;
    cacheFor(res, answer.published);
    res.set('Link', `<${canonical}>;rel="canonical", <${LEVEL2_PROFILE}>;rel="profile"`);
    if (notModified(req, res, etag)) return;
    res.type(MEDIA[answer.request.format]!);
    if ('file' in answer) res.sendFile(answer.file, { etag: false, lastModified: false, cacheControl: false });
    else res.send(answer.data);
  };
}
