/**
 * The pages people use, in a real browser: Debian's Chromium driven by playwright-core (CI
 * installs both; see .ci/run). Screenshots at desktop and phone widths are saved in
 * test-output/screenshots for review.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = path.resolve(import.meta.dirname, '../../test-output/screenshots');

if (!existsSync(CHROMIUM)) {
  console.log(`  (browser tests not run: no Chromium at ${CHROMIUM}; .ci/run installs Debian's chromium)`);
} else {
  describe('pages in a real browser', function () {
    this.timeout(60_000);
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    const shot = async (name: string) => {
      for (const [width, label] of [[1280, 'desktop'], [390, 'phone']] as const) {
        await page.setViewportSize({ width, height: 900 });
        await page.screenshot({ path: path.join(screenshots, `${name}-${label}.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    };

    before(async () => {
      mkdirSync(screenshots, { recursive: true });
      server = await startTestServer();
      const admin = await server.login('admin', ADMIN_PASSWORD);
      await server.call('POST', '/api/units', { token: admin, body: { province: '110000', code: '0101', name: '國家圖書館' } });
      for (const record of REAL_RECORDS) {
        await server.call('POST', '/api/records', { token: admin, body: record });
        for (const action of ['submit', 'approve', 'publish']) {
          await server.call('POST', `/api/records/${record.censusNumber}/transitions`, { token: admin, body: { action } });
        }
      }
      await server.services.indexer.catchUp();
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
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
      await page.waitForFunction("document.getElementById('summary').textContent !== ''");
      expect(await page.locator('#summary').innerText()).to.contain('没有找到');
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
