/** createApp: the Express application. No I/O at import time; everything it needs is handed in. */
import express from 'express';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import { authenticate } from './http/auth.js';
import { compressAnswers } from './http/compress.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { iiifCors } from './http/iiif-cors.js';
import { refuseDeepJson } from './http/json-depth.js';
import { openApiDocument } from './http/openapi.js';
import { sessionRoutes, unitRoutes, userRoutes } from './http/routes/accounts.js';
import { recordRoutes } from './http/routes/records.js';
import { citationRoutes } from './http/routes/citations.js';
import { pageRoutes } from './http/pages/routes.js';
import { iiifAuthRoutes, iiifCredentials } from './http/routes/iiif-auth.js';
import { IMAGE_REQUEST_PATH, iiifImageRequests, iiifImageRoutes } from './http/routes/iiif-image.js';
import { iiifPresentationRoutes } from './http/routes/iiif-presentation.js';
import { activityRoutes, sitemapRoutes } from './http/routes/discovery.js';
import { oaiRoutes } from './http/routes/oai.js';
import { scanRoutes } from './http/routes/scans.js';
import { schemaRoutes } from './http/routes/schema.js';
import { searchRoutes } from './http/routes/search.js';
import { securityHeaders } from './http/security-headers.js';
import { StaticAssets } from './http/static-assets.js';
import { sheetRoutes } from './http/routes/sheets.js';
import { sharingRoutes } from './http/routes/sharing.js';
import { textAnnotationRoutes, textRoutes } from './http/routes/texts.js';
import { exhibitManifestRoutes, exhibitPageRoutes, exhibitRoutes } from './http/routes/exhibits.js';
import { textSearchRoutes } from './http/routes/text-search.js';
import type { Services } from './services/services.js';
import { STAFF_PAGES } from './domain/sitemap.js';


export function createApp(
  services: Services,
  config: Pick<Config, 'publicBaseUrl' | 'vocabulary' | 'maxScanBytes' | 'maxSheetBytes' | 'inputLimits'>,
  log: (message: string, error?: unknown) => void = console.error,
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'extended');
  app.use(securityHeaders({ https: config.publicBaseUrl.startsWith('https:') }));
  // IIIF image requests — tiles, most of what the service answers — first, through what they
  // need only: the headers above, CORS, who is asking (the service decides what they may see;
  // its render queues refuse floods with 503), and the one error middleware at the end. Not
  // compression (image bytes are compressed already), nor the routers of everything else.
  const credentials = iiifCredentials(services.auth, services.iiifAccess);
  app.get(IMAGE_REQUEST_PATH, iiifCors, credentials, iiifImageRequests(services.images, config.publicBaseUrl));
  app.use(compressAnswers());

  // The engines' names only: their descriptions carry file paths and server URLs, which are the
  // operator's business (the start-up log prints them), not every visitor's.
  const engine = (description: string) => description.split(' ')[0];
  app.get('/health', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ status: 'ok', store: engine(services.storeDescription), search: engine(services.searchDescription) });
  });

  const api = express.Router();
  api.use(express.json({ limit: '2mb', verify: refuseDeepJson(config.inputLimits.maxJsonDepth) }));
  api.use(authenticate(services.auth));
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument(config.publicBaseUrl));
  });
  api.get('/vocabularies', (_req, res) => {
    res.json(config.vocabulary.data);
  });
  api.use('/session', sessionRoutes(services.auth));
  api.use('/users', userRoutes(services.auth, config.publicBaseUrl));
  api.use('/units', unitRoutes(services.units));
  const scans = scanRoutes(services, config.publicBaseUrl, config.maxScanBytes, config.inputLimits, log);
  api.use('/records', scans.records);
  api.use('/jobs', scans.jobs);
  const sharing = sharingRoutes(services.sharing, services.openData);
  api.use('/records', sharing.records);
  api.use('/records', citationRoutes(services.records, services.sharing));
  api.use('/records', recordRoutes(services.records, services.scans, config.publicBaseUrl));
  api.use('/records', textRoutes(services.texts, config.publicBaseUrl));
  const textSearch = textSearchRoutes(services.textSearch, config.publicBaseUrl);
  api.use('/records', textSearch.records);
  api.use('/text', textSearch.catalogue);
  api.use('/search', searchRoutes(services.search, config.publicBaseUrl));
  api.use('/schema', schemaRoutes());
  api.get('/stats', async (req, res) => {
    res.set('Cache-Control', req.actor ? 'private, no-store' : 'public, max-age=60');
    res.json(await services.stats.overview(req.actor ?? null));
  });
  const sheets = sheetRoutes(services, config.publicBaseUrl, config.maxSheetBytes, config.inputLimits);
  api.use('/records', sheets.structure);
  api.use('/imports', sheets.imports);
  api.use('/exports', sharing.exports);
  api.use('/exports', sheets.exports);
  api.use('/open-data', sharing.dumpApi);
  api.use('/exhibits', exhibitRoutes(services.exhibits, config.publicBaseUrl));
  api.use(notFoundHandler);
  app.use('/api', api);

  const iiif = express.Router();
  iiif.use(iiifCors);
  const pages = fileURLToPath(new URL('../public/', import.meta.url));
  iiif.use(credentials);
  iiif.use('/auth', iiifAuthRoutes(services.images, services.iiifAccess, config.publicBaseUrl, pages));
  iiif.use('/3', iiifImageRoutes(services.images, config.publicBaseUrl, (imageId) => services.manifests.imageContext(imageId)));
  iiif.use('/activity', activityRoutes(services.discovery));
  iiif.use('/exhibits', exhibitManifestRoutes(services.exhibits, config.publicBaseUrl));
  iiif.use('/', iiifPresentationRoutes(services.manifests, services.renderings));
  iiif.use('/', textAnnotationRoutes(services.texts, config.publicBaseUrl));
  iiif.use('/', textSearch.iiif);
  iiif.use(notFoundHandler);
  app.use('/iiif', iiif);
  app.use('/open-data', sharing.files);
  app.use('/oai', oaiRoutes(services.oai));
  app.use(sitemapRoutes(services.discovery, config.publicBaseUrl));
  // Each page is static HTML whose script reads the API; the paths people see are fixed here.
  const assets = StaticAssets.forPages(pages);
  const page = (file: string): express.RequestHandler => (req, res) => assets.sendPage(req, res, file);
  app.get('/stats', page('stats.html'));
  // `/`, `/records/:censusNumber`, `/browse` and `/persons/:name` are rendered on the server (src/http/pages).
  app.use(pageRoutes(services, config.publicBaseUrl, pages));
  app.get('/records/:censusNumber/edit', page('edit.html'));
  app.get('/records/:censusNumber/pages/:n/proof', page('proof.html'));
  app.get('/register', page('edit.html'));
  app.get('/viewer', page('viewer.html'));
  app.get(['/exhibits/new', '/exhibits/:slug/edit'], page('exhibit-edit.html'));
  app.use('/exhibits', exhibitPageRoutes(services.exhibits, config.publicBaseUrl, assets));
  for (const name of STAFF_PAGES) app.get(`/${name}`, page(`${name}.html`));
  // public/, Mirador's build and the Universal Viewer's: versioned, compressed once, cached (issue 20).
  app.use(assets.handler());

  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}
