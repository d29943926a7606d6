/**
 * IIIF Change Discovery at /iiif/activity, the sitemaps and robots.txt, over real HTTP on a real
 * SQLite catalogue: a book digitized and published through the API is created, changed, withdrawn
 * and published again in the activity stream, and so are the collections it is listed in (a unit's,
 * a 四部 division's, a multi-part work's); full pages never change as the stream grows; the
 * sitemaps list every published record's page once and nothing else.
 */
import { expect } from 'chai';
import path from 'node:path';
import type { CensusRecord } from '../../src/domain/census-record.js';
import { DISCOVERY_CONTEXT } from '../../src/iiif/activity.js';
import { DiscoveryService } from '../../src/services/discovery-service.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { entryOf, recordOf } from '../support/records.js';
import { demoScans, recordWithScan } from '../support/scans.js';

const CONTENT_TYPE = `application/ld+json;profile="${DISCOVERY_CONTEXT}"`;

describe('IIIF Change Discovery, sitemaps and robots.txt', function () {
  this.timeout(120_000);
  let server: TestServer;
  let admin: string;

  const get = async (pathname: string, headers: Record<string, string> = {}) => {
    const res = await fetch(server.url + pathname, { headers });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null };
  };
  const put = async (record: CensusRecord, at: string, expected?: number) => {
    const entry = { ...entryOf(record), at };
    if (expected === undefined) await server.store.records.create(record, entry);
    else await server.store.records.replace(record, expected, entry);
  };
  const transition = async (cn: string, action: string, comment?: string) => {
    const res = await server.call('POST', `/api/records/${cn}/transitions`, { token: admin, body: { action, ...(comment ? { comment } : {}) } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  };

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
  });
  after(() => server.close());

  describe('/iiif/activity', () => {
    it('tells the life of a digitized book and its collections: Create when published, Update on new pages, Delete when withdrawn, Create again', async () => {
      const cn = '430000-0001-0000101';
      await recordWithScan(server, admin, cn, path.join(demoScans, '1.png'), '1.png');
      // Unpublished books are no one's business.
      expect((await get('/iiif/activity')).json.totalItems).to.equal(0);
      for (const action of ['submit', 'approve', 'publish']) await transition(cn, action);
      // A published record without scans has no manifest, and no activity.
      await put(recordOf('430000-0001-0000102', {}, 'published'), new Date().toISOString());
      const form = new FormData();
      form.append('files', new Blob([await (await import('node:fs/promises')).readFile(path.join(demoScans, '2.png'))]), '2.png');
      const upload = await fetch(`${server.url}/api/records/${cn}/scans`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
      const { job } = (await upload.json()) as any;
      for (let i = 0; i < 400 && (await server.call('GET', `/api/jobs/${job.id}`, { token: admin })).body.status !== 'done'; i++) await new Promise((r) => setTimeout(r, 50));
      await transition(cn, 'withdraw', '影像次序有誤');
      await transition(cn, 'publish');

      const collection = await get('/iiif/activity', { origin: 'https://viewer.example' });
      expect(collection.status).to.equal(200);
      expect(collection.headers.get('content-type')).to.equal(CONTENT_TYPE);
      expect(collection.headers.get('access-control-allow-origin')).to.equal('*');
      expect(collection.json).to.deep.equal({
        '@context': DISCOVERY_CONTEXT,
        id: 'http://guji.test/iiif/activity',
        type: 'OrderedCollection',
        totalItems: 10,
        first: { id: 'http://guji.test/iiif/activity/page/0', type: 'OrderedCollectionPage' },
        last: { id: 'http://guji.test/iiif/activity/page/0', type: 'OrderedCollectionPage' },
      });
      const page = (await get('/iiif/activity/page/0')).json;
      expect(page.type).to.equal('OrderedCollectionPage');
      expect(page.partOf).to.deep.equal({ id: 'http://guji.test/iiif/activity', type: 'OrderedCollection' });
      expect(page).not.to.have.property('prev');
      expect(page).not.to.have.property('next');
      const manifest = `http://guji.test/iiif/${cn}/manifest`;
      // The collection of everything is made with its first member and answers empty: never deleted.
      // The unit's answers 404 while empty: deleted with its last member, made again with the next.
      const all = 'http://guji.test/iiif/collection';
      const unit = 'http://guji.test/iiif/units/430000-0001';
      expect(page.orderedItems.map((a: any) => [a.type, a.object.id, a.object.type])).to.deep.equal([
        ['Create', manifest, 'Manifest'], ['Create', all, 'Collection'], ['Create', unit, 'Collection'],
        ['Update', manifest, 'Manifest'],
        ['Delete', manifest, 'Manifest'], ['Update', all, 'Collection'], ['Delete', unit, 'Collection'],
        ['Create', manifest, 'Manifest'], ['Update', all, 'Collection'], ['Create', unit, 'Collection'],
      ]);
      const times = page.orderedItems.map((a: any) => a.endTime);
      for (const t of times) expect(t).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(times).to.deep.equal([...times].sort(), 'newest last');
      const preflight = await fetch(`${server.url}/iiif/activity/page/0`, {
        method: 'OPTIONS', headers: { origin: 'https://viewer.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
      });
      expect(preflight.status).to.equal(204);
      expect(preflight.headers.get('access-control-allow-origin')).to.equal('*');
      // What it points at is there: the manifest of the published book.
      expect((await get(`/iiif/${cn}/manifest`)).status).to.equal(200);
    });

    it('pages the stream with a fixed size: full pages never change as it grows, and the last one is linked', async () => {
      const size = 100;
      const before = (await get('/iiif/activity')).json.totalItems as number;
      for (let i = 0; i < 230; i++) {
        await put({ ...recordOf(`430000-0001-${String(1000 + i).padStart(7, '0')}`, {}, 'published'), pageCount: 3 }, new Date(Date.UTC(2026, 10, 30, 10, 0, 0) + i * 1000).toISOString());
      }
      const collection = (await get('/iiif/activity')).json;
      // Each: the manifest's Create, and an Update of the whole collection and the unit's.
      const total = before + 3 * 230;
      expect(collection.totalItems).to.equal(total);
      const lastPage = Math.ceil(total / size) - 1;
      expect(collection.last.id).to.equal(`http://guji.test/iiif/activity/page/${lastPage}`);
      const first = (await get('/iiif/activity/page/0')).json;
      expect(first.orderedItems).to.have.length(size);
      expect(first.next.id).to.equal('http://guji.test/iiif/activity/page/1');
      const last = (await get(`/iiif/activity/page/${lastPage}`)).json;
      expect(last.prev.id).to.equal(`http://guji.test/iiif/activity/page/${lastPage - 1}`);
      expect(last).not.to.have.property('next');
      expect(last.orderedItems).to.have.length(total - lastPage * size);
      // More activity: the full pages stay as they were, the new ones go at the end.
      for (let i = 0; i < 80; i++) {
        await put({ ...recordOf(`430000-0001-${String(2000 + i).padStart(7, '0')}`, {}, 'published'), pageCount: 1 }, new Date().toISOString());
      }
      expect((await get('/iiif/activity/page/0')).json).to.deep.equal({ ...first });
      const grown = (await get(`/iiif/activity/page/${lastPage}`)).json;
      expect(grown.orderedItems.slice(0, last.orderedItems.length)).to.deep.equal(last.orderedItems);
      expect(grown.next.id).to.equal(`http://guji.test/iiif/activity/page/${lastPage + 1}`);
      expect((await get('/iiif/activity')).json.totalItems).to.equal(total + 3 * 80);
      for (const missing of [`/iiif/activity/page/${lastPage + 5}`, '/iiif/activity/page/-1', '/iiif/activity/page/x', `/iiif/activity/page/${'9'.repeat(30)}`]) {
        expect((await get(missing)).status, missing).to.equal(404);
      }
    });
    it('tells of a unit\'s and a division\'s collections: made with their first book, updated when the unit is renamed, deleted with their last', async () => {
      const unit = '430000-0002';
      const cn = `${unit}-0000001`;
      const unitCollection = `http://guji.test/iiif/units/${unit}`;
      const division = `http://guji.test/iiif/divisions/${encodeURIComponent('經部')}`;
      const all = 'http://guji.test/iiif/collection';
      const manifest = `http://guji.test/iiif/${cn}/manifest`;
      expect((await server.call('POST', '/api/units', { token: admin, body: { province: '430000', code: '0002', name: '益阳市图书馆' } })).status).to.equal(201);
      await recordWithScan(server, admin, cn, path.join(demoScans, '1.png'), '1.png', { holdingUnit: '0002', classification: '經部　易類　傳說之屬' });
      expect((await get(`/iiif/units/${unit}`)).status, 'no collection before its first published book').to.equal(404);
      const tail = async () => {
        const { totalItems } = (await get('/iiif/activity')).json;
        const items: any[] = [];
        for (let p = 0; p * 100 < totalItems; p++) items.push(...(await get(`/iiif/activity/page/${p}`)).json.orderedItems);
        expect(items).to.have.length(totalItems);
        return items;
      };
      const before = (await tail()).length;

      const allMade = (await tail()).some((a) => a.object.id === all);
      for (const action of ['submit', 'approve', 'publish']) await transition(cn, action);
      // The collections are read from the search index, which follows the writes.
      await server.services.indexer.catchUp();
      const shown = (await get(`/iiif/units/${unit}`)).json;
      expect(shown).to.include({ id: unitCollection, type: 'Collection' });
      expect(shown.label).to.deep.equal({ 'zh-Hans': ['益阳市图书馆'] });
      expect(shown.items.map((i: any) => i.id)).to.deep.equal([manifest]);
      expect(shown.provider[0].id).to.equal(`http://guji.test/api/units/${unit}`);
      expect((await get('/iiif/divisions/經部')).json.items.map((i: any) => i.id)).to.deep.equal([manifest]);
      expect((await get('/iiif/divisions/史部')).status, 'a division without books').to.equal(404);
      // A renaming changes the unit collection's label; an address is not shown in it.
      expect((await server.call('PATCH', `/api/units/${unit}`, { token: admin, body: { name: '益阳市图书馆（古籍部）' } })).status).to.equal(200);
      expect((await server.call('PATCH', `/api/units/${unit}`, { token: admin, body: { address: '益阳市赫山区' } })).status).to.equal(200);
      expect((await get(`/iiif/units/${unit}`)).json.label).to.deep.equal({ 'zh-Hans': ['益阳市图书馆（古籍部）'] });
      await transition(cn, 'withdraw', '题名有誤');
      await server.services.indexer.catchUp();
      expect((await get(`/iiif/units/${unit}`)).status, 'gone with its last book').to.equal(404);
      expect((await get('/iiif/divisions/經部')).status).to.equal(404);

      const items = await tail();
      expect(items.slice(before).map((a: any) => [a.type, a.object.id, a.object.type])).to.deep.equal([
        ['Create', manifest, 'Manifest'], [allMade ? 'Update' : 'Create', all, 'Collection'], ['Create', unitCollection, 'Collection'], ['Create', division, 'Collection'],
        ['Update', unitCollection, 'Collection'],
        ['Delete', manifest, 'Manifest'], ['Update', all, 'Collection'], ['Delete', unitCollection, 'Collection'], ['Delete', division, 'Collection'],
      ]);
      // (The test before wrote records with made-up past times: only these are in real time.)
      const times = items.slice(before).map((a: any) => a.endTime);
      for (const t of times) expect(t).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(times).to.deep.equal([...times].sort(), 'newest last');
      // Derived from the stored log and units alone: a service started afresh on the same
      // catalogue (a restart) tells the same story, page for page.
      const fresh = new DiscoveryService(server.store, { baseUrl: 'http://guji.test' });
      const { totalItems, last } = (await get('/iiif/activity')).json;
      expect(await fresh.activity()).to.deep.equal((await get('/iiif/activity')).json);
      for (let p = 0; p * 100 < totalItems; p++) expect(await fresh.activityPage(p), `page ${p}`).to.deep.equal((await get(`/iiif/activity/page/${p}`)).json);
      expect(last.id).to.equal(`http://guji.test/iiif/activity/page/${Math.ceil(totalItems / 100) - 1}`);
    });

    it('tells of a multi-part work\'s collection: made with its first published volume, updated as volumes join or leave (partOf edited too), deleted with its last', async () => {
      const [cn1, cn2] = ['430000-0001-0000201', '430000-0001-0000202'];
      const [first, second] = ['資治通鑑-同治江蘇書局', '資治通鑑-胡刻本'];
      const work = (key: string) => `http://guji.test/iiif/works/${encodeURIComponent(key)}`;
      const manifest = (cn: string) => `http://guji.test/iiif/${cn}/manifest`;
      const volume = (cn: string, partOf: { work: string; sequence: number }) => ({
        censusNumber: cn, callNumber: '1', titleStatement: '資治通鑑二百九十四卷', editionStatement: '清同治八年江蘇書局刻本', volumeCount: 1,
        holdingUnit: '0001', grade: '普通古籍', damage: { grade: '轻度', types: [] }, partOf,
      });
      await recordWithScan(server, admin, cn1, path.join(demoScans, '1.png'), '1.png', volume(cn1, { work: first, sequence: 1 }));
      await recordWithScan(server, admin, cn2, path.join(demoScans, '2.png'), '2.png', volume(cn2, { work: first, sequence: 2 }));
      const stream = async () => {
        const { totalItems } = (await get('/iiif/activity')).json;
        const items: any[] = [];
        for (let p = 0; p * 100 < totalItems; p++) items.push(...(await get(`/iiif/activity/page/${p}`)).json.orderedItems);
        return items;
      };
      const before = (await stream()).length;
      const shown = async (key: string) => {
        await server.services.indexer.catchUp();
        const res = await get(`/iiif/works/${encodeURIComponent(key)}`);
        return res.status === 200 ? res.json.items.map((i: any) => i.id) : res.status;
      };
      expect(await shown(first), 'no collection before its first published volume').to.equal(404);

      for (const action of ['submit', 'approve', 'publish']) await transition(cn1, action);
      expect(await shown(first)).to.deep.equal([manifest(cn1)]);
      for (const action of ['submit', 'approve', 'publish']) await transition(cn2, action);
      expect(await shown(first)).to.deep.equal([manifest(cn1), manifest(cn2)]);
      await transition(cn1, 'withdraw', '分冊有誤');
      expect(await shown(first)).to.deep.equal([manifest(cn2)]);
      // The published volume is found to be of another edition: its partOf is edited.
      const etag = (await fetch(`${server.url}/api/records/${cn2}`, { headers: { authorization: `Bearer ${admin}` } })).headers.get('etag')!;
      const moved = await server.call('PUT', `/api/records/${cn2}`, { token: admin, headers: { 'if-match': etag }, body: volume(cn2, { work: second, sequence: 1 }) });
      expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
      expect(await shown(first), 'gone with its last volume').to.equal(404);
      expect(await shown(second)).to.deep.equal([manifest(cn2)]);
      await transition(cn2, 'withdraw', '版本待考');
      expect(await shown(second)).to.equal(404);

      // The whole catalogue's and the unit's collections are told of as before; here, the volumes and works.
      const ours = new Set([manifest(cn1), manifest(cn2), work(first), work(second)]);
      const items = (await stream()).slice(before);
      expect(items.filter((a) => ours.has(a.object.id)).map((a: any) => [a.type, a.object.id, a.object.type])).to.deep.equal([
        ['Create', manifest(cn1), 'Manifest'], ['Create', work(first), 'Collection'],
        ['Create', manifest(cn2), 'Manifest'], ['Update', work(first), 'Collection'],
        ['Delete', manifest(cn1), 'Manifest'], ['Update', work(first), 'Collection'],
        ['Update', manifest(cn2), 'Manifest'], ['Delete', work(first), 'Collection'], ['Create', work(second), 'Collection'],
        ['Delete', manifest(cn2), 'Manifest'], ['Delete', work(second), 'Collection'],
      ]);
      // Told from the stored log: a service started afresh on the same catalogue tells the same story.
      const fresh = new DiscoveryService(server.store, { baseUrl: 'http://guji.test' });
      const { totalItems } = (await get('/iiif/activity')).json;
      expect(await fresh.activity()).to.deep.equal((await get('/iiif/activity')).json);
      for (let p = 0; p * 100 < totalItems; p++) expect(await fresh.activityPage(p), `page ${p}`).to.deep.equal((await get(`/iiif/activity/page/${p}`)).json);
    });
  });

  describe('sitemaps and robots.txt', () => {
    it('lists every published record page once, with its last change, and no other', async () => {
      const index = await get('/sitemap.xml');
      expect(index.status).to.equal(200);
      expect(index.headers.get('content-type')).to.equal('application/xml; charset=utf-8');
      const parts = [...index.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
      expect(parts).to.deep.equal(['http://guji.test/sitemap-1.xml']);
      const part = await get('/sitemap-1.xml');
      expect(part.text).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
      const listed = [...part.text.matchAll(/<url><loc>http:\/\/guji\.test\/records\/([^<]+)<\/loc><lastmod>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)<\/lastmod><\/url>/g)].map((m) => m[1]!);
      const published = (await server.call('GET', '/api/records?status=published&pageSize=200', { token: admin })).body;
      const all: string[] = [];
      for (let p = 1; p <= Math.ceil(published.total / 200); p++) {
        all.push(...(await server.call('GET', `/api/records?status=published&pageSize=200&page=${p}`, { token: admin })).body.records.map((r: any) => r.censusNumber));
      }
      expect(all.length).to.be.greaterThan(300);
      expect(listed).to.deep.equal([...all].sort());
      expect(new Set(listed).size).to.equal(listed.length);
      expect((await get('/sitemap-2.xml')).status).to.equal(404);
    });

    it('leaves out drafts and withdrawn records, and splits into parts of the configured size', async () => {
      await put(recordOf('430000-0001-0009001', {}, 'draft'), new Date().toISOString());
      await put(recordOf('430000-0001-0009002', {}, 'published'), new Date().toISOString());
      await put(recordOf('430000-0001-0009002', {}, 'approved', 2), new Date().toISOString(), 1);
      const text = (await get('/sitemap-1.xml')).text;
      expect(text).not.to.include('430000-0001-0009001');
      expect(text).not.to.include('430000-0001-0009002');
      // Parts of 50,000 in service; the split is the same at 100.
      const service = new DiscoveryService(server.store, { baseUrl: 'http://guji.test', sitemapPartSize: 100 });
      const total = await server.store.records.countPublicRecords({ deleted: false });
      const index = await service.sitemapIndex();
      expect([...index.matchAll(/<sitemap>/g)]).to.have.length(Math.ceil(total / 100));
      const urls: string[] = [];
      for (let p = 1; p <= Math.ceil(total / 100); p++) urls.push(...[...(await service.sitemap(p)).matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!));
      expect(urls).to.have.length(total);
      expect(new Set(urls).size).to.equal(total);
      expect(urls.join('\n')).to.equal([...text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!).join('\n'));
    });

    it('lets crawlers read the public pages and keeps them out of the API, staff pages and image tiles', async () => {
      const robots = await get('/robots.txt');
      expect(robots.status).to.equal(200);
      expect(robots.headers.get('content-type')).to.equal('text/plain; charset=utf-8');
      const lines = robots.text.split('\n');
      for (const line of ['User-agent: *', 'Disallow: /api/', 'Allow: /api/records/', 'Disallow: /iiif/3/', 'Disallow: /admin', 'Disallow: /account', 'Disallow: /records/*/edit', 'Sitemap: http://guji.test/sitemap.xml']) {
        expect(lines).to.include(line);
      }
      expect(lines).not.to.include('Disallow: /');
    });
  });
});
