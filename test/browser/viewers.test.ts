/**
 * Mirador and the Universal Viewer, as published in npm and served by /viewer, open manifests of
 * real scans (pages of 欽定四庫全書簡明目錄 from ../shared/data, copied to src/demo/scans)
 * in Debian's Chromium. A string-bound book shows its first leaf alone, then leaves 2 and 3 as a
 * spread with leaf 2 — the earlier — on the right; a Western-bound one puts it on the left. Where
 * each leaf sits is read from each viewer's own layout: Mirador's canvas world (its public
 * selectors) and the Universal Viewer's OpenSeadragon world.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, collectErrors, DESKTOP, failOnPageErrorsAndClose, hasChromium, launchBrowser, shot } from '../support/browser.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { DEMO_LEAF_FILES, recordWithDemoLeaves } from '../support/scans.js';
import { publish } from '../support/texts.js';

const STRING_BOUND = '430000-0001-0000001';
const WESTERN = '430000-0001-0000002';

/** Where the viewer has put each visible leaf: its image id (the master's SHA-256) and left edge, left to right. */
// Functions, not strings: the pages' Content-Security-Policy forbids evaluating strings, and
// Playwright polls a string predicate with eval.
type Layout = { image: string; x: number }[];
const MIRADOR_LAYOUT = (): Layout => {
  const { miradorInstance, Mirador } = globalThis as any;
  const state = miradorInstance.store.getState();
  const windowId = Object.keys(state.windows)[0];
  const world = Mirador.selectors.getCurrentCanvasWorld(state, { windowId });
  return Mirador.selectors.getVisibleCanvases(state, { windowId })
    .map((canvas: any) => ({ image: canvas.__jsonld.items[0].items[0].body.service[0].id.split('/').pop(), x: world.canvasToWorldCoordinates(canvas.id)[0] }))
    .sort((a: any, b: any) => a.x - b.x);
};
const UV_LAYOUT = (): Layout => {
  const viewer = (globalThis as any).uv._assignedContentHandler.extension.centerPanel.viewer;
  return Array.from({ length: viewer.world.getItemCount() }, (_, i) => viewer.world.getItemAt(i))
    .map((item: any) => ({ image: (item.source['@id'] ?? item.source.id).split('/').pop(), x: item.getBounds().x }))
    .sort((a, b) => a.x - b.x);
};

