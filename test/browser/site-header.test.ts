/**
 * The site's header in a real browser: the navigation the server writes into every page
 * (src/http/pages/site-layout.ts) is what a reader without JavaScript follows, and what
 * public/ui.js draws for an anonymous visitor — the same links in the same order, so the two
 * lists cannot drift apart unseen.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, collectErrors, failOnPageErrorsAndClose, hasChromium, launchBrowser } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/http.js';

if (!hasChromium) {
  console.log(`  (browser tests not run: no Chromium at ${CHROMIUM}; .ci/run installs Debian's chromium)`);
} else {
  describe('the site header in a real browser', function () {
    this.timeout(60_000);
    let server: TestServer;
    let browser: Browser;
    const errors: string[] = [];
    const links = (page: Page) => page.locator('header.top nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      browser = await launchBrowser();
    });
    failOnPageErrorsAndClose(errors, () => [browser, server]);

    it('draws for an anonymous visitor the navigation the HTML carries for readers without JavaScript', async () => {
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
