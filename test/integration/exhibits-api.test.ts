/**
 * The exhibits API over real HTTP with real SQLite files: a curator builds an exhibit of books,
 * leaves and regions from this catalogue and from another site's manifests (served by a second
 * local server), each item checked as it is saved; a reviewer publishes it; the public reads it.
 * And the fetcher of other sites' manifests refuses private addresses, slow and huge answers.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebRemoteManifests } from '../../src/adapters/web/remote-manifests.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { officialPresentationProblems } from '../support/iiif-schema.js';
import { demoScans, recordWithScan } from '../support/scans.js';
import { publish } from '../support/texts.js';

const BOOK = '430000-0001-0000001';
const DRAFT = '430000-0001-0000002';
const CC_BY = 'https://creativecommons.org/licenses/by/4.0/';
/** Stands for the other site's address in the table of refusals (its port is known only once it listens). */
const SITE = 'http://other.site.invalid';

/** Another site's manifests: Presentation 3.0 and 2.1, a slow one, a huge one, a redirect. */
function otherSite(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const base = `http://${req.headers.host}`;
    const v3 = {
      '@context': 'http://iiif.io/api/presentation/3/context.json', id: `${base}/v3.json`, type: 'Manifest', label: { en: ['Letters of the Qianlong court'] },
      items: [{
        id: `${base}/canvas/p1`, type: 'Canvas', width: 2000, height: 1500, label: { en: ['p. 1'] },
        items: [{ id: `${base}/page/p1`, type: 'AnnotationPage', items: [{ id: `${base}/anno/p1`, type: 'Annotation', motivation: 'painting', target: `${base}/canvas/p1`,
          body: { id: `${base}/iiif/p1/full/max/0/default.jpg`, type: 'Image', format: 'image/jpeg', service: [{ id: `${base}/iiif/p1`, type: 'ImageService3', profile: 'level1' }] } }] }],
      }],
    };
    const v2 = {
      '@context': 'http://iiif.io/api/presentation/2/context.json', '@id': `${base}/v2.json`, '@type': 'sc:Manifest', label: '湖南通志',
      sequences: [{ canvases: [{ '@id': `${base}/canvas/c1`, '@type': 'sc:Canvas', label: '葉一', width: 800, height: 1200,
        images: [{ resource: { '@id': `${base}/iiif2/c1/full/full/0/default.jpg`, service: { '@id': `${base}/iiif2/c1`, profile: 'http://iiif.io/api/image/2/level1.json' } } }] }] }],
    };
    if (req.url === '/v3.json') res.setHeader('content-type', 'application/json').end(JSON.stringify(v3));
    else if (req.url === '/v2.json') res.setHeader('content-type', 'application/json').end(JSON.stringify(v2));
    else if (req.url === '/moved') res.writeHead(302, { location: '/v3.json' }).end();
    else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else if (req.url === '/huge') res.end(`{"items":[${'0,'.repeat(200_000)}0]}`);
    else if (req.url === '/html') res.setHeader('content-type', 'text/html').end('<!doctype html><p>not a manifest</p>');
    else if (req.url === '/slow') setTimeout(() => res.end('{}'), 5000).unref();
    else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

describe('exhibits API', function () {
  this.timeout(30_000);
  let server: TestServer;
  let site: { url: string; server: Server };
  let admin: string;
  let curator: string;
  let reviewer: string;

  const exhibit = (items: unknown[], extra: Record<string, unknown> = {}) => ({
    slug: 'huxiang', title: '湖湘刻書', summary: '清代湖南刻本三種', credits: '资阳区图书馆策展', licence: CC_BY,
    sections: [{ title: '刻本', text: '', items }], ...extra,
  });

  before(async () => {
    site = await otherSite();
    // The other site listens on 127.0.0.1: these tests let loopback through; the fetcher's own tests below do not.
    server = await startTestServer({ exhibitFetch: { timeoutMs: 1500, maxBytes: 100_000, allowPrivate: true } });
    admin = await withLibrary(server);
    for (const [username, role, password] of [['curator', 'surveyor', 'Tortoise-ledger-51'], ['reviewer', 'reviewer', 'Heron-quarry-73']] as const) {
      const made = await server.call('POST', '/api/users', { token: admin, body: { username, role, password, ...(role === 'surveyor' ? { unit: '0001' } : {}) } });
      expect(made.status).to.equal(201);
    }
    curator = await server.login('curator', 'Tortoise-ledger-51');
    reviewer = await server.login('reviewer', 'Heron-quarry-73');
    await recordWithScan(server, admin, BOOK, path.join(demoScans, '1.png'), '1.png');
    await recordWithScan(server, admin, DRAFT, path.join(demoScans, '2.png'), '2.png');
    await publish(server, BOOK, admin, admin);
  });
  after(async () => {
    await server?.close();
    site?.server.close();
  });

  it('a curator saves a book, a leaf and regions, from this catalogue and other sites, each resolved', async () => {
    const items = [
      { censusNumber: BOOK, caption: '全書', credit: '资阳区图书馆藏' },
      { censusNumber: BOOK, canvas: 1, caption: '卷端', credit: '资阳区图书馆藏' },
      { censusNumber: BOOK, canvas: 1, xywh: '100,150,300,200', caption: '題名', credit: '资阳区图书馆藏' },
      { manifest: `${site.url}/v3.json`, canvas: `${site.url}/canvas/p1`, xywh: '0,0,2000,1500', caption: 'A letter', credit: 'Another library' },
      { manifest: `${site.url}/moved`, caption: 'Followed a redirect', credit: 'Another library' },
      { manifest: `${site.url}/v2.json`, canvas: 1, xywh: '10,10,100,100', caption: '通志', credit: '湖南圖書館' },
      // This catalogue's own manifest URL is its book, by census number.
      { manifest: `http://guji.test/iiif/${BOOK}/manifest`, canvas: `http://guji.test/iiif/${BOOK}/canvas/1`, caption: '', credit: '' },
    ];
    const res = await server.call('POST', '/api/exhibits', { token: curator, body: exhibit(items) });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.headers.get('etag')).to.equal('"v1"');
    expect(res.headers.get('location')).to.equal('http://guji.test/api/exhibits/huxiang');
    const [whole, leaf, region, letter, moved, v2, own] = res.body.sections[0].items.map((i: any) => i.resolved);
    expect(whole).to.deep.include({ whole: true, region: null, label: '欽定四庫全書簡明目錄二十卷', canvas: `http://guji.test/iiif/${BOOK}/canvas/1`, width: 1155, height: 1559 });
    expect(leaf).to.deep.include({ whole: false, region: null, homepage: `http://guji.test/records/${BOOK}` });
    expect(region.region).to.deep.equal([100, 150, 300, 200]);
    expect(region.service).to.deep.equal({ id: `http://guji.test/iiif/3/${(await server.call('GET', `/api/records/${BOOK}`)).body.pages[0].sha256}`, type: 'ImageService3', profile: 'level2' });
    expect(letter).to.deep.include({ label: 'Letters of the Qianlong court', canvas: `${site.url}/canvas/p1`, width: 2000, height: 1500, region: [0, 0, 2000, 1500] });
    expect(moved).to.deep.include({ whole: true, canvas: `${site.url}/canvas/p1` });
    expect(v2).to.deep.include({ label: '湖南通志', canvasLabel: '葉一', width: 800, height: 1200 });
    expect(v2.service).to.deep.equal({ id: `${site.url}/iiif2/c1`, type: 'ImageService2', profile: 'http://iiif.io/api/image/2/level1.json' });
    expect(own).to.deep.include({ canvas: `http://guji.test/iiif/${BOOK}/canvas/1`, homepage: `http://guji.test/records/${BOOK}` });
    // A draft is the staff's: the public neither reads nor lists it.
    expect((await server.call('GET', '/api/exhibits/huxiang')).status).to.equal(404);
    expect((await server.call('GET', '/api/exhibits')).body.total).to.equal(0);
    expect((await server.call('GET', '/api/exhibits', { token: reviewer })).body.total).to.equal(1);
  });

  const refusals: [string, unknown, number, string, string, RegExp][] = [
    ['an unpublished record', { censusNumber: DRAFT }, 422, 'record_not_published', 'sections.0.items.0.censusNumber', /not a published record/],
    ['a record that does not exist', { censusNumber: '430000-0001-0000099' }, 422, 'record_not_published', 'sections.0.items.0.censusNumber', /not a published/],
    ['a leaf the book does not have', { censusNumber: BOOK, canvas: 7 }, 422, 'canvas_not_found', 'sections.0.items.0.canvas', /no leaf 7/],
    ['a region outside the image', { censusNumber: BOOK, canvas: 1, xywh: '1000,1500,200,100' }, 422, 'region_outside_image', 'sections.0.items.0.xywh', /outside the leaf, which is 1155×1559/],
    ['a region of no width', { censusNumber: BOOK, canvas: 1, xywh: '0,0,0,10' }, 400, 'validation_failed', 'sections.0.items.0.xywh', /width and height above 0/],
    ['a region without its leaf', { censusNumber: BOOK, xywh: '0,0,10,10' }, 400, 'validation_failed', 'sections.0.items.0.canvas', /required with a region/],
    ['a manifest that does not answer in time', { manifest: `${SITE}/slow` }, 422, 'manifest_unreachable', 'sections.0.items.0.manifest', /no answer within 1.5 s/],
    ['a manifest that is not there', { manifest: `${SITE}/gone` }, 422, 'manifest_unreachable', 'sections.0.items.0.manifest', /HTTP 404/],
    ['a server that is not there', { manifest: 'http://127.0.0.1:1/manifest' }, 422, 'manifest_unreachable', 'sections.0.items.0.manifest', /refused the connection/],
    ['a manifest larger than the limit', { manifest: `${SITE}/huge` }, 422, 'manifest_unreachable', 'sections.0.items.0.manifest', /larger than 100000 bytes/],
    ['a page that is not JSON', { manifest: `${SITE}/html` }, 422, 'manifest_unreachable', 'sections.0.items.0.manifest', /not JSON/],
    ['endless redirects', { manifest: `${SITE}/loop` }, 422, 'manifest_unreachable', 'sections.0.items.0.manifest', /more than 3 redirects/],
    ['a canvas the manifest does not have', { manifest: `${SITE}/v3.json`, canvas: `${SITE}/canvas/p9` }, 422, 'canvas_not_found', 'sections.0.items.0.canvas', /not a canvas/],
    ['a file: URL', { manifest: 'file:///etc/passwd' }, 400, 'validation_failed', 'sections.0.items.0.manifest', /http\(s\) URL/],
    ['both a book and a manifest', { censusNumber: BOOK, manifest: `${SITE}/v3.json` }, 400, 'validation_failed', 'sections.0.items.0.censusNumber', /either/],
  ];
  for (const [what, item, status, code, field, problem] of refusals) {
    it(`refuses ${what}, saying why and which field`, async () => {
      const body = JSON.parse(JSON.stringify(exhibit([{ caption: '', credit: '', ...(item as object) }], { slug: 'refused' })).replaceAll(SITE, site.url));
      const res = await server.call('POST', '/api/exhibits', { token: curator, body });
      expect(res.status, JSON.stringify(res.body)).to.equal(status);
      expect(res.body.error.code).to.equal(code);
      const detail = res.body.error.details.find((d: any) => d.field === field);
      expect(detail, JSON.stringify(res.body.error.details)).to.not.equal(undefined);
      expect(detail.problem).to.match(problem);
      expect((await server.call('GET', '/api/exhibits/refused', { token: admin })).status).to.equal(404);
    });
  }

  it('refuses bad exhibit fields: licence, slug, blank title, a second exhibit of the same slug, too many items', async () => {
    const bad = await server.call('POST', '/api/exhibits', { token: curator, body: exhibit([], { slug: 'Bad Slug', title: ' ', licence: 'https://example.org/mine' }) });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.map((d: any) => d.field).sort()).to.deep.equal(['licence', 'slug', 'title']);
    const again = await server.call('POST', '/api/exhibits', { token: curator, body: exhibit([]) });
    expect([again.status, again.body.error.code, again.body.error.details[0].field]).to.deep.equal([409, 'already_exists', 'slug']);
    const many = Array.from({ length: 3 }, () => ({ title: '', text: '', items: Array.from({ length: 100 }, () => ({ censusNumber: BOOK })) }));
    const tooMany = await server.call('POST', '/api/exhibits', { token: curator, body: { ...exhibit([]), slug: 'many', sections: many } });
    expect([tooMany.status, tooMany.body.error.details[0].field]).to.deep.equal([400, 'sections']);
    expect((await server.call('POST', '/api/exhibits', { body: exhibit([], { slug: 'anon' }) })).status).to.equal(401);
  });

  it('edits need If-Match; a reviewer publishes; the public then reads and lists it; history records each step', async () => {
    const current = (await server.call('GET', '/api/exhibits/huxiang', { token: curator })).body;
    expect(current.actions).to.deep.equal(['edit', 'submit']);
    const input = exhibit([{ censusNumber: BOOK, canvas: 1, caption: '卷端', credit: '资阳区图书馆藏' }], { title: '湖湘刻書（增訂）' });
    expect((await server.call('PUT', '/api/exhibits/huxiang', { token: curator, body: input })).status).to.equal(428);
    expect((await server.call('PUT', '/api/exhibits/huxiang', { token: curator, body: input, headers: { 'if-match': '"v9"' } })).status).to.equal(412);
    const moved = await server.call('PUT', '/api/exhibits/huxiang', { token: curator, body: { ...input, slug: 'elsewhere' }, headers: { 'if-match': '"v1"' } });
    expect([moved.status, moved.body.error.details[0].field]).to.deep.equal([400, 'slug']);
    const put = await server.call('PUT', '/api/exhibits/huxiang', { token: curator, body: input, headers: { 'if-match': '"v1"' } });
    expect([put.status, put.headers.get('etag'), put.body.title]).to.deep.equal([200, '"v2"', '湖湘刻書（增訂）']);
    expect((await server.call('POST', '/api/exhibits/huxiang/transitions', { token: curator, body: { action: 'submit' } })).status).to.equal(200);
    // The author may not publish her own exhibit, nor edit it under review.
    const self = await server.call('POST', '/api/exhibits/huxiang/transitions', { token: curator, body: { action: 'publish' } });
    expect([self.status, self.body.error.code]).to.deep.equal([403, 'forbidden']);
    expect((await server.call('PUT', '/api/exhibits/huxiang', { token: curator, body: input, headers: { 'if-match': '"v3"' } })).status).to.equal(403);
    const noReason = await server.call('POST', '/api/exhibits/huxiang/transitions', { token: reviewer, body: { action: 'return' } });
    expect([noReason.status, noReason.body.error.details[0].field]).to.deep.equal([409, 'comment']);
    const published = await server.call('POST', '/api/exhibits/huxiang/transitions', { token: reviewer, body: { action: 'publish' } });
    expect([published.status, published.body.status]).to.deep.equal([200, 'published']);
    const read = await server.call('GET', '/api/exhibits/huxiang');
    expect([read.status, read.body.title, read.body.links.manifest]).to.deep.equal([200, '湖湘刻書（增訂）', 'http://guji.test/iiif/exhibits/huxiang/manifest']);
    expect(read.body.actions).to.equal(undefined);
    expect((await server.call('GET', '/api/exhibits')).body.exhibits.map((e: any) => e.slug)).to.deep.equal(['huxiang']);
    expect((await server.call('GET', '/api/exhibits/huxiang/history')).status).to.equal(401);
    const history = await server.call('GET', '/api/exhibits/huxiang/history', { token: reviewer });
    expect(history.body.entries.map((e: any) => [e.action, e.actor, e.version])).to.deep.equal([
      ['create', 'curator', 1], ['update', 'curator', 2], ['submit', 'curator', 3], ['publish', 'reviewer', 4],
    ]);
  });

  it('serves the published exhibit as a Presentation 3.0 manifest: regions as their own images, credits, rights', async () => {
    const items = [
      { censusNumber: BOOK, caption: '全書', credit: '资阳区图书馆藏' },
      { censusNumber: BOOK, canvas: 1, xywh: '100,150,300,200', caption: '題名\n第二行', credit: '资阳区图书馆藏' },
      { manifest: `${site.url}/v2.json`, canvas: 1, xywh: '10,10,100,100', caption: '通志', credit: '湖南圖書館' },
    ];
    const made = await server.call('POST', '/api/exhibits', { token: curator, body: exhibit(items, { slug: 'as-manifest' }) });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    // The licence as CC shows it (https) is kept in the form IIIF's rights takes.
    expect(made.body.licence).to.equal('http://creativecommons.org/licenses/by/4.0/');
    expect((await server.call('GET', '/iiif/exhibits/as-manifest/manifest')).status).to.equal(404);
    await server.call('POST', '/api/exhibits/as-manifest/transitions', { token: curator, body: { action: 'submit' } });
    await server.call('POST', '/api/exhibits/as-manifest/transitions', { token: reviewer, body: { action: 'publish' } });
    const res = await fetch(`${server.url}/iiif/exhibits/as-manifest/manifest`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"');
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    const manifest = (await res.json()) as any;
    expect(manifest).to.deep.include({ id: 'http://guji.test/iiif/exhibits/as-manifest/manifest', type: 'Manifest', rights: 'http://creativecommons.org/licenses/by/4.0/' });
    // Text as written, under its script's tag, and no machine conversion beside it (src/iiif/manifest.ts chinese).
    expect(manifest.requiredStatement.value).to.deep.equal({ 'zh-Hans': ['资阳区图书馆策展'] });
    const [whole, region, other] = manifest.items;
    const sha = (await server.call('GET', `/api/records/${BOOK}`)).body.pages[0].sha256;
    // The whole book: its first leaf with its image service, for deep zoom.
    expect(whole).to.deep.include({ width: 1155, height: 1559 });
    expect(whole.items[0].items[0].body.service[0]).to.deep.equal({ id: `http://guji.test/iiif/3/${sha}`, type: 'ImageService3', profile: 'level2' });
    // A region: a canvas of the region's size painted with the region itself, no service to tile the whole leaf.
    expect(region).to.deep.include({ width: 300, height: 200 });
    expect(region.items[0].items[0].body).to.deep.equal({ id: `http://guji.test/iiif/3/${sha}/100,150,300,200/300,200/0/default.jpg`, type: 'Image', format: 'image/jpeg', width: 300, height: 200 });
    expect(region.label).to.deep.equal({ 'zh-Hant': ['題名'] });
    expect(region.requiredStatement.value).to.deep.equal({ 'zh-Hans': ['资阳区图书馆藏'] });
    expect(region.homepage[0].id).to.match(/^http:\/\/guji\.test\/viewer\?iiif-content=[A-Za-z0-9_-]+$/);
    expect(other.items[0].items[0].body.id).to.equal(`${site.url}/iiif2/c1/10,10,100,100/100,100/0/default.jpg`);
    // The painted region is an image the image service really makes.
    const image = await fetch(`${server.url}/iiif/3/${sha}/100,150,300,200/300,200/0/default.jpg`);
    expect([image.status, image.headers.get('content-type')]).to.deep.equal([200, 'image/jpeg']);
    const problems = await officialPresentationProblems(manifest);
    if (problems) expect(problems).to.deep.equal([]);
  });
});

