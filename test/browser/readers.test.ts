/**
 * Issue 20's points for readers, in a real browser at 1280 and 390 px: one name for a page image
 * (半叶) in the record page, the viewer's canvases and the text hits; the overview's charts in
 * the order of their scale, each bar a search; the 四部 tree with counts; person pages by dynasty
 * and role; other copies of the work; citations quoted as catalogued and exported; the search
 * page's result set downloaded with its filters; and axe-core on every public page.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import { axeViolations, CHROMIUM, DESKTOP, hasChromium, onTestServerPage, PHONE, shot } from '../support/browser.js';
import { ADMIN_PASSWORD, withLibrary, type TestServer } from '../support/http.js';
import { publishRealRecords } from '../support/real-catalogue.js';
import { typedColumns } from '../support/text-search.js';
import { bookPage, publish, registerBook, textTeam, upload } from '../support/texts.js';

const BOOK = '430000-0001-0000001';
/** A second copy of 墨子十五卷 (the real one is 110000-0101-0004638), written 清寫本. */
const COPY = '430000-0001-0000002';
const MOZI = '110000-0101-0004638';
const SIZES = [DESKTOP, PHONE] as const;

/**
 * The catalogue the readers' pages are shown on: the real records, a digitized book whose leaves
 * carry no label of their own (the first with verified text), a second copy of 墨子十五卷 written
 * 清寫本, and a published exhibit of the book and its first leaf.
 */
async function readersCatalogue(server: TestServer): Promise<void> {
  const admin = await withLibrary(server);
  await publishRealRecords(server);
  const { surveyor, reviewer } = await textTeam(server, admin);
  // A digitized book whose leaves carry no label of their own, the first with verified text.
  await registerBook(server, surveyor, BOOK);
  await upload(server, surveyor, BOOK, [[bookPage(1), '1.png'], [bookPage(2), '2.png']]);
  const text = await server.call('PUT', `/api/records/${BOOK}/pages/1/text`, { token: reviewer, headers: { 'if-none-match': '*' }, body: { columns: typedColumns(1), status: 'verified' } });
  expect(text.status, JSON.stringify(text.body)).to.equal(200);
  await publish(server, BOOK, surveyor, reviewer);
  const copy = { ...REAL_RECORDS[2], censusNumber: COPY, callNumber: '善002', holdingUnit: '0001', editionStatement: '清寫本', grade: '普通古籍', damage: { grade: '轻度', types: [] } };
  expect((await server.call('POST', '/api/records', { token: admin, body: copy })).status).to.equal(201);
  await publish(server, COPY, admin, admin);
  // A published exhibit of the book and its first leaf.
  const exhibit = {
    slug: 'mulu', title: '四庫目錄', summary: '簡明目錄一種', credits: '资阳区图书馆策展', licence: 'https://creativecommons.org/licenses/by/4.0/',
    sections: [{ title: '刻本', text: '', items: [{ censusNumber: BOOK, caption: '全書', credit: '资阳区图书馆藏' }, { censusNumber: BOOK, canvas: 1, caption: '卷端', credit: '资阳区图书馆藏' }] }],
  };
  const made = await server.call('POST', '/api/exhibits', { token: surveyor, body: exhibit });
  expect(made.status, JSON.stringify(made.body)).to.equal(201);
  expect((await server.call('POST', '/api/exhibits/mulu/transitions', { token: surveyor, body: { action: 'submit' } })).status).to.equal(200);
  expect((await server.call('POST', '/api/exhibits/mulu/transitions', { token: reviewer, body: { action: 'publish' } })).status).to.equal(200);
  await server.services.textSearch.settled();
  await server.services.indexer.catchUp();
}

