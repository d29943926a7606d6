/**
 * The public pages in a real browser: search, facets, a record with its viewer, the overview.
 * The staff journeys are in journeys.test.ts.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchBrowser, shot as save } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { publishRealRecords } from '../support/real-catalogue.js';
import { demoLeaves, ingestDemoScans } from '../support/scans.js';

if (!hasChromium) {
  console.log(`  (browser tests not run: no Chromium at ${CHROMIUM}; .ci/run installs Debian's chromium)`);
} else {
  describe('pages in a real browser', function () {
    this.timeout(60_000);
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    const shot = (name: string) => save(page, name);

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      await publishRealRecords(server);
      browser = await launchBrowser();
      page = await browser.newPage();
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    it('finds a book by a simplified-character query and shows it as written, highlighted, with facets', async () => {
      await page.goto(`${server.url}/`);
      await page.fill('input[name="q"]', '通书类聚');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.hits li');
      expect(new URL(page.url()).searchParams.get('q')).to.equal('通书类聚');
      expect(await page.locator('.hits li h2').allInnerTexts()).to.deep.equal(['通書類聚尅擇大全□□卷']);
      expect(await page.locator('.hits li h2 mark').innerText()).to.equal('通書類聚');
      expect(await page.locator('#summary').innerText()).to.contain('共 1 种');
      expect(await page.locator('aside legend').allInnerTexts()).to.include.members(['四部', '版本类型', '朝代']);
      expect(await page.locator('aside fieldset:has(legend:text("收藏单位")) label').innerText()).to.contain('國家圖書館');
      await shot('search');
    });

    it('narrows by a facet through a shareable URL, and says so when nothing matches', async () => {
      await page.goto(`${server.url}/?q=${encodeURIComponent('芝城铜活字')}`);
      await page.waitForSelector('.hits li');
      expect(await page.locator('.hits li').count()).to.equal(2);
      await page.locator('aside input[name="division"][value="子部"]').check();
      await page.waitForURL(/division=/);
      await page.waitForSelector('.hits li');
      expect(new URL(page.url()).searchParams.get('division')).to.equal('子部');
      await page.goto(`${server.url}/?q=${encodeURIComponent('不存在的書名')}`);
      await page.waitForFunction(() => {
        const { document } = globalThis as any;
        return document.getElementById('summary').textContent !== '';
      });
      expect(await page.locator('#summary').innerText()).to.contain('没有找到');
    });

    it('labels facets, their values and census fields in English from the declared tables (GET /api/schema)', async () => {
      await page.goto(`${server.url}/`);
      await page.evaluate(() => (globalThis as any).localStorage.setItem('guji-lang', 'en'));
      try {
        await page.goto(`${server.url}/?q=${encodeURIComponent('芝城铜活字')}`);
        await page.waitForSelector('.hits li');
        expect(await page.locator('aside legend').allInnerTexts()).to.include.members(['Four Branches', 'Edition type', 'Digitized']);
        expect(await page.locator('aside fieldset:has(legend:text("Digitized")) label').allInnerTexts()).to.satisfy((labels: string[]) => labels.some((l) => l.includes('not digitized')));
        const href = await page.locator('.hits li h2 a').first().getAttribute('href');
        await page.goto(`${server.url}${href}`);
        await page.waitForSelector('#fields dt');
        expect(await page.locator('#fields dt').allInnerTexts()).to.include.members(['Census number', 'Title and juan', 'Edition']);
      } finally {
        await page.evaluate(() => (globalThis as any).localStorage.removeItem('guji-lang'));
      }
    });

    it('shows a digitized record with its viewer paging right to left, the manifest link and an embed snippet', async () => {
      const cn = '110000-0101-0013797';
      await ingestDemoScans(server, cn, demoLeaves('卷十六'));

      const images: string[] = [];
      page.on('response', (r) => {
        if (r.url().includes('/iiif/3/') && r.status() === 200) images.push(r.url());
      });
      const dialogs: string[] = [];
      page.on('dialog', (d) => void d.dismiss().then(() => dialogs.push(d.message())));
      await page.goto(`${server.url}/records/${cn}`);
      await page.waitForSelector('#digitized:not([hidden])');
      expect(await page.locator('#title').innerText()).to.equal('通書類聚尅擇大全□□卷');
      expect(await page.locator('dl.fields').innerText()).to.contain('明嘉靖三十年（1551）芝城銅活字印本');
      const embed = await page.locator('#embed').inputValue();
      expect(embed).to.contain(`/viewer?manifest=${encodeURIComponent(`${server.url}/iiif/${cn}/manifest`)}`);
      expect(await page.locator('#manifest-link').getAttribute('href')).to.equal(`${server.url}/iiif/${cn}/manifest`);

      // Mirador is asked for once the reader nears the viewer (issue 20's budget).
      await page.locator('#viewer').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => Boolean((globalThis as any).miradorInstance));
      // Mirador has read the manifest: right to left, book view, the first leaf alone, then 2 and 3.
      await page.waitForFunction(() => {
        const { window, Mirador } = globalThis as any;
        const state = window.miradorInstance.store.getState();
        const windowId = Object.keys(state.windows)[0];
        return windowId && Mirador.selectors.getVisibleCanvases(state, { windowId }).length > 0;
      });
      const first = await page.evaluate(`(() => {
        const state = window.miradorInstance.store.getState();
        const windowId = Object.keys(state.windows)[0];
        return {
          direction: Mirador.selectors.getSequenceViewingDirection(state, { windowId }),
          view: state.windows[windowId].view,
          visible: Mirador.selectors.getVisibleCanvases(state, { windowId }).map((c) => c.id.split('/').pop()),
        };
      })()`);
      expect(first).to.deep.equal({ direction: 'right-to-left', view: 'book', visible: ['1'] });
      // The first leaf's tiles before turning on: Mirador, loaded when the viewer came near, may not have asked yet.
      for (let i = 0; i < 100 && !images.some((u) => u.includes('b7f90b9fbd3ca8d5d5293898c3e999aa73836c3a791055231a3ebe6a7431d4dc') && u.endsWith('.jpg')); i++) await page.waitForTimeout(100);
      await page.evaluate(`(() => {
        const state = window.miradorInstance.store.getState();
        window.miradorInstance.store.dispatch(Mirador.actions.setNextCanvas(Object.keys(state.windows)[0]));
      })()`);
      const spread = await page.evaluate(`(() => {
        const state = window.miradorInstance.store.getState();
        const windowId = Object.keys(state.windows)[0];
        return Mirador.selectors.getVisibleCanvases(state, { windowId }).map((c) => c.id.split('/').pop());
      })()`);
      expect(spread).to.deep.equal(['2', '3']);
      await page.waitForTimeout(1500);
      const sha = (n: string) => ({ '1': 'b7f90b9fbd3ca8d5d5293898c3e999aa73836c3a791055231a3ebe6a7431d4dc', '2': '271edcf7f8fda2f4dfa94384516f96884b1b46444a857d5281a2a72a6b911b38', '3': 'ca22eddd520cdf5c4f572e2257419c625995647178ca611c2508baa89b0350bc' })[n]!;
      // The viewer fetched each leaf's image information and tiles from our image service.
      for (const n of ['1', '2', '3']) {
        expect(images.some((u) => u.includes(sha(n)) && u.endsWith('info.json')), `info.json of canvas ${n}`).to.equal(true);
        expect(images.some((u) => u.includes(sha(n)) && u.endsWith('.jpg')), `an image of canvas ${n}`).to.equal(true);
      }
      // Mirador's error dialog, in the Chinese the record page shows it in (发生错误) or English.
      expect(await page.locator('text=/An error occurred|发生错误/').count()).to.equal(0);
      await shot('record-viewer');
    });

    it('shows the district overview with its charts', async () => {
      await page.goto(`${server.url}/stats`);
      await page.waitForSelector('.total b');
      expect(await page.locator('.total b').first().innerText()).to.equal('3');
      expect(await page.locator('section h2').allInnerTexts()).to.include.members(['四部分类', '版本类型', '朝代', '世纪']);
      await shot('stats');
    });
  });
}
