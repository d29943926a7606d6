/**
 * Proofreading in a real browser, keyboard only: a surveyor corrects three characters of a page
 * read by the real OCR engine and saves; a reviewer verifies it; the page's history shows both;
 * a second OCR run leaves the page alone. Screenshots at desktop and phone widths.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, collectErrors, DESKTOP, failOnPageErrorsAndClose, hasChromium, launchBrowser, shot } from '../support/browser.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { bookPage, registerBook, REVIEWER, SURVEYOR, textTeam, upload, waitForJob } from '../support/texts.js';

const CN = '430000-0001-0000001';
const LOW = 0.6;

if (!hasChromium) {
  console.log(`  (proofreading journey not run: no Chromium at ${CHROMIUM})`);
} else {
  describe('proofreading a page in a real browser', function () {
    this.timeout(120_000);
    let server: TestServer;
    let browser: Browser;
    let surveyorToken: string;
    const scriptErrors: string[] = [];

    async function signIn(who: { username: string; password: string }): Promise<Page> {
      const context = await browser.newContext({ viewport: DESKTOP });
      const page = await context.newPage();
      collectErrors(page, scriptErrors, who.username);
      await page.goto(`${server.url}/records/${CN}/pages/1/proof`);
      await page.waitForURL(/\/login\?next=/);
      await page.getByLabel('用户名').fill(who.username);
      await page.getByLabel('密码').fill(who.password);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${server.url}/records/${CN}/pages/1/proof`);
      await page.waitForSelector('#columns input');
      return page;
    }

    /** Tabs from the top of the page until the focus is on the element matching `selector`. */
    async function tabTo(page: Page, selector: string): Promise<void> {
      await page.locator('body').focus();
      for (let i = 0; i < 100; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((s) => (globalThis as any).document.activeElement?.matches(s) ?? false, selector)) return;
      }
      throw new Error(`Tab never reached ${selector}`);
    }

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      const admin = await withLibrary(server);
      ({ surveyor: surveyorToken } = await textTeam(server, admin));
      await registerBook(server, surveyorToken, CN);
      await upload(server, surveyorToken, CN, [[bookPage(5), '5.png']]);
      const started = await server.call('POST', `/api/records/${CN}/text/ocr`, { token: surveyorToken });
      expect((await waitForJob(server, CN, surveyorToken, started.body.job.id)).status).to.equal('done');
      browser = await launchBrowser();
    });
    failOnPageErrorsAndClose(scriptErrors, () => [browser, server]);

    it('a surveyor corrects three characters with the keyboard alone and saves; low-confidence characters are marked', async () => {
      const before = (await server.call('GET', `/api/records/${CN}/pages/1/text`, { token: surveyorToken })).body;
      const page = await signIn(SURVEYOR);
      expect(await page.locator('#status').innerText()).to.equal('机器识别稿');
      // One field a column, in reading order (right to left), and the engine's doubts marked.
      expect(await page.locator('#columns input').count()).to.equal(before.columns.length);
      const low = before.columns.flatMap((c: any) => c.chars).filter((c: any) => c.confidence < LOW).length;
      expect(low).to.be.greaterThan(0);
      expect(await page.locator('#columns mark.low').count()).to.equal(low);
      const xs = await page.locator('#columns input').evaluateAll((inputs) => inputs.map((i) => i.getBoundingClientRect().x));
      expect(xs).to.deep.equal([...xs].sort((a, b) => b - a));
      // The verify button is for reviewers.
      expect(await page.locator('#verify').isHidden()).to.equal(true);
      await shot(page, 'proofread-ocr');

      const main = before.columns.findIndex((c: any) => c.kind === 'main' && [...c.text].length > 3);
      const original = [...before.columns[main].text];
      const wanted = ['壹', '貳', '參', ...original.slice(3)].join('');
      await tabTo(page, `#column-${main + 1}`);
      // The column's box is shown on the leaf while its field has the focus.
      expect(await page.locator('#focus-box').isVisible()).to.equal(true);
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(wanted);
      await page.keyboard.press('Control+Enter');
      await page.waitForFunction(() => (globalThis as any).document.getElementById('status')?.textContent === '已校对');
      const after = (await server.call('GET', `/api/records/${CN}/pages/1/text`, { token: surveyorToken })).body;
      expect(after).to.include({ status: 'proofread', version: 2, updatedBy: SURVEYOR.username });
      expect(after.columns[main].text).to.equal(wanted);
      // Only that column changed; its characters kept their boxes.
      after.columns.forEach((c: any, i: number) => {
        if (i !== main) expect(c.text).to.equal(before.columns[i].text);
      });
      expect(after.columns[main].chars.map((c: any) => c.box)).to.deep.equal(before.columns[main].chars.map((c: any) => c.box));
      await page.context().close();
    });

    it('a reviewer verifies the page; its history shows the OCR, the correction and the verification', async () => {
      const page = await signIn(REVIEWER);
      expect(await page.locator('#status').innerText()).to.equal('已校对');
      await tabTo(page, '#verify');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => (globalThis as any).document.getElementById('status')?.textContent === '已审定');
      await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#history li').length === 3);
      const history = await page.locator('#history li').allInnerTexts();
      expect(history[0]).to.match(/^审定 · zhaoyun/);
      expect(history[1]).to.match(/^校对 · liwen/);
      expect(history[2]).to.match(/^识别 · guji \(OCR\)/);
      await shot(page, 'proofread-verified');
      await page.context().close();
    });

    it('a second OCR run leaves the verified page alone', async () => {
      const started = await server.call('POST', `/api/records/${CN}/text/ocr`, { token: surveyorToken });
      const job = await waitForJob(server, CN, surveyorToken, started.body.job.id);
      expect(job.pages.map((p: any) => p.outcome)).to.deep.equal(['kept']);
      const text = (await server.call('GET', `/api/records/${CN}/pages/1/text`, { token: surveyorToken })).body;
      expect(text).to.include({ status: 'verified', version: 3 });
      expect(text.columns.some((c: any) => c.text.startsWith('壹貳參'))).to.equal(true);
    });
  });
}
