/**
 * Mirador's search panel inside a book (issue 16), in Debian's Chromium: once a leaf's text is
 * verified and the book published, the panel (which asks the manifest's Content Search 1.0
 * service) finds a phrase, lists the hit with its context, turns to the leaf — the spread
 * right to left, the leaf hit on the right — and highlights the matched characters there.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, collectErrors, DESKTOP, failOnPageErrorsAndClose, hasChromium, launchBrowser, shot } from '../support/browser.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { recordWithDemoLeaves } from '../support/scans.js';
import { typedColumns } from '../support/text-search.js';
import { publish } from '../support/texts.js';

const CN = '430000-0001-0000001';

/** The search state of Mirador's only window, read through its public selectors (a function: the CSP forbids eval). */
const SEARCH_STATE = (): { visible: string[]; annotations: { id: string; canvas: string; on: string }[]; selected: string[] } => {
  const { miradorInstance, Mirador } = globalThis as any;
  const state = miradorInstance.store.getState();
  const windowId = Object.keys(state.windows)[0]!;
  const annotations = Mirador.selectors.getSearchAnnotationsForWindow(state, { windowId }).flatMap((a: any) => a.resources);
  const selected = Object.values(state.searches[windowId] ?? {}).flatMap((s: any) => s.selectedContentSearchAnnotationIds ?? []);
  return {
    visible: Mirador.selectors.getVisibleCanvasIds(state, { windowId }) as string[],
    annotations: annotations.map((r: any) => ({ id: r.id, canvas: r.targetId, on: r.on[0] })),
    selected: selected as string[],
  };
};

if (!hasChromium) {
  console.log(`  (content search browser test not run: no Chromium at ${CHROMIUM})`);
} else {
  describe('Mirador searches inside a book (IIIF Content Search)', function () {
    this.timeout(90_000);
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    const errors: string[] = [];

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      const admin = await withLibrary(server);
      await recordWithDemoLeaves(server, admin, CN);
      // Leaf 2 (2.png) gets its transcription, verified.
      const typed = await server.call('PUT', `/api/records/${CN}/pages/2/text`, { token: admin, headers: { 'if-none-match': '*' }, body: { columns: typedColumns(2), status: 'verified' } });
      expect(typed.status, JSON.stringify(typed.body)).to.equal(200);
      await publish(server, CN, admin, admin);
      await server.services.textSearch.settled();
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: DESKTOP });
      collectErrors(page, errors, 'viewer');
    });
    failOnPageErrorsAndClose(errors, () => [browser, server]);

    it('finds a phrase, lists the hit and highlights it on the right leaf, right to left', async () => {
      await page.goto(`${server.url}/viewer?manifest=${encodeURIComponent(`${server.url}/iiif/${CN}/manifest`)}`);
      // Mirador's labels in simplified Chinese, as /viewer shows it: Toggle sidebar, Search, search terms, Submit search.
      await page.getByRole('button', { name: '切换边栏开关' }).click();
      await page.getByRole('tab', { name: '搜索' }).click();
      const input = page.getByRole('combobox', { name: '搜索关键字' }).or(page.getByLabel('搜索关键字'));
      await input.first().fill('七百種');
      await page.getByRole('button', { name: '提交搜索' }).click();

      // The hit is listed with its context as written.
      const hit = page.getByRole('listitem').filter({ hasText: '七百種' }).first();
      await hit.waitFor();
      expect(await hit.textContent()).to.include('七百種');

      const canvas2 = `${server.url}/iiif/${CN}/canvas/2`;
      let state = await page.evaluate(SEARCH_STATE);
      for (let i = 0; i < 100 && !(state.selected.length > 0 && state.visible.includes(canvas2)); i++) {
        await page.waitForTimeout(100);
        state = await page.evaluate(SEARCH_STATE);
      }
      // Two columns: 七百 ends the first line of the leaf, 種 begins the second.
      expect(state.annotations.map((a) => a.canvas)).to.deep.equal([canvas2, canvas2]);
      expect(state.annotations.every((a) => /#xywh=\d+,\d+,\d+,\d+$/.test(a.on))).to.equal(true);
      expect(state.selected).to.have.length.greaterThan(0);
      // The spread holding leaf 2 is shown, leaf 2 on the right (the string-bound book reads right to left).
      expect(state.visible).to.include(canvas2);
      const order = await page.evaluate(() => {
        const { miradorInstance, Mirador } = globalThis as any;
        const s = miradorInstance.store.getState();
        const windowId = Object.keys(s.windows)[0];
        const world = Mirador.selectors.getCurrentCanvasWorld(s, { windowId });
        return Mirador.selectors.getVisibleCanvases(s, { windowId })
          .map((c: any) => ({ id: c.id, x: world.canvasToWorldCoordinates(c.id)[0] }))
          .sort((a: any, b: any) => a.x - b.x).map((c: any) => c.id.split('/').pop());
      });
      expect(order).to.deep.equal(['3', '2']);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1500);
      await shot(page, 'mirador-content-search');
    });
  });
}