if (!hasChromium) {
  console.log(`  (readers' pages not run: no Chromium at ${CHROMIUM})`);
} else {
  describe("readers' pages in a real browser (issue 20)", function () {
    this.timeout(120_000);
    let server: TestServer;
    let browser: Browser;
    let page: Page;

    onTestServerPage('readers', async (opened) => {
      ({ server, browser, page } = opened);
      await readersCatalogue(server);
    }, { page: { acceptDownloads: true } });

    /** The file a click on the link downloads, as text. */
    async function download(selector: string): Promise<string> {
      const [file] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
      return readFileSync((await file.path())!, 'utf8');
    }

    it('names a page image a 半叶 alike in the record page, the viewer\'s canvases and the text hits', async () => {
      const manifest = (await server.call('GET', `/iiif/${BOOK}/manifest`)).body;
      expect(manifest.items.map((c: any) => (Object.values(c.label) as string[][])[0]![0])).to.deep.equal(['第 1 半叶', '第 2 半叶']);
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await page.goto(`${server.url}/records/${BOOK}`);
        await page.waitForSelector('#downloads li', { state: 'attached' });
        expect(await page.locator('#downloads li a').allTextContents()).to.deep.equal(['第 1 半叶', '第 2 半叶']);
        await page.goto(`${server.url}/?${new URLSearchParams({ q: '四庫全書', in: 'text' })}`);
        await page.waitForSelector('.hits li .in-text .where');
        // The 卷 (none here) is not said twice, and the leaf is named as the manifest names it.
        expect(await page.locator('.hits li .in-text .where').first().innerText()).to.match(/^正文 · 第 1 半叶：?$/);
        expect(await page.locator('.hits li .in-text .tag').allInnerTexts()).to.include('此半叶 2 处');
      }
      await shot(page, 'readers-text-hit-half-leaf');
      // In the viewer, Mirador shows the manifest's labels.
      await page.goto(`${server.url}/viewer?manifest=${encodeURIComponent(`${server.url}/iiif/${BOOK}/manifest`)}`);
      await page.waitForFunction(() => Boolean((globalThis as any).miradorInstance));
      await page.waitForFunction(() => /第 1 半叶/.test((globalThis as any).document.getElementById('viewer').textContent));
      await shot(page, 'readers-viewer-half-leaf');
    });

    it('orders the overview\'s grade and damage charts by scale, each bar opening its search, at both widths', async () => {
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await page.goto(`${server.url}/stats`);
        await page.waitForSelector('#chart-grade a.row');
        const rows = (facet: string) => page.locator(`#chart-${facet} a.row`).evaluateAll((links) => links.map((a: any) => [decodeURIComponent(a.getAttribute('href')), a.querySelector('.num').textContent]));
        // 普通古籍 and 轻度 count most (two and four books), yet stand where their scale puts them.
        expect(await rows('grade')).to.deep.equal([['/?grade=一级甲等', '1'], ['/?grade=一级乙等', '1'], ['/?grade=二级乙等', '1'], ['/?grade=普通古籍', '2']]);
        expect(await rows('damageGrade')).to.deep.equal([['/?damageGrade=中度', '1'], ['/?damageGrade=轻度', '4']]);
        // The page images counted as what they are: 半叶.
        expect(await page.locator('#totals .total').allInnerTexts()).to.include('2\n影像半叶数');
      }
      await shot(page, 'readers-stats');
      await page.setViewportSize(PHONE);
      await page.locator('#chart-damageGrade a.row').last().click();
      await page.waitForURL(/damageGrade=/);
      await page.waitForFunction(() => (globalThis as any).document.getElementById('hits').dataset.drawn === 'true');
      expect(await page.locator('.hits > li').count()).to.equal(4);
      await page.setViewportSize(DESKTOP);
    });

    it('browses the 四部 tree with counts down to a 屬, and each node opens its search', async () => {
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await page.goto(`${server.url}/browse`);
        const tree = await page.locator('ul.tree > li').evaluateAll((items) => items.map((li: any) => li.innerText.replace(/\s+/g, ' ').trim()));
        expect(tree).to.deep.equal(['史部1 地理類1 方志之屬1', '子部3 墨家類2 術數類1']);
      }
      await shot(page, 'readers-browse');
      await page.getByRole('link', { name: '方志之屬' }).click();
      await page.waitForURL(/category=/);
      await page.waitForFunction(() => (globalThis as any).document.getElementById('hits').dataset.drawn === 'true');
      expect(await page.locator('.hits li h2').allInnerTexts()).to.deep.equal(['［萬曆］金華府志三十卷']);
    });

    it('lists on a person\'s page every record naming them, by dynasty and role', async () => {
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await page.goto(`${server.url}/records/110000-0101-0010283`);
        await page.getByRole('link', { name: '陸鳳儀' }).click();
        await page.waitForURL(/\/persons\//);
        expect(await page.locator('h1').innerText()).to.equal('（明）陸鳳儀');
        expect(await page.locator('#person section h2').allInnerTexts()).to.deep.equal(['（明）纂修']);
        expect(await page.locator('#person section li h3').allInnerTexts()).to.deep.equal(['［萬曆］金華府志三十卷']);
      }
      await shot(page, 'readers-person');
    });

    it('shows the other copies of a work on its record page, and cites the copy as catalogued in every format', async () => {
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await page.goto(`${server.url}/records/${MOZI}`);
        const others = page.locator('#other-copies');
        expect(await others.locator('a[href^="/records/"]').allInnerTexts()).to.include('墨子十五卷');
        expect(await others.innerText()).to.contain('清寫本').and.contain('资阳区图书馆');
      }
      await shot(page, 'readers-other-copies');
      await page.setViewportSize(DESKTOP);
      await page.locator(`#other-copies a[href="/records/${COPY}"]`).click();
      await page.waitForURL(`${server.url}/records/${COPY}`);
      // The 版本 as written (寫本), not the vocabulary's simplified term (写本).
      const cited = await page.locator('#citation').innerText();
      expect(cited).to.match(/^墨子: 十五卷\[M\]\. 寫本\. \[1644—1911\]\(清\)\.$/);
      expect(await page.locator('#cite a[download]').allInnerTexts()).to.deep.equal(['GB/T 7714', 'RIS', 'BibTeX', 'CSL-JSON']);
      expect(await download('#cite a:text-is("GB/T 7714")')).to.equal(`${cited}\n`);
      expect(await download('#cite a:text-is("RIS")')).to.contain('\r\nET  - 清寫本\r\n').and.contain(`\r\nAN  - ${COPY}\r\n`);
      expect(await download('#cite a:text-is("BibTeX")')).to.contain(`@book{${COPY},`).and.contain('edition = {清寫本}');
      expect(JSON.parse(await download('#cite a:text-is("CSL-JSON")'))[0]).to.include({ id: COPY, edition: '清寫本', title: '墨子十五卷' });
      await shot(page, 'readers-citation');
    });

    it('downloads the whole result set from the search page, with the page\'s filters and order', async () => {
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await page.goto(`${server.url}/?${new URLSearchParams({ division: '子部', sort: 'censusNumber', pageSize: '2' })}`);
        await page.waitForFunction(() => (globalThis as any).document.getElementById('hits').dataset.drawn === 'true');
        expect(await page.locator('.hits > li').count()).to.equal(2);
        await page.locator('#export summary').click();
        expect(await page.locator('#export').innerText()).to.contain('全部 3 种');
        expect(await page.locator('#export a').allInnerTexts()).to.deep.equal(['CSV', 'Excel (xlsx)', 'JSON Lines', 'MARC 21', 'MARCXML', 'MODS', 'UNIMARC', 'UNIMARC XML']);
      }
      await shot(page, 'readers-search-export');
      await page.setViewportSize(DESKTOP);
      // Every record the search finds, not the page of two; in the page's order.
      const jsonl = (await download('#export a:text-is("JSON Lines")')).trim().split('\n').map((line) => JSON.parse(line).censusNumber);
      expect(jsonl).to.deep.equal(['110000-0101-0004638', '110000-0101-0013797', COPY]);
      const csv = (await download('#export a:text-is("CSV")')).trim().split(/\r?\n/);
      expect(csv).to.have.length(4);
      expect(csv.slice(1).map((row) => row.split(',')[0])).to.deep.equal(jsonl);
      const mods = await download('#export a:text-is("MODS")');
      expect(mods.match(/<mods[\s>]/g)).to.have.length(3);
      // Staff see their draft among the results (the public's answer, kept by the browser, is not
      // reused: Vary: Authorization); the link downloads what the public reads, and says so.
      const admin = await server.login('admin', ADMIN_PASSWORD);
      const draft = { ...REAL_RECORDS[2], censusNumber: '430000-0001-0000003', callNumber: '善003', holdingUnit: '0001', editionStatement: '清刻本' };
      expect((await server.call('POST', '/api/records', { token: admin, body: draft })).status).to.equal(201);
      await server.services.indexer.catchUp();
      const { user } = (await server.call('GET', '/api/session', { token: admin })).body;
      await page.evaluate(({ token, user }) => {
        const { localStorage } = globalThis as any;
        localStorage.setItem('guji-token', token);
        localStorage.setItem('guji-user', JSON.stringify(user));
      }, { token: admin, user });
      await page.reload();
      await page.waitForFunction(() => (globalThis as any).document.getElementById('hits').dataset.drawn === 'true');
      expect(await page.locator('#summary').innerText()).to.equal('共 4 种');
      await page.locator('#export summary').click();
      expect(await page.locator('#export').innerText()).to.contain('其中已发布的全部古籍');
      expect((await download('#export a:text-is("JSON Lines")')).trim().split('\n')).to.have.length(3);
      await page.evaluate(() => (globalThis as any).localStorage.clear());
      // A text search finds what the exports (which search the fields) would not: it offers none.
      await page.goto(`${server.url}/?${new URLSearchParams({ q: '四庫全書', in: 'text' })}`);
      await page.waitForFunction(() => (globalThis as any).document.getElementById('hits').dataset.drawn === 'true');
      expect(await page.locator('#export').count()).to.equal(0);
    });

    const mirador = (page: Page) => page.waitForFunction(() => Boolean((globalThis as any).miradorInstance), undefined, { timeout: 30_000 });
    const PAGES: [string, string, (page: Page) => Promise<unknown>][] = [
      ['search with its export', `/?${new URLSearchParams({ division: '子部' })}`, async (page) => {
        await page.waitForSelector('#export');
        await page.locator('#export summary').click();
      }],
      ['record of a digitized book, its viewer shown', `/records/${BOOK}`, async (page) => {
        await page.waitForSelector('#digitized:not([hidden])');
        await page.locator('#viewer').scrollIntoViewIfNeeded();
        await mirador(page);
      }],
      ['record with other copies and citations', `/records/${MOZI}`, (page) => page.waitForSelector('#cite')],
      ['browse', '/browse', (page) => page.waitForSelector('ul.tree')],
      ['person', `/persons/${encodeURIComponent('王懋德')}?dynasty=${encodeURIComponent('明')}`, (page) => page.waitForSelector('#person section')],
      ['stats', '/stats', (page) => page.waitForSelector('#chart-grade a.row')],
      // The manifest's URL is absolute: {base} is the test server's, known once it runs.
      ['viewer', `/viewer?manifest={base}/iiif/${BOOK}/manifest`, mirador],
      ['home page listing the exhibits', '/', (page) => page.waitForSelector('#exhibits a[href$="/exhibits/mulu"]')],
      ['exhibit', '/exhibits/mulu', (page) => page.waitForSelector('figure.item')],
    ];

    it('finds no serious or critical violation on any public page at 1280 and 390 px (axe-core)', async () => {
      // The pages' CSP refuses injected scripts: this context alone bypasses it, for axe.
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      const found: string[] = [];
      for (const [name, path, ready] of PAGES) {
        for (const size of SIZES) {
          await page.setViewportSize(size);
          await page.goto(`${server.url}${path.replace('{base}', encodeURIComponent(server.url))}`);
          await ready(page);
          found.push(...(await axeViolations(page)).map((v) => `${name} at ${size.width} px: ${v}`));
        }
      }
      await shot(page, 'readers-exhibit');
      await context.close();
      expect(found).to.deep.equal([]);
    });
  });
}
