/**
 * The IIIF Authorization Flow 2.0 (and Authentication 1.0 beside it) over real HTTP, on a draft
 * whose scan went in through the upload path: what anonymous clients get (401s that say why, a
 * withheld manifest), the cookie the access window sets, the token page's messages, the access
 * token on the probe and info.json, and that signing out ends all of it.
 */
import { expect } from 'chai';
import path from 'node:path';
import { ADMIN_PASSWORD, startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { officialPresentationProblems } from '../support/iiif-schema.js';
import { demoScans, recordWithScan } from '../support/scans.js';
import { publish } from '../support/texts.js';

const IMAGE = 'b7f90b9fbd3ca8d5d5293898c3e999aa73836c3a791055231a3ebe6a7431d4dc';
const DRAFT = '430000-0001-0000001';
const ORIGIN = 'http://guji.test';

/** The message the token page posts, and where to (read from the page as its script does). */
function tokenPage(html: string): { origin: string; message: any } {
  const attr = (name: string) => {
    const raw = new RegExp(`data-${name}="([^"]*)"`).exec(html)?.[1];
    if (raw === undefined) throw new Error(`no data-${name} in ${html}`);
    return raw.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  };
  return { origin: attr('origin'), message: JSON.parse(attr('message')) };
}

describe('IIIF Authorization Flow for unpublished scans', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;
  const get = (p: string, headers: Record<string, string> = {}) => fetch(`${server.url}${p}`, { headers, redirect: 'manual' });
  const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const probe = async (headers: Record<string, string> = {}) => {
    const res = await get(`/iiif/auth/probe/${IMAGE}`, headers);
    expect(res.status).to.equal(200);
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    return (await res.json()) as any;
  };
  /** Signs a staff session into the viewer as the access window does; gives the session and the cookie. */
  const viewerSession = async () => {
    const session = await server.login('admin', ADMIN_PASSWORD);
    const res = await fetch(`${server.url}/iiif/auth/cookie`, { method: 'POST', headers: { authorization: `Bearer ${session}` } });
    expect(res.status).to.equal(204);
    return { session, cookie: cookieOf(res), setCookie: res.headers.get('set-cookie')! };
  };
  const token = async (cookie: string | null, origin = ORIGIN) => {
    const res = await get(`/iiif/auth/token?messageId=m1&origin=${encodeURIComponent(origin)}`, cookie ? { cookie } : {});
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-security-policy')).to.contain("frame-ancestors 'self'");
    return tokenPage(await res.text());
  };

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    await recordWithScan(server, admin, DRAFT, path.join(demoScans, '1.png'), '1.png');
  });
  after(() => server.close());

  it('answers anonymous clients 401 with the 1.0 login service in info.json, and the 2.0 probe in the manifest', async () => {
    const res = await get(`/iiif/3/${IMAGE}/info.json`);
    expect(res.status).to.equal(401);
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    expect(res.headers.get('cache-control')).to.equal('private, no-cache');
    const info = (await res.json()) as any;
    expect(info.width).to.be.a('number');
    // Only services with a profile: Mirador 3 fails on any other in info.json.
    expect(info.service).to.have.length(1);
    const [login] = info.service;
    expect(login).to.include({ '@id': `${ORIGIN}/iiif/auth/access`, profile: 'http://iiif.io/api/auth/1/login', header: '此书尚未发布 / This book is not published yet' });
    expect(login.service.map((s: any) => s.profile)).to.deep.equal(['http://iiif.io/api/auth/1/token', 'http://iiif.io/api/auth/1/logout']);
    const body = (await get(`/iiif/${DRAFT}/manifest`).then((r) => r.json()) as any).items[0].items[0].items[0].body;
    expect(body.service[0]).to.include({ id: `${ORIGIN}/iiif/3/${IMAGE}`, type: 'ImageService3' });
    expect(body.service[0].service).to.deep.equal([login]);
    const probeService = body.service[1];
    expect(probeService).to.include({ id: `${ORIGIN}/iiif/auth/probe/${IMAGE}`, type: 'AuthProbeService2' });
    const accessService = probeService.service[0];
    expect(accessService).to.include({ id: `${ORIGIN}/iiif/auth/access`, type: 'AuthAccessService2', profile: 'active' });
    expect(accessService.heading.en[0]).to.equal('This book is not published yet');
    expect(accessService.service.map((s: any) => s.type)).to.deep.equal(['AuthAccessTokenService2', 'AuthLogoutService2']);
    // The pixels too: 401 that says how to sign in, not a 404.
    const tile = await get(`/iiif/3/${IMAGE}/0,0,512,512/512,/0/default.jpg`);
    expect(tile.status).to.equal(401);
    expect(((await tile.json()) as any).error.code).to.equal('unauthenticated');
  });

  it('probes to 401 with a heading and note saying why, and 200 for staff', async () => {
    const anonymous = await probe();
    expect(anonymous).to.deep.include({ '@context': 'http://iiif.io/api/auth/2/context.json', type: 'AuthProbeResult2', status: 401 });
    expect(anonymous.heading['zh-Hans'][0]).to.equal('此书尚未发布');
    expect(anonymous.note.en[0]).to.contain('sign in');
    expect((await probe({ authorization: `Bearer ${admin}` })).status).to.equal(200);
    expect((await get('/iiif/auth/probe/0000000000000000000000000000000000000000000000000000000000000000')).status).to.equal(404);
  });

  it('sets an HttpOnly, SameSite=Strict cookie for /iiif from a staff session, and never from the cookie alone', async () => {
    const { setCookie, cookie } = await viewerSession();
    expect(setCookie).to.match(/^guji-iiif=[^;]+; Path=\/iiif; HttpOnly; SameSite=Strict$/);
    expect((await fetch(`${server.url}/iiif/auth/cookie`, { method: 'POST' })).status).to.equal(401);
    expect((await fetch(`${server.url}/iiif/auth/cookie`, { method: 'POST', headers: { cookie } })).status).to.equal(401);
  });

  it('posts an access token to this site only, and says why when there is none', async () => {
    const none = await token(null);
    expect(none.origin).to.equal(ORIGIN);
    expect(none.message).to.include({ type: 'AuthAccessTokenError2', profile: 'missingAspect', messageId: 'm1', error: 'missingCredentials' });
    const { cookie } = await viewerSession();
    const elsewhere = await token(cookie, 'https://evil.example');
    expect(elsewhere.message).to.include({ type: 'AuthAccessTokenError2', profile: 'invalidOrigin' });
    expect(elsewhere.message).not.to.have.property('accessToken');
    const granted = await token(cookie);
    expect(granted.message).to.include({ '@context': 'http://iiif.io/api/auth/2/context.json', type: 'AuthAccessToken2', messageId: 'm1', expiresIn: 3600 });
    expect(granted.message.accessToken).to.match(/^iiif\./);
    // A token page asked without its parameters is a 400 that says what is missing.
    const bad = await get('/iiif/auth/token');
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as any).error.code).to.equal('invalid_token_request');
  });

  it('opens the probe, info.json, images and the manifest to the token and the cookie, and nothing else', async () => {
    const { cookie } = await viewerSession();
    const { accessToken } = (await token(cookie)).message;
    expect((await probe({ authorization: `Bearer ${accessToken}` })).status).to.equal(200);
    const info = await get(`/iiif/3/${IMAGE}/info.json`, { authorization: `Bearer ${accessToken}` });
    expect(info.status).to.equal(200);
    // Staff still see the service, so that the viewer offers its sign-out.
    expect(((await info.json()) as any).service[0].profile).to.equal('http://iiif.io/api/auth/1/login');
    expect((await get(`/iiif/3/${IMAGE}/0,0,512,512/512,/0/default.jpg`, { cookie })).status).to.equal(200);
    const manifest = await get(`/iiif/${DRAFT}/manifest`, { cookie });
    expect(manifest.status).to.equal(200);
    expect(((await manifest.json()) as any).label).to.deep.equal({ 'zh-Hant': ['欽定四庫全書簡明目錄二十卷'] });
    // The access token is for /iiif reads: the API does not take it.
    expect((await server.call('GET', `/api/records/${DRAFT}`, { token: accessToken })).status).to.equal(401);
  });

  it('gives anonymous clients a withheld manifest: the pages behind sign-in and nothing of the catalogue', async () => {
    const res = await get(`/iiif/${DRAFT}/manifest`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.equal('private, no-cache');
    const staff = await get(`/iiif/${DRAFT}/manifest`, { authorization: `Bearer ${admin}` });
    expect(res.headers.get('etag')).not.to.equal(staff.headers.get('etag'));
    const m = (await res.json()) as any;
    expect(m.label.en).to.deep.equal(['This book is not published yet']);
    expect(JSON.stringify(m)).not.to.contain('欽定');
    for (const key of ['metadata', 'structures', 'homepage', 'seeAlso', 'provider', 'requiredStatement']) expect(m).not.to.have.property(key);
    expect(m.items).to.have.length(1);
    expect(m.items[0].label).to.deep.equal({ none: ['1'] });
    expect(m.items[0].items[0].items[0].body.service[1].type).to.equal('AuthProbeService2');
    // Both, with their Authorization Flow services, are manifests the official schema accepts.
    for (const [name, document] of [['withheld', m], ['staff draft', await staff.clone().json()]] as const) {
      const problems = await officialPresentationProblems(document);
      if (problems) expect(problems, name).to.deep.equal([]);
    }
    // A record with no scans, or none at all, stays a 404 to them.
    expect((await get('/iiif/430000-0001-0000009/manifest')).status).to.equal(404);
    // Its ETag is of what it shows: an edit to the draft does not change it (the public cannot
    // watch a draft's edits), while the staff's manifest changes.
    const current = await server.call('GET', `/api/records/${DRAFT}`, { token: admin });
    const { links, derived, status, version, createdAt, createdBy, updatedAt, updatedBy, pages, pageCount, ...fields } = current.body;
    const edited = await server.call('PUT', `/api/records/${DRAFT}`, { token: admin, headers: { 'if-match': current.headers.get('etag')! }, body: { ...fields, extant: '存二十卷' } });
    expect(edited.status, JSON.stringify(edited.body)).to.equal(200);
    expect((await get(`/iiif/${DRAFT}/manifest`)).headers.get('etag')).to.equal(res.headers.get('etag'));
    expect((await get(`/iiif/${DRAFT}/manifest`, { authorization: `Bearer ${admin}` })).headers.get('etag')).not.to.equal(staff.headers.get('etag'));
  });

  it('ends the viewer\'s access when the staff session ends, and on the logout service', async () => {
    const { session, cookie } = await viewerSession();
    const { accessToken } = (await token(cookie)).message;
    expect((await server.call('DELETE', '/api/session', { token: session })).status).to.equal(204);
    expect((await probe({ authorization: `Bearer ${accessToken}` })).status).to.equal(401);
    expect((await get(`/iiif/3/${IMAGE}/info.json`, { cookie })).status).to.equal(401);
    expect(((await get(`/iiif/${DRAFT}/manifest`, { cookie }).then((r) => r.json())) as any).label.en).to.deep.equal(['This book is not published yet']);
    expect((await token(cookie)).message.profile).to.equal('missingAspect');
    const logout = await get('/iiif/auth/logout');
    expect(logout.status).to.equal(200);
    expect(logout.headers.get('set-cookie')).to.match(/^guji-iiif=; Path=\/iiif; HttpOnly; SameSite=Strict; Max-Age=0$/);
  });

  it('takes a forged, tampered or oversized access token for no one, not for an error', async () => {
    const { cookie } = await viewerSession();
    const { accessToken } = (await token(cookie)).message as { accessToken: string };
    // The last character but one is changed (the last may carry only padding bits of base64url).
    const flipped = accessToken.slice(0, -2) + (accessToken.at(-2) === 'A' ? 'B' : 'A') + accessToken.slice(-1);
    expect(flipped).not.to.equal(accessToken);
    for (const forged of ['iiif.', 'iiif.AAAA', flipped, `iiif.${'A'.repeat(8_000)}`]) {
      expect((await probe({ authorization: `Bearer ${forged}` })).status, forged.slice(0, 20)).to.equal(401);
    }
  });

  it('leaves published scans as they were: no services, no sign-in', async () => {
    await publish(server, DRAFT, admin, admin);
    const info = (await get(`/iiif/3/${IMAGE}/info.json`).then((r) => r.json())) as any;
    expect(info).not.to.have.property('service');
    expect((await probe()).status).to.equal(200);
    const m = (await get(`/iiif/${DRAFT}/manifest`).then((r) => r.json())) as any;
    expect(m.items[0].items[0].items[0].body.service).to.have.length(1);
    expect(m.items[0].items[0].items[0].body.service[0]).not.to.have.property('service');
  });
});
