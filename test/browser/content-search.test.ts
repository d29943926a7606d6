/**
 * The viewers' search inside a book (issue 16), in Debian's Chromium: once a leaf's text is
 * verified and the book published, Mirador's search panel and the Universal Viewer's search box
 * (each asks the manifest's Content Search 1.0 service) find a phrase, list the hit, turn to the
 * leaf — the spread right to left, the leaf hit on the right — and highlight the matched
 * characters there. Both complete what is typed from the 1.0 autocomplete service nested in the
 * search service; UV 4.4 only from the third character on (its AutoComplete's minChars, 2).
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { CHROMIUM, hasChromium, onTestServerPage, shot } from '../support/browser.js';
import { withLibrary, type TestServer } from '../support/http.js';
import { recordWithDemoLeaves } from '../support/scans.js';
import { printedColumnsOfLeaf2 } from '../support/text-search.js';
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
  describe('Mirador and the Universal Viewer search inside a book (IIIF Content Search)', function () {
    this.timeout(90_000);
    let server: TestServer;
    let page: Page;

    onTestServerPage('viewer', async (opened) => {
      ({ server, page } = opened);
      const admin = await withLibrary(server);
      await recordWithDemoLeaves(server, admin, CN);
      // Leaf 2 (2.png) gets its transcription, verified.
      const typed = await server.call('PUT', `/api/records/${CN}/pages/2/text`, { token: admin, headers: { 'if-none-match': '*' }, body: { columns: printedColumnsOfLeaf2(), status: 'verified' } });
      expect(typed.status, JSON.stringify(typed.body)).to.equal(200);
      await publish(server, CN, admin, admin);
      await server.services.textSearch.settled();
    });

    it('Mirador completes a phrase, finds it, lists the hit and highlights it on the right leaf, right to left', async () => {
      await page.goto(`${server.url}/viewer?manifest=${encodeURIComponent(`${server.url}/iiif/${CN}/manifest`)}`);
      // Mirador's labels in simplified Chinese, as /viewer shows it: Toggle sidebar, Search, search terms, Submit search.
      await page.getByRole('button', { name: '切换边栏开关' }).click();
      await page.getByRole('tab', { name: '搜索' }).click();
      const input = page.getByRole('combobox', { name: '搜索关键字' }).or(page.getByLabel('搜索关键字'));
      const asked: string[] = [];
      page.on('request', (r) => asked.push(r.url()));
      await input.first().fill('七百種');
      // It completes what is typed from the 1.0 autocomplete service nested in the search service.
      const option = page.getByRole('option').first();
      await option.waitFor();
      expect(await option.textContent()).to.match(/^七百種./u);
      expect(asked.some((u) => u.startsWith(`${server.url}/iiif/${CN}/autocomplete/1?q=`)), 'asked the 1.0 autocomplete').to.equal(true);
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
      // The whole spread in view (Mirador keeps the zoom of the leaf shown before), its highlights with it.
      await page.getByRole('button', { name: '重设缩放' }).click();
      await page.waitForTimeout(1500);
      await shot(page, 'mirador-content-search');
    });

    it('the Universal Viewer completes a phrase, finds it and highlights it on the right leaf, right to left', async () => {
      const asked: string[] = [];
      page.on('request', (r) => asked.push(r.url()));
      await page.goto(`${server.url}/viewer?viewer=uv&manifest=${encodeURIComponent(`${server.url}/iiif/${CN}/manifest`)}`);
      // Its search box under the leaves ("search within this item").
      const input = page.locator('#searchWithinInput');
      await input.waitFor();
      await input.click();
      await input.fill('七百種');
      // A Chinese input method commits the characters, then a key comes up: UV completes on keyup.
      await page.keyboard.press('Shift');
      const completions = page.locator('ul.autocomplete li.result');
      await completions.first().waitFor();
      expect(asked.some((u) => u.startsWith(`${server.url}/iiif/${CN}/autocomplete/1?q=`)), 'asked the 1.0 autocomplete').to.equal(true);
      const terms = await completions.allTextContents();
      expect(terms.length).to.be.greaterThan(0);
      expect(terms.every((t) => t.startsWith('七百種') && [...t].length > 3), terms.join(' ')).to.equal(true);

      await page.keyboard.press('Escape');
      await input.fill('七百種');
      await page.locator('.searchButton').click();
      await page.getByText(/检索词\s*'七百種'/).waitFor();
      expect(asked.some((u) => u === `${server.url}/iiif/${CN}/search/1?q=${encodeURIComponent('七百種')}`), 'asked the 1.0 search').to.equal(true);
      // Found on leaf 2 (canvas index 1), in two columns: 七百 ends its first line, 種 begins the second.
      const found = await page.evaluate(() => (globalThis as any).uv._assignedContentHandler.extension.annotations
        .map((a: any) => ({ canvasIndex: a.canvasIndex, chars: a.rects.map((r: any) => r.chars) })));
      expect(found).to.deep.equal([{ canvasIndex: 1, chars: ['七百', '種'] }]);

      // Its next-hit button turns to the spread of leaf 2 and draws the matched characters' boxes on it.
      await page.getByText('下一条结果').click();
      const sha2 = (await server.call('GET', `/api/records/${CN}`)).body.pages[1].sha256 as string;
      const UV_HIGHLIGHTS = (image: string) => {
        const ext = (globalThis as any).uv._assignedContentHandler.extension;
        const viewer = ext.centerPanel.viewer;
        const items = Array.from({ length: viewer.world.getItemCount() }, (_, i) => viewer.world.getItemAt(i));
        const leaf = items.find((it: any) => (it.source['@id'] ?? it.source.id).endsWith(image));
        const bounds = leaf?.getBounds();
        return {
          canvasIndex: ext.helper.canvasIndex as number,
          // Leaves shown, left to right, by whether each is the leaf hit.
          order: items.sort((a: any, b: any) => a.getBounds().x - b.getBounds().x).map((it: any) => it === leaf),
          // OpenSeadragon's overlays: the top left corner in `location`, and the size, in viewport coordinates.
          highlights: (viewer.currentOverlays as any[]).filter((o) => o.element.classList.contains('annotationRect')).map((o) => ({
            chars: o.element.title as string,
            onLeaf: Boolean(bounds) && o.location.x >= bounds.x && o.location.x + o.width <= bounds.x + bounds.width
              && o.location.y >= bounds.y && o.location.y + o.height <= bounds.y + bounds.height,
          })),
        };
      };
      let state = await page.evaluate(UV_HIGHLIGHTS, sha2);
      for (let i = 0; i < 100 && !(state.canvasIndex === 1 && state.order.length === 2 && state.highlights.length === 2); i++) {
        await page.waitForTimeout(100);
        state = await page.evaluate(UV_HIGHLIGHTS, sha2);
      }
      expect(state).to.deep.equal({
        canvasIndex: 1,
        // Leaves 2 and 3, leaf 2 on the right.
        order: [false, true],
        highlights: [{ chars: '七百', onLeaf: true }, { chars: '種', onLeaf: true }],
      });
      await page.waitForTimeout(1000);
      await shot(page, 'uv-content-search');
    });
  });
}