describe('the published exhibit page', function () {
  this.timeout(30_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    const admin = await withLibrary(server);
    await recordWithScan(server, admin, BOOK, path.join(demoScans, '1.png'), '1.png');
    await publish(server, BOOK, admin, admin);
    const hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const body = {
      slug: 'hostile', title: `湖湘${hostile}`, summary: hostile, credits: hostile, licence: CC_BY,
      sections: [{ title: hostile, text: hostile, items: [{ censusNumber: BOOK, canvas: 1, xywh: '1,2,3,4', caption: hostile, credit: hostile }] }],
    };
    expect((await server.call('POST', '/api/exhibits', { token: admin, body })).status).to.equal(201);
    await server.call('POST', '/api/exhibits/hostile/transitions', { token: admin, body: { action: 'submit' } });
    await server.call('POST', '/api/exhibits/hostile/transitions', { token: admin, body: { action: 'publish' } });
  });
  after(() => server?.close());

  it('is HTML rendered on the server, every curator\'s text escaped', async () => {
    const res = await fetch(`${server.url}/exhibits/hostile`);
    expect([res.status, res.headers.get('content-type')]).to.deep.equal([200, 'text/html; charset=utf-8']);
    const html = await res.text();
    expect(html).to.not.contain('<script>alert');
    expect(html).to.not.contain('<img src=x');
    expect(html).to.contain('<h1>湖湘&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</h1>');
    expect(html).to.contain('/1,2,3,4/!1600,1600/0/default.jpg 3w');
    // Served as every page is (StaticAssets.page): the site's head filled in, its files versioned.
    expect(html.split('<meta charset="utf-8">')).to.have.length(2);
    expect(html).to.match(/<link rel="stylesheet" href="\/site\.css\?v=[0-9a-f]{8}">/);
    expect(html).to.match(/<script type="module" src="\/exhibit\.js\?v=[0-9a-f]{8}">/);
    const again = await fetch(`${server.url}/exhibits/hostile`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).to.equal(304);
    // Other sites' images may show on this page alone; scripts still come from this site only.
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).to.contain("img-src 'self' https:");
    expect(csp).to.contain("script-src 'self';");
    expect(csp).to.contain("frame-ancestors 'none'");
  });

  it('answers 404 as a page for an exhibit that is not there or not published', async () => {
    for (const slug of ['nothing', 'Bad%20Slug', 'x'.repeat(200)]) {
      const res = await fetch(`${server.url}/exhibits/${slug}`);
      expect(res.status).to.equal(404);
      expect(await res.text()).to.contain('未找到此展览');
    }
  });
});

describe('reading other sites\' manifests', () => {
  const fetcher = new WebRemoteManifests({ timeoutMs: 2000, maxBytes: 100_000 });
  const refused = async (url: string) => {
    try {
      await fetcher.fetch(url);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error(`${url} was fetched`);
  };
  let site: { url: string; server: Server };
  before(async () => {
    site = await otherSite();
  });
  after(() => site.server.close());

  for (const url of ['http://127.0.0.1/', 'http://10.0.0.8/m.json', 'http://169.254.169.254/latest/meta-data/', 'http://192.168.1.1/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[fd00::1]/', 'http://0.0.0.0/']) {
    it(`refuses the private or special address ${url}`, async () => {
      expect(await refused(url)).to.match(/private or special-purpose address/);
    });
  }
  it('refuses a name that resolves to a loopback address, when it connects', async () => {
    expect(await refused(`http://localhost:${new URL(site.url).port}/v3.json`)).to.match(/resolves to a private or special-purpose address/);
  });
  it('refuses other schemes', async () => {
    expect(await refused('ftp://example.org/m.json')).to.match(/only http and https/);
  });
});
