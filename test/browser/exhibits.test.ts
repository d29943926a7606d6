/**
 * Curators in a real browser: a link naming a leaf or a region of a book (IIIF Content State 1.0)
 * opens that leaf or region in Mirador and in the Universal Viewer, in a fresh page; UV's own
 * Share → Embed code opens the same leaf; the record page's "share this page" and "share this
 * region" give a link, an embed snippet, an Image API URL and a citation that show what was chosen.
 */
import { expect } from 'chai';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { CHROMIUM, collectErrors, DESKTOP, failOnPageErrorsAndClose, hasChromium, launchBrowser, screenshots, shot } from '../support/browser.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { recordWithDemoLeaves } from '../support/scans.js';
import { publish } from '../support/texts.js';

const BOOK = '430000-0001-0000001';
const OTHER = '430000-0001-0000002';

/** Base64url of the URI-encoded JSON, no padding (Content State 1.0 §6), written here independently of the page's module. */
const encode = (state: unknown) => Buffer.from(encodeURIComponent(JSON.stringify(state))).toString('base64url');

/** The leaves Mirador shows, as their image ids (the masters' SHA-256), and the viewport it keeps. */
const MIRADOR_NOW = () => {
  const { miradorInstance, Mirador } = globalThis as any;
  const state = miradorInstance.store.getState();
  const windowId = Object.keys(state.windows)[0];
  return {
    images: Mirador.selectors.getVisibleCanvases(state, { windowId }).map((c: any) => c.__jsonld.items[0].items[0].body.service[0].id.split('/').pop()).sort(),
    viewer: windowId ? state.viewers[windowId] ?? null : null,
  };
};
const UV_NOW = () => {
  const viewer = (globalThis as any).uv._assignedContentHandler.extension.centerPanel.viewer;
  const items = Array.from({ length: viewer.world.getItemCount() }, (_, i) => viewer.world.getItemAt(i));
  const bounds = viewer.viewport.getBounds();
  return {
    images: items.map((item: any) => (item.source['@id'] ?? item.source.id).split('/').pop()).sort(),
    // The visible rectangle in the first image's pixels.
    visible: items.length ? items[0].viewportToImageRectangle(bounds) : null,
  };
};

