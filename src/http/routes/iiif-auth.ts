/**
 * The IIIF Authorization Flow endpoints (src/iiif/auth.ts) at /iiif/auth/…: the probe, the
 * access window, the token page, the logout page, and the cookie the access window sets from
 * the tab's staff session. Also the credentials /iiif reads accept: a session bearer token (as
 * everywhere), an access token from the token page, or the access cookie.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { BadRequestError, NotFoundError, UnauthenticatedError } from '../../domain/errors.js';
import { ACCESS_COOKIE, AUTH2_CONTEXT, probeResult, tokenMessage } from '../../iiif/auth.js';
import type { AuthService } from '../../services/auth-service.js';
import { IiifAccessService } from '../../services/iiif-access-service.js';
import type { ImageService } from '../../services/image-service.js';
import { authenticate } from '../auth.js';
import { StaticAssets } from '../static-assets.js';

/** One cookie's value from a Cookie header (RFC 6265 §5.4), or null. */
function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/**
 * Who is asking on /iiif. An access token (`iiif.…`) that no longer works makes the request
 * anonymous — the viewer then gets the 401 that sends it back to the token service — whereas a
 * bad session token is a 401 as on the API. The cookie counts for reads only (GET/HEAD), so a
 * page on another site cannot make the browser act with it.
 */
export function iiifCredentials(auth: AuthService, access: IiifAccessService): RequestHandler {
  const bearer = authenticate(auth);
  return async (req, res, next) => {
    const header = req.get('authorization');
    const token = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (token && IiifAccessService.isAccessToken(token)) {
      req.actor = await access.actor(token);
      return next();
    }
    if (header) return bearer(req, res, next);
    const cookie = cookieValue(req.get('cookie'), ACCESS_COOKIE);
    req.actor = cookie && (req.method === 'GET' || req.method === 'HEAD') ? await access.sessionActor(cookie) : null;
    next();
  };
}

const attribute = (s: string) => s.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c]!);

export function iiifAuthRoutes(images: ImageService, access: IiifAccessService, baseUrl: string, pagesDir: string): Router {
  const router = Router();
  const ownOrigin = new URL(baseUrl).origin;
  const cookie = (res: Response, value: string, maxAge?: number) => {
    // HttpOnly: no script reads it; SameSite=Strict: other sites' pages and frames never send it;
    // Path=/iiif: the API ignores it (writes need the bearer token).
    const attributes = ['Path=/iiif', 'HttpOnly', 'SameSite=Strict', ...(baseUrl.startsWith('https:') ? ['Secure'] : []), ...(maxAge === undefined ? [] : [`Max-Age=${maxAge}`])];
    res.append('Set-Cookie', [`${ACCESS_COOKIE}=${value}`, ...attributes].join('; '));
  };
  // Served as every page is (StaticAssets.page: the shared head, versioned URLs), never stored.
  const assets = StaticAssets.forPages(pagesDir);
  const page = (req: Request, res: Response, file: string) => assets.sendPage(req, res, file, 'no-store');

  // 2.0 §2.1: the probe, asked with the access token as bearer; its answer's `status` is what
  // the image itself would get. The probe's own HTTP status stays 200 when the image exists.
  router.get('/probe/:imageId', async (req: Request, res) => {
    const imageId = String(req.params.imageId);
    const serviceId = `${baseUrl}/iiif/3/${imageId}`;
    let status: 200 | 401 | 403 = 200;
    try {
      await images.info(req.actor ?? null, imageId, serviceId);
    } catch (e) {
      if (!(e instanceof NotFoundError) || !(await images.withheldInfo(imageId, serviceId))) throw e;
      status = req.actor ? 403 : 401;
    }
    res.set('Cache-Control', 'private, no-store');
    res.vary('Authorization');
    res.set('Content-Type', `application/ld+json;profile="${AUTH2_CONTEXT}"`).send(Buffer.from(JSON.stringify(probeResult(status))));
  });

  // 2.0 §2.2 / 1.0 §3.1: the window the viewer opens; its script signs the viewer in with the
  // tab's session (public/iiif-access.js) or asks the person to sign in first.
  router.get('/access', (req, res) => page(req, res, 'iiif-access.html'));

  /** The access cookie from the staff session the access window (or the viewer page) holds. */
  router.post('/cookie', async (req, res) => {
    if (!req.actor || !req.bearerToken) throw new UnauthenticatedError();
    cookie(res, req.bearerToken);
    res.set('Cache-Control', 'no-store').status(204).end();
  });

  // 2.0 §2.3 / 1.0 §3.2: the token page the viewer frames with ?messageId=…&origin=…; it posts
  // the token (or the reason there is none) to the viewer. Only this site's own pages get a
  // token: the cookie is SameSite=Strict anyway, and a token posted to another origin would
  // hand that site read access to drafts.
  router.get('/token', async (req, res) => {
    const messageId = typeof req.query.messageId === 'string' ? req.query.messageId : '';
    const origin = typeof req.query.origin === 'string' ? req.query.origin : '';
    if (!messageId || messageId.length > 2000 || !origin || origin.length > 500) {
      throw new BadRequestError('invalid_token_request', 'The token service is asked with ?messageId=…&origin=… (IIIF Authorization Flow 2.0 §2.3.2).');
    }
    const session = cookieValue(req.get('cookie'), ACCESS_COOKIE);
    const accessToken = origin === ownOrigin && session ? await access.grant(session) : null;
    const message = tokenMessage(messageId, accessToken ? { accessToken } : { error: origin === ownOrigin ? 'missingAspect' : 'invalidOrigin' });
    assets.send(req, res, (
      '<!doctype html><html><head><meta charset="utf-8"><title>IIIF token</title></head>'
      + `<body data-origin="${attribute(origin)}" data-message="${attribute(JSON.stringify(message))}">`
      + '<script src="/iiif-token.js"></script></body></html>'
    ), 'no-store');
  });

  // 2.0 §2.4 / 1.0 §3.4: the viewer's sign-out ends its access (the staff session itself stays).
  router.get('/logout', (req, res) => {
    cookie(res, '', 0);
    page(req, res, 'iiif-logout.html');
  });
  return router;
}
