/** Starts the real app on a free port with a real SQLite file in a temporary directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAdapters } from '../../src/adapters/create-adapters.js';
import type { RemoteManifestLimits } from '../../src/adapters/web/remote-manifests.js';
import { createApp } from '../../src/app.js';
import { DEFAULT_INPUT_LIMITS, defaultOaiSettings, type InputLimits, type OaiSettings, type SheetLimits } from '../../src/config.js';
import type { CatalogueStore } from '../../src/ports/catalogue-store.js';
import type { PageTextStore } from '../../src/ports/page-text-store.js';
import type { SearchIndex } from '../../src/ports/search-index.js';
import type { QueueLimits } from '../../src/services/bounded-queue.js';
import { createServices, type Services } from '../../src/services/services.js';
import type { TextLimits } from '../../src/services/text-service.js';
import { vocabulary } from './records.js';

export interface TestServer {
  url: string;
  store: CatalogueStore;
  /** The pages' text (OCR drafts, aligned and corrected text). */
  texts: PageTextStore;
  search: SearchIndex;
  dataDir: string;
  services: Services;
  /** Signs in and returns a bearer token. */
  login(username: string, password: string): Promise<string>;
  call(method: string, pathname: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

export const ADMIN_PASSWORD = 'census-office-1';

/**
 * `selfBaseUrl`: links and IIIF ids use the server's own address (a browser must follow them);
 * otherwise http://guji.test, so that tests show which URLs come from PUBLIC_BASE_URL.
 */
export async function startTestServer(
  options: {
    pixelLimit?: number; maxScanBytes?: number; maxSheetBytes?: number; selfBaseUrl?: boolean; dataDir?: string; imageRenders?: QueueLimits;
    /** OCR of new scans as GUJI_OCR=1 does (off unless asked: the model is slow on a shared CPU). */
    ocr?: { auto: boolean; concurrency: number };
    textLimits?: TextLimits;
    inputLimits?: Partial<Omit<InputLimits, 'sheet'>> & { sheet?: Partial<SheetLimits> };
    oai?: Partial<OaiSettings>;
    exhibitFetch?: RemoteManifestLimits;
  } = {},
): Promise<TestServer> {
  const inputLimits = { ...DEFAULT_INPUT_LIMITS, ...options.inputLimits, sheet: { ...DEFAULT_INPUT_LIMITS.sheet, ...options.inputLimits?.sheet } };
  // An existing data directory (a restored backup) is served as it is; close() removes it too.
  const dir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'guji-http-'));
  // Listen first: the base URL may have to name the port.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const baseUrl = options.selfBaseUrl ? url : 'http://guji.test';
  const adapters = await createAdapters({ dataDir: dir, mongodbUri: undefined, meiliUrl: undefined, meiliKey: undefined, pixelLimit: options.pixelLimit ?? 200_000_000, inputLimits, exhibitFetch: options.exhibitFetch });
  const { store, search } = adapters;
  const services = createServices(adapters, {
    sessionHours: 12, vocabulary, maxScanBytes: options.maxScanBytes ?? 50 * 2 ** 20, publicBaseUrl: baseUrl,
    rights: 'http://creativecommons.org/publicdomain/mark/1.0/', log: () => {}, imageRenders: options.imageRenders,
    oai: { ...defaultOaiSettings(baseUrl), ...options.oai },
    ocr: options.ocr, textLimits: options.textLimits, renderingsDir: path.join(dir, 'renderings'),
  });
  await services.auth.bootstrapAdmin('admin', ADMIN_PASSWORD);
  await services.textSearch.ready();
  server.on('request', createApp(services, {
    publicBaseUrl: baseUrl, vocabulary, maxScanBytes: options.maxScanBytes ?? 50 * 2 ** 20, maxSheetBytes: options.maxSheetBytes ?? 50 * 2 ** 20, inputLimits,
  }, () => {}));
  const call: TestServer['call'] = async (method, pathname, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const res = await fetch(url + pathname, { method, headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
  return {
    url,
    store,
    texts: adapters.texts,
    search,
    dataDir: dir,
    services,
    call,
    async login(username, password) {
      const res = await call('POST', '/api/session', { body: { username, password } });
      if (res.status !== 201) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token;
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await services.indexer.catchUp();
      await services.texts.stop('the test server closed');
      await services.textSearch.settled();
      await Promise.all([store.close(), search.close(), adapters.texts.close(), adapters.exhibits.close(), adapters.textSearch.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The district library every test catalogue holds its books in (the UUUU 0001 of their census numbers). */
export const LIBRARY = { province: '430000', code: '0001', name: '资阳区图书馆' };

/** Signs the admin in and registers the library: what most tests start from. */
export async function withLibrary(server: TestServer): Promise<string> {
  const admin = await server.login('admin', ADMIN_PASSWORD);
  const res = await server.call('POST', '/api/units', { token: admin, body: LIBRARY });
  if (res.status !== 201) throw new Error(`unit: ${res.status} ${JSON.stringify(res.body)}`);
  return admin;
}