if (!hasChromium) {
  console.log(`  (curator tests not run: no Chromium at ${CHROMIUM}; .ci/run installs Debian's chromium)`);
} else {
  describe('curators share and embed a leaf or a region', function () {
    this.timeout(90_000);
    let server: TestServer;
    let browser: Browser;
    let sha: string[];
    let admin: string;
    const errors: string[] = [];
    const manifestOf = (cn: string) => `${server.url}/iiif/${cn}/manifest`;
    const canvasOf = (cn: string, n: number) => `${server.url}/iiif/${cn}/canvas/${n}`;

    async function freshPage(): Promise<Page> {
      const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
      collectErrors(page, errors, 'curator');
      return page;
    }
    async function until<T>(page: Page, read: () => T, ok: (v: T) => boolean): Promise<T> {
      let value: T | null = null;
      for (let i = 0; i < 200; i++) {
        value = await page.evaluate(read).catch(() => null);
        if (value !== null && ok(value)) return value;
        await page.waitForTimeout(100);
      }
      return value as T;
    }
    const leaves = (images: string[]) => images.map((i) => sha.indexOf(i) + 1).sort((a, b) => a - b);

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      admin = await withLibrary(server);
      for (const cn of [BOOK, OTHER]) {
        await recordWithDemoLeaves(server, admin, cn);
        await publish(server, cn, admin, admin);
      }
      sha = (await server.call('GET', `/api/records/${BOOK}`)).body.pages.map((p: any) => p.sha256);
      browser = await launchBrowser();
    });
    failOnPageErrorsAndClose(errors, () => [browser, server]);

    it('a content state naming leaf 3 opens leaf 3 in Mirador and in UV', async () => {
      const state = encode({ '@context': 'http://iiif.io/api/presentation/3/context.json', type: 'Annotation', motivation: ['contentState'], target: { id: canvasOf(BOOK, 3), type: 'Canvas', partOf: [{ id: manifestOf(BOOK), type: 'Manifest' }] } });
      const page = await freshPage();
      await page.goto(`${server.url}/viewer?iiif-content=${state}`);
      // A string-bound book in spreads: leaf 3 beside leaf 2.
      expect(leaves((await until(page, MIRADOR_NOW, (v) => v.images.length > 0)).images)).to.deep.equal([2, 3]);
      await page.goto(`${server.url}/viewer?viewer=uv&iiif-content=${state}`);
      expect(leaves((await until(page, UV_NOW, (v) => v.images.length > 0)).images)).to.include(3);
      await page.context().close();
    });

    it('manifest= with canvas= opens that leaf (by id or by place), not leaf 1', async () => {
      const page = await freshPage();
      await page.goto(`${server.url}/viewer?manifest=${encodeURIComponent(manifestOf(BOOK))}&canvas=${encodeURIComponent(canvasOf(BOOK, 4))}`);
      expect(leaves((await until(page, MIRADOR_NOW, (v) => v.images.length > 0)).images)).to.deep.equal([4]);
      await page.goto(`${server.url}/viewer?viewer=uv&manifest=${encodeURIComponent(manifestOf(BOOK))}&canvas=3`);
      expect(leaves((await until(page, UV_NOW, (v) => v.images.length > 0)).images)).to.include(3);
      await page.context().close();
    });

    it('a content state naming a region opens that leaf alone, zoomed to the region', async () => {
      const region = [100, 150, 300, 200];
      const state = encode({ type: 'Annotation', motivation: 'contentState', target: { id: `${canvasOf(BOOK, 3)}#xywh=${region.join(',')}`, type: 'Canvas', partOf: [{ id: manifestOf(BOOK), type: 'Manifest' }] } });
      const page = await freshPage();
      await page.goto(`${server.url}/viewer?iiif-content=${state}`);
      const mirador = await until(page, MIRADOR_NOW, (v) => v.images.length > 0 && v.viewer !== null);
      expect(leaves(mirador.images)).to.deep.equal([3]);
      expect(mirador.viewer.x).to.be.closeTo(250, 1);
      expect(mirador.viewer.y).to.be.closeTo(250, 1);
      await page.goto(`${server.url}/viewer?viewer=uv&iiif-content=${state}`);
      const uv = await until(page, UV_NOW, (v) => v.images.length > 0 && v.visible !== null && v.visible.width < 1000);
      expect(leaves(uv.images)).to.include(3);
      // The region is inside what UV shows, and UV shows little more than it.
      expect(uv.visible.x).to.be.at.most(100);
      expect(uv.visible.x + uv.visible.width).to.be.at.least(400);
      expect(uv.visible.width).to.be.below(1000);
      await page.context().close();
    });

    it('a broken content state says so on the page', async () => {
      const page = await freshPage();
      for (const bad of ['%%%', encode({ type: 'Annotation', motivation: 'painting' }), encode({ id: canvasOf(BOOK, 99), type: 'Canvas', partOf: [{ id: manifestOf(BOOK), type: 'Manifest' }] })]) {
        await page.goto(`${server.url}/viewer?iiif-content=${encodeURIComponent(bad)}`);
        await page.locator('[role=alert]').waitFor();
        expect(await page.locator('[role=alert]').textContent()).to.match(/无法打开.*Cannot open/);
      }
      await page.context().close();
    });

    it("UV's own Share → Embed code opens the same leaf in another page", async () => {
      const page = await freshPage();
      await page.goto(`${server.url}/viewer?viewer=uv&manifest=${encodeURIComponent(manifestOf(BOOK))}&canvas=3`);
      await until(page, UV_NOW, (v) => v.images.length > 0);
      // 分享, Share: the viewer page shows UV in simplified Chinese.
      await page.getByRole('button', { name: '分享' }).first().click();
      const code = await page.locator('#embedCode').inputValue();
      // Its drag-and-drop box (`manifest?manifest=manifest`) is not offered as the manifest's address.
      expect(await page.locator('#manifestInput').isVisible()).to.equal(false);
      const src = /src="([^"]+)"/.exec(code)![1]!;
      expect(src.startsWith(`${server.url}/viewer?viewer=uv#?`)).to.equal(true);
      expect(new URLSearchParams(src.split('#?')[1]).get('manifest')).to.equal(manifestOf(BOOK));
      const other = await freshPage();
      await other.goto(src);
      expect(leaves((await until(other, UV_NOW, (v) => v.images.length > 0)).images)).to.include(3);
      await page.context().close();
      await other.context().close();
    });

    it('on the record page a curator shares leaf 3, and the link opens leaf 3 in Mirador and in UV', async () => {
      const page = await freshPage();
      await page.goto(`${server.url}/records/${BOOK}`);
      await until(page, MIRADOR_NOW, (v) => v.images.length > 0);
      // Turned to leaf 3 as by its thumbnail.
      await page.evaluate((canvas) => {
        const { miradorInstance, Mirador } = globalThis as any;
        miradorInstance.store.dispatch(Mirador.actions.setCanvas(Object.keys(miradorInstance.store.getState().windows)[0], canvas));
      }, canvasOf(BOOK, 3));
      await page.locator('#share-page').click();
      const link = await page.locator('#share-link').inputValue();
      expect(link.startsWith(`${server.url}/viewer?iiif-content=`)).to.equal(true);
      expect(await page.locator('#share-embed').inputValue()).to.contain(`<iframe src="${link}"`);
      expect(await page.locator('#share-cite-zh').inputValue()).to.equal(`欽定四庫全書簡明目錄二十卷，资阳区图书馆藏，普查编号 ${BOOK}，第 3 半叶（卷一 葉二a）。${link}`);
      expect(await page.locator('#share-cite-en').inputValue()).to.equal(`欽定四庫全書簡明目錄二十卷. 资阳区图书馆. Census no. ${BOOK}, half-leaf 3 (卷一 葉二a). ${link}`);
      expect(await page.locator('#share-image').inputValue()).to.equal(`${server.url}/iiif/3/${sha[2]}/full/!600,600/0/default.jpg`);
      // The IIIF drag-and-drop link names the manifest in its `manifest` parameter.
      expect(new URL(await page.locator('#iiif-drag').getAttribute('href') ?? '').searchParams.get('manifest')).to.equal(manifestOf(BOOK));
      await shot(page, 'record-share-page');

      const reader = await freshPage();
      await reader.goto(link);
      const canvasNow = () => {
        const state = (globalThis as any).miradorInstance.store.getState();
        return state.windows[Object.keys(state.windows)[0]!].canvasId as string;
      };
      expect(await until(reader, canvasNow, (c) => !!c)).to.equal(canvasOf(BOOK, 3));
      expect(leaves((await until(reader, MIRADOR_NOW, (v) => v.images.length > 0)).images)).to.include(3);
      await reader.goto(link.replace('/viewer?', '/viewer?viewer=uv&'));
      const uvLeaves = leaves((await until(reader, UV_NOW, (v) => v.images.length > 0)).images);
      expect(uvLeaves).to.include(3);
      await page.context().close();
      await reader.context().close();
    });

    it('a curator draws a region on the leaf and the embed snippet shows that region in another page', async () => {
      const page = await freshPage();
      await page.goto(`${server.url}/records/${OTHER}`);
      await until(page, MIRADOR_NOW, (v) => v.images.length > 0 && v.viewer !== null);
      await page.waitForTimeout(1500);
      await page.locator('#share-region').click();
      const box = (await page.locator('#viewer .draw-layer').boundingBox())!;
      // A box in the middle of the first leaf shown.
      await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.35);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5, { steps: 5 });
      await page.mouse.up();
      const what = await page.locator('#share-what').textContent();
      const region = /region (\d+),(\d+),(\d+),(\d+)/.exec(what ?? '')!.slice(1).map(Number) as [number, number, number, number];
      expect(region[2]).to.be.greaterThan(10);
      expect(region[3]).to.be.greaterThan(10);
      const image = await page.locator('#share-image').inputValue();
      expect(image).to.contain(`/${region.join(',')}/!600,600/0/default.jpg`);
      const fetched = await server.call('GET', new URL(image).pathname);
      expect(fetched.status).to.equal(200);
      const snippet = await page.locator('#share-embed').inputValue();
      await shot(page, 'record-share-region');

      const other = await freshPage();
      await other.setContent(`<!doctype html><title>elsewhere</title><h1>Another site</h1>${snippet}`);
      const frame = other.frames().find((f) => f.url().includes('/viewer?'))!;
      let embedded: any = null;
      for (let i = 0; i < 200 && !(embedded?.images?.length && embedded.viewer); i++) {
        embedded = await frame.evaluate(MIRADOR_NOW).catch(() => null);
        await other.waitForTimeout(100);
      }
      expect(embedded.images).to.have.length(1);
      expect(embedded.viewer.x).to.be.closeTo(region[0] + region[2] / 2, 1);
      expect(embedded.viewer.y).to.be.closeTo(region[1] + region[3] / 2, 1);
      await other.screenshot({ path: path.join(screenshots, 'embedded-region.png') });
      await page.context().close();
      await other.context().close();
    });

    it('a curator builds an exhibit of a book, a leaf and a region of another record; a reviewer publishes it; a reader opens it', async () => {
      for (const [username, role, password] of [['curator', 'surveyor', 'Tortoise-ledger-51'], ['reviewer', 'reviewer', 'Heron-quarry-73']] as const) {
        await server.call('POST', '/api/users', { token: admin, body: { username, role, password, ...(role === 'surveyor' ? { unit: '0001' } : {}) } });
      }
      const signIn = async (username: string, password: string) => {
        const page = await freshPage();
        await page.goto(`${server.url}/login`);
        await page.getByLabel('用户名').fill(username);
        await page.getByLabel('密码').fill(password);
        await page.getByRole('button', { name: '登录', exact: true }).click();
        await page.waitForURL(/\/review$/);
        return page;
      };
      const curator = await signIn('curator', 'Tortoise-ledger-51');
      await curator.goto(`${server.url}/exhibits/new`);
      await curator.locator('#slug').fill('huxiang');
      await curator.locator('#title').fill('湖湘刻書');
      await curator.locator('#summary').fill('清代湖南刻本，一部全書、一葉與一處題名。');
      await curator.locator('#credits').fill('资阳区图书馆策展');
      for (let i = 0; i < 3; i++) await curator.getByRole('button', { name: '添加条目 · Add an item' }).click();
      const item = (n: number) => curator.locator('.ex-item').nth(n);
      const fill = async (n: number, source: string, leaf: string, region: string, caption: string) => {
        await item(n).getByLabel('书（普查编号）或 IIIF 清单 URL').fill(source);
        await item(n).getByLabel('半叶（第几半叶').fill(leaf);
        await item(n).getByLabel('区域 x,y,w,h').fill(region);
        await item(n).getByLabel('说明 · Caption').fill(caption);
        await item(n).getByLabel('来源 · Credit line').fill('资阳区图书馆藏');
      };
      await fill(0, BOOK, '', '', '全書：欽定四庫全書簡明目錄');
      await fill(1, OTHER, '1', '100,150,300,200', '另一部的題名');
      await fill(2, BOOK, '3', '', '卷一第三葉');
      const order = () => curator.locator('.ex-item input[data-field$="censusNumber"], .ex-item input[data-field$="manifest"]').evaluateAll((nodes) => nodes.map((n: any) => n.value as string));
      // By keyboard: the region (item 2) moves down below the leaf.
      await item(1).getByLabel('说明 · Caption').focus();
      await curator.keyboard.press('Alt+ArrowDown');
      expect(await order()).to.deep.equal([BOOK, BOOK, OTHER]);
      expect(await curator.evaluate(() => (globalThis as any).document.activeElement?.closest('.ex-item')?.dataset.item)).to.equal('0.2');
      // By drag and drop: the region back above the leaf.
      await item(2).dragTo(item(1));
      expect(await order()).to.deep.equal([BOOK, OTHER, BOOK]);
      // And the leaf, by its ↓ and ↑ buttons, out and back.
      await item(2).getByRole('button', { name: '上移 Move up' }).click();
      await curator.locator('.ex-item').nth(1).getByRole('button', { name: '下移 Move down' }).click();
      expect(await order()).to.deep.equal([BOOK, OTHER, BOOK]);
      await curator.getByRole('button', { name: '保存 · Save' }).click();
      await curator.locator('#message', { hasText: 'Saved (v1)' }).waitFor();
      expect(curator.url()).to.equal(`${server.url}/exhibits/huxiang/edit`);
      await curator.getByRole('button', { name: '预览 · Preview' }).click();
      await curator.locator('#preview figure.item').nth(2).waitFor();
      expect(await curator.locator('#preview figure.item').count()).to.equal(3);
      await curator.getByRole('button', { name: '提交审校 · Submit for review' }).click();
      await curator.locator('#state', { hasText: '已提交' }).waitFor();
      expect(await curator.locator('button[data-action=publish]').count()).to.equal(0);

      const reviewer = await signIn('reviewer', 'Heron-quarry-73');
      await reviewer.goto(`${server.url}/exhibits/huxiang/edit`);
      await reviewer.getByRole('button', { name: '发布 · Publish' }).click();
      await reviewer.locator('#message', { hasText: 'Published' }).waitFor();

      // An anonymous reader, on a phone and on a desktop screen.
      const reader = await freshPage();
      await reader.setViewportSize({ width: 390, height: 844 });
      await reader.goto(`${server.url}/exhibits/huxiang`);
      expect(await reader.locator('h1').textContent()).to.equal('湖湘刻書');
      expect(await reader.locator('figure.item figcaption .caption').allTextContents()).to.deep.equal(['全書：欽定四庫全書簡明目錄', '另一部的題名', '卷一第三葉']);
      expect(await reader.locator('figure.item .credit').allTextContents()).to.deep.equal(['资阳区图书馆藏', '资阳区图书馆藏', '资阳区图书馆藏']);
      await reader.waitForFunction(() => Array.from((globalThis as any).document.querySelectorAll('figure.item img')).every((img: any) => img.complete && img.naturalWidth > 0));
      // The region's image is the region, at its own proportions (300 × 200).
      const region = await reader.locator('figure.item img').nth(1).evaluate((img: any) => [img.naturalWidth as number, img.naturalHeight as number, img.currentSrc as string] as const);
      // (naturalWidth is scaled by the srcset's width descriptor: the served image says its size.)
      expect(region[0] / region[1]).to.be.closeTo(1.5, 0.01);
      expect(region[2]).to.contain('/100,150,300,200/');
      const served = await sharp(Buffer.from(await (await fetch(region[2])).arrayBuffer())).metadata();
      expect([served.width, served.height]).to.deep.equal([300, 200]);
      await shot(reader, 'exhibit');
      // It reads without JavaScript too.
      const plain = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } })).newPage();
      await plain.goto(`${server.url}/exhibits/huxiang`);
      expect(await plain.locator('figure.item').count()).to.equal(3);
      expect(await plain.locator('.summary').textContent()).to.equal('清代湖南刻本，一部全書、一葉與一處題名。');
      await plain.context().close();
      // Zoomed in place: the viewer opens where the region's image was, on that region.
      await reader.setViewportSize({ width: 1280, height: 900 });
      await reader.locator('figure.item a.zoom').nth(1).click();
      const frame = reader.frameLocator('figure.item .zoomed iframe');
      await frame.locator('.mirador-viewer').waitFor();
      const zoomed = reader.frames().find((f) => f.url().includes('/viewer?iiif-content='))!;
      let view: any = null;
      for (let i = 0; i < 200 && !(view?.viewer); i++) {
        view = await zoomed.evaluate(MIRADOR_NOW).catch(() => null);
        await reader.waitForTimeout(100);
      }
      expect([view.viewer.x, view.viewer.y]).to.deep.equal([250, 250]);
      // The embed snippets: of the whole exhibit, and of one item.
      expect(await reader.locator('.colophon textarea').inputValue()).to.contain(`/viewer?manifest=${encodeURIComponent(`${server.url}/iiif/exhibits/huxiang/manifest`)}`);
      expect(await reader.locator('figure.item textarea').first().inputValue()).to.match(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/viewer\?iiif-content=/);
      // The home page lists it.
      await reader.goto(`${server.url}/`);
      await reader.locator('#exhibits a', { hasText: '湖湘刻書' }).waitFor();
      await reader.context().close();
      await curator.context().close();
      await reviewer.context().close();
    });

    it("the exhibit's manifest opens in Mirador, each canvas showing its item: the region as the region", async () => {
      const page = await freshPage();
      const images: string[] = [];
      page.on('response', (r) => {
        if (r.url().includes('/iiif/3/') && r.url().endsWith('.jpg') && r.status() === 200) images.push(r.url());
      });
      await page.goto(`${server.url}/viewer?manifest=${encodeURIComponent(`${server.url}/iiif/exhibits/huxiang/manifest`)}&canvas=2`);
      const canvases = () => {
        const { miradorInstance, Mirador } = globalThis as any;
        const state = miradorInstance.store.getState();
        const windowId = Object.keys(state.windows)[0];
        return Mirador.selectors.getVisibleCanvases(state, { windowId }).map((c: any) => [c.id, c.getWidth(), c.getHeight()]);
      };
      const shown = await until(page, canvases, (c) => c.length > 0);
      expect(shown).to.deep.equal([[`${server.url}/iiif/exhibits/huxiang/canvas/1-2`, 300, 200]]);
      for (let i = 0; i < 100 && !images.some((u) => u.includes('/100,150,300,200/300,200/0/default.jpg')); i++) await page.waitForTimeout(100);
      expect(images.some((u) => u.includes('/100,150,300,200/300,200/0/default.jpg'))).to.equal(true);
      // The view is fitted to the region: its centre in the middle, all of it in sight.
      const view = await until(page, () => {
        const state = (globalThis as any).miradorInstance.store.getState();
        return Object.values(state.viewers)[0] as any;
      }, (v) => v && v.x === 150 && v.y === 100);
      expect([view.x, view.y]).to.deep.equal([150, 100]);
      await page.waitForTimeout(1000);
      await page.screenshot({ path: path.join(screenshots, 'exhibit-manifest-mirador.png') });
      // Reached from the whole book before it, too.
      await page.goto(`${server.url}/viewer?manifest=${encodeURIComponent(`${server.url}/iiif/exhibits/huxiang/manifest`)}`);
      await until(page, canvases, (c) => c.length > 0);
      await page.waitForTimeout(1000);
      await page.evaluate(() => {
        const { miradorInstance, Mirador } = globalThis as any;
        miradorInstance.store.dispatch(Mirador.actions.setNextCanvas(Object.keys(miradorInstance.store.getState().windows)[0]));
      });
      const after = await until(page, () => Object.values((globalThis as any).miradorInstance.store.getState().viewers)[0] as any, (v) => v && v.x === 150 && v.y === 100);
      expect([after.x, after.y]).to.deep.equal([150, 100]);
      await page.context().close();
    });
  });
}
