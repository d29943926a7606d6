/** The exhibits API: `POST/GET /api/exhibits`, `GET/PUT /api/exhibits/{slug}`, its history and transitions. Thin. */
import { Router, type Request } from 'express';
import type { Exhibit } from '../../domain/exhibit.js';
import { NotFoundError, VersionMismatchError } from '../../domain/errors.js';
import { parseOrThrow } from '../../domain/validation.js';
import type { ExhibitService } from '../../services/exhibit-service.js';
import { notModified } from '../conditional-get.js';
import { exhibitResource } from '../mappers.js';
import { ExhibitListQuerySchema } from '../schemas/exhibits.js';
import { requireActor } from '../auth.js';
import { etagOf, requiredVersion, versionFromIfMatch } from '../representations.js';
import { buildExhibitManifest } from '../../iiif/exhibit-manifest.js';
import { escapeHtml } from '../../domain/search-text.js';
import { renderExhibitArticle, renderExhibitPage } from '../pages/exhibit-page.js';
import type { StaticAssets } from '../static-assets.js';
import { PRESENTATION_CONTEXT } from '../../iiif/manifest.js';

function slugParam(req: Request): string {
  const slug = String(req.params.slug);
  // Not a slug any exhibit can have: answered as absent, without a look in the store.
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) throw new NotFoundError(`Exhibit ${slug.slice(0, 80)}`);
  return slug;
}

export function exhibitRoutes(exhibits: ExhibitService, baseUrl: string): Router {
  const router = Router();
  const withActions = (req: Request, e: Exhibit) => ({ ...exhibitResource(e, baseUrl), ...(req.actor ? { actions: exhibits.actions(req.actor, e) } : {}) });

  router.post('/', async (req, res) => {
    const exhibit = await exhibits.create(requireActor(req), req.body);
    res.status(201).location(`${baseUrl}/api/exhibits/${exhibit.slug}`).set('ETag', etagOf(exhibit)).json(withActions(req, exhibit));
  });

  router.get('/', async (req, res) => {
    const query = parseOrThrow(ExhibitListQuerySchema, req.query);
    const page = await exhibits.list(req.actor ?? null, query);
    res.set('Cache-Control', req.actor ? 'private, no-cache' : 'public, no-cache').set('Vary', 'Authorization');
    res.json({ exhibits: page.exhibits.map((e) => withActions(req, e)), total: page.total, page: query.page, pageSize: query.pageSize });
  });

  router.get('/:slug', async (req, res) => {
    const exhibit = await exhibits.readable(req.actor ?? null, slugParam(req));
    res.set('Vary', 'Authorization');
    res.set('Cache-Control', exhibit.status === 'published' && !req.actor ? 'public, no-cache' : 'private, no-cache');
    if (notModified(req, res, etagOf(exhibit))) return;
    res.json(withActions(req, exhibit));
  });

  router.put('/:slug', async (req, res) => {
    const actor = requireActor(req);
    const exhibit = await exhibits.update(actor, slugParam(req), req.body, requiredVersion(req));
    res.set('ETag', etagOf(exhibit)).json(withActions(req, exhibit));
  });

  // The editor's preview: the article as the public page will show it, for staff before publishing.
  router.get('/:slug/preview', async (req, res) => {
    const exhibit = await exhibits.readable(requireActor(req), slugParam(req));
    res.set('Cache-Control', 'private, no-store').type('html').send(renderExhibitArticle(exhibit, baseUrl));
  });

  router.get('/:slug/history', async (req, res) => {
    const slug = slugParam(req);
    res.json({ slug, entries: await exhibits.history(req.actor ?? null, slug) });
  });

  router.post('/:slug/transitions', async (req, res) => {
    const actor = requireActor(req);
    const ifMatch = req.get('if-match');
    const expected = ifMatch ? versionFromIfMatch(ifMatch) : undefined;
    if (ifMatch && expected === undefined) throw new VersionMismatchError();
    const exhibit = await exhibits.transition(actor, slugParam(req), req.body, expected);
    res.set('ETag', etagOf(exhibit)).json(withActions(req, exhibit));
  });
  return router;
}

/** `/iiif/exhibits/{slug}/manifest`: the exhibit as a Presentation 3.0 manifest (JSON-LD, §6.1). */
export function exhibitManifestRoutes(exhibits: ExhibitService, baseUrl: string): Router {
  const router = Router();
  router.get('/:slug/manifest', async (req, res) => {
    const exhibit = await exhibits.readable(req.actor ?? null, slugParam(req));
    res.set('Vary', 'Authorization');
    res.set('Cache-Control', exhibit.status === 'published' && !req.actor ? 'public, no-cache' : 'private, no-cache');
    if (notModified(req, res, `"m${exhibit.version}"`)) return;
    res.set('Content-Type', `application/ld+json;profile="${PRESENTATION_CONTEXT}"`).send(Buffer.from(JSON.stringify(buildExhibitManifest(exhibit, baseUrl))));
  });
  return router;
}

/**
 * `/exhibits/{slug}`: the published exhibit's page, rendered here (the public reads it without
 * JavaScript). Items from other sites show those sites' images: this page alone lets images
 * come from any https origin.
 */
export function exhibitPageRoutes(exhibits: ExhibitService, baseUrl: string, assets: StaticAssets): Router {
  const router = Router();
  router.get('/:slug', async (req, res) => {
    const slug = String(req.params.slug);
    const exhibit = /^[a-z0-9-]{1,80}$/.test(slug) ? await exhibits.readable(null, slug).catch((e: unknown) => {
      if (e instanceof NotFoundError) return null;
      throw e;
    }) : null;
    const policy = res.get('Content-Security-Policy');
    if (policy) res.set('Content-Security-Policy', policy.replace("img-src 'self'", "img-src 'self' https:"));
    if (!exhibit) {
      res.status(404).type('html').send(assets.page(`<!doctype html><html lang="zh-Hans">\n<!-- site-head -->\n<title>未找到 · guji</title><main><h1>未找到此展览（或尚未发布） · No such exhibit (or not yet published)</h1><p><a href="/">guji</a> · ${escapeHtml(slug.slice(0, 80))}</p></main></html>`));
      return;
    }
    // Validated by the page's text: it changes with the exhibit and with the files it names (their versions).
    assets.send(req, res, renderExhibitPage(exhibit, baseUrl));
  });
  return router;
}
