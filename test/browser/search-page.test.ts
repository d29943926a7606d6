/**
 * The search page's controls in a real browser at 1280 and 390 px (issue 20): filters in force as
 * chips that survive a search matching nothing, the year range and order in the page, the note
 * when a query was searched as separate terms, a page past the last, the facets above the
 * results on a phone.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import { CHROMIUM, collectErrors, DESKTOP, hasChromium, launchBrowser, PHONE, shot } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { publishRealRecords } from '../support/real-catalogue.js';

if (!hasChromium) {
  console.log(`  (browser tests not run: no Chromium at ${CHROMIUM}; .ci/run installs Debian's chromium)`);
} else {
  describe('search page controls in a real browser', function () {
    this.timeout(60_000);
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    const scriptErrors: string[] = [];

    /** Waits until search.js has drawn its answer (the summary says how many, or that there are none). */
    const drawn = () => page.waitForFunction(() => {
      const { document } = globalThis as any;
      return /共|没有找到/.test(document.getElementById('summary').textContent) && document.getElementById('hits').dataset.drawn === 'true';
    });
    const hitTitles = () => page.locator('.hits li h2').allInnerTexts();

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      await publishRealRecords(server);
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: DESKTOP });
      collectErrors(page, scriptErrors, 'search page');
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });
    afterEach(() => expect(scriptErrors).to.deep.equal([]));

    it('keeps the filters as chips when nothing matches, and removing one brings the results back', async () => {
      await page.goto(`${server.url}/?q=${encodeURIComponent('芝城铜活字')}&division=${encodeURIComponent('史部')}`);
      await drawn();
      expect(await page.locator('#summary').innerText()).to.contain('没有找到');
      expect(await page.locator('.hits li').count()).to.equal(0);
      expect(await page.locator('#chips .chip').allInnerTexts()).to.deep.equal(['四部：史部 ×']);
      expect(await page.title()).to.equal('芝城铜活字 · 检索 · guji');
      expect(await page.locator('h1').count()).to.equal(1);
      await shot(page, 'search-zero-with-chips');
      await page.locator('#chips .chip').click();
      await page.waitForURL((url) => !url.searchParams.has('division'));
      await drawn();
      expect(await page.locator('.hits li').count()).to.equal(2);
      expect(new URL(page.url()).searchParams.get('q')).to.equal('芝城铜活字');

      // `work` is set only by links (a multi-part work's page); it shows as one chip, commas and all.
      await page.goto(`${server.url}/?work=${encodeURIComponent('甲,乙')}`);
      await drawn();
      expect(await page.locator('#chips .chip').allInnerTexts()).to.deep.equal(['所属多册作品：甲,乙 ×']);
      expect(await page.locator('#summary').innerText()).to.equal('没有找到符合筛选的古籍。去掉筛选试试。');
      await page.locator('#chips .chip').click();
      await page.waitForURL((url) => !url.searchParams.has('work'));
      await drawn();
      expect(await page.locator('.hits li').count()).to.equal(REAL_RECORDS.length);
    });

    it('sets the year range and the order from the page, into the URL and the results', async () => {
      await page.goto(`${server.url}/`);
      await drawn();
      const all = (await hitTitles()).length;
      expect(all).to.equal(REAL_RECORDS.length);
      await page.fill('#yearFrom', '1552');
      await page.fill('#yearTo', '1552');
      await page.press('#yearTo', 'Enter');
      await page.waitForURL((url) => url.searchParams.get('yearFrom') === '1552' && url.searchParams.get('yearTo') === '1552');
      await drawn();
      expect(await hitTitles()).to.have.length(1);
      expect(await page.locator('.hits li').innerText()).to.contain('1552芝城銅活字藍印本');
      expect(await page.locator('#chips .chip').allInnerTexts()).to.deep.equal(['年代：1552–1552 ×']);
      expect(await page.inputValue('#yearFrom')).to.equal('1552');

      await page.locator('#chips .chip').click();
      await page.waitForURL((url) => !url.searchParams.has('yearFrom'));
      await drawn();
      await page.selectOption('#sort', '-year');
      await page.waitForURL((url) => url.searchParams.get('sort') === '-year');
      await drawn();
      const expected = (await server.call('GET', '/api/search?sort=-year')).body.hits.map((h: any) => h.titleStatement);
      expect(await hitTitles()).to.deep.equal(expected);
      expect(await page.inputValue('#sort')).to.equal('-year');
      await page.selectOption('#sort', 'year');
      await page.waitForURL((url) => url.searchParams.get('sort') === 'year');
      await drawn();
      expect(await hitTitles()).to.deep.equal([...expected].reverse());
    });

    it('says when a query was searched as separate terms (芝城活字 → 芝城 活字)', async () => {
      await page.goto(`${server.url}/?q=${encodeURIComponent('芝城活字')}`);
      await drawn();
      expect(await page.locator('#summary').innerText()).to.equal('没有找到“芝城活字”，以下为“芝城”“活字”的结果：共 2 种');
      expect(await page.locator('.hits li').count()).to.equal(2);
      await shot(page, 'search-segmented');
    });

    it('shows the last page for a page past it', async () => {
      await page.goto(`${server.url}/?pageSize=1&page=999`);
      await drawn();
      const last = REAL_RECORDS.length;
      expect(await page.locator('#pager span').innerText()).to.equal(`第 ${last} / ${last} 页`);
      expect(new URL(page.url()).searchParams.get('page')).to.equal(String(last));
    });

    it('puts the facets above the results on a phone, folded in a drawer', async () => {
      const phone = await browser.newPage({ viewport: PHONE });
      collectErrors(phone, scriptErrors, 'search page on a phone');
      try {
        await phone.goto(`${server.url}/?q=${encodeURIComponent('芝城铜活字')}`);
        await phone.waitForFunction(() => (globalThis as any).document.getElementById('hits').dataset.drawn === 'true');
        const facets = (await phone.locator('#facets').boundingBox())!;
        const firstHit = (await phone.locator('.hits li').first().boundingBox())!;
        expect(facets.y).to.be.lessThan(firstHit.y);
        expect(await phone.locator('#facets details').getAttribute('open')).to.equal(null);
        expect(await phone.locator('#facets fieldset').first().isVisible()).to.equal(false);
        await phone.locator('#facets summary').click();
        await phone.locator('aside input[name="division"][value="子部"]').check();
        await phone.waitForURL(/division=/);
        await phone.waitForFunction(() => (globalThis as any).document.getElementById('hits').dataset.drawn === 'true');
        expect(await phone.locator('#chips .chip').allInnerTexts()).to.deep.equal(['四部：子部 ×']);
        await shot(phone, 'search-phone-drawer');
      } finally {
        await phone.close();
      }
    });
  });
}
