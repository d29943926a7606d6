/**
 * The server-rendered public pages in a real browser at 1280 and 390 px (issues 17 and 20): the
 * page scripts still enhance them — the viewer on a digitized record, the review actions for
 * staff, a staff member's draft drawn by the script, facets that filter — with no script error
 * and no Content-Security-Policy refusal (the JSON-LD block is data, not script).
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import { CHROMIUM, collectErrors, failOnPageErrorsAndClose, hasChromium, launchBrowser, shot as save } from '../support/browser.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';
import { publishRealRecords } from '../support/real-catalogue.js';
import { ingestDemoScans } from '../support/scans.js';

if (!hasChromium) {
  console.log(`  (browser tests not run: no Chromium at ${CHROMIUM}; .ci/run installs Debian's chromium)`);
} else {
  describe('server-rendered pages in a real browser', function () {
    this.timeout(60_000);
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let admin: string;
    const errors: string[] = [];
    const shot = (name: string) => save(page, name);

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      await publishRealRecords(server);
      admin = await server.login('admin', ADMIN_PASSWORD);
      await server.call('POST', '/api/records', { token: admin, body: { ...REAL_RECORDS[2], censusNumber: '110000-0101-0000001', titleStatement: '墨子十五卷', editionStatement: '清刻本' } });
      await ingestDemoScans(server, '110000-0101-0013797', ['1.png', '2.png'].map((name) => ({ name, juan: '卷十六', label: name })));
      await server.services.indexer.catchUp();
      browser = await launchBrowser();
      page = await browser.newPage();
      collectErrors(page, errors, 'public pages');
    });
    failOnPageErrorsAndClose(errors, () => [browser, server]);

    it('keeps the server-drawn record and adds the viewer, once, with no CSP refusal of the JSON-LD', async () => {
      await page.goto(`${server.url}/records/110000-0101-0013797`);
      await page.waitForSelector('#digitized:not([hidden])');
      await page.waitForFunction(() => {
        const { window } = globalThis as any;
        return Boolean(window.miradorInstance);
      });
      expect(await page.locator('#title').innerText()).to.equal('通書類聚尅擇大全□□卷');
      expect(await page.title()).to.equal('通書類聚尅擇大全□□卷 · guji');
      expect(await page.locator('#fields dt', { hasText: /^题名卷数$/ }).count()).to.equal(1);
      expect(await page.locator('#fields').innerText()).to.contain('明嘉靖三十年（1551）芝城銅活字印本');
      const data = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent() as string);
      expect(data.image).to.match(/\/iiif\/3\/[0-9a-f]{64}\/full\/!200,200\/0\/default\.jpg$/);
      expect(await page.locator('head link[rel="alternate"][title="IIIF"]').getAttribute('type')).to.equal('application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"');
      expect(await page.locator('#citation').innerText()).to.equal('通書類聚尅擇大全: □□卷[M]. 銅活字印本. [出版地不详]: 芝城, 1551(明嘉靖三十年).');
      await shot('record-server-rendered');
    });

    it('translates the server-drawn labels to English and leaves the catalogue text as written', async () => {
      await page.evaluate(() => (globalThis as any).localStorage.setItem('guji-lang', 'en'));
      await page.goto(`${server.url}/records/110000-0101-0010283`);
      expect(await page.locator('#fields dt').first().innerText()).to.equal('Census number');
      expect(await page.locator('#title').innerText()).to.equal('［萬曆］金華府志三十卷');
      expect(await page.locator('#cite h2').innerText()).to.equal('Cite');
      expect(await page.locator('#fields').innerText()).to.contain('（明）王懋德（明）陸鳳儀纂修');
      await page.evaluate(() => (globalThis as any).localStorage.removeItem('guji-lang'));
    });

    it('leads from a person on a record to their page, and from the 四部 tree to a filtered search', async () => {
      await page.goto(`${server.url}/records/110000-0101-0010283`);
      await page.getByRole('link', { name: '王懋德' }).click();
      await page.waitForURL(/\/persons\//);
      expect(await page.locator('h1').innerText()).to.equal('（明）王懋德');
      expect(await page.locator('.hits li h3').allInnerTexts()).to.deep.equal(['［萬曆］金華府志三十卷']);
      await shot('person');
      await page.goto(`${server.url}/browse`);
      expect(await page.locator('ul.tree > li > a').allInnerTexts()).to.deep.equal(['史部', '子部']);
      await shot('browse');
      await page.getByRole('link', { name: '墨家類' }).click();
      await page.waitForURL(/category=/);
      await page.waitForSelector('aside input[type="checkbox"]');
      expect(await page.locator('.hits li h2').allInnerTexts()).to.deep.equal(['墨子十五卷']);
    });

    it('shows the server-rendered results, then the script takes them over: no duplicates, facets filter', async () => {
      await page.goto(`${server.url}/?q=${encodeURIComponent('芝城铜活字')}`);
      // The script has drawn its facets (checkboxes) over the server's links.
      await page.waitForSelector('aside input[name="division"]');
      expect(await page.title()).to.equal('芝城铜活字 · 检索 · guji');
      expect(await page.locator('.hits li').count()).to.equal(2);
      expect(await page.locator('#summary').innerText()).to.equal('“芝城铜活字”：共 2 种');
      await shot('search-server-rendered');
      await page.locator('aside input[name="editionType"]').first().check();
      await page.waitForURL(/editionType=/);
      await page.waitForSelector('aside input[name="editionType"]:checked');
      expect(await page.locator('.hits li').count()).to.equal(2);
    });

    it('lets staff open a draft the server answers 404 for, drawn by the script, with their actions', async () => {
      await page.goto(`${server.url}/`);
      const user = (await server.call('GET', '/api/session', { token: admin })).body;
      await page.evaluate(({ token, user }) => {
        const { localStorage } = globalThis as any;
        localStorage.setItem('guji-token', token);
        localStorage.setItem('guji-user', JSON.stringify(user.user ?? user));
      }, { token: admin, user });
      const response = await page.goto(`${server.url}/records/110000-0101-0000001`);
      expect(response?.status()).to.equal(404);
      await page.waitForSelector('#staff:not([hidden])');
      expect(await page.locator('#title').innerText()).to.equal('墨子十五卷');
      expect(await page.locator('#fields').innerText()).to.contain('清刻本');
      expect(await page.locator('#actions button').allInnerTexts()).to.include('提交审校');
      // The search page's script shows staff their drafts beside the published copy.
      await page.goto(`${server.url}/?q=${encodeURIComponent('墨子')}`);
      await page.waitForSelector('aside input[name="status"]');
      expect(await page.locator('.hits li').count()).to.equal(2);
      await page.evaluate(() => (globalThis as any).localStorage.clear());
    });

    // The links are written into every page from src/http/pages/site-layout.ts and drawn again
    // by public/ui.js for the visitor, from the header as served: for an anonymous one, the same
    // links in the same order.
    it('draws for an anonymous visitor the navigation the HTML carries for readers without JavaScript', async () => {
      const links = (on: Page) => on.locator('header.top nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      const plain = await browser.newPage({ javaScriptEnabled: false });
      const scripted = await browser.newPage();
      collectErrors(scripted, errors, 'site header');
      try {
        for (const path of ['/stats', '/login', '/browse']) {
          await plain.goto(server.url + path);
          const served = await links(plain);
          expect(served, path).to.include.members(['/', '/browse', '/stats']);
          expect(await plain.locator('header.top nav a').first().isVisible(), path).to.equal(true);
          await scripted.goto(server.url + path);
          // ui.js has drawn the header when the account corner (sign-in, language) is there.
          await scripted.waitForSelector('header.top .account');
          expect(await links(scripted), path).to.deep.equal(served);
        }
      } finally {
        await plain.close();
        await scripted.close();
      }
    });
  });
}
