/**
 * The accounts on the admin page in a real browser: signing in with a hostile ?next= stays on the
 * site; the admin disables a user (their session stops), resets a password (a common one is
 * refused beside the box) and ends a user's sessions; a user changes their own password and signs
 * out everywhere on the account page.
 */
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, collectErrors, DESKTOP, failOnPageErrorsAndClose, hasChromium, launchBrowser, PHONE, shot } from '../support/browser.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';

if (!hasChromium) {
  console.log(`  (account pages not run: no Chromium at ${CHROMIUM})`);
} else {
  describe('accounts on the admin page in a real browser', function () {
    this.timeout(90_000);
    let server: TestServer;
    let browser: Browser;
    let page: Page;
    const scriptErrors: string[] = [];

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      browser = await launchBrowser();
      const admin = await server.login('admin', ADMIN_PASSWORD);
      await server.call('POST', '/api/users', { token: admin, body: { username: 'qian', password: 'west-lake-willow-4', role: 'reviewer' } });
      page = await browser.newPage();
      collectErrors(page, scriptErrors, 'admin');
    });
    failOnPageErrorsAndClose(scriptErrors, () => [browser, server]);

    it('signs in and stays on the site when ?next= points elsewhere', async () => {
      await page.goto(`${server.url}/login?next=${encodeURIComponent('/\\evil.test/')}`);
      await page.getByLabel('用户名').fill('admin');
      await page.getByLabel('密码').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.waitForURL(`${server.url}/review`);
    });

    it('never sends a password in the address: the sign-in button waits for its script, and password forms are posted', async () => {
      // A page of its own (not watched for errors): its script is held back, as on a slow link.
      const slow = await browser.newPage();
      await slow.route('**/login.js?*', (route) => route.abort());
      await slow.goto(`${server.url}/login`);
      await slow.getByLabel('用户名').fill('admin');
      await slow.getByLabel('密码').fill(ADMIN_PASSWORD);
      const button = slow.getByRole('button', { name: '登录', exact: true });
      expect(await button.isDisabled(), 'the sign-in button before its script').to.equal(true);
      await slow.getByLabel('密码').press('Enter');
      await slow.waitForTimeout(300);
      expect(slow.url()).to.equal(`${server.url}/login`);
      await slow.unroute('**/login.js?*');
      await slow.reload();
      await slow.getByRole('button', { name: '登录', exact: true }).and(slow.locator(':enabled')).waitFor();
      await slow.close();
      // Were a form with a password sent without its script, it would be posted, not written into the URL.
      expect(await page.goto(`${server.url}/login`).then(() => page.locator('#login').getAttribute('method'))).to.equal('post');
      await page.goto(`${server.url}/admin`);
      expect(await page.locator('#new-user').getAttribute('method')).to.equal('post');
    });

    it('disables a user, resets a password and ends sessions with the buttons of the row', async () => {
      const token = await server.login('qian', 'west-lake-willow-4');
      await page.goto(`${server.url}/admin`);
      const row = page.locator('#user-qian');
      await row.getByRole('button', { name: '停用' }).click();
      await page.waitForSelector('#user-qian td:text-is("已停用")');
      expect(await page.locator('#user-message').innerText()).to.equal('已停用 qian，其会话均已结束。');
      expect((await server.call('GET', '/api/session', { token })).status).to.equal(401);
      // The admin's own row has no button to disable the admin.
      expect(await page.locator('#user-admin').getByRole('button', { name: '停用' }).count()).to.equal(0);
      await row.getByRole('button', { name: '启用' }).click();
      await page.waitForSelector('#user-qian td:text-is("正常")');

      await row.getByRole('button', { name: '重置密码' }).click();
      await page.getByLabel('新密码').fill('password123');
      await row.getByRole('button', { name: '确定' }).click();
      await page.waitForSelector('#reset-qian[aria-invalid=true]');
      expect(await row.locator('.field-error').innerText()).to.equal('是常见密码（见于泄露的密码列表），请另选一个');
      await shot(page, 'admin-accounts');
      await page.getByLabel('新密码').fill('east-hill-plum-5');
      await row.getByRole('button', { name: '确定' }).click();
      await page.waitForFunction((text) => (globalThis as any).document.getElementById('user-message').textContent === text, '已为 qian 重置密码，其会话均已结束。');
      const renewed = await server.login('qian', 'east-hill-plum-5');

      await page.locator('#user-qian').getByRole('button', { name: '结束会话' }).click();
      await page.waitForFunction((text) => (globalThis as any).document.getElementById('user-message').textContent === text, '已结束 qian 的全部会话。');
      expect((await server.call('GET', '/api/session', { token: renewed })).status).to.equal(401);
    });

    it('lets a user change their own password and sign out everywhere on the account page, at 1280 and 390 px', async () => {
      const admin = await server.login('admin', ADMIN_PASSWORD);
      await server.call('POST', '/api/users', { token: admin, body: { username: 'sun', displayName: '孫校', password: 'quiet-river-stone-7', role: 'reviewer' } });
      const elsewhere = await server.login('sun', 'quiet-river-stone-7');
      const context = await browser.newContext({ viewport: PHONE });
      const own = await context.newPage();
      collectErrors(own, scriptErrors, 'account');
      await own.goto(`${server.url}/login?next=/review`);
      await own.getByLabel('用户名').fill('sun');
      await own.getByLabel('密码').fill('quiet-river-stone-7');
      await own.getByRole('button', { name: '登录', exact: true }).click();
      await own.waitForURL(`${server.url}/review`);
      // Who is signed in, in the header, leads to the account.
      await own.getByRole('link', { name: '孫校 · 审校员' }).click();
      await own.waitForURL(`${server.url}/account`);
      await own.waitForFunction(() => (globalThis as any).document.getElementById('me-role').textContent === '审校员');
      expect(await own.locator('#me').innerText()).to.match(/用户名\s+sun\s+姓名\s+孫校\s+角色\s+审校员\s+单位\s+—/);
      const message = own.locator('#password-message');
      const attempt = async (current: string, password: string, again = password) => {
        await own.getByLabel('当前密码').fill(current);
        await own.getByLabel('新密码', { exact: true }).fill(password);
        await own.getByLabel('再次输入新密码').fill(again);
        await own.getByRole('button', { name: '修改密码' }).click();
        await own.waitForFunction(() => !(globalThis as any).document.getElementById('password-message').hidden);
      };
      await attempt('not-my-password-1', 'amber-field-lantern-3');
      await own.waitForSelector('#current[aria-invalid=true]');
      expect(await message.innerText()).to.contain('当前密码：不是当前的密码');
      await attempt('quiet-river-stone-7', 'amber-field-lantern-3', 'amber-field-lantern-4');
      await own.waitForSelector('#again[aria-invalid=true]');
      expect(await message.innerText()).to.contain('再次输入新密码：与新密码不一致');
      expect(await own.locator('#current').getAttribute('aria-invalid')).to.equal(null);
      await attempt('quiet-river-stone-7', 'password123');
      await own.waitForSelector('#password[aria-invalid=true]');
      expect(await message.innerText()).to.contain('新密码：是常见密码（见于泄露的密码列表），请另选一个');
      await shot(own, 'account-refused');
      await attempt('quiet-river-stone-7', 'amber-field-lantern-3');
      await own.waitForFunction(() => /密码已修改/.test((globalThis as any).document.getElementById('password-message').textContent));
      expect(await own.locator('#password').inputValue(), 'the boxes are emptied').to.equal('');
      // The other device is signed out, this page is not; the new password signs in, the old does not.
      expect((await server.call('GET', '/api/session', { token: elsewhere })).status).to.equal(401);
      const token = await own.evaluate(() => (globalThis as any).localStorage.getItem('guji-token'));
      expect((await server.call('GET', '/api/session', { token })).status).to.equal(200);
      expect((await server.call('POST', '/api/session', { body: { username: 'sun', password: 'quiet-river-stone-7' } })).status).to.equal(401);
      const another = await server.login('sun', 'amber-field-lantern-3');
      await own.setViewportSize(DESKTOP);
      await shot(own, 'account');

      await own.getByRole('button', { name: '退出所有设备' }).click();
      await own.waitForURL(`${server.url}/login`);
      expect(await own.evaluate(() => (globalThis as any).localStorage.getItem('guji-token'))).to.equal(null);
      for (const ended of [token, another]) expect((await server.call('GET', '/api/session', { token: ended })).status).to.equal(401);
      await context.close();
    });

    it('sets a unit\'s website, logo and ISIL (its manifests\' provider), marking a bad URL beside its box', async () => {
      const admin = await server.login('admin', ADMIN_PASSWORD);
      await server.call('POST', '/api/units', { token: admin, body: { province: '430000', code: '0001', name: '资阳区图书馆' } });
      await page.goto(`${server.url}/admin`);
      const form = page.locator('#edit-unit');
      await form.getByLabel('单位', { exact: true }).selectOption('430000-0001');
      await form.getByLabel('单位网站').fill('lib.ziyang.example');
      await form.getByRole('button', { name: '保存' }).click();
      await page.waitForSelector('#e-homepage[aria-invalid=true]');
      await form.getByLabel('单位网站').fill('https://lib.ziyang.example/');
      await form.getByLabel('ISIL 或其他标识').fill('CN-430902-1');
      await form.getByRole('button', { name: '保存' }).click();
      await page.waitForSelector('#units td:text-is("CN-430902-1")');
      expect((await server.call('GET', '/api/units/430000-0001')).body).to.deep.include({ homepage: 'https://lib.ziyang.example/', identifier: 'CN-430902-1', logo: null });
      await shot(page, 'admin-units');
    });
  });
}
