/**
 * The text of the books through real HTTP: OCR of new scans (the real engine on two pages of
 * book1), reading and proofreading with If-Match, verification, history, the book's text, who
 * sees what, a second OCR run that keeps a person's text, and an OCR job resumed after a stop.
 */
import { expect } from 'chai';
import { characterErrorRate, countErrors } from '../../src/domain/character-error-rate.js';
import type { PageText } from '../../src/domain/page-text.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { bookPage, ocrSettled, publish, registerBook, textTeam, transcription, upload, waitForJob } from '../support/texts.js';

const cn = '430000-0001-0000001';
const text = (n: number) => `/api/records/${cn}/pages/${n}/text`;

describe('page text API (OCR, proofreading, verification)', function () {
  this.timeout(180_000);
  let server: TestServer;
  let admin: string;
  let surveyor: string;
  let reviewer: string;

  before(async () => {
    server = await startTestServer({ ocr: { auto: true, concurrency: 2 } });
    admin = await withLibrary(server);
    ({ surveyor, reviewer } = await textTeam(server, admin));
    await registerBook(server, surveyor, cn);
    await upload(server, surveyor, cn, [[bookPage(1), '1.png'], [bookPage(2), '2.png']]);
    await ocrSettled(server, cn, admin, [1, 2]);
  });
  after(() => server.close());

  it('drafts new scans by OCR: columns right to left with boxes, characters with boxes and confidences', async () => {
    const res = await server.call('GET', text(1), { token: surveyor });
    expect(res.status).to.equal(200);
    expect(res.headers.get('etag')).to.equal('"v1"');
    const page = res.body;
    expect(page).to.include({ censusNumber: cn, page: 1, status: 'ocr', version: 1, updatedBy: 'guji (OCR)', width: 1155, height: 1559 });
    expect(page.columns.length).to.be.greaterThan(5);
    const xs = page.columns.filter((c: any) => c.kind === 'main').map((c: any) => c.box[0]);
    expect(xs).to.deep.equal([...xs].sort((a, b) => b - a));
    for (const column of page.columns) {
      expect(column.text).to.equal(column.chars.map((c: any) => c.char).join(''));
      for (const c of column.chars) {
        expect(c.box).to.have.length(4);
        expect(c.confidence).to.be.within(0, 1);
      }
    }
    expect(characterErrorRate([countErrors(page.text, transcription(1))])).to.be.below(0.2);
    expect(page.links.alto).to.equal(`http://guji.test${text(1).replace('/text', '/alto.xml')}`);
  });

  it('keeps drafts, the text of the book and the history from the public', async () => {
    expect((await server.call('GET', text(1))).status).to.equal(404);
    expect((await server.call('GET', `/api/records/${cn}/text.txt`)).status).to.equal(404);
    expect((await server.call('GET', `${text(1)}/history`)).status).to.equal(401);
  });

  it('refuses a correction without If-Match (428) or with a stale one (412), changing nothing', async () => {
    const body = { columns: [{ text: '改' }] };
    expect((await server.call('PUT', text(1), { token: surveyor, body })).status).to.equal(428);
    const stale = await server.call('PUT', text(1), { token: surveyor, body, headers: { 'if-match': '"v7"' } });
    expect(stale.status).to.equal(412);
    expect(stale.body.error.code).to.equal('version_mismatch');
    expect((await server.call('GET', text(1), { token: surveyor })).body.version).to.equal(1);
  });

  let corrected: PageText['columns'];
  it('lets the surveyor correct three characters (proofread), keeping the boxes, but not verify', async () => {
    const page = (await server.call('GET', text(1), { token: surveyor })).body;
    const columns = page.columns.map((c: any) => ({ kind: c.kind, box: c.box, text: c.text }));
    const main = columns.findIndex((c: any) => c.kind === 'main' && [...c.text].length >= 3);
    const chars = [...columns[main].text];
    const was = chars.slice(0, 3);
    chars[0] = '甲';
    chars[1] = '乙';
    chars[2] = '丙';
    columns[main].text = chars.join('');
    const refused = await server.call('PUT', text(1), { token: surveyor, body: { columns, status: 'verified' }, headers: { 'if-match': '"v1"' } });
    expect(refused.status).to.equal(403);
    expect(refused.body.error.code).to.equal('reviewer_required');
    const res = await server.call('PUT', text(1), { token: surveyor, body: { columns }, headers: { 'if-match': '"v1"' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ status: 'proofread', version: 2, updatedBy: 'liwen' });
    const after = res.body.columns[main];
    expect(after.text.startsWith('甲乙丙')).to.equal(true);
    expect(after.chars.slice(0, 3).map((c: any) => c.confidence)).to.deep.equal([1, 1, 1]);
    expect(after.chars.map((c: any) => c.box)).to.deep.equal(page.columns[main].chars.map((c: any) => c.box));
    expect(was).to.not.deep.equal(['甲', '乙', '丙']);
    corrected = res.body.columns;
  });

  it('lets the reviewer verify the page, and the history shows OCR, the correction and the verification', async () => {
    const columns = corrected.map((c) => ({ kind: c.kind, box: c.box, text: c.text }));
    const res = await server.call('PUT', text(1), { token: reviewer, body: { columns, status: 'verified' }, headers: { 'if-match': '"v2"' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ status: 'verified', version: 3, updatedBy: 'zhaoyun' });
    const history = (await server.call('GET', `${text(1)}/history`, { token: surveyor })).body.entries;
    expect(history.map((h: any) => [h.version, h.action, h.actor, h.status])).to.deep.equal([
      [1, 'ocr', 'guji (OCR)', 'ocr'], [2, 'proofread', 'liwen', 'proofread'], [3, 'verify', 'zhaoyun', 'verified'],
    ]);
    expect(history[1].changes.map((c: any) => c.field)).to.have.length(2).and.include('status');
    expect(history[1].changes[0].after.startsWith('甲乙丙')).to.equal(true);
    // A surveyor no longer changes a verified page.
    const late = await server.call('PUT', text(1), { token: surveyor, body: { columns: [{ text: '丁' }] }, headers: { 'if-match': '"v3"' } });
    expect(late.status).to.equal(403);
  });

  it('runs OCR again as a job (202) that keeps the verified page and re-reads the draft', async () => {
    const started = await server.call('POST', `/api/records/${cn}/text/ocr`, { token: surveyor });
    expect(started.status).to.equal(202);
    expect(started.body.job.pages).to.have.length(2);
    const job = await waitForJob(server, cn, surveyor, started.body.job.id);
    expect(job.status).to.equal('done');
    expect(job.pages.map((p: any) => [p.sequence, p.outcome])).to.deep.equal([[1, 'kept'], [2, 'read']]);
    expect(job.progress).to.deep.equal({ total: 2, pending: 0, read: 1, kept: 1, failed: 0 });
    expect(started.body.job.progress).to.include({ total: 2, pending: 2 });
    // The record's jobs, newest first: this one, then the one the upload started.
    const jobs = (await server.call('GET', `/api/records/${cn}/text/ocr`, { token: surveyor })).body.jobs;
    expect(jobs.map((j: any) => [j.id === job.id, j.createdBy, j.status])).to.deep.equal([[true, 'liwen', 'done'], [false, 'liwen', 'done']]);
    expect((await server.call('GET', `/api/records/${cn}/text/ocr`)).status).to.equal(401);
    expect(job).to.not.have.property('runner');
    const page = (await server.call('GET', text(1), { token: surveyor })).body;
    expect(page).to.include({ status: 'verified', version: 3 });
    expect((await server.call('GET', text(2), { token: surveyor })).body.version).to.equal(1);
  });

  it('resumes an OCR job a stopped process left, from its pages still pending', async () => {
    const texts = (server.services.texts as unknown as { texts: import('../../src/ports/page-text-store.js').PageTextStore }).texts;
    const pages = (await server.store.pages.list(cn)).map((p) => ({ sequence: p.sequence, imageId: p.imageId }));
    await texts.saveJob({
      id: 'left-by-a-stopped-process', censusNumber: cn, createdBy: 'liwen', createdAt: '2026-11-30T00:00:00.000Z', updatedAt: '2026-11-30T00:00:00.000Z',
      status: 'running', reason: null, runner: { host: (await import('node:os')).hostname(), pid: 2 ** 22 + 1 },
      pages: [
        { ...pages[0]!, outcome: 'kept', reason: 'before the stop', chars: null },
        { ...pages[1]!, outcome: 'pending', reason: null, chars: null },
      ],
    });
    expect(await server.services.texts.recover()).to.equal(1);
    await server.services.texts.settled();
    const job = (await server.call('GET', `/api/records/${cn}/text/ocr/left-by-a-stopped-process`, { token: surveyor })).body;
    expect(job.status).to.equal('done');
    expect(job.pages.map((p: any) => [p.outcome, p.reason])).to.deep.equal([['kept', 'before the stop'], ['read', 'the same text as before']]);
  });

  it('lets an alignment write drafts only, never a person\'s page', async () => {
    const actor = { username: 'admin', role: 'admin' as const, unit: null };
    const page2 = (await server.call('GET', text(2), { token: admin })).body;
    const aligned = await server.services.texts.saveAlignedPage(cn, 2, { ...page2, columns: page2.columns }, actor);
    expect(aligned).to.include({ status: 'aligned', version: 2 });
    let refused: unknown;
    await server.services.texts.saveAlignedPage(cn, 1, page2, actor).catch((e: unknown) => (refused = e));
    expect((refused as { code?: string })?.code).to.equal('text_proofread');
    expect((await server.call('GET', text(1), { token: admin })).body.version).to.equal(3);
  });

  it('gives the whole book in reading order with 卷 and page markers; the public sees verified text of a published book only', async () => {
    const staff = await server.call('GET', `/api/records/${cn}/text.txt`, { token: surveyor });
    expect(staff.status).to.equal(200);
    expect(staff.headers.get('content-type')).to.match(/^text\/plain; charset=utf-8/);
    expect(staff.body).to.match(/^欽定四庫全書簡明目錄二十卷\n430000-0001-0000001\n\n〈1 第 1 半叶〉\n甲乙丙/);
    expect(staff.body).to.include('〈2 第 2 半叶〉\n');
    await publish(server, cn, surveyor, reviewer);
    const pub = await server.call('GET', `/api/records/${cn}/text.txt`);
    expect(pub.status).to.equal(200);
    expect(pub.headers.get('cache-control')).to.equal('public, no-cache');
    expect(pub.body).to.include('〈1 第 1 半叶〉\n甲乙丙');
    expect(pub.body).to.include('〈2 第 2 半叶: no verified text yet〉');
    expect((await server.call('GET', text(1))).status).to.equal(200);
    expect((await server.call('GET', text(2))).status).to.equal(404);
  });
});
