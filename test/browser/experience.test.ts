/**
 * Staff pages when things go wrong, in a real browser: the network down (route.abort), a 500, a
 * 403 and a slow answer forced with Playwright's page.route on every staff form; refusals said in
 * Chinese from their codes; one sign-in shared by the tabs; the registration form's local draft.
 */
import { expect } from 'chai';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { axeViolations, CHROMIUM, collectErrors, DESKTOP, failOnPageErrorsAndClose, hasChromium, launchBrowser, PHONE, shot } from '../support/browser.js';
import { ADMIN_PASSWORD, startTestServer, withLibrary, type TestServer } from '../support/http.js';

const CN = '430000-0001-0000101';
const RECORD = {
  censusNumber: CN, callNumber: '善 101', titleStatement: '楚辭十七卷', editionStatement: '明刻本', volumeCount: 4, holdingUnit: '0001',
};
const json = (status: number, body: unknown) => ({ status, contentType: 'application/json', body: JSON.stringify(body) });
const error = (status: number, code: string, message = 'English for developers.', details: unknown[] = []) => json(status, { error: { code, message, details } });

if (!hasChromium) {
  console.log(`  (experience pages not run: no Chromium at ${CHROMIUM})`);
} else {
  describe('staff pages when things go wrong, in a real browser', function () {
    this.timeout(120_000);
    let server: TestServer;
    let browser: Browser;
    let context: BrowserContext;
    const scriptErrors: string[] = [];

    async function signedInPage(): Promise<Page> {
      const page = await context.newPage();
      collectErrors(page, scriptErrors, 'experience');
      return page;
    }
    const text = (page: Page, selector: string) => page.locator(selector).innerText();

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      const admin = await withLibrary(server);
      expect((await server.call('POST', '/api/records', { token: admin, body: RECORD })).status).to.equal(201);
      browser = await launchBrowser();
      context = await browser.newContext();
      const page = await signedInPage();
      await page.goto(`${server.url}/login?next=/review`);
      await page.getByLabel('用户名').fill('admin');
      await page.getByLabel('密码').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.waitForURL(`${server.url}/review`);
      await page.close();
    });
    failOnPageErrorsAndClose(scriptErrors, () => [browser, server]);

    it('shares the sign-in with a new tab, and signs every tab out together', async () => {
      const queue = await signedInPage();
      await queue.goto(`${server.url}/review?status=draft`);
      const href = await queue.locator(`#queue a[href="/records/${CN}"]`).getAttribute('href');
      // The record opened in a new tab is the staff's draft, not "not found".
      const tab = await signedInPage();
      await tab.goto(`${server.url}${href}`);
      await tab.waitForSelector('#staff:not([hidden])');
      expect(await text(tab, '#title')).to.equal('楚辭十七卷');
      await tab.goto(`${server.url}/register`);
      await tab.waitForSelector('form#record input[name=censusNumber]');
      // Signing out in the queue's tab sends the other staff tab to the sign-in page.
      const gone = tab.waitForURL(/\/login\?next=%2Fregister/);
      await queue.getByRole('button', { name: '退出' }).click();
      await gone;
      await queue.close();
      await tab.getByLabel('用户名').fill('admin');
      await tab.getByLabel('密码').fill(ADMIN_PASSWORD);
      await tab.getByRole('button', { name: '登录', exact: true }).click();
      await tab.waitForURL(`${server.url}/register`);
      await tab.close();
    });

    it('registration: network down, 500, 403 and a slow answer are each said; the draft survives a reload', async () => {
      const page = await signedInPage();
      await page.goto(`${server.url}/register`);
      await page.waitForSelector('form#record input[name=censusNumber]');
      // 定级 and 破损级别 are marked as required to submit.
      expect(await text(page, 'label[for=f-grade]')).to.contain('†');
      expect(await text(page, 'label[for=f-damage-grade]')).to.contain('†');
      await page.fill('[name=censusNumber]', '430000-0001-0000102');
      await page.getByLabel('索书号').fill('善 102');
      await page.getByLabel('题名卷数').fill('文選六十卷');
      await page.getByLabel('版本').fill('宋刻本');
      await page.getByLabel('册数').fill('12');
      await page.fill('[name=holdingUnit]', '0001');

      const save = () => page.locator('form#record button[type=submit]').click();
      let answer: (route: Route) => Promise<void> = (route) => route.abort('internetdisconnected');
      await page.route('**/api/records', (route) => (route.request().method() === 'POST' ? answer(route) : route.continue()));
      await save();
      await page.waitForSelector('#summary.error');
      expect(await text(page, '#summary')).to.contain('无法连接服务器');
      expect(await text(page, '#net-status')).to.contain('无法连接服务器');
      expect(await page.locator('#net-status').getAttribute('role')).to.equal('status');
      await shot(page, 'experience-register-offline');

      answer = (route) => route.fulfill({ status: 500, contentType: 'text/html', body: '<h1>Bad gateway</h1>' });
      await save();
      await page.waitForFunction(() => /服务器出错（HTTP 500）/.test((globalThis as any).document.getElementById('summary').textContent));

      answer = (route) => route.fulfill(error(403, 'forbidden', 'You may not register 430000-0001-0000102: reviewers do not register records.'));
      await save();
      await page.waitForFunction(() => /无权/.test((globalThis as any).document.getElementById('summary').textContent));
      expect(await text(page, '#summary')).not.to.contain('You may not');

      let release: () => void = () => {};
      answer = async (route) => {
        await new Promise<void>((resolve) => (release = resolve));
        await route.fulfill(error(500, 'internal'));
      };
      await save();
      await page.waitForSelector('#net-status:not([hidden])', { timeout: 10_000 });
      expect(await text(page, '#net-status')).to.contain('服务器响应较慢');
      release();
      await page.waitForSelector('#net-status', { state: 'hidden' });
      expect(await text(page, '#summary')).to.contain('服务器出错');

      // Nothing typed was lost: a reload offers the draft back.
      await page.unroute('**/api/records');
      await page.reload();
      await page.waitForSelector('#draft:not([hidden])');
      expect(await page.inputValue('[name=titleStatement]')).to.equal('');
      await page.locator('#draft').getByRole('button', { name: '恢复' }).click();
      expect(await page.inputValue('[name=titleStatement]')).to.equal('文選六十卷');
      expect(await page.inputValue('[name=volumeCount]')).to.equal('12');

      // The API's field errors: the summary follows the form's order and links to the fields.
      await page.fill('[name=volumeCount]', '若干');
      await page.fill('[name=callNumber]', '');
      await save();
      await page.waitForSelector('#summary li');
      expect(await page.locator('#summary li a').allInnerTexts()).to.deep.equal(['索书号', '册数']);
      expect(await page.locator('#summary li a').first().getAttribute('href')).to.equal('#f-callNumber');
      await page.fill('[name=callNumber]', '善 102');
      await page.fill('[name=volumeCount]', '12');
      await save();
      await page.waitForURL(`${server.url}/records/430000-0001-0000102`);
      // Saved: the draft is gone.
      expect(await page.evaluate(() => Object.keys((globalThis as any).localStorage).filter((k: string) => k.startsWith('guji-draft:')))).to.deep.equal([]);
      await page.close();
    });

    it('import: a 500 says the import failed, a lost connection is retried and then said, refusals show the value', async () => {
      const page = await signedInPage();
      await page.goto(`${server.url}/import`);
      const sheet = (name: string, body: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(body) });
      const start = async (file: ReturnType<typeof sheet>) => {
        await page.setInputFiles('#file', file);
        await page.locator('#import button[type=submit]').click();
      };
      await page.route('**/api/imports?*', (route) => route.fulfill(error(500, 'internal')), { times: 1 });
      await start(sheet('a.csv', '普查编号\n'));
      await page.waitForSelector('#import-error');
      expect(await text(page, '#import-error')).to.match(/导入失败：服务器出错/);

      // The job is accepted, then the connection drops while it runs.
      await page.route('**/api/imports?*', (route) => route.fulfill(json(202, { id: 'lost', status: 'running', rows: 0, read: 0 })), { times: 1 });
      let looks = 0;
      await page.route('**/api/imports/lost', (route) => {
        looks += 1;
        return route.abort('internetdisconnected');
      });
      await start(sheet('b.csv', '普查编号\n'));
      await page.waitForFunction(() => /连接中断，正在重试/.test((globalThis as any).document.getElementById('result').textContent));
      await page.waitForSelector('#import-error', { timeout: 60_000 });
      expect(await text(page, '#import-error')).to.contain('无法得知导入结果');
      expect(looks).to.equal(6);

      await start(sheet('c.csv', '普查编号,索书号,题名卷数,版本,册数,收藏单位\n430000-0001-0000103,x,詩集一卷,刻本,若干,0001\n'));
      await page.waitForSelector('#problems');
      expect(await page.locator('#problems tbody td').allInnerTexts()).to.deep.equal(['2', '册数', '若干', '须为整数（如 18 或 十八），所填为 "若干"']);
      await shot(page, 'experience-import-refusal');
      await page.close();
    });

    it('upload: after a 403 every remaining row says why; the network down is said', async () => {
      const page = await signedInPage();
      await page.goto(`${server.url}/upload?record=${CN}`);
      const files = ['1.png', '2.png', '3.png'].map((name) => ({ name, mimeType: 'image/png', buffer: Buffer.from('x') }));
      await page.route('**/api/records/*/scans', (route) => route.fulfill(error(403, 'reviewer_required', 'You may not change the scans.')));
      await page.setInputFiles('#files', files);
      await page.locator('#upload button[type=submit]').click();
      await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#files-table td.outcome[data-outcome=failed]').length === 3);
      const outcomes = await page.locator('#files-table td.outcome').allInnerTexts();
      expect(outcomes[0]).to.equal('失败：此书已发布，其影像与结构须由审校员或管理员修改。');
      expect(outcomes.slice(1)).to.deep.equal(Array(2).fill('未上传：此书已发布，其影像与结构须由审校员或管理员修改。'));
      expect(await text(page, '#message')).to.contain('此书已发布');
      await shot(page, 'experience-upload-403');

      await page.unroute('**/api/records/*/scans');
      await page.route('**/api/records/*/scans', (route) => route.abort('internetdisconnected'));
      await page.locator('#upload button[type=submit]').click();
      await page.waitForFunction(() => /未上传：无法连接服务器/.test((globalThis as any).document.getElementById('files-table').textContent));
      await page.close();
    });

    it('review queue: a 500 shows an error instead of an empty table; a refused action says why in Chinese', async () => {
      const page = await signedInPage();
      // A returned record's reason shows in its row, from the list itself: no request per row.
      const admin = await server.login('admin', ADMIN_PASSWORD);
      const second = { ...RECORD, censusNumber: '430000-0001-0000104', callNumber: '善 104', grade: '三级乙等', damage: { grade: '中度' } };
      expect((await server.call('POST', '/api/records', { token: admin, body: second })).status).to.equal(201);
      for (const [action, version, comment] of [['submit', 1, null], ['return', 2, '版本项请核对牌记']] as const) {
        const res = await server.call('POST', `/api/records/${second.censusNumber}/transitions`, { token: admin, headers: { 'if-match': `"v${version}"` }, body: { action, ...(comment ? { comment } : {}) } });
        expect(res.status).to.equal(200);
      }
      const histories: string[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/history')) histories.push(request.url());
      });
      await page.goto(`${server.url}/review?status=returned`);
      await page.waitForSelector('#r-430000-0001-0000104 blockquote');
      expect(await text(page, '#r-430000-0001-0000104 blockquote')).to.equal('版本项请核对牌记（admin）');
      expect(histories).to.deep.equal([]);

      await page.route('**/api/records?*', (route) => route.fulfill(error(500, 'internal')), { times: 1 });
      await page.goto(`${server.url}/review?status=draft`);
      await page.waitForSelector('#message.error');
      expect(await text(page, '#message')).to.contain('服务器出错');
      expect(await page.locator('#queue').isHidden()).to.equal(true);
      await shot(page, 'experience-review-500');

      await page.reload();
      await page.waitForSelector(`#r-${CN} button[data-action=submit]`);
      await page.route('**/transitions', (route) => route.fulfill(error(409, 'invalid_transition', 'The record cannot be submitted yet.', [
        { field: 'grade', problem: 'is required to submit (古籍定级)' }, { field: 'damage', problem: 'is required to submit (破损定级)' },
      ])));
      await page.locator(`#r-${CN} button[data-action=submit]`).click();
      await page.waitForSelector('#message li');
      expect(await page.locator('#message li').allInnerTexts()).to.deep.equal(['定级：提交审校前须填写（古籍定级）', '破损级别：提交审校前须填写（破损定级）']);
      expect(await text(page, '#message')).not.to.contain('cannot');

      // The English switch says the same refusal in English, from the same code.
      await page.evaluate(() => (globalThis as any).localStorage.setItem('guji-lang', 'en'));
      await page.reload();
      await page.waitForSelector(`#r-${CN} button[data-action=submit]`);
      await page.locator(`#r-${CN} button[data-action=submit]`).click();
      await page.waitForSelector('#message li');
      expect(await text(page, '#message')).to.contain('The record cannot take this step yet; see below.');
      expect(await page.locator('#message li').allInnerTexts()).to.deep.equal(['Grade: is required to submit (古籍定级)', 'Damage grade: is required to submit (破损定级)']);
      await page.evaluate(() => (globalThis as any).localStorage.removeItem('guji-lang'));
      await page.close();
    });

    it('record page: a refused action is said with its fields; a record that cannot be loaded says why', async () => {
      const page = await signedInPage();
      await page.goto(`${server.url}/records/${CN}`);
      await page.waitForSelector('#actions button[data-action=submit]');
      await page.locator('#actions button[data-action=submit]').click();
      await page.waitForSelector('#action-message li');
      expect(await text(page, '#action-message')).to.contain('此登记现在还不能这样处理');
      expect(await page.locator('#action-message li').allInnerTexts()).to.deep.equal(['定级：提交审校前须填写（古籍定级）', '破损级别：提交审校前须填写（破损定级）']);
      await page.route(`**/api/records/${CN}`, (route) => route.abort('internetdisconnected'));
      await page.reload();
      await page.waitForFunction(() => /无法连接服务器/.test((globalThis as any).document.getElementById('title').textContent));
      await page.close();
    });

    it('overview: grade and damage charts follow the scale, and each bar opens its search', async () => {
      const admin = await server.login('admin', ADMIN_PASSWORD);
      for (const [n, grade, damage] of [['0000105', '普通古籍', '基本完好'], ['0000106', '一级甲等', '特残'], ['0000107', '普通古籍', '基本完好'], ['0000108', '三级乙等', '中度']]) {
        const body = { ...RECORD, censusNumber: `430000-0001-${n}`, callNumber: n, grade, damage: { grade: damage } };
        expect((await server.call('POST', '/api/records', { token: admin, body })).status).to.equal(201);
      }
      await server.services.indexer.catchUp();
      const page = await signedInPage();
      await page.goto(`${server.url}/stats`);
      await page.waitForSelector('#chart-grade a.row');
      const hrefs = async (facet: string) => page.locator(`#chart-${facet} a.row`).evaluateAll((rows) => rows.map((a: any) => decodeURIComponent(a.getAttribute('href'))));
      // 普通古籍 counts most, yet comes after 一级甲等 and 三级乙等: the order of the scale.
      expect(await hrefs('grade')).to.deep.equal(['/?grade=一级甲等', '/?grade=三级乙等', '/?grade=普通古籍']);
      expect(await hrefs('damageGrade')).to.deep.equal(['/?damageGrade=特残', '/?damageGrade=中度', '/?damageGrade=基本完好']);
      await page.locator('#chart-grade a.row').first().click();
      await page.waitForURL(/\/\?grade=/);
      await page.waitForSelector('.hits li');
      expect(await page.locator('.hits li').count()).to.equal(1);
      await page.close();
    });

    it('admin and sign-in: a failed load and the network down are said', async () => {
      const page = await signedInPage();
      await page.route('**/api/users', (route) => route.abort('internetdisconnected'), { times: 1 });
      await page.goto(`${server.url}/admin`);
      await page.waitForSelector('#user-message.error');
      expect(await text(page, '#user-message')).to.contain('无法连接服务器');

      await page.route('**/api/units', (route) => (route.request().method() === 'POST' ? route.fulfill(error(409, 'already_exists', 'x', [{ field: 'code', problem: 'already exists' }])) : route.continue()));
      await page.reload();
      await page.waitForSelector('#users tbody tr');
      await page.fill('#n-code', '0001');
      await page.fill('#n-name', '资阳区图书馆');
      await page.locator('#new-unit button[type=submit]').click();
      await page.waitForSelector('#n-code[aria-invalid=true]');
      expect(await text(page, '#new-unit .field-error')).to.equal('已存在');

      // A unit is edited in its row (every problem said), then disabled: new surveyors cannot join it.
      const row = page.locator('#unit-430000-0001');
      await row.getByRole('button', { name: '编辑' }).click();
      await page.fill('#edit-430000-0001-name', ' ');
      await row.getByRole('button', { name: '保存' }).click();
      await page.waitForSelector('#unit-message.error li');
      expect(await page.locator('#unit-message li').allInnerTexts()).to.deep.equal(['单位名称：不能为空']);
      await page.fill('#edit-430000-0001-name', '益阳市资阳区图书馆');
      await page.fill('#edit-430000-0001-contact', '0737-4222222');
      await page.locator('#unit-430000-0001').getByRole('button', { name: '保存' }).click();
      await page.waitForSelector('#unit-430000-0001 td.unit-name:text-is("益阳市资阳区图书馆")');
      await page.locator('#unit-430000-0001').getByRole('button', { name: '停用' }).click();
      await page.waitForSelector('#unit-430000-0001 td:text-is("已停用")');
      expect(await page.locator('#u-unit option').allInnerTexts()).to.deep.equal(['—']);
      await shot(page, 'experience-admin-units');
      await page.locator('#unit-430000-0001').getByRole('button', { name: '启用' }).click();
      await page.waitForSelector('#unit-430000-0001 td:text-is("正常")');

      // An account is edited in its row: a reviewer made a surveyor needs a unit, said beside 单位.
      const admin = await server.login('admin', ADMIN_PASSWORD);
      await server.call('POST', '/api/users', { token: admin, body: { username: 'sun', password: 'maple-valley-road-3', role: 'reviewer' } });
      await page.reload();
      const sun = page.locator('#user-sun');
      await sun.getByRole('button', { name: '编辑' }).click();
      await page.fill('#edit-sun-displayName', '孫審校');
      await page.selectOption('#edit-sun-role', 'surveyor');
      await sun.getByRole('button', { name: '保存' }).click();
      await page.waitForSelector('#user-message.error li');
      expect(await page.locator('#user-message li').allInnerTexts()).to.deep.equal(['单位：普查员须属于某一收藏单位']);
      await page.selectOption('#edit-sun-unit', '430000-0001');
      await page.locator('#user-sun').getByRole('button', { name: '保存' }).click();
      await page.waitForSelector('#user-sun td:text-is("孫審校")');
      expect(await page.locator('#user-sun td').allInnerTexts()).to.include.members(['普查员', '430000-0001']);

      const anonymous = await browser.newPage();
      collectErrors(anonymous, scriptErrors, 'login');
      await anonymous.route('**/api/session', (route) => route.abort('internetdisconnected'));
      await anonymous.goto(`${server.url}/login`);
      await anonymous.getByLabel('用户名').fill('admin');
      await anonymous.getByLabel('密码').fill(ADMIN_PASSWORD);
      await anonymous.getByRole('button', { name: '登录', exact: true }).click();
      await anonymous.waitForSelector('#error:not([hidden])');
      expect(await text(anonymous, '#error')).to.contain('无法连接服务器');
      await anonymous.close();
      await page.close();
    });
  });
}

