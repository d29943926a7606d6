/**
 * IIIF Presentation 3.0 manifests and the collection through real HTTP, over pages ingested by
 * the real pipeline with 册, 卷 and leaf labels (as pages.csv gives them).
 * Where a copy of the official presentation validator's schema is at hand (IIIF_PRESENTATION_SCHEMA;
 * CI has none), every kind of document served is checked against it; these tests check besides
 * what it checks that matters to viewers, and what it does not.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { officialPresentationProblems } from '../support/iiif-schema.js';
import { publish } from '../support/texts.js';

const fixtures = path.resolve(import.meta.dirname, '../../src/demo/scans');
/** The service as the provider of its collections (src/iiif/manifest.ts siteProvider). */
const siteAgent = {
  id: 'http://guji.test/', type: 'Agent',
  label: { 'zh-Hans': ['资阳区古籍普查与数字化'], en: ['Census and digitization of classical Chinese books, 资阳区'] },
  homepage: [{ id: 'http://guji.test/', type: 'Text', label: { 'zh-Hans': ['资阳区古籍普查与数字化'], en: ['Census and digitization of classical Chinese books'] }, format: 'text/html' }],
};
const cn = '430000-0001-0000001';
const url = `http://guji.test/iiif/${cn}/manifest`;

describe('IIIF Presentation API', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;
  const manifest = async (token?: string) => {
    const res = await fetch(`${server.url}/iiif/${cn}/manifest`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { res, body: res.status === 200 ? ((await res.json()) as any) : null };
  };

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    await server.call('POST', '/api/records', {
      token: admin,
      body: {
        censusNumber: cn, callNumber: '善001', titleStatement: '欽定四庫全書簡明目錄二十卷', creatorStatement: '（清）永瑢等撰',
        editionStatement: '清乾隆間刻本', volumeCount: 2, holdingUnit: '0001', classification: '史部 目錄類', grade: '三级乙等',
        damage: { grade: '轻度', types: [] },
      },
    });
  });
  after(() => server.close());

  it('answers 404 for a record with no pages', async () => {
    expect((await manifest(admin)).res.status).to.equal(404);
  });

  describe('a digitized book', () => {
    before(async () => {
      const actor = { username: 'admin', role: 'admin' as const, unit: null };
      const file = (name: string, volume: string, juan: string, label: string) => ({
        filename: name, path: path.join(fixtures, name), bytes: statSync(path.join(fixtures, name)).size, volume, juan, label,
      });
      const { job, batch } = await server.services.scans.createJob(actor, cn, [
        file('1.png', '第一册', '聖諭', '葉一a'),
        file('2.png', '第一册', '卷一', '葉一a'),
        file('3.png', '第二册', '卷二', '葉一a'),
        file('10.png', '第二册', '卷二', '葉一b'),
      ], true);
      await server.services.scans.run(actor, job, batch);
    });

    it('is withheld from anonymous clients until the record is published', async () => {
      // The withheld form: pages behind the IIIF Authorization Flow, nothing of the catalogue
      // (test/integration/iiif-auth.test.ts).
      const hidden = await manifest();
      expect(hidden.res.status).to.equal(200);
      expect(hidden.body.label.en).to.deep.equal(['This book is not published yet']);
      expect(hidden.body).not.to.have.property('metadata');
      // One page, the first, to probe: not how many the book has.
      expect(hidden.body.items).to.have.length(1);
      expect(hidden.res.headers.get('access-control-allow-origin')).to.equal('*');
      await publish(server, cn, admin, admin);
      expect((await manifest()).res.status).to.equal(200);
    });

    it('is served as JSON-LD at its own id, right to left and paged', async () => {
      const { res, body } = await manifest();
      expect(res.headers.get('content-type')).to.equal('application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"');
      expect(res.headers.get('access-control-allow-origin')).to.equal('*');
      expect(body).to.deep.include({
        '@context': 'http://iiif.io/api/presentation/3/context.json', id: url, type: 'Manifest',
        viewingDirection: 'right-to-left', behavior: ['paged'], rights: 'http://creativecommons.org/publicdomain/mark/1.0/',
      });
      expect(body.label).to.deep.equal({ 'zh-Hant': ['欽定四庫全書簡明目錄二十卷'] });
      expect(body.summary['zh-Hant'][0]).to.equal('（清）永瑢等撰 清乾隆間刻本');
    });

    it('describes the record in Chinese and English, with who holds it and where its record is', async () => {
      const { body } = await manifest();
      const pairs = body.metadata.map((m: any) => [m.label['zh-Hans'][0], m.label.en[0], Object.values(m.value)[0]]);
      expect(pairs).to.deep.include.members([
        ['题名卷数', 'Title', ['欽定四庫全書簡明目錄二十卷']], ['著者', 'Creators', ['（清）永瑢等撰']], ['版本', 'Edition', ['清乾隆間刻本']],
        ['册数', 'Volumes', ['2']], ['收藏单位', 'Holding institution', ['资阳区图书馆']], ['分类', 'Classification', ['史部 目錄類']],
        ['定级', 'Grade', ['三级乙等']],
        // 清乾隆間: the copy's date as Western years, derived and labelled so, with no language.
        ['版本年代（公元，据版本推定）', 'Date of the copy (Western years, derived from the edition statement)', ['1736–1795']],
      ]);
      expect(body.metadata.find((m: any) => m.label.en[0].startsWith('Date of the copy')).value).to.deep.equal({ none: ['1736–1795'] });
      // Presentation 3.0 §3.3.1: an XSD dateTime in UTC, from the copy's first year.
      expect(body.navDate).to.equal('1736-01-01T00:00:00Z');
      expect(body.requiredStatement.value['zh-Hans']).to.deep.equal(['资阳区图书馆']);
      expect(body.provider[0]).to.deep.include({ type: 'Agent' });
      expect(body.homepage[0]).to.deep.include({ id: `http://guji.test/records/${cn}`, type: 'Text', format: 'text/html' });
      expect(body.seeAlso[0]).to.deep.include({ id: `http://guji.test/api/records/${cn}`, type: 'Dataset', format: 'application/json' });
      expect(body.thumbnail[0].service[0]).to.deep.equal({ id: `http://guji.test/iiif/3/${body.items[0].items[0].items[0].body.service[0].id.split('/').pop()}`, type: 'ImageService3', profile: 'level2' });
    });

    it('has a canvas per leaf, labelled, sized, painted by its image service', async () => {
      const { body } = await manifest();
      expect(body.items.map((c: any) => c.label)).to.deep.equal([
        { 'zh-Hant': ['聖諭 葉一a'] },
        { 'zh-Hant': ['卷一 葉一a'] },
        { 'zh-Hant': ['卷二 葉一a'] },
        { 'zh-Hant': ['卷二 葉一b'] },
      ]);
      const first = body.items[0];
      const annotation = first.items[0].items[0];
      expect(annotation).to.deep.include({ type: 'Annotation', motivation: 'painting', target: first.id });
      expect(annotation.body).to.deep.include({ type: 'Image', format: 'image/jpeg', width: first.width, height: first.height });
      expect(annotation.body.service[0].id).to.equal('http://guji.test/iiif/3/b7f90b9fbd3ca8d5d5293898c3e999aa73836c3a791055231a3ebe6a7431d4dc');
      // The painted image is a real image of the service, of the canvas's size.
      const image = await fetch(`${server.url}/iiif/3/b7f90b9fbd3ca8d5d5293898c3e999aa73836c3a791055231a3ebe6a7431d4dc/info.json`);
      const info = (await image.json()) as any;
      expect([info.width, info.height]).to.deep.equal([first.width, first.height]);
    });

    it('has 册 and 卷 as nested Ranges under a labelled root', async () => {
      const { body } = await manifest();
      const outline = (range: any): unknown =>
        range.type === 'Canvas' ? Number(range.id.split('/').pop()) : { [Object.values(range.label)[0] as string]: range.items.map(outline) };
      expect(body.structures.map(outline)).to.deep.equal([
        { 目录: [{ 第一册: [{ 聖諭: [1] }, { 卷一: [2] }] }, { 第二册: [{ 卷二: [3, 4] }] }] },
      ]);
    });

    it('dereferences its canvases and ranges: each id answers its JSON, with the context and its manifest', async () => {
      const { body } = await manifest();
      const volume = body.structures[0].items[0];
      for (const item of [body.items[1], body.structures[0], volume, volume.items[1]]) {
        const res = await fetch(item.id.replace('http://guji.test', server.url));
        expect(res.status, item.id).to.equal(200);
        expect(res.headers.get('content-type')).to.equal('application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"');
        expect(res.headers.get('access-control-allow-origin')).to.equal('*');
        expect(await res.json()).to.deep.equal({ '@context': 'http://iiif.io/api/presentation/3/context.json', ...item, partOf: [{ id: url, type: 'Manifest', label: body.label }] });
      }
      for (const missing of ['canvas/99', 'range/99', 'canvas/root']) expect((await fetch(`${server.url}/iiif/${cn}/${missing}`)).status, missing).to.equal(404);
    });

    it('changes its ETag when the record changes', async () => {
      const { res } = await manifest();
      const etag = res.headers.get('etag')!;
      expect((await fetch(`${server.url}/iiif/${cn}/manifest`, { headers: { 'if-none-match': etag } })).status).to.equal(304);
      const current = await server.call('GET', `/api/records/${cn}`, { token: admin });
      const { links, derived, status, version, createdAt, createdBy, updatedAt, updatedBy, pages, pageCount, ...fields } = current.body;
      await server.call('PUT', `/api/records/${cn}`, { token: admin, headers: { 'if-match': current.headers.get('etag')! }, body: { ...fields, extant: '存二十卷' } });
      const after = await manifest();
      expect(after.res.headers.get('etag')).not.to.equal(etag);
      expect(after.body.summary['zh-Hant'][0]).to.contain('存二十卷');
    });

    it('lays a handscroll out continuously and a Western binding left to right, unless the record says otherwise', async () => {
      const put = async (change: Record<string, unknown>) => {
        const current = await server.call('GET', `/api/records/${cn}`, { token: admin });
        const res = await server.call('PUT', `/api/records/${cn}`, { token: admin, headers: { 'if-match': current.headers.get('etag')! }, body: { ...current.body, ...change } });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        const { body } = await manifest();
        return { viewingDirection: body.viewingDirection, behavior: body.behavior, rights: body.rights };
      };
      const pd = 'http://creativecommons.org/publicdomain/mark/1.0/';
      expect(await put({ binding: '卷軸裝' })).to.deep.equal({ viewingDirection: 'right-to-left', behavior: ['continuous'], rights: pd });
      expect(await put({ binding: '平装' })).to.deep.equal({ viewingDirection: 'left-to-right', behavior: ['paged'], rights: pd });
      // A 民國 平装 book set vertically, with its own licence.
      // Written as the browser shows it (https), served as IIIF requires (http), kept as written.
      const cc0 = 'https://creativecommons.org/publicdomain/zero/1.0/';
      expect(await put({ presentation: { viewingDirection: 'right-to-left', rights: cc0 } }))
        .to.deep.equal({ viewingDirection: 'right-to-left', behavior: ['paged'], rights: 'http://creativecommons.org/publicdomain/zero/1.0/' });
      expect((await server.call('GET', `/api/records/${cn}`, { token: admin })).body.presentation.rights).to.equal(cc0);
      // A page on creativecommons.org that is not a licence is refused like any other URL.
      const about = await server.call('PUT', `/api/records/${cn}`, {
        token: admin, headers: { 'if-match': (await server.call('GET', `/api/records/${cn}`, { token: admin })).headers.get('etag')! },
        body: { ...(await server.call('GET', `/api/records/${cn}`, { token: admin })).body, presentation: { rights: 'https://creativecommons.org/about/cclicenses/' } },
      });
      expect(about.status).to.equal(400);
      expect(about.body.error.code).to.equal('validation_failed');
      expect(about.body.error.details).to.deep.equal([{ field: 'presentation.rights', problem: about.body.error.details[0].problem }]);
      expect(about.body.error.details[0].problem).to.contain('Creative Commons licence');
      const bad = await server.call('PUT', `/api/records/${cn}`, {
        token: admin, headers: { 'if-match': (await server.call('GET', `/api/records/${cn}`, { token: admin })).headers.get('etag')! },
        body: { ...(await server.call('GET', `/api/records/${cn}`, { token: admin })).body, presentation: { viewingDirection: 'sideways', rights: 'http://example.com/licence' } },
      });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.details.map((d: any) => d.field)).to.have.members(['presentation.viewingDirection', 'presentation.rights']);
      const { binding, presentation, ...rest } = (await server.call('GET', `/api/records/${cn}`, { token: admin })).body;
      expect(await put({ ...rest, binding: undefined, presentation: undefined })).to.deep.equal({ viewingDirection: 'right-to-left', behavior: ['paged'], rights: pd });
    });

    it('follows the structure set after ingest (PUT /api/records/{censusNumber}/structure)', async () => {
      const current = await server.call('GET', `/api/records/${cn}`, { token: admin });
      const ids = current.body.pages.map((p: any) => p.imageId);
      const body = {
        pages: [
          { imageId: ids[0], volume: '第一册', juan: '卷首', label: '聖諭' },
          { imageId: ids[1], volume: '第一册', juan: '卷一', label: '葉一a' },
          { imageId: ids[3], volume: '第一册', juan: '卷一', label: '葉一b' },
          { imageId: ids[2], volume: '第一册', juan: '卷一', label: '葉二a' },
        ],
      };
      const stale = await server.call('PUT', `/api/records/${cn}/structure`, { token: admin, headers: { 'if-match': '"v1"' }, body });
      expect(stale.status).to.equal(412);
      const bad = await server.call('PUT', `/api/records/${cn}/structure`, {
        token: admin, headers: { 'if-match': current.headers.get('etag')! }, body: { pages: [body.pages[0], body.pages[0]] },
      });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.details.map((d: any) => d.field)).to.have.members(['pages.1.imageId', 'pages']);
      const ok = await server.call('PUT', `/api/records/${cn}/structure`, { token: admin, headers: { 'if-match': current.headers.get('etag')! }, body });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
      const { body: m } = await manifest();
      const outline = (range: any): unknown =>
        range.type === 'Canvas' ? m.items.findIndex((c: any) => c.id === range.id) + 1 : { [Object.values(range.label)[0] as string]: range.items.map(outline) };
      expect(m.structures.map(outline)).to.deep.equal([{ 目录: [{ 第一册: [{ 卷首: [1] }, { 卷一: [2, 3, 4] }] }] }]);
      expect(m.items[2].items[0].items[0].body.service[0].id).to.contain(ids[3]);
      const history = (await server.call('GET', `/api/records/${cn}/history`, { token: admin })).body.entries;
      expect(history.at(-1).action).to.equal('structure');
      expect(m).not.to.have.property('start');
      expect(m.items.map((c: any) => c.behavior)).to.deep.equal([undefined, undefined, undefined, undefined]);
    });

    it('takes a canvas behaviour and the opening page from the structure (§3.4.1, §3.3.4)', async () => {
      const current = await server.call('GET', `/api/records/${cn}`, { token: admin });
      const pages = current.body.pages.map((p: any) => ({ imageId: p.imageId, volume: p.volume, juan: p.juan, label: p.label }));
      const put = (body: unknown) => server.call('PUT', `/api/records/${cn}/structure`, { token: admin, headers: { 'if-match': current.headers.get('etag')! }, body });
      // A fold-out chart out of the page turning, a spread scanned whole, the book opened at leaf 2.
      pages[0].behavior = 'non-paged';
      pages[3].behavior = 'facing-pages';
      pages[1].start = true;
      const twoStarts = await put({ pages: pages.map((p: any, i: number) => (i === 2 ? { ...p, start: true } : p)) });
      expect(twoStarts.status).to.equal(400);
      expect(twoStarts.body.error.details).to.deep.equal([{ field: 'pages.2.start', problem: 'only one page is where the book opens' }]);
      const wrong = await put({ pages: pages.map((p: any, i: number) => (i === 2 ? { ...p, behavior: 'paged', start: false } : p)) });
      expect(wrong.status).to.equal(400);
      expect(wrong.body.error.details.map((d: any) => d.field)).to.have.members(['pages.2.behavior', 'pages.2.start']);
      expect((await put({ pages })).status).to.equal(200);
      const { body: m } = await manifest();
      expect(m.items.map((c: any) => c.behavior)).to.deep.equal([['non-paged'], undefined, undefined, ['facing-pages']]);
      expect(m.start).to.deep.equal({ id: m.items[1].id, type: 'Canvas' });
      expect(m.behavior).to.deep.equal(['paged']);
      // The record's pages carry them (and structure sheets, which say nothing of them, keep them).
      const after = (await server.call('GET', `/api/records/${cn}`, { token: admin })).body.pages;
      expect(after.map((p: any) => [p.behavior, p.start])).to.deep.equal([['non-paged', undefined], [undefined, true], [undefined, undefined], ['facing-pages', undefined]]);
    });

    it('nests a table of contents (卷 › 篇, with authors) inside each 册, reopening a 卷 that runs on', async () => {
      const current = await server.call('GET', `/api/records/${cn}`, { token: admin });
      const ids = current.body.pages.map((p: any) => p.imageId);
      const page = (i: number, volume: string, juan: string, headings?: object[]) => ({ imageId: ids[i], volume, juan, label: null, ...(headings ? { headings } : {}) });
      const body = {
        pages: [
          page(0, '第一册', '卷一', [{ level: 1, title: '卷一' }, { level: 2, title: '進書表', author: '（清）永瑢' }]),
          page(1, '第一册', '卷一', [{ level: 2, title: '凡例' }]),
          page(2, '第二册', '卷一'),
          page(3, '第二册', '卷二', [{ level: 1, title: '卷二 經部', author: '（清）紀昀' }]),
        ],
      };
      const bad = await server.call('PUT', `/api/records/${cn}/structure`, {
        token: admin, headers: { 'if-match': current.headers.get('etag')! },
        body: { pages: [page(0, '一', '一', [{ level: 2, title: '篇' }, { level: 1, title: '卷' }]), ...body.pages.slice(1)] },
      });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.details.map((d: any) => d.field)).to.deep.equal(['pages.0.headings.1.level']);
      const ok = await server.call('PUT', `/api/records/${cn}/structure`, { token: admin, headers: { 'if-match': current.headers.get('etag')! }, body });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
      const { body: m } = await manifest();
      const outline = (range: any): unknown =>
        range.type === 'Canvas' ? m.items.findIndex((c: any) => c.id === range.id) + 1 : { [Object.values(range.label)[0] as string]: range.items.map(outline) };
      expect(m.structures.map(outline)).to.deep.equal([{
        目录: [
          { 第一册: [{ 卷一: [{ 進書表: [1] }, { 凡例: [2] }] }] },
          { 第二册: [{ 卷一: [{ 凡例: [3] }] }, { '卷二 經部': [4] }] },
        ],
      }]);
      const ranges = (r: any): any[] => (r.type === 'Range' ? [r, ...r.items.flatMap(ranges)] : []);
      const byLabel = Object.fromEntries(ranges(m.structures[0]).map((r) => [Object.values(r.label)[0], r]));
      expect(byLabel['進書表'].metadata).to.deep.equal([{ label: { 'zh-Hans': ['著者'], en: ['Creator'] }, value: { zh: ['（清）永瑢'] } }]);
      expect(byLabel['卷二 經部'].metadata[0].value).to.deep.equal({ 'zh-Hant': ['（清）紀昀'] });
      expect(byLabel['凡例']).not.to.have.property('metadata');
      // The records API gives the headings back with each page.
      const pages = (await server.call('GET', `/api/records/${cn}`, { token: admin })).body.pages;
      expect(pages[0].headings).to.deep.equal([{ level: 1, title: '卷一', author: null }, { level: 2, title: '進書表', author: '（清）永瑢' }]);
      expect(pages[2]).not.to.have.property('headings');
    });

    it('is listed in the collection of published, digitized records', async () => {
      await server.services.indexer.catchUp();
      const res = await fetch(`${server.url}/iiif/collection`);
      expect(res.headers.get('access-control-allow-origin')).to.equal('*');
      const collection = (await res.json()) as any;
      expect(collection).to.deep.include({ '@context': 'http://iiif.io/api/presentation/3/context.json', id: 'http://guji.test/iiif/collection', type: 'Collection' });
      // Summary, provider (the service, named by GUJI_SITE_NAME) and the first book's first page.
      expect(collection.summary.en[0]).to.equal('The published, digitized classical Chinese books of the 资阳区 census, one IIIF manifest each.');
      expect(collection.provider).to.deep.equal([siteAgent]);
      const { body } = await manifest();
      expect(collection.thumbnail).to.deep.equal(body.thumbnail);
      expect(collection.items).to.deep.equal([{ id: url, type: 'Manifest', label: { 'zh-Hant': ['欽定四庫全書簡明目錄二十卷'] } }]);
      expect((await fetch(`${server.url}/iiif/collection/2`)).status).to.equal(404);
    });

    it('serves documents the official IIIF 3.0 schema accepts: public and staff manifests, canvas, range, collection', async () => {
      const staff = (await manifest(admin)).body;
      const { body: open } = await manifest();
      const range = open.structures[0];
      const local = (id: string) => fetch(id.replace('http://guji.test', server.url)).then((r) => r.json());
      const documents: [string, unknown, ('canvas' | 'range')?][] = [
        ['public manifest', open],
        ['staff manifest', staff],
        ['canvas', await local(open.items[1].id), 'canvas'],
        ['range', await local(range.id), 'range'],
        ['collection', await local('http://guji.test/iiif/collection')],
      ];
      // What the schema is given carries what makes these documents differ from a bare book.
      expect(open).to.include.keys('rendering', 'navDate', 'provider', 'structures', 'seeAlso');
      for (const [name, document, asClass] of documents) {
        const problems = await officialPresentationProblems(document, asClass);
        if (problems) expect(problems, name).to.deep.equal([]);
      }
    });
  });

  describe('a handscroll wider than the image service\'s maxWidth', () => {
    const scroll = '430000-0001-0000021';
    let dir: string;
    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'guji-scroll-'));
      const file = path.join(dir, 'scroll.png');
      // 12000×1650, the scroll of issue 18: painted, so that the pyramid has something to keep.
      await sharp(path.join(fixtures, '1.png')).resize(12000, 1650, { fit: 'fill' }).png({ compressionLevel: 1 }).toFile(file);
      const made = await server.call('POST', '/api/records', {
        token: admin,
        body: { censusNumber: scroll, callNumber: '善021', titleStatement: '江山圖卷', editionStatement: '清乾隆間寫本', volumeCount: 1, holdingUnit: '0001', binding: '卷軸裝', grade: '三级乙等', damage: { grade: '轻度', types: [] } },
      });
      expect(made.status, JSON.stringify(made.body)).to.equal(201);
      const actor = { username: 'admin', role: 'admin' as const, unit: null };
      const { job, batch } = await server.services.scans.createJob(actor, scroll, [{ filename: 'scroll.png', path: file, bytes: statSync(file).size }], true);
      await server.services.scans.run(actor, job, batch);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('paints its canvas with the size its image URL answers (full/max within maxWidth), the canvas at the master\'s', async () => {
      const { body: m } = await (async () => {
        const res = await fetch(`${server.url}/iiif/${scroll}/manifest`, { headers: { authorization: `Bearer ${admin}` } });
        return { body: (await res.json()) as any };
      })();
      const canvas = m.items[0];
      const painted = canvas.items[0].items[0].body;
      expect([canvas.width, canvas.height]).to.deep.equal([12000, 1650]);
      expect([painted.width, painted.height]).to.deep.equal([10000, 1375]);
      const image = await fetch(painted.id.replace('http://guji.test', server.url), { headers: { authorization: `Bearer ${admin}` } });
      expect(image.status).to.equal(200);
      const answered = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
      expect([answered.width, answered.height]).to.deep.equal([painted.width, painted.height]);
    });
  });

  describe('a multi-volume work digitized as separate records', () => {
    const work = '資治通鑑-同治江蘇書局';
    const parts = ['430000-0001-0000012', '430000-0001-0000011'];
    before(async () => {
      const actor = { username: 'admin', role: 'admin' as const, unit: null };
      for (const [i, part] of parts.entries()) {
        await server.call('POST', '/api/records', {
          token: admin,
          body: {
            censusNumber: part, callNumber: `善01${i}`, titleStatement: '資治通鑑二百九十四卷', editionStatement: '清同治十年（1871）江蘇書局刻本',
            volumeCount: 1, extant: i === 0 ? '存卷十一至二十' : '存卷一至十', holdingUnit: '0001', grade: '三级乙等', damage: { grade: '轻度', types: [] },
            partOf: { work, sequence: 2 - i },
          },
        });
        const name = ['2.png', '3.png'][i]!;
        const { job, batch } = await server.services.scans.createJob(actor, part, [{ filename: name, path: path.join(fixtures, name), bytes: statSync(path.join(fixtures, name)).size }], true);
        await server.services.scans.run(actor, job, batch);
      }
      await server.services.indexer.catchUp();
    });

    it('is hidden until its parts are published, then lists them in order as a multi-part Collection', async () => {
      const collectionUrl = `/iiif/works/${encodeURIComponent(work)}`;
      expect((await fetch(server.url + collectionUrl)).status).to.equal(404);
      for (const part of parts) {
        await publish(server, part, admin, admin);
      }
      await server.services.indexer.catchUp();
      const res = await fetch(server.url + collectionUrl);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"');
      expect(res.headers.get('access-control-allow-origin')).to.equal('*');
      const { provider, thumbnail, ...collection } = (await res.json()) as any;
      expect(provider).to.deep.equal([siteAgent]);
      // The first part's first page (2.png, of 430000-0001-0000011).
      const first = (await server.call('GET', '/api/records/430000-0001-0000011')).body.pages[0].imageId;
      expect(thumbnail[0]).to.include({ type: 'Image', format: 'image/jpeg' });
      expect(thumbnail[0].service[0].id).to.equal(`http://guji.test/iiif/3/${first}`);
      expect(collection).to.deep.equal({
        '@context': 'http://iiif.io/api/presentation/3/context.json',
        id: `http://guji.test${collectionUrl}`,
        type: 'Collection',
        label: { 'zh-Hant': ['資治通鑑'] },
        summary: { 'zh-Hant': ['清同治十年（1871）江蘇書局刻本'] },
        behavior: ['multi-part'],
        viewingDirection: 'right-to-left',
        items: [
          { id: 'http://guji.test/iiif/430000-0001-0000011/manifest', type: 'Manifest', label: { 'zh-Hant': ['資治通鑑二百九十四卷 存卷一至十'] } },
          { id: 'http://guji.test/iiif/430000-0001-0000012/manifest', type: 'Manifest', label: { 'zh-Hant': ['資治通鑑二百九十四卷 存卷十一至二十'] } },
        ],
      });
      // Each part says which work it belongs to.
      const part = (await (await fetch(`${server.url}/iiif/430000-0001-0000011/manifest`)).json()) as any;
      expect(part.partOf).to.deep.equal([{ id: `http://guji.test${collectionUrl}`, type: 'Collection', label: { 'zh-Hant': ['資治通鑑'] } }]);
      for (const [name, document] of Object.entries({ 'multi-part collection': { provider, thumbnail, ...collection }, 'a part': part })) {
        const problems = await officialPresentationProblems(document);
        if (problems) expect(problems, name).to.deep.equal([]);
      }
      // Searchers can list a work's parts too.
      const search = await server.call('GET', `/api/search?work=${encodeURIComponent(work)}&sort=censusNumber`);
      expect(search.body.hits.map((h: any) => h.censusNumber)).to.deep.equal(['430000-0001-0000011', '430000-0001-0000012']);
      expect(search.body.facets).not.to.have.property('work');
      expect((await fetch(`${server.url}/iiif/works/no-such-work`)).status).to.equal(404);
    });

    it('refuses a work key that cannot name a URL, and a part number below 1', async () => {
      const res = await server.call('POST', '/api/records', {
        token: admin,
        body: {
          censusNumber: '430000-0001-0000013', callNumber: '善013', titleStatement: '資治通鑑二百九十四卷', editionStatement: '清刻本',
          volumeCount: 1, holdingUnit: '0001', partOf: { work: '資治/通鑑', sequence: 0 },
        },
      });
      expect(res.status).to.equal(400);
      expect(res.body.error.details.map((d: any) => d.field)).to.have.members(['partOf.work', 'partOf.sequence']);
    });
  });
});
