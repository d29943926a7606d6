/**
 * IIIF Change Discovery at /iiif/activity (mounted in the IIIF router, which answers CORS), and
 * the sitemaps and robots.txt at the site's root.
 */
import { Router, type Response } from 'express';
import { robotsTxt } from '../../domain/sitemap.js';
import { DISCOVERY_CONTENT_TYPE } from '../../iiif/activity.js';
import type { DiscoveryService } from '../../services/discovery-service.js';
import { NotFoundError } from '../../domain/errors.js';

function sendActivity(res: Response, body: unknown) {
  res.set('Content-Type', DISCOVERY_CONTENT_TYPE);
  // The last page grows and the collection's totals move: both are revalidated.
  res.set('Cache-Control', 'public, no-cache');
  res.send(Buffer.from(JSON.stringify(body)));
}

export function activityRoutes(discovery: DiscoveryService): Router {
  const router = Router();
  router.get('/', async (_req, res) => sendActivity(res, await discovery.activity()));
  router.get('/page/:page', async (req, res) => {
    const page = String(req.params.page);
    if (!/^\d{1,9}$/.test(page)) throw new NotFoundError(`Activity page ${page}`);
    sendActivity(res, await discovery.activityPage(Number(page)));
  });
  return router;
}

export function sitemapRoutes(discovery: DiscoveryService, baseUrl: string): Router {
  const router = Router();
  const xml = (res: Response, body: string) => res.set({ 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }).send(body);
  router.get('/robots.txt', (_req, res) => {
    res.set({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=86400' }).send(robotsTxt(baseUrl));
  });
  router.get('/sitemap.xml', async (_req, res) => xml(res, await discovery.sitemapIndex()));
  router.get(/^\/sitemap-(\d{1,9})\.xml$/, async (req, res) => xml(res, await discovery.sitemap(Number((req.params as Record<string, string>)[0]))));
  return router;
}