/**
 * axe-core (the engine of @axe-core/playwright, injected from node_modules) on every page at
 * desktop and phone widths: no serious or critical violations. The pages' CSP refuses injected
 * scripts, so this context alone bypasses it (Playwright's bypassCSP); the other tests keep it.
 */
if (hasChromium) {
  describe('accessibility of every page (axe-core)', function () {
    this.timeout(180_000);
    let server: TestServer;
    let browser: Browser;
    let context: BrowserContext;
    const PUBLISHED = '430000-0001-0000201';

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      const admin = await withLibrary(server);
      const book = { ...RECORD, censusNumber: PUBLISHED, callNumber: '善 201', creatorStatement: '（漢）劉向輯', classification: '集部 楚辭類', grade: '三级乙等', damage: { grade: '中度' } };
      expect((await server.call('POST', '/api/records', { token: admin, body: book })).status).to.equal(201);
      for (const [action, version] of [['submit', 1], ['approve', 2], ['publish', 3]] as const) {
        const res = await server.call('POST', `/api/records/${PUBLISHED}/transitions`, { token: admin, headers: { 'if-match': `"v${version}"` }, body: { action } });
        expect(res.status).to.equal(200);
      }
      await server.services.indexer.catchUp();
      browser = await launchBrowser();
      context = await browser.newContext({ bypassCSP: true });
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    const PAGES: [string, string, string][] = [
      ['login', '/login', '#login'],
      ['index', `/?q=${encodeURIComponent('楚辭')}`, '.hits li'],
      ['record', `/records/${PUBLISHED}`, '#title'],
      ['browse', '/browse', 'main h1'],
      ['person', `/persons/${encodeURIComponent('劉向')}`, 'main h1'],
      ['viewer', `/viewer?manifest=${encodeURIComponent(`/iiif/${PUBLISHED}/manifest`)}`, '#viewer'],
      ['stats', '/stats', '#chart-grade'],
      ['register', '/register', 'form#record input[name=censusNumber]'],
      ['edit', `/records/${PUBLISHED}/edit`, 'form#record input[name=censusNumber]'],
      ['import', '/import', '#import'],
      ['upload', `/upload?record=${PUBLISHED}`, '#upload'],
      ['review', '/review?status=published', '#queue tbody tr'],
      ['admin', '/admin', '#users tbody tr'],
      ['account', '/account', '#password-form button[type=submit]:enabled'],
    ];

    it('finds no serious or critical violation on any page at 1280 and 390 px', async () => {
      const page = await context.newPage();
      const found: string[] = [];
      for (const [name, path, ready] of PAGES) {
        if (name === 'register') {
          // The staff pages from here on: signed in as the admin.
          await page.goto(`${server.url}/login`);
          await page.getByLabel('用户名').fill('admin');
          await page.getByLabel('密码').fill(ADMIN_PASSWORD);
          await page.getByRole('button', { name: '登录', exact: true }).click();
          await page.waitForURL(`${server.url}/review`);
        }
        for (const size of [DESKTOP, PHONE]) {
          await page.setViewportSize(size);
          await page.goto(`${server.url}${path}`);
          await page.waitForSelector(ready);
          found.push(...(await axeViolations(page)).map((v) => `${name} at ${size.width} px: ${v}`));
        }
        // The staff pages of this task, saved at both widths (and none wider than a phone).
        if (['login', 'stats', 'register', 'import', 'upload', 'review', 'admin'].includes(name)) await shot(page, `experience-${name}`);
      }
      await page.setViewportSize(DESKTOP);
      expect(found).to.deep.equal([]);
      // The first Tab reaches the skip link, which leads past the header.
      await page.goto(`${server.url}/import`);
      await page.waitForSelector('#import');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => (globalThis as any).document.activeElement.textContent)).to.equal('跳到正文');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => (globalThis as any).document.activeElement.tagName)).to.equal('MAIN');
      // The check can fail: an image without a text alternative on a page is found.
      await page.goto(`${server.url}/login`);
      await page.evaluate(() => (globalThis as any).document.querySelector('main').append((globalThis as any).document.createElement('img')));
      expect((await axeViolations(page)).join('\n')).to.match(/^image-alt \(critical\)/);
      await page.close();
    });
  });
}
