/**
 * The demo's digitized book can be searched inside by anyone (issues 15/16 as a new user tries
 * them): with the demo catalogue loaded and its four pages read by the real OCR engine, the
 * transcription in src/demo/scans/text is laid on the drafts and verified, so an anonymous client
 * finds 七百種 on leaf 2 (catalogue search in=text, IIIF Content Search at the manifest's service)
 * and reads the transcription, not the OCR's reading. Where OCR cannot read the pages the demo
 * says so and stays without public text, nothing thrown.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { DIGITIZED_RECORD, DEMO_LEAVES, loadDemoCatalogue } from '../../src/demo/demo-catalogue.js';
import { resumeDemoText, verifyDemoText, type DemoTextOutcome } from '../../src/demo/demo-text.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';
import { transcription } from '../support/texts.js';

const cn = DIGITIZED_RECORD.censusNumber;
const admin = { username: 'admin', role: 'admin', unit: null } as const;
/** Leaf 2, line 1 ends 六七百, line 2 begins 種者: the phrase runs from one column into the next. */
const PHRASE = '七百種';

describe('the demo book\'s text, searched by anyone', function () {
  this.timeout(300_000);

  describe('read by OCR as GUJI_OCR=1 does, then its transcription laid on and verified', () => {
    let server: TestServer;
    let outcome: DemoTextOutcome;
    const logs: string[] = [];

    before(async () => {
      server = await startTestServer({ ocr: { auto: true, concurrency: 2 } });
      await loadDemoCatalogue(server.services, admin);
      outcome = await verifyDemoText(server.services, admin, { startOcr: false, log: (m) => logs.push(m) });
      await server.services.indexer.catchUp();
      await server.services.textSearch.settled();
    });
    after(() => server.close());

    it('aligns every page (none flagged on the real drafts), verifies it and says so in one line', () => {
      expect(outcome, logs.join('\n')).to.deep.equal({ verified: [1, 2, 3, 4], flagged: [], failed: null });
      expect(logs).to.have.length(1);
      expect(logs[0]).to.match(/^The demo book's transcription was laid on its OCR drafts and verified on pages 1, 2, 3, 4 \(agreement /);
    });

    it('answers an anonymous /api/search?q=七百種&in=text with the demo book on leaf 2, with boxes', async () => {
      const res = await server.call('GET', `/api/search?${new URLSearchParams({ q: PHRASE, in: 'text' })}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.hits.map((h: any) => h.censusNumber)).to.deep.equal([cn]);
      const [page] = res.body.hits[0].text.pages;
      expect(page).to.include({ leaf: 2, status: 'verified' });
      const [match] = page.matches;
      expect(match.snippet.text).to.equal(PHRASE);
      expect(match.boxes).to.have.length(3);
      for (const box of match.boxes) expect(box).to.have.length(4);
    });

    it('answers IIIF Content Search 2.0 at the manifest\'s service: 七百 and 種 on canvas 2', async () => {
      const manifest = (await server.call('GET', `/iiif/${cn}/manifest`)).body;
      const service = manifest.service.find((s: { type: string }) => s.type === 'SearchService2');
      const res = await server.call('GET', `${new URL(service.id).pathname}?q=${encodeURIComponent(PHRASE)}`);
      expect(res.status).to.equal(200);
      expect(res.body.items.map((a: any) => a.body.value)).to.deep.equal(['七百', '種']);
      for (const a of res.body.items) expect(a.target).to.match(new RegExp(`/iiif/${cn}/canvas/2#xywh=\\d+,\\d+,\\d+,\\d+$`));
      const within = await server.call('GET', `/api/records/${cn}/text/search?q=${encodeURIComponent(PHRASE)}`);
      expect(within.status).to.equal(200);
      expect(JSON.stringify(within.body)).to.include(PHRASE);
    });

    it('serves anyone the transcription, verified, not the OCR drafts\' reading', async () => {
      const token = await server.login('admin', ADMIN_PASSWORD);
      let corrected = 0;
      for (const [i, leaf] of DEMO_LEAVES.entries()) {
        const n = i + 1;
        const page = (await server.call('GET', `/api/records/${cn}/pages/${n}/text`)).body;
        expect(page.status, `page ${n}`).to.equal('verified');
        expect(page.text, `page ${n}`).to.equal(transcription(Number(leaf)).trim());
        for (const column of page.columns) for (const c of column.chars) expect(c.box).to.have.length(4);
        const history = (await server.call('GET', `/api/records/${cn}/pages/${n}/text/history`, { token })).body.entries;
        expect(history.map((e: { action: string }) => e.action).sort()).to.deep.equal(['align', 'ocr', 'verify']);
        // The alignment's changes give the OCR's reading of each column before it: a column the
        // OCR misread (not a line of the transcription) is not served.
        const lines = transcription(Number(leaf)).trim().split('\n');
        const align = history.find((e: { action: string }) => e.action === 'align');
        for (const { before } of align.changes as { before: string | null }[]) {
          if (before === null || lines.includes(before)) continue;
          corrected += 1;
          expect(page.text.split('\n'), `page ${n}`).not.to.include(before);
        }
      }
      expect(corrected, 'columns the OCR read otherwise than the transcription').to.be.greaterThan(0);
      const book = await server.call('GET', `/api/records/${cn}/text.txt`);
      expect(book.status).to.equal(200);
      for (const leaf of DEMO_LEAVES) for (const line of transcription(Number(leaf)).trim().split('\n')) expect(book.body).to.include(line);
    });

    it('does nothing at a later start once the text is laid on', async () => {
      const later: string[] = [];
      expect(await resumeDemoText(server.services, server, admin, (m) => later.push(m))).to.equal(null);
      expect(later).to.deep.equal([]);
    });

    it('counts an OCR job in settled() from the call that starts it (what the demo waits on), and keeps the verified pages', async () => {
      const started = server.services.texts.startOcr(admin, cn);
      await server.services.texts.settled();
      const [job] = await server.services.texts.jobs(admin, cn);
      expect(job!.id).to.equal((await started).id);
      expect(job!.status).to.equal('done');
      expect(job!.pages.map((p) => p.outcome)).to.deep.equal(['kept', 'kept', 'kept', 'kept']);
    });
  });

  describe('when the first start stopped before the text was laid on', () => {
    let server: TestServer;
    after(() => server.close());

    it('lays it on at the next start, reading the pages when no OCR job was made, then never again', async () => {
      server = await startTestServer({ ocr: { auto: false, concurrency: 2 } });
      // The demo loaded, its text not: the process stopped there (GUJI_OCR=0, so no OCR job either).
      await loadDemoCatalogue(server.services, admin);
      expect(await server.services.texts.jobs(admin, cn)).to.deep.equal([]);
      const logs: string[] = [];
      const outcome = await resumeDemoText(server.services, server, admin, (m) => logs.push(m));
      expect(outcome, logs.join('\n')).to.deep.equal({ verified: [1, 2, 3, 4], flagged: [], failed: null });
      expect((await server.texts.statuses(cn)).map((t) => t.status)).to.deep.equal(['verified', 'verified', 'verified', 'verified']);
      expect(await resumeDemoText(server.services, server, admin, (m) => logs.push(m))).to.equal(null);
      expect(logs).to.have.length(1);
    });

    it('leaves a catalogue without the demo book alone', async () => {
      const empty = await startTestServer();
      try {
        expect(await resumeDemoText(empty.services, empty, admin, () => {})).to.equal(null);
      } finally {
        await empty.close();
      }
    });
  });

  describe('where OCR cannot read the pages', () => {
    let server: TestServer;
    after(() => server.close());

    it('says why in one line and leaves the demo without public text, nothing thrown (OCR started explicitly, as with GUJI_OCR=0)', async () => {
      server = await startTestServer({ ocr: { auto: false, concurrency: 1 } });
      await loadDemoCatalogue(server.services, admin);
      // The masters gone (a broken disk): every page fails to be read.
      rmSync(path.join(server.dataDir, 'masters'), { recursive: true, force: true });
      const logs: string[] = [];
      const outcome = await verifyDemoText(server.services, admin, { startOcr: true, log: (m) => logs.push(m) });
      expect(outcome.verified).to.deep.equal([]);
      expect(outcome.failed).to.match(/the master image is missing/);
      expect(logs).to.have.length(1);
      expect(logs[0]).to.include('stay without public text');
      const res = await server.call('GET', `/api/search?${new URLSearchParams({ q: PHRASE, in: 'text' })}`);
      expect(res.status).to.equal(200);
      expect(res.body.hits).to.deep.equal([]);
    });
  });
});
