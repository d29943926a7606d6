/**
 * Static files over real HTTP (src/http/static-assets.ts, issue 20): pages name their files by
 * versioned URLs; a versioned request is cached for a year as immutable, any other revalidated
 * with its ETag; text comes compressed, made once, as the client accepts; nothing outside the
 * served folders is reachable.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import express from 'express';
import { StaticAssets } from '../../src/http/static-assets.js';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startTestServer, type TestServer } from '../support/http.js';

const PUBLIC = path.resolve(import.meta.dirname, '../../public');
const MIRADOR = createRequire(import.meta.url).resolve('mirador/dist/mirador.min.js');
const versionOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 8);

function raw(url: string, headers: Record<string, string> = {}): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer; status: number }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'identity', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks), status: res.statusCode! }));
    }).on('error', reject);
  });
}

describe('static files: versioned, compressed once, cached', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('writes each local file’s version into static and server-rendered pages alike', async () => {
    const site = `/site.css?v=${versionOf(path.join(PUBLIC, 'site.css'))}`;
    for (const page of ['/login', '/', '/records/430000-0001-0000001', '/viewer']) {
      const { body, headers } = await raw(server.url + page);
      const text = body.toString('utf8');
      expect(headers['content-type'], page).to.match(/^text\/html/);
      if (page !== '/viewer') expect(text, page).to.contain(`href="${site}"`);
      expect(text, page).not.to.match(/(?:src|href)="\/[^"?]+\.(?:js|css)"/);
    }
    const record = (await raw(`${server.url}/records/430000-0001-0000001`)).body.toString('utf8');
    expect(record, 'Mirador is no longer loaded by the record page itself').not.to.contain('<script src="/vendor/mirador.min.js');
    expect(record).to.contain(`data-mirador-src="/vendor/mirador.min.js?v=${versionOf(MIRADOR)}"`);
    const viewer = (await raw(`${server.url}/viewer`)).body.toString('utf8');
    expect(viewer).to.match(/data-uv-src="\/vendor\/uv\/umd\/UV\.js\?v=[0-9a-f]{8}"/);
  });

  it('fills the head and header every page shares from one declaration, static and rendered pages alike', async () => {
    const site = `href="/site.css?v=${versionOf(path.join(PUBLIC, 'site.css'))}"`;
    const icon = `href="/favicon.svg?v=${versionOf(path.join(PUBLIC, 'favicon.svg'))}"`;
    const once = (text: string, part: string, page: string) => expect(text.split(part).length - 1, `${page}: ${part}`).to.equal(1);
    const withHeader = ['/login', '/stats', '/review', '/register', '/', '/records/430000-0001-0000001', '/browse', '/persons/蘇軾'];
    for (const page of [...withHeader, '/iiif/auth/access', '/iiif/auth/logout']) {
      const { body, headers, status } = await raw(server.url + encodeURI(page));
      const text = body.toString('utf8');
      expect(status, page).to.be.oneOf([200, 404]);
      for (const part of ['<meta charset="utf-8">', 'name="viewport"', site, icon, '<title>']) once(text, part, page);
      expect(text, page).not.to.contain('<!-- site-');
      expect(text.indexOf('<meta charset="utf-8">'), `${page}: the character set comes first in <head>`).to.be.lessThan(text.indexOf('<title>'));
      if (page.startsWith('/iiif/')) {
        expect(headers['cache-control'], page).to.equal('no-store');
        expect(text, page).not.to.contain('<header');
        continue;
      }
      // The navigation is in the HTML itself, for readers without JavaScript and for crawlers.
      once(text, '<header class="top">', page);
      for (const link of ['href="/"', 'href="/browse"', 'href="/stats"', 'href="/api/openapi.json"', 'href="/iiif/collection"']) {
        expect(text.slice(text.indexOf('<header'), text.indexOf('</header>')), `${page}: ${link}`).to.contain(link);
      }
    }
    const token = (await raw(`${server.url}/iiif/auth/token?messageId=1&origin=${encodeURIComponent(server.url)}`)).body.toString('utf8');
    expect(token).to.contain(`src="/iiif-token.js?v=${versionOf(path.join(PUBLIC, 'iiif-token.js'))}"`);
  });

  it('has every page of public/ but the bare viewer declare the shared head instead of copying it', () => {
    for (const file of readdirSync(PUBLIC).filter((f) => f.endsWith('.html') && f !== 'viewer.html')) {
      const text = readFileSync(path.join(PUBLIC, file), 'utf8');
      expect(text.split('<!-- site-head -->').length, file).to.equal(2);
      expect(text, file).not.to.match(/<meta charset|name="viewport"|href="\/site\.css"/);
      expect(text, file).not.to.contain('<header');
    }
  });

  it('caches a versioned request for a year, and revalidates any other with its ETag', async () => {
    // A page script's version is that of what is served: its imports versioned (the next test).
    const page = (await raw(`${server.url}/records/430000-0001-0000001`)).body.toString('utf8');
    const version = /src="\/record\.js\?v=([0-9a-f]{8})"/.exec(page)![1]!;
    const versioned = await raw(`${server.url}/record.js?v=${version}`);
    expect(versioned.status).to.equal(200);
    expect(versioned.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(createHash('sha256').update(versioned.body).digest('hex').slice(0, 8)).to.equal(version);
    expect(versioned.body.toString('utf8').replace(/(\.js)\?v=[0-9a-f]{8}(['"])/g, '$1$2')).to.equal(readFileSync(path.join(PUBLIC, 'record.js'), 'utf8'));
    for (const url of ['/record.js', '/record.js?v=00000000']) {
      const plain = await raw(server.url + url);
      expect(plain.headers['cache-control'], url).to.equal('public, no-cache');
      expect(plain.headers.etag, url).to.equal(`"${version}"`);
      const again = await raw(server.url + url, { 'if-none-match': plain.headers.etag! });
      expect(again.status, url).to.equal(304);
      expect(again.body.length, url).to.equal(0);
    }
    const login = await raw(`${server.url}/login`);
    expect(login.headers['cache-control']).to.equal('public, no-cache');
    expect((await raw(`${server.url}/login`, { 'if-none-match': login.headers.etag! })).status).to.equal(304);
  });

  it('has the pages’ scripts import every module of theirs by its version, each cached for a year', async () => {
    const unversioned = /\b(?:from|import)\s*['"]\.{0,2}\/[^'"?]+\.js['"]/;
    let imports = 0;
    for (const file of readdirSync(PUBLIC).filter((f) => f.endsWith('.js'))) {
      const text = (await raw(`${server.url}/${file}`)).body.toString('utf8');
      expect(text, file).not.to.match(unversioned);
      for (const [, url] of text.matchAll(/\b(?:from|import)\s*['"]\.\/([^'"]+\.js\?v=[0-9a-f]{8})['"]/g)) {
        const module = await raw(`${server.url}/${url}`);
        expect([module.status, module.headers['cache-control']], `${file} → ${url}`).to.deep.equal([200, 'public, max-age=31536000, immutable']);
        imports += 1;
      }
    }
    expect(imports, 'the imports checked').to.be.above(20);
  });

  it('gives a page script a new version when a module it imports, however deep, changes', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'guji-assets-'));
    const write = (name: string, text: string) => {
      mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      writeFileSync(path.join(folder, name), text);
    };
    write('c.js', 'export const c = 1;\n');
    write('sub/d.js', "import { c } from '../c.js';\nexport const d = c;\n");
    write('b.js', "import { c } from '/c.js';\nexport { d } from './sub/d.js';\nexport const b = c;\n");
    write('a.js', "import { b } from './b.js';\nimport \"./c.js\";\n");
    write('e.js', 'export const e = 5;\n');
    const assets = StaticAssets.forPages(folder);
    const app = express().use(assets.handler());
    const listening = app.listen(0);
    const base = `http://127.0.0.1:${(listening.address() as { port: number }).port}`;
    try {
      const versions = () => Object.fromEntries([...assets.page('<script type="module" src="/a.js"></script><script src="/e.js"></script>')
        .matchAll(/src="\/(\w)\.js\?v=([0-9a-f]{8})"/g)].map(([, name, v]) => [name!, v!]));
      const served = async (url: string) => (await raw(base + url)).body.toString('utf8');
      const before = versions();
      const a = await served(`/a.js?v=${before.a}`);
      const b = /'\.\/b\.js\?v=([0-9a-f]{8})'/.exec(a)![1]!;
      const c = versionOf(path.join(folder, 'c.js'));
      expect(a).to.contain(`import "./c.js?v=${c}";`);
      const bText = await served(`/b.js?v=${b}`);
      expect(bText).to.contain(`from '/c.js?v=${c}'`);
      const d = /'\.\/sub\/d\.js\?v=([0-9a-f]{8})'/.exec(bText)![1]!;
      expect(await served(`/sub/d.js?v=${d}`)).to.contain(`from '../c.js?v=${c}'`);

      write('c.js', 'export const c = 2; // changed\n');
      const after = versions();
      expect(after.a, 'a.js, which imports c.js by way of b.js and sub/d.js').not.to.equal(before.a);
      expect(after.e, 'e.js, which imports nothing').to.equal(before.e);
      const a2 = await served(`/a.js?v=${after.a}`);
      const b2 = /'\.\/b\.js\?v=([0-9a-f]{8})'/.exec(a2)![1]!;
      expect(b2).not.to.equal(b);
      const c2 = versionOf(path.join(folder, 'c.js'));
      expect(await served(`/b.js?v=${b2}`)).to.contain(`from '/c.js?v=${c2}'`);
      expect((await raw(`${base}/a.js?v=${after.a}`)).headers['cache-control']).to.equal('public, max-age=31536000, immutable');
      expect((await raw(`${base}/a.js?v=${before.a}`)).headers['cache-control'], 'the old version').to.equal('public, no-cache');
    } finally {
      listening.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('sends Mirador, scripts, styles and SVG compressed as the client accepts, images as they are', async () => {
    for (const [url, file] of [['/vendor/mirador.min.js', MIRADOR], ['/site.css', path.join(PUBLIC, 'site.css')], ['/iiif-logo.svg', path.join(PUBLIC, 'iiif-logo.svg')]] as const) {
      const bytes = readFileSync(file);
      const br = await raw(server.url + url, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.headers['content-encoding'], url).to.equal('br');
      expect(br.headers.vary, url).to.match(/Accept-Encoding/i);
      expect(br.headers.etag, url).to.equal(`"${versionOf(file)}-br"`);
      expect(brotliDecompressSync(br.body).equals(bytes), url).to.equal(true);
      const gz = await raw(server.url + url, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding'], url).to.equal('gzip');
      expect(gunzipSync(gz.body).equals(bytes), url).to.equal(true);
      const plain = await raw(server.url + url);
      expect(plain.headers['content-encoding'], url).to.equal(undefined);
      expect(plain.body.equals(bytes), url).to.equal(true);
    }
    const mirador = await raw(`${server.url}/vendor/mirador.min.js`, { 'accept-encoding': 'br' });
    expect(mirador.body.length).to.be.below(600_000);
    const html = await raw(`${server.url}/login`, { 'accept-encoding': 'br' });
    expect(html.headers['content-encoding']).to.equal('br');
    const png = await raw(`${server.url}/vendor/uv/favicon.ico`, { 'accept-encoding': 'gzip, br' });
    expect(png.status).to.equal(200);
    expect(png.headers['content-encoding']).to.equal(undefined);
  });

  it('answers HEAD with the headers only', async () => {
    const head = await new Promise<http.IncomingMessage & { bytes: number }>((resolve, reject) => {
      http.request(`${server.url}/site.css`, { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => { bytes += c.length; });
        res.on('end', () => resolve(Object.assign(res, { bytes })));
      }).on('error', reject).end();
    });
    expect(head.statusCode).to.equal(200);
    expect(head.headers['content-encoding']).to.equal('gzip');
    expect(Number(head.headers['content-length'])).to.be.above(0);
    expect(head.bytes).to.equal(0);
  });

  it('reaches nothing outside the served folders, nor dot files', async () => {
    for (const url of ['/..%2fpackage.json', '/%2e%2e/package.json', '/vendor/uv/..%2f..%2fpackage.json', '/.gitignore', '/vendor/uv/%00x', '/%E0%A4%A']) {
      const res = await raw(server.url + url);
      expect(res.status, url).to.equal(404);
      expect(res.body.toString('utf8'), url).not.to.contain('"dependencies"');
    }
  });
});