if (!hasChromium) {
  console.log(`  (viewer tests not run: no Chromium at ${CHROMIUM}; .ci/run installs Debian's chromium)`);
} else {
  describe('Mirador and the Universal Viewer in a real browser', function () {
    this.timeout(90_000);
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let sha: string[];
    let requested: string[];
    /** Image requests answered with an error (4xx, 5xx) since the viewer was opened. */
    let refused: string[];
    const errors: string[] = [];

    const manifestUrl = (cn: string) => `${server.url}/iiif/${cn}/manifest`;
    const open = async (viewer: 'mirador' | 'uv', cn: string) => {
      requested = [];
      refused = [];
      await page.goto(`${server.url}/viewer?${viewer === 'uv' ? 'viewer=uv&' : ''}manifest=${encodeURIComponent(manifestUrl(cn))}`);
    };
    const layoutOf = (viewer: 'mirador' | 'uv') => page.evaluate(viewer === 'uv' ? UV_LAYOUT : MIRADOR_LAYOUT);
    /** Waits until the viewer shows exactly these leaves (1-based), then gives their order on screen. */
    const showing = async (viewer: 'mirador' | 'uv', leaves: number[]) => {
      const wanted = JSON.stringify(leaves.map((n) => sha[n - 1]).sort());
      // Not the layout functions themselves: only the predicate's own source reaches the page.
      for (let i = 0; i < 300; i++) {
        const now = await layoutOf(viewer).catch(() => null);
        if (now && JSON.stringify(now.map((l) => l.image).sort()) === wanted) break;
        await page.waitForTimeout(100);
      }
      return (await layoutOf(viewer)).map((l) => sha.indexOf(l.image) + 1);
    };
    /** Turns the Universal Viewer to the second leaf as a reader would: by its thumbnail (卷一 葉一b). */
    const uvToSecondLeaf = async () => {
      await page.locator('.thumb', { hasText: '葉一b' }).click();
    };
    /** The viewer fetched each leaf's image information and at least one image of it from our image service. */
    const fetched = async (leaves: number[]) => {
      const got = (n: number, end: string) => requested.some((u) => u.includes(sha[n - 1]!) && u.endsWith(end));
      for (let i = 0; i < 150 && !leaves.every((n) => got(n, 'info.json') && got(n, '.jpg')); i++) await page.waitForTimeout(100);
      for (const n of leaves) {
        expect(got(n, 'info.json'), `info.json of leaf ${n}`).to.equal(true);
        expect(got(n, '.jpg'), `an image of leaf ${n}`).to.equal(true);
      }
    };

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      const admin = await withLibrary(server);
      for (const [cn, binding] of [[STRING_BOUND, '線裝'], [WESTERN, '平装']] as const) {
        await recordWithDemoLeaves(server, admin, cn, binding);
        await publish(server, cn, admin, admin);
      }
      sha = (await server.call('GET', `/api/records/${STRING_BOUND}`)).body.pages.map((p: any) => p.sha256);
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: DESKTOP });
      page.on('response', (r) => {
        if (r.url().includes('/iiif/3/') && r.status() === 200) requested.push(r.url());
        if (r.url().includes('/iiif/3/') && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
      });
      collectErrors(page, errors, 'viewer');
    });
    // A script error, or anything the pages' Content-Security-Policy refused, fails the test.
    failOnPageErrorsAndClose(errors, () => [browser, server]);

    it('Mirador shows the first leaf alone, then leaves 2 and 3 with leaf 2 on the right', async () => {
      await open('mirador', STRING_BOUND);
      expect(await showing('mirador', [1])).to.deep.equal([1]);
      await page.evaluate(`(() => {
        const state = window.miradorInstance.store.getState();
        window.miradorInstance.store.dispatch(Mirador.actions.setNextCanvas(Object.keys(state.windows)[0]));
      })()`);
      expect(await showing('mirador', [2, 3])).to.deep.equal([3, 2]);
      await fetched([2, 3]);
      await page.waitForTimeout(1000);
      await shot(page, 'mirador-spread');
    });

    it('the Universal Viewer shows the first leaf alone, then leaves 2 and 3 with leaf 2 on the right', async () => {
      await open('uv', STRING_BOUND);
      expect(await showing('uv', [1])).to.deep.equal([1]);
      await fetched([1]);
      await uvToSecondLeaf();
      expect(await showing('uv', [2, 3])).to.deep.equal([3, 2]);
      await fetched([2, 3]);
      // Its thumbnails and its table of contents come from the manifest too.
      expect(await page.locator('.thumb').count()).to.equal(DEMO_LEAF_FILES.length);
      await page.waitForTimeout(1000);
      await shot(page, 'uv-spread');
    });

    /**
     * Zooms in on the right-hand strip of leaf 1 (1155 pixels wide: x 1024–1155) until the viewer
     * asks for it at full resolution (`1024,y,131,h/131,…`) and is answered 200. The zoom is
     * asked again each second: a viewer still settling its first view may override it.
     */
    const rightStripDrawn = async (zoomIn: () => Promise<unknown>) => {
      const strip = new RegExp(`/${sha[0]}/1024,\\d+,131,\\d+/131,`);
      for (let i = 0; i < 150 && !requested.some((u) => strip.test(u)); i++) {
        if (i % 10 === 0) await zoomIn();
        await page.waitForTimeout(100);
      }
      const ofLeaf = requested.filter((u) => u.includes(sha[0]!)).map((u) => u.split('/').slice(-4, -2).join('/'));
      expect(requested.filter((u) => strip.test(u)), `the full-resolution tiles of the right-hand strip, among ${ofLeaf.join(' ')}`).not.to.be.empty;
    };

    it('both draw the right-hand strip of a leaf at full resolution, with no image request refused (issue 18)', async () => {
      // Mirador zoomed in (2: past the image's own pixels in this window) on leaf 1's right edge.
      await open('mirador', STRING_BOUND);
      await showing('mirador', [1]);
      // Zoomed only once it has drawn the leaf: a viewport set before OpenSeadragon has opened the
      // image is lost, and asked again each second it keeps the leaf from being drawn at all.
      await fetched([1]);
      await rightStripDrawn(() => page.evaluate(() => {
        const { miradorInstance, Mirador } = globalThis as any;
        const windowId = Object.keys(miradorInstance.store.getState().windows)[0];
        miradorInstance.store.dispatch(Mirador.actions.updateViewport(windowId, { x: 1100, y: 400, zoom: 2 }));
      }));
      await page.waitForTimeout(1000);
      expect(refused, 'Mirador').to.deep.equal([]);
      // The Universal Viewer's OpenSeadragon, zoomed in as far on the same place.
      await open('uv', STRING_BOUND);
      await showing('uv', [1]);
      await fetched([1]);
      await rightStripDrawn(() => page.evaluate(() => {
        const viewer = (globalThis as any).uv._assignedContentHandler.extension.centerPanel.viewer;
        const edge = viewer.world.getItemAt(0).imageToViewportCoordinates(1100, 400);
        viewer.viewport.zoomTo(viewer.viewport.getHomeZoom() * 4, edge, true);
        viewer.viewport.panTo(edge, true);
      }));
      await page.waitForTimeout(1000);
      expect(refused, 'the Universal Viewer').to.deep.equal([]);
      await shot(page, 'uv-right-strip');
    });

    it('both put leaf 2 on the left for a Western-bound book, as its manifest says', async () => {
      expect((await server.call('GET', `/iiif/${WESTERN}/manifest`)).body.viewingDirection).to.equal('left-to-right');
      await open('mirador', WESTERN);
      await showing('mirador', [1]);
      await page.evaluate(`(() => {
        const state = window.miradorInstance.store.getState();
        window.miradorInstance.store.dispatch(Mirador.actions.setNextCanvas(Object.keys(state.windows)[0]));
      })()`);
      expect(await showing('mirador', [2, 3])).to.deep.equal([2, 3]);
      await open('uv', WESTERN);
      await showing('uv', [1]);
      await uvToSecondLeaf();
      expect(await showing('uv', [2, 3])).to.deep.equal([2, 3]);
    });
  });
}
