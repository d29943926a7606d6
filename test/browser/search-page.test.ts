/**
 * The search page's controls in a real browser at 1280 and 390 px (issue 20): filters in force as
 * chips that survive a search matching nothing, the year range and order in the page, the note
 * when a query was searched as separate terms, a page past the last, the facets above the
 * results on a phone; searching the books' text (issue 16) with its matches under each book;
 * the network down, a 500 and a slow answer said plainly; the results a few Tab presses away.
 */
import { expect } from 'chai';
import type { Browser, Page, Route } from 'playwright-core';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
// @ts-expect-error: a plain ES module served to browsers, without types.
import { CODE_MESSAGES } from '../../public/messages.js';
import { axeViolations, CHROMIUM, collectErrors, DESKTOP, hasChromium, onTestServerPage, PHONE, shot } from '../support/browser.js';
import { withLibrary, type TestServer } from '../support/http.js';
import { publishRealRecords } from '../support/real-catalogue.js';
import { typedColumns } from '../support/text-search.js';
import { bookPage, publish, registerBook, textTeam, upload } from '../support/texts.js';

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

    onTestServerPage('search page', async (opened) => {
      ({ server, browser, page } = opened);
      await publishRealRecords(server);
    }, { errors: scriptErrors });

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

  describe('search in the books\' text, failures and the keyboard, in a real browser', function () {
    this.timeout(90_000);
    const cn = '430000-0001-0000001';
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    const scriptErrors: string[] = [];
    const drawn = (on: Page = page) => on.waitForFunction(() => (globalThis as any).document.getElementById('hits').dataset.drawn === 'true');
    const open = async (query: Record<string, string>, on: Page = page) => {
      await on.goto(`${server.url}/?${new URLSearchParams(query)}`);
      await drawn(on);
    };

    onTestServerPage('search page', async (opened) => {
      ({ server, browser, page } = opened);
      const admin = await withLibrary(server);
      const { surveyor, reviewer } = await textTeam(server, admin);
      // A digitized book whose first leaf's text is verified (大學士于敏中 is on it, not in its record).
      await registerBook(server, surveyor, cn);
      await upload(server, surveyor, cn, [[bookPage(1), '1.png'], [bookPage(2), '2.png']]);
      const res = await server.call('PUT', `/api/records/${cn}/pages/1/text`, { token: reviewer, headers: { 'if-none-match': '*' }, body: { columns: typedColumns(1), status: 'verified' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      await publish(server, cn, surveyor, reviewer);
      await server.services.textSearch.settled();
      await server.services.indexer.catchUp();
    }, { errors: scriptErrors });

    it('searches the text from the page: each book with its best leaf, the phrase marked as written, linking to the leaf in the viewer', async () => {
      await open({ q: '大学士于敏中' });
      expect(await page.locator('#summary').innerText()).to.contain('没有找到');
      await page.locator('.scope input[value="text"]').check();
      await page.waitForURL((url) => url.searchParams.get('in') === 'text');
      await drawn();
      expect(await page.locator('#summary').innerText()).to.equal('“大学士于敏中”：正文中共 1 种');
      expect(await page.locator('.scope input[value="text"]').isChecked()).to.equal(true);
      const line = page.locator('.hits li .in-text li').first();
      expect(await line.locator('.where').innerText()).to.match(/^正文/);
      expect(await line.locator('mark').innerText()).to.equal('大學士于敏中');
      expect(await line.locator('a').innerText()).to.contain('二十五日大學士于敏中');
      const href = await line.locator('a').getAttribute('href');
      const target = new URL(href!, server.url);
      expect(target.pathname).to.equal('/viewer');
      expect(target.searchParams.get('canvas')).to.equal('1');
      expect(target.searchParams.get('manifest')).to.equal(`${server.url}/iiif/${cn}/manifest`);
      await shot(page, 'search-in-text');
    });

    it('shows a field hit whose text holds the query too with a line that searches the text, and both with 全部', async () => {
      await open({ q: '四库全书' });
      const more = page.locator('.hits li .more-text a');
      expect(await more.innerText()).to.match(/^正文中另有 \d+ 处$/);
      await more.click();
      await page.waitForURL((url) => url.searchParams.get('in') === 'text' && url.searchParams.get('q') === '四库全书');
      await drawn();
      expect(await page.locator('.hits li .in-text mark').first().innerText()).to.equal('四庫全書');
      await page.locator('.scope input[value="all"]').check();
      await page.waitForURL((url) => url.searchParams.get('in') === 'all');
      await drawn();
      expect(await page.locator('#summary').innerText()).to.equal('“四库全书”：著录与正文中共 1 种');
      expect(await page.locator('.hits li h2 mark').first().innerText()).to.equal('四庫全書');
      expect(await page.locator('.hits li .in-text li').count()).to.be.greaterThan(0);
      // Back to the fields: the default is left out of the URL.
      await page.locator('.scope input[value="fields"]').check();
      await page.waitForURL((url) => !url.searchParams.has('in'));
      await drawn();
    });

    it('lays the text matches out on a phone without running off the screen', async () => {
      const phone = await browser.newPage({ viewport: PHONE });
      collectErrors(phone, scriptErrors, 'search page on a phone');
      try {
        await open({ q: '大学士于敏中', in: 'text' }, phone);
        expect(await phone.locator('.hits li .in-text mark').first().isVisible()).to.equal(true);
        await shot(phone, 'search-in-text-phone');
      } finally {
        await phone.close();
      }
    });

    /** Answers GET /api/search with `answer` once, and waits for the page to say so in its summary. */
    const failing = async (answer: (route: Route) => Promise<void>) => {
      // The page asks for the exhibits alongside the search, and a request that succeeds after the
      // failure rightly clears the status line (the connection is back): the search fails after it.
      const exhibits = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/exhibits');
      await page.route('**/api/search?*', async (route) => {
        await exhibits;
        await answer(route);
      }, { times: 1 });
      await page.goto(`${server.url}/?q=${encodeURIComponent('四库全书')}`);
      await page.waitForFunction(() => (globalThis as any).document.getElementById('summary').getAttribute('role') === 'alert');
      // No blank page: the results the server drew stay, with the form and the reader's query.
      expect(await page.locator('.hits li').count()).to.equal(1);
      expect(await page.inputValue('#q')).to.equal('四库全书');
      expect(await page.locator('#loading').isHidden()).to.equal(true);
      return page.locator('#summary').innerText();
    };

    it('says plainly when the network is down or the server fails, and keeps the page', async () => {
      expect(await failing((route) => route.abort('internetdisconnected'))).to.equal(`检索出错：${CODE_MESSAGES.network_down[0]}`);
      // The status line may say the answer is slow first on a loaded machine: wait for what it says last.
      await page.waitForFunction((want) => (globalThis as any).document.getElementById('net-status')?.innerText === want, CODE_MESSAGES.network_down[0]);
      await shot(page, 'search-network-down');
      const internal = { status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'boom' } }) };
      expect(await failing((route) => route.fulfill(internal))).to.equal(`检索出错：${CODE_MESSAGES.internal[0]}`);
      // A proxy's error page, not the API's JSON: the status says enough.
      const proxy = { status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' };
      expect(await failing((route) => route.fulfill(proxy))).to.equal(`检索出错：${CODE_MESSAGES.server_error[0].replace('{status}', '502')}`);
    });

    it('shows that it is searching while a slow answer is awaited, then the answer', async () => {
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route('**/api/search?*', async (route) => {
        await held;
        await route.continue();
      }, { times: 1 });
      await page.goto(`${server.url}/?q=${encodeURIComponent('四库全书')}&in=text`);
      await page.locator('#loading').waitFor({ state: 'visible' });
      expect(await page.locator('#loading').innerText()).to.equal('检索中…');
      expect(await page.locator('#results').getAttribute('aria-busy')).to.equal('true');
      // After a moment the page's status line says the server is slow (ui.js).
      await page.locator('#net-status[data-kind="slow"]').waitFor({ state: 'visible' });
      await shot(page, 'search-slow');
      release();
      await drawn();
      expect(await page.locator('#loading').isHidden()).to.equal(true);
      expect(await page.locator('#results').getAttribute('aria-busy')).to.equal(null);
      expect(await page.locator('#net-status').isHidden()).to.equal(true);
      expect(await page.locator('.hits li .in-text li').count()).to.be.greaterThan(0);
    });

    it('reaches the first result in two Tab presses through the skip link, and counts the way without it', async () => {
      await open({ q: '四库全书' });
      const focused = () => page.evaluate(() => {
        const a = (globalThis as any).document.activeElement;
        return { text: a?.textContent?.trim() ?? '', first: a === (globalThis as any).document.querySelector('.hits li h2 a') };
      });
      await page.keyboard.press('Tab');
      expect((await focused()).text).to.equal('跳到检索结果');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      expect((await focused()).first).to.equal(true);
      // Without the skip link: the header, the form and the facets come first (one stop each); a bound keeps it sensible.
      await page.goto(`${server.url}/?q=${encodeURIComponent('四库全书')}`);
      await drawn();
      let presses = 0;
      do {
        await page.keyboard.press('Tab');
        presses += 1;
      } while (!(await focused()).first && presses < 100);
      expect((await focused()).first).to.equal(true);
      expect(presses).to.be.at.most(40);
    });

    it('has no serious or critical accessibility violation with text matches drawn, at 1280 and 390 px (axe-core)', async () => {
      // The page's CSP refuses injected scripts: this context alone bypasses it, as the axe test of every page does.
      const context = await browser.newContext({ bypassCSP: true });
      try {
        const axePage = await context.newPage();
        for (const viewport of [DESKTOP, PHONE]) {
          await axePage.setViewportSize(viewport);
          await open({ q: '四库全书', in: 'all' }, axePage);
          const found = await axeViolations(axePage);
          expect(found, `${viewport.width} px`).to.deep.equal([]);
        }
      } finally {
        await context.close();
      }
    });

    it('says the new controls and lines in English in the English interface', async () => {
      const english = await browser.newPage({ viewport: DESKTOP });
      collectErrors(english, scriptErrors, 'search page in English');
      try {
        await english.goto(`${server.url}/`);
        await english.evaluate(() => (globalThis as any).localStorage.setItem('guji-lang', 'en'));
        await open({ q: '四库全书' }, english);
        expect(await english.locator('.scope legend').innerText()).to.equal('Search in');
        expect(await english.locator('.scope label').allInnerTexts()).to.deep.equal(['Catalogue', 'Full text', 'Both']);
        expect(await english.locator('.skip').innerText()).to.equal('Skip to the results');
        expect(await english.locator('.hits li .more-text a').innerText()).to.match(/^\d+ more in the text$/);
        await open({ q: '大学士于敏中', in: 'text' }, english);
        expect(await english.locator('#summary').innerText()).to.equal('“大学士于敏中” in the text: 1 books');
        expect(await english.locator('.in-text .where').first().innerText()).to.match(/^Text/);
      } finally {
        await english.close();
      }
    });
  });
}
