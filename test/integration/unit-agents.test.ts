/**
 * Collecting units as the providers of their manifests (IIIF Presentation 3.0 §3.3.2): their
 * own URL, home page, logo and ISIL, set by admins (PATCH /api/units/{key}) over real HTTP.
 */
import { expect } from 'chai';
import path from 'node:path';
import { LIBRARY, startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { demoScans, recordWithScan } from '../support/scans.js';
import { publish } from '../support/texts.js';

const CN = '430000-0001-0000001';
const KEY = `${LIBRARY.province}-${LIBRARY.code}`;

describe('collecting units as IIIF providers', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    await recordWithScan(server, admin, CN, path.join(demoScans, '1.png'), '1.png');
    await publish(server, CN, admin, admin);
  });
  after(() => server.close());

  it('names the unit by its own URL, which answers its record, before anything else is set', async () => {
    const { body } = await server.call('GET', `/iiif/${CN}/manifest`);
    expect(body.provider[0]).to.deep.include({ id: `http://guji.test/api/units/${KEY}`, type: 'Agent', label: { 'zh-Hans': ['资阳区图书馆'] } });
    expect(body.provider[0].homepage[0].id).to.equal('http://guji.test/');
    expect(body.provider[0]).not.to.have.property('logo');
    const unit = await server.call('GET', `/api/units/${KEY}`);
    expect(unit.status).to.equal(200);
    expect(unit.body).to.deep.equal({ province: '430000', code: '0001', name: '资阳区图书馆', kind: null, homepage: null, logo: null, identifier: null });
    expect(unit.headers.get('access-control-allow-origin')).to.equal('*');
    expect((await server.call('GET', '/api/units/430000-9999')).status).to.equal(404);
    expect((await server.call('GET', '/api/units/nonsense')).status).to.equal(404);
  });

  it('lets admins set the home page, logo and ISIL, and refuses others and bad values field by field', async () => {
    const change = { homepage: 'https://lib.ziyang.example/', logo: 'https://lib.ziyang.example/logo.png', identifier: 'CN-430902-1' };
    await server.call('POST', '/api/users', { token: admin, body: { username: 'reviewer', password: 'Heron-quarry-73', role: 'reviewer' } });
    const reviewer = await server.login('reviewer', 'Heron-quarry-73');
    expect((await server.call('PATCH', `/api/units/${KEY}`, { token: reviewer, body: change })).status).to.equal(403);
    expect((await server.call('PATCH', `/api/units/${KEY}`, { body: change })).status).to.equal(401);
    const bad = await server.call('PATCH', `/api/units/${KEY}`, { token: admin, body: { homepage: 'javascript:alert(1)', logo: 'logo.png', name: '  ' } });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('validation_failed');
    expect(bad.body.error.details.map((d: any) => d.field)).to.have.members(['homepage', 'logo', 'name']);
    const ok = await server.call('PATCH', `/api/units/${KEY}`, { token: admin, body: change });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect(ok.body).to.deep.include({ ...change, name: '资阳区图书馆' });

    const { body } = await server.call('GET', `/iiif/${CN}/manifest`);
    expect(body.provider).to.deep.equal([{
      id: `http://guji.test/api/units/${KEY}`, type: 'Agent', label: { 'zh-Hans': ['资阳区图书馆'] },
      homepage: [{ id: 'https://lib.ziyang.example/', type: 'Text', label: { 'zh-Hans': ['资阳区图书馆'] }, format: 'text/html' }],
      logo: [{ id: 'https://lib.ziyang.example/logo.png', type: 'Image', format: 'image/png' }],
      seeAlso: [{ id: `http://guji.test/api/units/${KEY}`, type: 'Dataset', format: 'application/json', label: { 'zh-Hans': ['收藏单位登记 CN-430902-1'], en: ['Collecting unit record CN-430902-1'] } }],
    }]);
    // null clears a field; the manifest's ETag changes with its provider.
    const etag = (await fetch(`${server.url}/iiif/${CN}/manifest`)).headers.get('etag')!;
    expect((await server.call('PATCH', `/api/units/${KEY}`, { token: admin, body: { logo: null } })).body.logo).to.equal(null);
    expect((await server.call('GET', `/iiif/${CN}/manifest`)).body.provider[0]).not.to.have.property('logo');
    expect((await fetch(`${server.url}/iiif/${CN}/manifest`, { headers: { 'if-none-match': etag } })).status).to.equal(200);
  });
});
