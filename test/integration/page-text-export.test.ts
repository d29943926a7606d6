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
});
