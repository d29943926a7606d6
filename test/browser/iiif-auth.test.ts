/**
 * Staff see unpublished books in Mirador 3 and the Universal Viewer 4 through the IIIF
 * Authorization Flow (src/iiif/auth.ts; both viewers speak its 1.0 form), in Debian's Chromium:
 * signed in to guji, the viewer page shows the draft's leaves; signed out, the same page shows
 * the viewer's own sign-in prompt with our heading, not a blank error; and Mirador's prompt
 * leads through the access window (sign-in there) back to the leaves.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, collectErrors, DESKTOP, failOnPageErrorsAndClose, hasChromium, launchBrowser, shot } from '../support/browser.js';
import { ADMIN_PASSWORD, startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { ingestDemoScans } from '../support/scans.js';

const DRAFT = '430000-0001-0000003';

if (!hasChromium) {
  console.log(`  (viewer sign-in tests not run: no Chromium at ${CHROMIUM})`);
} else {
  describe('staff see unpublished books in both viewers (IIIF Authorization Flow)', function () {
    this.timeout(120_000);
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    let sha: string[];
    /** Images (not info.json) of the draft the viewer got with 200. */
    let images: string[];
    const errors: string[] = [];

    const viewerUrl = (viewer: 'mirador' | 'uv') =>
      `${server.url}/viewer?${viewer === 'uv' ? 'viewer=uv&' : ''}manifest=${encodeURIComponent(`${server.url}/iiif/${DRAFT}/manifest`)}`;
    const signIn = async (on: Page) => {
      await on.fill('#username', 'admin');
      await on.fill('#password', ADMIN_PASSWORD);
      await on.click('#login button[type=submit]');
    };
    /** Waits for the viewer's sign-in prompt: our access service's words, shown on screen. */
    const prompt = () => page.locator('text=/Staff sign-in|not published yet/ >> visible=true').first().waitFor({ timeout: 30_000 });
    /** Waits for an image of the first leaf drawn from the draft's image service. */
    const drawsFirstLeaf = async () => {
      for (let i = 0; i < 200 && !images.some((u) => u.includes(sha[0]!)); i++) await page.waitForTimeout(100);
      expect(images.some((u) => u.includes(sha[0]!)), 'an image of the first leaf').to.equal(true);
    };

    /**
     * Signs in through the access window the viewer's prompt opened, and waits for the viewer
     * to draw the draft's leaves.
     */
    const signsInThroughAccessWindow = async (popup: Page, viewer: 'mirador' | 'uv') => {
      // No session in the new window: the access page sends the person to sign in, then back.
      await popup.getByRole('link', { name: /Sign in to guji/ }).click();
      await popup.waitForURL(/\/login/);
      await signIn(popup);
      await popup.waitForEvent('close', { timeout: 30_000 });
      await drawsFirstLeaf();
      // Loaded again with the whole manifest: the book's title, not the withheld one's heading.
      await page.locator('text=/周易/ >> visible=true').first().waitFor();
      await page.waitForTimeout(1000);
      await shot(page, `${viewer}-draft-after-access-window`);
    };

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      const admin = await withLibrary(server);
      await server.call('POST', '/api/records', {
        token: admin,
        body: {
          censusNumber: DRAFT, callNumber: '善003', titleStatement: '周易乾鑿度二卷', editionStatement: '清刻本', volumeCount: 1,
          holdingUnit: '0001', binding: '線裝', grade: '普通古籍', damage: { grade: '轻度', types: [] },
        },
      });
      await ingestDemoScans(server, DRAFT, [{ name: '1.png' }, { name: '2.png' }]);
      sha = (await server.call('GET', `/api/records/${DRAFT}`, { token: admin })).body.pages.map((p: any) => p.sha256);
      browser = await launchBrowser();
    });
    beforeEach(async () => {
      // A fresh browser profile each time: no cookie, no session from the test before.
      const context = await browser.newContext({ viewport: DESKTOP });
      page = await context.newPage();
      images = [];
      context.on('response', (r) => {
        if (r.url().includes('/iiif/3/') && r.url().endsWith('.jpg') && r.status() === 200) images.push(r.url());
      });
      context.on('page', (p) => collectErrors(p, errors, 'access window'));
      collectErrors(page, errors, 'viewer');
    });
    afterEach(() => page.context().close());
    failOnPageErrorsAndClose(errors, () => [browser, server]);

    for (const viewer of ['mirador', 'uv'] as const) {
      it(`${viewer}: a signed-in reviewer sees the draft; signed out, the same page shows the viewer's sign-in prompt`, async () => {
        await page.goto(`${server.url}/login?next=${encodeURIComponent('/review')}`);
        await signIn(page);
        await page.waitForURL(/\/review/);
        await page.goto(viewerUrl(viewer));
        await drawsFirstLeaf();
        await page.waitForTimeout(1000);
        await shot(page, `${viewer}-draft-signed-in`);

        // Sign out as the header's button does: the session ends on the server.
        await page.evaluate(async () => {
          const { localStorage } = globalThis as any;
          await fetch('/api/session', { method: 'DELETE', headers: { authorization: `Bearer ${localStorage.getItem('guji-token')}` } });
          localStorage.clear();
        });
        images = [];
        await page.goto(viewerUrl(viewer));
        // The viewer's own prompt, with the words of our access service.
        await prompt();
        expect(images.filter((u) => sha.some((s) => u.includes(s))), 'no leaf drawn for an anonymous reader').to.deep.equal([]);
        await shot(page, `${viewer}-draft-signed-out`);
      });
    }

    it('mirador: its sign-in prompt opens the access window, where staff sign in, and then shows the leaves', async () => {
      await page.goto(viewerUrl('mirador'));
      await prompt();
      // Mirador's bar: the access service's label and "Continue" (继续: /viewer shows Mirador in
      // simplified Chinese), which unfolds its heading, note and confirm button.
      await page.getByRole('button', { name: '继续' }).click();
      await page.locator('text=/not published yet/ >> visible=true').first().waitFor();
      const [popup] = await Promise.all([
        page.waitForEvent('popup'),
        page.getByRole('button', { name: /Sign in/ }).click(),
      ]);
      await signsInThroughAccessWindow(popup, 'mirador');
    });

    it('uv: its sign-in prompt, its button legible, opens the access window, where staff sign in, and then shows the leaves', async () => {
      await page.goto(viewerUrl('uv'));
      await prompt();
      const confirm = page.getByRole('link', { name: /Sign in/ });
      await confirm.waitFor();
      // UV's own ".uv .overlay a" once coloured this button's words as its background.
      const colours = await confirm.evaluate((b) => {
        const style = (globalThis as any).getComputedStyle(b);
        return [style.color, style.backgroundColor];
      });
      expect(colours[0], 'the sign-in button\'s words against its background').not.to.equal(colours[1]);
      const [popup] = await Promise.all([page.waitForEvent('popup'), confirm.click()]);
      await signsInThroughAccessWindow(popup, 'uv');
    });
  });
}
