/**
 * POST /api/records/{censusNumber}/text/align through real HTTP: the book1 transcription, sent
 * as one text with no page breaks, comes back split exactly onto its 10 pages (OCR drafts by the
 * real engine); a page a person proofread is kept; a text of another book is flagged on every
 * page and changes nothing; the file may come as text/plain; refusals say why.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { bookPage, ocrSettled, registerBook, textTeam, transcription, upload } from '../support/texts.js';

const cn = '430000-0001-0000001';
const PAGES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const align = `/api/records/${cn}/text/align`;
const KANRIPO = path.resolve(import.meta.dirname, '../fixtures/kanripo-KR1a0001_001.txt');

describe('aligning a known text to a book\'s pages (POST …/text/align)', function () {
  this.timeout(300_000);
  let server: TestServer;
  let admin: string;
  let surveyor: string;
  const pageText = async (n: number) => (await server.call('GET', `/api/records/${cn}/pages/${n}/text`, { token: surveyor })).body;

  before(async () => {
    server = await startTestServer({ ocr: { auto: true, concurrency: 2 } });
    admin = await withLibrary(server);
    ({ surveyor } = await textTeam(server, admin));
    await registerBook(server, surveyor, cn);
    await upload(server, surveyor, cn, PAGES.map((n) => [bookPage(n), `${n}.png`]));
    await ocrSettled(server, cn, admin, PAGES);
  });
  after(() => server.close());

  it('flags every page for a text of another book, and changes nothing', async () => {
    const before = await Promise.all(PAGES.map(pageText));
    const res = await fetch(`${server.url}${align}?format=mandoku`, {
      method: 'POST', headers: { authorization: `Bearer ${surveyor}`, 'content-type': 'text/plain; charset=utf-8' }, body: readFileSync(KANRIPO, 'utf8'),
    });
    expect(res.status).to.equal(200);
    const report = (await res.json()) as { format: string; pages: { page: number; outcome: string; agreement: number }[] };
    expect(report.format).to.equal('mandoku');
    expect(report.pages.map((p) => p.outcome)).to.deep.equal(PAGES.map(() => 'flagged'));
    for (const p of report.pages) expect(p.agreement).to.be.below(0.2);
    const after = await Promise.all(PAGES.map(pageText));
    expect(after.map((p) => [p.status, p.version])).to.deep.equal(before.map((p) => [p.status, p.version]));
  });

  it('splits the whole transcription, sent with no page breaks, exactly onto its pages, keeping a page a person proofread', async () => {
    // A surveyor proofreads page 3 first: the alignment must not overwrite a person's text.
    const page3 = await pageText(3);
    const put = await server.call('PUT', `/api/records/${cn}/pages/3/text`, {
      token: surveyor, headers: { 'if-match': `"v${page3.version}"` }, body: { columns: page3.columns },
    });
    expect(put.status).to.equal(200);
    expect(put.body.status).to.equal('proofread');

    const known = PAGES.map((n) => transcription(n).trim()).join('');
    const res = await server.call('POST', align, { token: surveyor, body: { text: known } });
    expect(res.status).to.equal(200);
    expect(res.body.pages.map((p: { outcome: string }) => p.outcome)).to.deep.equal(PAGES.map((n) => (n === 3 ? 'kept' : 'aligned')));
    for (const n of PAGES.filter((n) => n !== 3)) {
      const page = await pageText(n);
      expect(page.status, `page ${n}`).to.equal('aligned');
      expect(page.text, `page ${n}`).to.equal(transcription(n).trim());
      for (const column of page.columns) for (const c of column.chars) expect(c.box).to.have.length(4);
    }
    const kept = await pageText(3);
    expect(kept.status).to.equal('proofread');
    expect(kept.version).to.equal(put.body.version);
    const history = await server.call('GET', `/api/records/${cn}/pages/2/text/history`, { token: surveyor });
    expect(history.body.entries.map((e: { action: string }) => e.action)).to.include('align');
  });

  it('refuses what it cannot align, saying why, and those who may not correct the text', async () => {
    const empty = await server.call('POST', align, { token: surveyor, body: { text: '' } });
    expect(empty.status).to.equal(400);
    expect(empty.body.error.details[0].field).to.equal('text');
    const format = await server.call('POST', align, { token: surveyor, body: { text: '欽定', format: 'docx' } });
    expect(format.status).to.equal(400);
    expect(format.body.error.details[0].field).to.equal('format');
    expect((await server.call('POST', align, { body: { text: '欽定' } })).status).to.equal(401);
    expect((await server.call('POST', '/api/units', { token: admin, body: { province: '430000', code: '0002', name: '资阳区档案馆' } })).status).to.equal(201);
    const other = await server.call('POST', '/api/users', { token: admin, body: { username: 'wangfang', password: 'lotus-pond-bridge-4', role: 'surveyor', unit: '430000-0002' } });
    expect(other.status).to.equal(201);
    const foreign = await server.call('POST', align, { token: await server.login('wangfang', 'lotus-pond-bridge-4'), body: { text: '欽定' } });
    expect([403, 404]).to.include(foreign.status);
    const noScans = '430000-0001-0000002';
    await registerBook(server, surveyor, noScans);
    const none = await server.call('POST', `/api/records/${noScans}/text/align`, { token: surveyor, body: { text: '欽定' } });
    expect(none.status).to.equal(400);
    expect(none.body.error.details[0].field).to.equal('censusNumber');
  });
});
