/**
 * A real browser for page tests: Debian's Chromium driven by playwright-core (.ci/run installs
 * it). Screenshots at desktop and phone widths go to test-output/screenshots for review.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from './http.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const screenshots = path.resolve(import.meta.dirname, '../../test-output/screenshots');

export function launchBrowser(): Promise<Browser> {
  mkdirSync(screenshots, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * Saves the page at desktop and phone widths, and checks that at the phone's width nothing runs
 * off the side of the screen (a page that must be scrolled sideways is unusable on a phone).
 */
export async function shot(page: Page, name: string): Promise<void> {
  for (const [size, label] of [[DESKTOP, 'desktop'], [PHONE, 'phone']] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(screenshots, `${name}-${label}.png`), fullPage: true });
    if (label === 'phone') {
      const width = await page.evaluate('document.documentElement.scrollWidth');
      if ((width as number) > PHONE.width) throw new Error(`${name}: the page is ${width} px wide on a ${PHONE.width}-px phone screen`);
    }
  }
  await page.setViewportSize(DESKTOP);
}

/**
 * Collects a page's script errors and what its Content-Security-Policy refused (the browser
 * reports a refusal on the console, not as a script error): either fails the test that caused it.
 */
export function collectErrors(page: Page, into: string[], name: string): void {
  page.on('pageerror', (error) => into.push(`${name}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) into.push(`${name}: ${message.text()}`);
  });
}

/**
 * The hooks a browser suite ends with: after each test, a script error or a CSP refusal its
 * pages reported (collectErrors into `errors`) fails it; after the suite, what `opened` gives
 * (the browser, the test server — either may not have started) is closed, in that order.
 */
export function failOnPageErrorsAndClose(errors: string[], opened: () => readonly ({ close(): Promise<unknown> } | undefined)[]): void {
  afterEach(() => {
    expect(errors.splice(0)).to.deep.equal([]);
  });
  after(async () => {
    for (const thing of opened()) await thing?.close();
  });
}

/**
 * A browser suite's hooks on one page of a test server: before it, the server (selfBaseUrl: the
 * browser follows its links), the browser and a page of it (DESKTOP unless `page` says otherwise)
 * whose script errors and CSP refusals go to `errors` as `name` (collectErrors; pass the array
 * when the suite's other pages report there too), then `setup` given the three; after,
 * failOnPageErrorsAndClose's checks and closing.
 */
export function onTestServerPage(
  name: string, setup: (opened: { server: TestServer; browser: Browser; page: Page }) => Promise<void>,
  options: { page?: Parameters<Browser['newPage']>[0]; errors?: string[] } = {},
): void {
  const errors = options.errors ?? [];
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await startTestServer({ selfBaseUrl: true });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: DESKTOP, ...options.page });
    collectErrors(page, errors, name);
    await setup({ server, browser, page });
  });
  failOnPageErrorsAndClose(errors, () => [browser, server]);
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * The serious and critical violations axe-core (the engine of @axe-core/playwright, injected
 * from node_modules) finds on the page as it stands, one line each. The pages' CSP refuses
 * injected scripts: the page's context must be made with `bypassCSP: true`.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')).join(' | ')}`);
  });
}
