/**
 * Page text under bad input: pages with no text or no Chinese, a record without scans, stale
 * If-Match, oversize and overfull bodies, strangers. Every refusal is a clear 4xx naming the
 * field, and leaves the stored text as it was.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { otherUnitSurveyor, registerBook, textTeam, upload, waitForJob } from '../support/texts.js';

const cn = '430000-0001-0000003';
const bare = '430000-0001-0000004';
const url = (n: number | string) => `/api/records/${cn}/pages/${n}/text`;

describe('page text under bad input', function () {
  this.timeout(120_000);
  let server: TestServer;
  let admin: string;
  let surveyor: string;
  let dir: string;
  let job: any;

  before(async () => {
    server = await startTestServer({ textLimits: { maxColumns: 40, maxChars: 400 } });
    admin = await withLibrary(server);
    ({ surveyor } = await textTeam(server, admin));
    await registerBook(server, surveyor, cn);
    await registerBook(server, surveyor, bare);
    dir = mkdtempSync(path.join(tmpdir(), 'guji-text-abuse-'));
    // A blank leaf, and a leaf of English print.
    const blank = path.join(dir, 'blank.png');
    await sharp({ create: { width: 800, height: 1200, channels: 3, background: '#f4efe3' } }).png().toFile(blank);
    const latin = path.join(dir, 'latin.png');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="1200"><rect width="800" height="1200" fill="white"/>${
      ['THE QUICK BROWN FOX', 'JUMPS OVER THE', 'LAZY DOG 1234'].map((t, i) => `<text x="60" y="${200 + i * 120}" font-size="64" font-family="sans-serif">${t}</text>`).join('')}</svg>`;
    await sharp(Buffer.from(svg)).png().toFile(latin);
    await upload(server, surveyor, cn, [[blank, '1-blank.png'], [latin, '2-latin.png']]);
    const started = await server.call('POST', `/api/records/${cn}/text/ocr`, { token: surveyor });
    job = await waitForJob(server, cn, surveyor, started.body.job.id);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a blank page as a page without text, and a page of Latin print without failing', async () => {
    expect(job.status).to.equal('done');
    expect(job.pages.map((p: any) => p.outcome)).to.deep.equal(['read', 'read']);
    expect(job.pages[0].chars).to.equal(0);
    const blank = (await server.call('GET', url(1), { token: surveyor })).body;
    expect(blank).to.include({ status: 'ocr', text: '' });
    expect(blank.columns).to.deep.equal([]);
    const latin = (await server.call('GET', url(2), { token: surveyor })).body;
    for (const c of latin.columns) expect(c.box[0] + c.box[2]).to.be.at.most(800);
  });

  it('refuses OCR of a record without scans, and has no text for it', async () => {
    const res = await server.call('POST', `/api/records/${bare}/text/ocr`, { token: surveyor });
    expect(res.status).to.equal(400);
    expect(res.body.error.details[0].field).to.equal('censusNumber');
    expect((await server.call('GET', `/api/records/${bare}/pages/1/text`, { token: surveyor })).status).to.equal(404);
    expect((await server.call('GET', `/api/records/${bare}/text.txt`, { token: surveyor })).status).to.equal(404);
  });

  it('lets a page without text be typed once, with If-None-Match: *, and refuses a second typing or a made-up version', async () => {
    const typed = '430000-0001-0000007';
    await registerBook(server, surveyor, typed);
    await upload(server, surveyor, typed, [[path.join(dir, 'blank.png'), 'blank.png']]);
    const page = `/api/records/${typed}/pages/1/text`;
    expect((await server.call('GET', page, { token: surveyor })).status).to.equal(404);
    const body = { columns: [{ box: [100, 100, 40, 160], text: '天地玄黃' }] };
    expect((await server.call('PUT', page, { token: surveyor, body })).status).to.equal(428);
    expect((await server.call('PUT', page, { token: surveyor, body, headers: { 'if-match': '"v1"' } })).status).to.equal(412);
    const res = await server.call('PUT', page, { token: surveyor, body, headers: { 'if-none-match': '*' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ status: 'proofread', version: 1, text: '天地玄黃', width: 800, height: 1200 });
    expect(res.body.engine).to.deep.equal({ name: 'typed', version: '1' });
    expect((await server.call('PUT', page, { token: surveyor, body, headers: { 'if-none-match': '*' } })).status).to.equal(412);
    const history = (await server.call('GET', `${page}/history`, { token: surveyor })).body.entries;
    expect(history.map((h: any) => [h.action, h.version, h.changes.map((c: any) => c.field)])).to.deep.equal([['proofread', 1, ['columns.0', 'status']]]);
  });

  it('refuses page numbers that are not pages', async () => {
    for (const n of ['0', 'abc', '1.5', '99999999']) expect((await server.call('GET', url(n), { token: surveyor })).status, n).to.equal(400);
    expect((await server.call('GET', url(9), { token: surveyor })).status).to.equal(404);
  });

  describe('corrections', () => {
    const box = [100, 100, 40, 400];
    const put = (body: unknown, ifMatch = '"v1"') => server.call('PUT', url(1), { token: surveyor, body, headers: { 'if-match': ifMatch } });
    const unchanged = async () => {
      const page = (await server.call('GET', url(1), { token: surveyor })).body;
      expect(page.version).to.equal(1);
      expect(page.columns).to.deep.equal([]);
      expect((await server.call('GET', `${url(1)}/history`, { token: surveyor })).body.entries).to.have.length(1);
    };
    const refused = async (body: unknown, status: number, field?: string) => {
      const res = await put(body);
      expect(res.status, JSON.stringify(res.body)).to.equal(status);
      if (field) expect(res.body.error.details.map((d: any) => d.field)).to.include(field);
      await unchanged();
    };

    it('refuses a stale or foreign If-Match with 412', async () => {
      expect((await put({ columns: [{ box, text: '天' }] }, '"v2"')).status).to.equal(412);
      expect((await put({ columns: [{ box, text: '天' }] }, '*')).status).to.equal(412);
      await unchanged();
    });

    it('refuses more columns or characters than a page may have', async () => {
      await refused({ columns: Array.from({ length: 41 }, () => ({ box, text: '天' })) }, 400, 'columns');
      await refused({ columns: [{ box, text: '天'.repeat(401) }] }, 400, 'columns');
      await refused({ columns: [{ box, text: '天', chars: Array.from({ length: 401 }, () => ({ char: '天', box })) }] }, 400, 'columns.0.chars');
    });

    it('refuses a body over the size limit with 413', async () => {
      const res = await put({ columns: [{ box, text: '天'.repeat(1_000_000) }] });
      expect(res.status).to.equal(413);
      await unchanged();
    });

    it('refuses columns without a box, boxes off the page, empty columns, mismatched characters and unknown statuses', async () => {
      await refused({ columns: [{ text: '天地' }] }, 400, 'columns.0.box');
      await refused({ columns: [{ box: [700, 100, 200, 400], text: '天' }] }, 400, 'columns.0.box');
      await refused({ columns: [{ box: [-1, 0, 10, 10], text: '天' }] }, 400, 'columns.0.box.0');
      await refused({ columns: [{ box, text: '' }] }, 400, 'columns.0.text');
      await refused({ columns: [{ box, text: '天地', chars: [{ char: '天', box }] }] }, 400, 'columns.0.text');
      await refused({ columns: [{ box, text: '天' }], status: 'done' }, 400, 'status');
      await refused({ columns: 'all of it' }, 400, 'columns');
    });

    it('keeps a stranger out: another unit\'s surveyor cannot read or correct a draft', async () => {
      const stranger = await otherUnitSurveyor(server, admin);
      expect((await server.call('GET', url(1), { token: stranger })).status).to.equal(404);
      const res = await server.call('PUT', url(1), { token: stranger, body: { columns: [{ box, text: '天' }] }, headers: { 'if-match': '"v1"' } });
      expect(res.status).to.equal(404);
      expect((await server.call('POST', `/api/records/${cn}/text/ocr`, { token: stranger })).status).to.equal(404);
      await unchanged();
    });

    it('takes a GET answer sent back as it is as a person\'s save (proofread), its text unchanged', async () => {
      const got = await server.call('GET', url(2), { token: surveyor });
      const res = await server.call('PUT', url(2), { token: surveyor, body: got.body, headers: { 'if-match': got.headers.get('etag')! } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ status: 'proofread', version: 2, text: got.body.text });
      expect(res.body.columns).to.deep.equal(got.body.columns);
    });

    it('takes a good correction after all that, adding a column by its box', async () => {
      const res = await put({ columns: [{ box, text: '天地玄黃' }] });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.columns[0].chars.map((c: any) => c.box)).to.deep.equal([[100, 100, 40, 100], [100, 200, 40, 100], [100, 300, 40, 100], [100, 400, 40, 100]]);
    });
  });
});
