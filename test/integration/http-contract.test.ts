/**
 * The HTTP contract (src/http/): the OpenAPI description names every route the app serves, and
 * what real requests get back fits the answer schemas it documents; conditional GETs.
 */
import { expect } from 'chai';
import path from 'node:path';
import { createApp } from '../../src/app.js';
import { DEFAULT_INPUT_LIMITS } from '../../src/config.js';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import { appRoutes } from '../support/app-routes.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';
import { schemaProblems } from '../support/json-schema.js';
import { vocabulary } from '../support/records.js';
import { demoScans, recordWithScan } from '../support/scans.js';
import { publish } from '../support/texts.js';

describe('HTTP contract', () => {
  let server: TestServer;
  let admin: string;
  let spec: any;
  const scanned = '430000-0001-0000007';

  before(async () => {
    server = await startTestServer();
    admin = await server.login('admin', ADMIN_PASSWORD);
    await server.call('POST', '/api/units', { token: admin, body: { province: '110000', code: '0101', name: '國家圖書館' } });
    await server.call('POST', '/api/units', { token: admin, body: { province: '430000', code: '0001', name: '资阳区图书馆' } });
    for (const record of REAL_RECORDS.slice(0, 3)) {
      await server.call('POST', '/api/records', { token: admin, body: record });
      await publish(server, record.censusNumber, admin, admin);
    }
    await recordWithScan(server, admin, scanned, path.join(demoScans, '1.png'), '卷一-001.png');
    await publish(server, scanned, admin, admin);
    await server.services.indexer.catchUp();
    spec = (await server.call('GET', '/api/openapi.json')).body;
  });
  after(() => server.close());

  it('describes every API and IIIF route the app registers, and none it does not', () => {
    const app = createApp(server.services, {
      publicBaseUrl: 'http://guji.test', vocabulary, maxScanBytes: 2 ** 20, maxSheetBytes: 2 ** 20, inputLimits: DEFAULT_INPUT_LIMITS,
    });
    // The pages (/stats, /records/{censusNumber} …) and vendored viewers are HTML, not the API.
    const served = appRoutes(app).filter((r) => /^\w+ \/(api|iiif|health)\b/.test(r));
    const documented = Object.entries(spec.paths as Record<string, object>)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(served).to.include('GET /api/records/{censusNumber}/structure/sheets/{sheet}.{format}');
    expect(served.length).to.be.greaterThan(30);
    expect([...new Set(served)].sort()).to.deep.equal([...documented].sort());
  });

  const answers: [string, string, string, boolean, string?][] = [
    ['GET /api/records', '/api/records', 'RecordList', false],
    ['GET /api/records', '/api/records?pageSize=2&sort=-updatedAt', 'RecordList (staff, with actions)', true],
    ['GET /api/records/{censusNumber}', `/api/records/${scanned}`, 'RecordDetail with pages', true],
    ['GET /api/records/{censusNumber}', `/api/records/${REAL_RECORDS[0]!.censusNumber}`, 'RecordDetail', false],
    ['GET /api/records/{censusNumber}/history', `/api/records/${scanned}/history`, 'History', true],
    ['GET /api/search', `/api/search?q=${encodeURIComponent('四庫')}`, 'SearchResponse', false],
    ['GET /api/search', '/api/search?sort=censusNumber', 'SearchResponse (staff, browsing)', true],
    ['GET /api/units', '/api/units', 'UnitList (staff)', true],
    ['GET /api/users', '/api/users', 'UserList', true],
    ['GET /api/session', '/api/session', 'SessionUser', true],
    ['GET /api/jobs/{id}', '', 'IngestJob', true],
    ['GET /iiif/{censusNumber}/manifest', `/iiif/${scanned}/manifest`, 'Manifest', false, 'application/ld+json'],
    ['GET /iiif/collection', '/iiif/collection', 'Collection', false, 'application/ld+json'],
    ['GET /iiif/3/{imageId}/info.json', '', 'ImageInfo', false, 'application/ld+json'],
  ];

  /** The schema the description gives for a 200 of the operation. */
  const documentedAnswer = (operation: string, media = 'application/json') => {
    const [method, template] = operation.split(' ') as [string, string];
    return spec.paths[template][method.toLowerCase()].responses['200'].content[media].schema;
  };

  for (const [operation, url, what, staff, media] of answers) {
    it(`documents ${operation} so that a real answer fits: ${what}`, async () => {
      let target = url;
      if (operation === 'GET /api/jobs/{id}') {
        const form = new FormData();
        form.append('files', new Blob([Buffer.from('not an image')]), 'x.jpg');
        const upload = await fetch(`${server.url}/api/records/${scanned}/scans`, {
          method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form,
        });
        expect(upload.status).to.equal(202);
        const accepted = await upload.json();
        const documented = spec.paths['/api/records/{censusNumber}/scans'].post.responses['202'].content['application/json'].schema;
        expect(schemaProblems(accepted, documented, spec)).to.deep.equal([]);
        target = `/api/jobs/${(accepted as { job: { id: string } }).job.id}`;
      }
      if (operation === 'GET /iiif/3/{imageId}/info.json') {
        const [page] = (await server.call('GET', `/api/records/${scanned}`)).body.pages;
        target = `/iiif/3/${page.imageId}/info.json`;
      }
      const res = await server.call('GET', target, staff ? { token: admin } : {});
      expect(res.status).to.equal(200);
      // Lists must hold something for the check to mean anything.
      for (const key of ['records', 'hits', 'units', 'users', 'entries', 'items', 'files']) {
        if (key in res.body) expect(res.body[key], key).not.to.be.empty;
      }
      if (what === 'RecordDetail with pages') expect(res.body.pages).to.have.length(1);
      expect(schemaProblems(res.body, documentedAnswer(operation, media), spec)).to.deep.equal([]);
    });
  }

  it('catches an answer that strays from its schema', async () => {
    const res = await server.call('GET', '/api/records');
    const [first, ...rest] = res.body.records;
    const { links: _, ...withoutLinks } = first;
    const strayed = { ...res.body, records: [{ ...withoutLinks, status: 'lost', surplus: 1 }, ...rest] };
    expect(schemaProblems(strayed, documentedAnswer('GET /api/records'), spec)).to.have.members([
      '$.records[0]: lacks links',
      '$.records[0].status: "lost" is not one of ["draft","submitted","returned","approved","published"]',
      '$.records[0].surplus: no value is allowed',
    ]);
  });

  it('generates query parameters from the schemas the routes parse with', () => {
    const params = spec.paths['/api/records'].get.parameters;
    const pageSize = params.find((p: { name: string }) => p.name === 'pageSize');
    expect(pageSize).to.deep.include({ in: 'query', required: false });
    expect(pageSize.schema).to.include({ type: 'integer', maximum: 200, default: 20 });
    expect(params.find((p: { name: string }) => p.name === 'status').description).to.equal('Comma-separated values');
    const put = spec.paths['/api/records/{censusNumber}'].put;
    expect(put.parameters.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required])).to.deep.equal([
      ['censusNumber', 'path', true], ['If-Match', 'header', true],
    ]);
    expect(put.requestBody.content['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/RecordInput' });
  });

  describe('conditional GET', () => {
    const cn = REAL_RECORDS[0]!.censusNumber;
    const routes = [`/api/records/${cn}`, `/iiif/${scanned}/manifest`];

    for (const route of routes) {
      it(`answers ${route} 304 to its ETag alone, weak, in a list or *, and 200 to another`, async () => {
        const first = await fetch(server.url + route);
        const etag = first.headers.get('etag')!;
        const statusFor = async (ifNoneMatch: string) =>
          (await fetch(server.url + route, { headers: { 'if-none-match': ifNoneMatch } })).status;
        expect(await statusFor(etag)).to.equal(304);
        expect(await statusFor(`W/${etag}`)).to.equal(304);
        expect(await statusFor(`"other", ${etag}`)).to.equal(304);
        expect(await statusFor('*')).to.equal(304);
        expect(await statusFor('"other"')).to.equal(200);
        const notModified = await fetch(server.url + route, { headers: { 'if-none-match': etag } });
        expect(notModified.headers.get('etag')).to.equal(etag);
        expect(notModified.headers.get('cache-control')).to.equal(first.headers.get('cache-control'));
      });
    }
  });
});
