/**
 * Exports of a page's text, read by the real engine from a page of book1: ALTO 4 XML checked
 * against the ALTO 4.4 schema by xmllint, and the IIIF manifest's text annotations.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { bookPage, publish, registerBook, textTeam, upload, waitForJob } from '../support/texts.js';

const cn = '430000-0001-0000002';
const SCHEMA = path.resolve(import.meta.dirname, '../fixtures/alto-4-4.xsd');

function validate(xml: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-alto-'));
  try {
    const file = path.join(dir, 'page.xml');
    writeFileSync(file, xml);
    try {
      return { ok: true, output: execFileSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, file], { encoding: 'utf8', stdio: 'pipe' }) };
    } catch (e) {
      return { ok: false, output: String((e as { stderr?: string }).stderr ?? e) };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('page text exports (ALTO, IIIF annotations)', function () {
  this.timeout(120_000);
  let server: TestServer;
  let admin: string;
  let surveyor: string;
  let reviewer: string;

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    ({ surveyor, reviewer } = await textTeam(server, admin));
    await registerBook(server, surveyor, cn);
    await upload(server, surveyor, cn, [[bookPage(3), '3.png'], [bookPage(4), '4.png']]);
    const started = await server.call('POST', `/api/records/${cn}/text/ocr`, { token: surveyor });
    expect((await waitForJob(server, cn, surveyor, started.body.job.id)).status).to.equal('done');
  });
  after(() => server.close());

  it('gives ALTO 4 that the ALTO 4.4 schema accepts: a TextLine a column, a String a character, with boxes and WC', async () => {
    const res = await server.call('GET', `/api/records/${cn}/pages/1/alto.xml`, { token: surveyor });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/xml; charset=utf-8/);
    const xml = res.body as string;
    const check = validate(xml);
    expect(check.ok, check.output).to.equal(true);
    // The check can fail: a confidence out of [0, 1] is refused.
    expect(validate(xml.replace(/WC="[^"]*"/, 'WC="7"')).ok).to.equal(false);
    const page = (await server.call('GET', `/api/records/${cn}/pages/1/text`, { token: surveyor })).body;
    expect(xml.match(/<TextLine /g)).to.have.length(page.columns.length);
    const chars = page.columns.flatMap((c: any) => c.chars);
    expect(xml.match(/<String /g)).to.have.length(chars.length);
    const first = page.columns[0];
    expect(xml).to.include(`<TextLine ID="line1" HPOS="${first.box[0]}" VPOS="${first.box[1]}" WIDTH="${first.box[2]}" HEIGHT="${first.box[3]}">`);
    const c = first.chars[0];
    expect(xml).to.include(`CONTENT="${c.char}" HPOS="${c.box[0]}" VPOS="${c.box[1]}" WIDTH="${c.box[2]}" HEIGHT="${c.box[3]}" WC="${Math.round(c.confidence * 1000) / 1000}"`);
    expect(xml).to.include('<fileName>3.png</fileName>');
  });

  it('escapes what a proofreader typed, and the schema still accepts it', async () => {
    const page = (await server.call('GET', `/api/records/${cn}/pages/2/text`, { token: surveyor })).body;
    const columns = page.columns.map((c: any) => ({ kind: c.kind, box: c.box, text: c.text }));
    columns[0].text = `<&">${columns[0].text.slice(4)}`;
    const res = await server.call('PUT', `/api/records/${cn}/pages/2/text`, { token: surveyor, body: { columns }, headers: { 'if-match': `"v${page.version}"` } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const xml = (await server.call('GET', `/api/records/${cn}/pages/2/alto.xml`, { token: surveyor })).body as string;
    expect(xml).to.include('CONTENT="&lt;"').and.include('CONTENT="&amp;"').and.include('CONTENT="&quot;"');
    const check = validate(xml);
    expect(check.ok, check.output).to.equal(true);
  });

  it('keeps a draft page\'s ALTO from the public', async () => {
    expect((await server.call('GET', `/api/records/${cn}/pages/1/alto.xml`)).status).to.equal(404);
  });

  it('gives staff each canvas with text an AnnotationPage of supplementing annotations, a column each, and the plain text as a rendering', async () => {
    const res = await fetch(`${server.url}/iiif/${cn}/manifest`, { headers: { authorization: `Bearer ${surveyor}` } });
    expect(res.headers.get('cache-control')).to.equal('private, no-cache');
    const manifest = (await res.json()) as any;
    const canvas = manifest.items[0];
    expect(canvas.annotations).to.deep.equal([{ id: `http://guji.test/iiif/${cn}/canvas/1/text`, type: 'AnnotationPage' }]);
    // After the PDF of the page images (test/integration/iiif-rendering.test.ts).
    expect(manifest.rendering.slice(1)).to.deep.equal([{ id: `http://guji.test/api/records/${cn}/text.txt`, type: 'Text', format: 'text/plain', label: { 'zh-Hans': ['全文'], en: ['Full text'] } }]);
    const served = await fetch(`${server.url}/iiif/${cn}/canvas/1/text`, { headers: { authorization: `Bearer ${surveyor}` } });
    expect(served.headers.get('content-type')).to.match(/^application\/ld\+json;profile="http:\/\/iiif.io\/api\/presentation\/3\/context.json"/);
    expect(served.headers.get('access-control-allow-origin')).to.equal('*');
    const page = (await served.json()) as any;
    const text = (await server.call('GET', `/api/records/${cn}/pages/1/text`, { token: surveyor })).body;
    expect(page).to.include({ '@context': 'http://iiif.io/api/presentation/3/context.json', id: canvas.annotations[0].id, type: 'AnnotationPage' });
    expect(page.items).to.have.length(text.columns.length);
    page.items.forEach((a: any, i: number) => {
      expect(a).to.deep.equal({
        id: `${canvas.annotations[0].id}/${i + 1}`, type: 'Annotation', motivation: ['supplementing'],
        body: { type: 'TextualBody', value: text.columns[i].text, format: 'text/plain', language: 'zh-Hant' },
        target: `${canvas.id}#xywh=${text.columns[i].box.join(',')}`,
      });
      const [x, y, w, h] = text.columns[i].box;
      expect(x + w).to.be.at.most(canvas.width);
      expect(y + h).to.be.at.most(canvas.height);
    });
  });

  it('shows the public only verified text of a published book, and changes the manifest ETag when a page is verified', async () => {
    await publish(server, cn, surveyor, reviewer);
    const anonymous = async () => {
      const res = await fetch(`${server.url}/iiif/${cn}/manifest`);
      return { etag: res.headers.get('etag'), cache: res.headers.get('cache-control'), body: (await res.json()) as any };
    };
    const before = await anonymous();
    expect(before.cache).to.equal('public, no-cache');
    expect(before.body.items.map((c: any) => c.annotations)).to.deep.equal([undefined, undefined]);
    const formats = (m: any) => m.rendering.map((r: any) => r.format);
    expect(formats(before.body)).to.deep.equal(['application/pdf']);
    expect((await fetch(`${server.url}/iiif/${cn}/canvas/1/text`)).status).to.equal(404);
    const staff = await fetch(`${server.url}/iiif/${cn}/manifest`, { headers: { authorization: `Bearer ${surveyor}` } });
    expect(staff.headers.get('cache-control')).to.equal('private, no-cache');
    const page = (await server.call('GET', `/api/records/${cn}/pages/1/text`, { token: reviewer })).body;
    const columns = page.columns.map((c: any) => ({ kind: c.kind, box: c.box, text: c.text }));
    const verified = await server.call('PUT', `/api/records/${cn}/pages/1/text`, { token: reviewer, body: { columns, status: 'verified' }, headers: { 'if-match': `"v${page.version}"` } });
    expect(verified.status).to.equal(200);
    const after = await anonymous();
    expect(after.etag).to.not.equal(before.etag);
    expect(after.body.items[0].annotations).to.have.length(1);
    expect(after.body.items[1].annotations).to.equal(undefined);
    expect(formats(after.body)).to.deep.equal(['application/pdf', 'text/plain']);
    expect((await fetch(`${server.url}/iiif/${cn}/canvas/1/text`)).status).to.equal(200);
    expect((await fetch(`${server.url}/iiif/${cn}/canvas/2/text`)).status).to.equal(404);
  });
});
