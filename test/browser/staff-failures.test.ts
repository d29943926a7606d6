/**
 * Every staff form when its answer fails (issue 20, "Must show"), at 1280 and at 390 px: the
 * network down (route.abort), a 500 that is not the API's JSON, a 403 whose English sentence must
 * not show, and a slow answer, forced with Playwright's page.route on the form's own request.
 * Each is said on the page in Chinese (public/messages.js) and what was typed is still there.
 * Then the problems the services name a field with, said in Chinese: every `problem:` in src/,
 * and a few caused for real (a unit code "12", a damaged scan); the navigation a reviewer is
 * offered; axe-core on the proofreading page and the exhibit editor.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { axeViolations, CHROMIUM, collectErrors, DESKTOP, failOnPageErrorsAndClose, hasChromium, launchBrowser, PHONE, shot } from '../support/browser.js';
import { ADMIN_PASSWORD, startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { demoScans, recordWithScan } from '../support/scans.js';

const CN = '430000-0001-0000301';
/** A record without 定级 and 破损级别: not ready to submit. */
const UNGRADED = '430000-0001-0000303';
const RECORD = { censusNumber: CN, callNumber: '善 301', titleStatement: '楚辭十七卷', editionStatement: '明刻本', volumeCount: 4, holdingUnit: '0001' };
const error = (status: number, code: string, message: string) => ({ status, contentType: 'application/json', body: JSON.stringify({ error: { code, message, details: [] } }) });

/** A staff form: where it is, what is typed into it, how it is sent, which request that makes, where the page answers. */
interface StaffForm {
  name: string;
  path: string;
  ready: string;
  /** Route glob and method of the request the form makes. */
  route: string;
  method: string;
  fill(page: Page): Promise<void>;
  send(page: Page): Promise<void>;
  /** The element the failure is said in. */
  said: string;
  /** What was typed, read back after the failure: equal to what fill() typed. */
  kept(page: Page): Promise<unknown>;
  typed: unknown;
  /** The page is a signed-out one (sign-in). */
  anonymous?: boolean;
}

const inputs = (page: Page, selector: string) => page.locator(selector).evaluateAll((nodes) => nodes.map((n: any) => n.value));
const fileNames = (page: Page, selector: string) => page.locator(selector).evaluate((n: any) => [...n.files].map((f: any) => f.name));
const png = (name: string) => ({ name, mimeType: 'image/png', buffer: readFileSync(path.join(demoScans, '1.png')) });

// A page of text as the API gives it (GET …/pages/1/text): the proofreading page is drawn from
// it, so that its save can be made to fail without running the OCR engine first.
const PAGE_TEXT = {
  imageId: `${CN}/1`, width: 800, height: 1200, status: 'ocr', updatedBy: 'ocr', updatedAt: '2026-11-30T00:00:00Z', version: 1,
  columns: [{ kind: 'main', box: [600, 100, 60, 900], text: '帝高陽之苗裔兮', chars: [...'帝高陽之苗裔兮'].map((char) => ({ char, confidence: 0.9 })) }],
};

const FORMS: StaffForm[] = [
  {
    name: 'register', path: '/register', ready: 'form#record input[name=censusNumber]', route: '**/api/records', method: 'POST', said: '#summary',
    fill: async (page) => {
      await page.fill('[name=censusNumber]', '430000-0001-0000302');
      await page.fill('[name=titleStatement]', '文選六十卷');
    },
    send: (page) => page.locator('form#record button[type=submit]').click(),
    kept: (page) => inputs(page, '[name=censusNumber], [name=titleStatement]'), typed: ['430000-0001-0000302', '文選六十卷'],
  },
  {
    name: 'edit', path: `/records/${CN}/edit`, ready: 'form#record input[name=censusNumber]', route: `**/api/records/${CN}`, method: 'PUT', said: '#summary',
    fill: (page) => page.fill('[name=titleStatement]', '楚辭章句十七卷'),
    send: (page) => page.locator('form#record button[type=submit]').click(),
    kept: (page) => page.inputValue('[name=titleStatement]'), typed: '楚辭章句十七卷',
  },
  {
    name: 'import', path: '/import', ready: '#import', route: '**/api/imports?*', method: 'POST', said: '#result',
    fill: (page) => page.setInputFiles('#file', { name: '普查表.csv', mimeType: 'text/csv', buffer: Buffer.from('普查编号\n') }),
    send: (page) => page.locator('#import button[type=submit]').click(),
    kept: (page) => fileNames(page, '#file'), typed: ['普查表.csv'],
  },
  {
    name: 'upload', path: `/upload?record=${CN}`, ready: '#upload', route: '**/api/records/*/scans', method: 'POST', said: 'main',
    fill: (page) => page.setInputFiles('#files', [png('1.png'), png('2.png')]),
    send: (page) => page.locator('#upload button[type=submit]').click(),
    kept: async (page) => [await page.inputValue('#record'), ...(await fileNames(page, '#files'))], typed: [CN, '1.png', '2.png'],
  },
  {
    name: 'structure', path: `/upload?record=${CN}`, ready: '#structure', route: '**/structure/sheets?*', method: 'POST', said: '#structure-result',
    fill: (page) => page.setInputFiles('#volumes', { name: '分册表.csv', mimeType: 'text/csv', buffer: Buffer.from('册次,册名,文件\n1,卷一,1.png\n') }),
    send: (page) => page.locator('#structure button[type=submit]').click(),
    kept: async (page) => [await page.inputValue('#record'), ...(await fileNames(page, '#volumes'))], typed: [CN, '分册表.csv'],
  },
  {
    name: 'review', path: '/review?status=draft', ready: `#r-${CN} button[data-action=submit]`, route: '**/transitions', method: 'POST', said: '#message',
    fill: async () => {},
    send: (page) => page.locator(`#r-${CN} button[data-action=submit]`).click(),
    // The queue stays as it was, its record still offered for the same step.
    kept: (page) => page.locator(`#r-${CN} button[data-action=submit]`).count(), typed: 1,
  },
  {
    name: 'admin-unit', path: '/admin', ready: '#users tbody tr', route: '**/api/units', method: 'POST', said: '#new-unit',
    fill: async (page) => {
      await page.fill('#n-code', '0009');
      await page.fill('#n-name', '桃江县图书馆');
    },
    send: (page) => page.locator('#new-unit button[type=submit]').click(),
    kept: (page) => inputs(page, '#n-code, #n-name'), typed: ['0009', '桃江县图书馆'],
  },
  {
    name: 'admin-user', path: '/admin', ready: '#users tbody tr', route: '**/api/users', method: 'POST', said: '#new-user',
    fill: async (page) => {
      await page.fill('#u-username', 'zhou');
      await page.fill('#u-displayName', '周普查');
    },
    send: (page) => page.locator('#new-user button[type=submit]').click(),
    kept: (page) => inputs(page, '#u-username, #u-displayName'), typed: ['zhou', '周普查'],
  },
  {
    name: 'proof', path: `/records/${CN}/pages/1/proof`, ready: '#columns input', route: '**/pages/1/text', method: 'PUT', said: '#message',
    fill: (page) => page.fill('#column-1', '帝高陽之苗裔兮朕'),
    send: (page) => page.locator('#save').click(),
    kept: (page) => page.inputValue('#column-1'), typed: '帝高陽之苗裔兮朕',
  },
  {
    name: 'exhibit', path: '/exhibits/new', ready: '#sections .ex-section', route: '**/api/exhibits', method: 'POST', said: '#message',
    fill: async (page) => {
      await page.fill('#slug', 'chuci');
      await page.fill('#title', '楚辭諸本');
    },
    send: (page) => page.locator('#save').click(),
    kept: (page) => inputs(page, '#slug, #title'), typed: ['chuci', '楚辭諸本'],
  },
  {
    name: 'account', path: '/account', ready: '#password-form button[type=submit]:enabled', route: '**/api/users/admin/password', method: 'PUT', said: '#password-message',
    fill: async (page) => {
      await page.getByLabel('当前密码').fill(ADMIN_PASSWORD);
      await page.getByLabel('新密码', { exact: true }).fill('lantern-orchard-9');
      await page.getByLabel('再次输入新密码').fill('lantern-orchard-9');
    },
    send: (page) => page.getByRole('button', { name: '修改密码' }).click(),
    kept: (page) => inputs(page, '#current, #password, #again'), typed: [ADMIN_PASSWORD, 'lantern-orchard-9', 'lantern-orchard-9'],
  },
  {
    name: 'login', path: '/login', ready: '#login', route: '**/api/session', method: 'POST', said: '#error', anonymous: true,
    fill: async (page) => {
      await page.getByLabel('用户名').fill('admin');
      await page.getByLabel('密码').fill(ADMIN_PASSWORD);
    },
    send: (page) => page.getByRole('button', { name: '登录', exact: true }).click(),
    kept: (page) => inputs(page, '#username'), typed: ['admin'],
  },
];

/** A forced failure: how the route answers, and what the page must then say. */
const FAILURES: [string, (route: Route) => Promise<void>, RegExp][] = [
  ['the network down', (route) => route.abort('internetdisconnected'), /无法连接服务器/],
  ['a 500 that is not JSON', (route) => route.fulfill({ status: 500, contentType: 'text/html', body: '<h1>Internal Server Error</h1>' }), /服务器出错（HTTP 500）/],
  ['a 403', (route) => route.fulfill(error(403, 'forbidden', 'You may not do this: reviewers do not register records.')), /无权/],
];

if (!hasChromium) {
  console.log(`  (staff failures not run: no Chromium at ${CHROMIUM})`);
} else {
  describe('every staff form when its answer fails, in a real browser', function () {
    this.timeout(180_000);
    let server: TestServer;
    let browser: Browser;
    let staff: BrowserContext;
    const scriptErrors: string[] = [];

    async function signIn(context: BrowserContext, username: string, password: string): Promise<void> {
      const page = await context.newPage();
      await page.goto(`${server.url}/login?next=/review`);
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(password);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.waitForURL(`${server.url}/review`);
      await page.close();
    }

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      const admin = await withLibrary(server);
      await recordWithScan(server, admin, CN, path.join(demoScans, '1.png'), '1.png', RECORD);
      const ungraded = { ...RECORD, censusNumber: UNGRADED, callNumber: '善 303' };
      expect((await server.call('POST', '/api/records', { token: admin, body: ungraded })).status).to.equal(201);
      browser = await launchBrowser();
      staff = await browser.newContext();
      await signIn(staff, 'admin', ADMIN_PASSWORD);
    });
    failOnPageErrorsAndClose(scriptErrors, () => [browser, server]);

    async function open(form: StaffForm, size: typeof DESKTOP): Promise<Page> {
      const page = form.anonymous ? await browser.newPage() : await staff.newPage();
      collectErrors(page, scriptErrors, form.name);
      await page.setViewportSize(size);
      if (form.name === 'proof') {
        await page.route(`**/api/records/${CN}/pages/1/text`, (route) => (route.request().method() === 'GET'
          ? route.fulfill({ status: 200, contentType: 'application/json', headers: { etag: '"v1"' }, body: JSON.stringify(PAGE_TEXT) }) : route.fallback()));
        await page.route('**/text/history', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"entries":[]}' }));
      }
      await page.goto(`${server.url}${form.path}`);
      await page.waitForSelector(form.ready);
      await form.fill(page);
      return page;
    }

    for (const size of [DESKTOP, PHONE]) {
      for (const form of FORMS) {
        it(`${form.name} at ${size.width} px: the network down, a 500, a 403 and a slow answer are each said, and nothing typed is lost`, async () => {
          const page = await open(form, size);
          let answer: (route: Route) => Promise<void> = async (route) => route.fallback();
          await page.route(form.route, (route) => (route.request().method() === form.method ? answer(route) : route.fallback()));
          const said = () => page.locator(form.said).innerText();
          for (const [failure, fail, sentence] of FAILURES) {
            answer = fail;
            await form.send(page);
            await page.waitForFunction(([selector, source]) => new RegExp(source).test((globalThis as any).document.querySelector(selector)?.innerText ?? ''), [form.said, sentence.source] as const);
            expect(await said(), failure).not.to.match(/You may not|Internal Server Error|undefined|\[object/);
            expect(await form.kept(page), failure).to.deep.equal(form.typed);
            // The form can be sent again: no button is left disabled.
            await page.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('main button[type=submit]')].every((b: any) => !b.disabled));
            if (failure === 'a 403' && size === DESKTOP) await shot(page, `staff-failure-${form.name}-403`);
          }
          // A slow answer: the status line says the page is waiting, then what came.
          // Held until released; a form that sends again (the next file) is answered at once.
          let release: () => void = () => {};
          const released = new Promise<void>((resolve) => (release = resolve));
          answer = async (route) => {
            await released;
            await route.fulfill(error(500, 'internal', 'Something broke.'));
          };
          await form.send(page);
          await page.waitForFunction(() => /服务器响应较慢，仍在等待/.test((globalThis as any).document.getElementById('net-status')?.textContent ?? ''), undefined, { timeout: 15_000 });
          expect(await page.locator('#net-status').isVisible()).to.equal(true);
          release();
          await page.waitForFunction((selector) => /服务器出错，已记录/.test((globalThis as any).document.querySelector(selector)?.innerText ?? ''), form.said);
          await page.waitForSelector('#net-status', { state: 'hidden' });
          expect(await form.kept(page)).to.deep.equal(form.typed);
          await (form.anonymous ? page.context().close() : page.close());
        });
      }
    }

    it('names a column at fault on the proofreading page as the reader counts columns, not by its key', async () => {
      const proof = FORMS.find((f) => f.name === 'proof')!;
      const page = await open(proof, DESKTOP);
      const refusal = { error: { code: 'validation_failed', message: 'The request has invalid fields.', details: [{ field: 'columns.0.text', problem: 'must be its characters joined' }] } };
      await page.route(proof.route, (route) => (route.request().method() === 'PUT'
        ? route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify(refusal) }) : route.fallback()));
      await proof.send(page);
      await page.locator('#message', { hasText: '第 1 列' }).waitFor();
      expect(await page.locator('#message').innerText()).not.to.contain('columns.');
      await page.close();
    });

    it('says in Chinese every problem the services name a field with', async () => {
      const page = await staff.newPage();
      collectErrors(page, scriptErrors, 'problems');
      await page.goto(`${server.url}/register`);
      await page.waitForSelector('form#record input[name=censusNumber]');
      const sentences = [...problemSentences(), ...ZOD_SENTENCES];
      expect(sentences.length).to.be.greaterThan(60);
      const said: string[] = await page.evaluate(async (list) => {
        const ui = await import('/ui.js' as string);
        return list.map((s: string) => ui.problemText(s));
      }, sentences);
      const english = sentences.map((s, i) => [s, said[i] ?? '']).filter(([, zh]) => /[A-Za-z]{3,}/.test(zh!.replace(ALLOWED_LATIN, '')));
      expect(english).to.deep.equal([]);
      // The fallback for a sentence not listed yet still says, in Chinese, that the field is wrong.
      expect(await page.evaluate(async () => (await import('/ui.js' as string)).problemText('is wrong in a new way'))).to.equal('填写不符合要求（is wrong in a new way）');
      await page.close();
    });

    for (const size of [DESKTOP, PHONE]) {
      it(`at ${size.width} px, real refusals are said in Chinese: a unit code "12", a damaged scan, a record not ready to submit, an exhibit's bad address and item`, async () => {
        const page = await staff.newPage();
        collectErrors(page, scriptErrors, 'real refusals');
        await page.setViewportSize(size);
        await page.goto(`${server.url}/admin`);
        await page.waitForSelector('#users tbody tr');
        await page.fill('#n-province', '43');
        await page.fill('#n-code', '12');
        await page.fill('#n-name', '某馆');
        await page.locator('#new-unit button[type=submit]').click();
        await page.waitForSelector('#n-code[aria-invalid=true]');
        // Every field at fault is said, each beside its field.
        expect(await page.locator('#new-unit .field-error').allInnerTexts()).to.deep.equal(['须为 GB/T 2260 省级行政区划代码，如 430000', '须为四位数字']);
        expect(await page.inputValue('#n-code')).to.equal('12');

        await page.goto(`${server.url}/upload?record=${CN}`);
        await page.waitForSelector('#upload');
        const whole = readFileSync(path.join(demoScans, '2.png'));
        await page.setInputFiles('#files', [{ name: '9.png', mimeType: 'image/png', buffer: whole.subarray(0, whole.length >> 1) }, { name: '8.tif', mimeType: 'image/tiff', buffer: Buffer.from('not a tiff at all') }]);
        await page.locator('#upload button[type=submit]').click();
        await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#files-table td.outcome[data-outcome]').length === 2, undefined, { timeout: 60_000 });
        const outcomes = await page.locator('#files-table td.outcome').allInnerTexts();
        expect(outcomes.every((o) => /^拒收：/.test(o)), outcomes.join(' | ')).to.equal(true);
        expect(outcomes.join(' ')).not.to.match(/[A-Za-z]{3,}/);
        if (size === DESKTOP) await shot(page, 'staff-upload-damaged');

        await page.goto(`${server.url}/review?status=draft`);
        await page.locator(`#r-${UNGRADED} button[data-action=submit]`).click();
        await page.waitForSelector('#message.error li');
        expect(await page.locator('#message li').allInnerTexts()).to.deep.equal(['定级：提交审校前须填写（古籍定级）', '破损级别：提交审校前须填写（破损定级）']);
        expect(await page.locator('#message').innerText()).not.to.match(/[A-Za-z]{3,}/);

        // The exhibit editor names the field at fault as its form does, down to an item's box.
        await page.goto(`${server.url}/exhibits/new`);
        await page.waitForSelector('#sections .ex-section');
        await page.fill('#slug', 'Chu-Ci');
        await page.fill('#title', '楚辭諸本');
        await page.getByRole('button', { name: '添加条目 · Add an item' }).click();
        await page.locator('.ex-item input').first().fill('430000-0001-9999999');
        await page.getByRole('button', { name: '保存 · Save' }).click();
        await page.waitForFunction(() => /地址：/.test((globalThis as any).document.getElementById('message').textContent));
        expect(await page.locator('#message').innerText()).to.contain('地址：须为小写字母和数字，以连字符“-”相连');
        expect(await page.locator('#slug').getAttribute('aria-invalid')).to.equal('true');
        await page.fill('#slug', 'chuci');
        await page.getByRole('button', { name: '保存 · Save' }).click();
        await page.waitForFunction(() => /条目 1/.test((globalThis as any).document.getElementById('message').textContent));
        expect(await page.locator('#message').innerText()).to.contain('单元 1 · 条目 1 · 普查编号：430000-0001-9999999 不是本目录中已发布的登记');
        expect(await page.locator('#message').innerText()).not.to.match(/[A-Za-z]{3,}/);
        await page.close();
      });
    }

    it('at 390 px: 定级 and 破损级别 marked, the summary in the form\'s order, the draft kept, the refused value shown, a unit and an account edited and disabled', async () => {
      const page = await staff.newPage();
      collectErrors(page, scriptErrors, 'phone forms');
      await page.setViewportSize(PHONE);
      await page.goto(`${server.url}/register`);
      await page.waitForSelector('form#record input[name=censusNumber]');
      expect(await page.locator('label[for=f-grade]').innerText()).to.contain('†');
      expect(await page.locator('label[for=f-damage-grade]').innerText()).to.contain('†');
      await page.fill('[name=censusNumber]', '430000-0001-0000304');
      await page.getByLabel('题名卷数').fill('離騷一卷');
      await page.getByLabel('版本').fill('清刻本');
      await page.getByLabel('册数').fill('若干');
      await page.fill('[name=holdingUnit]', '0001');
      await page.locator('form#record button[type=submit]').click();
      await page.waitForSelector('#summary li');
      // The API's problems in the order of the form (索书号 comes before 册数), each a link to its field.
      expect(await page.locator('#summary li a').allInnerTexts()).to.deep.equal(['索书号', '册数']);
      expect(await page.locator('#summary').innerText()).not.to.match(/[A-Za-z]{3,}/);
      await page.reload();
      await page.locator('#draft').getByRole('button', { name: '恢复' }).click();
      expect(await page.inputValue('[name=volumeCount]')).to.equal('若干');
      await shot(page, 'staff-register-draft');

      await page.goto(`${server.url}/import`);
      await page.setInputFiles('#file', { name: 'c.csv', mimeType: 'text/csv', buffer: Buffer.from('普查编号,索书号,题名卷数,版本,册数,收藏单位\n430000-0001-0000305,x,詩集一卷,刻本,若干,0001\n') });
      await page.locator('#import button[type=submit]').click();
      await page.waitForSelector('#problems');
      expect(await page.locator('#problems tbody td').allInnerTexts()).to.deep.equal(['2', '册数', '若干', '须为整数（如 18 或 十八），所填为 "若干"']);

      const admin = await server.login('admin', ADMIN_PASSWORD);
      expect((await server.call('POST', '/api/users', { token: admin, body: { username: 'feng', password: 'copper-kettle-44', role: 'reviewer' } })).status).to.equal(201);
      await page.goto(`${server.url}/admin`);
      const unit = page.locator('#unit-430000-0001');
      await unit.getByRole('button', { name: '编辑' }).click();
      await page.fill('#edit-430000-0001-name', '益阳市资阳区图书馆');
      await unit.getByRole('button', { name: '保存' }).click();
      await page.waitForSelector('#unit-430000-0001 td.unit-name:text-is("益阳市资阳区图书馆")');
      await page.locator('#unit-430000-0001').getByRole('button', { name: '停用' }).click();
      await page.waitForSelector('#unit-430000-0001 td:text-is("已停用")');
      await page.locator('#unit-430000-0001').getByRole('button', { name: '启用' }).click();
      await page.waitForSelector('#unit-430000-0001 td:text-is("正常")');
      const feng = page.locator('#user-feng');
      await feng.getByRole('button', { name: '编辑' }).click();
      await page.selectOption('#edit-feng-role', 'surveyor');
      await feng.getByRole('button', { name: '保存' }).click();
      await page.waitForSelector('#user-message.error li');
      expect(await page.locator('#user-message li').allInnerTexts()).to.deep.equal(['单位：普查员须属于某一收藏单位']);
      await page.locator('#user-feng').getByRole('button', { name: '停用' }).click();
      await page.waitForSelector('#user-feng td:text-is("已停用")');
      await shot(page, 'staff-admin-phone');
      await page.close();
    });

    // A reviewer may change the scans (of published books only reviewers may: src/domain/permissions.ts),
    // but registers nothing, so imports nothing.
    it('offers a reviewer no registration or import link, and a surveyor those links, at both widths', async () => {
      const admin = await server.login('admin', ADMIN_PASSWORD);
      for (const [username, role, password] of [['wu', 'reviewer', 'granite-lantern-58'], ['zheng', 'surveyor', 'willow-harbour-62']]) {
        const res = await server.call('POST', '/api/users', { token: admin, body: { username, role, password, ...(role === 'surveyor' ? { unit: '430000-0001' } : {}) } });
        expect(res.status).to.equal(201);
      }
      for (const [username, password, wanted] of [['wu', 'granite-lantern-58', ['/upload', '/review']], ['zheng', 'willow-harbour-62', ['/register', '/upload', '/import', '/review']]] as const) {
        const context = await browser.newContext();
        await signIn(context, username, password);
        const page = await context.newPage();
        collectErrors(page, scriptErrors, username);
        for (const size of [DESKTOP, PHONE]) {
          await page.setViewportSize(size);
          await page.goto(`${server.url}/review`);
          await page.waitForSelector('header.top nav a');
          const links = await page.locator('header.top nav a').evaluateAll((a) => a.map((n: any) => n.getAttribute('href')));
          // The role's pages between the catalogue's pages and its data, as the server wrote them.
          expect(links, `${username} at ${size.width}`).to.deep.equal(['/', '/browse', '/stats', ...wanted, '/api/openapi.json', '/iiif/collection']);
        }
        await context.close();
      }
    });
  });

  describe('accessibility of the proofreading page and the exhibit editor (axe-core)', function () {
    this.timeout(120_000);
    let server: TestServer;
    let browser: Browser;

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      const admin = await withLibrary(server);
      await recordWithScan(server, admin, CN, path.join(demoScans, '1.png'), '1.png', RECORD);
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    it('finds no serious or critical violation at 1280 and 390 px', async () => {
      // The pages' CSP refuses injected scripts: this context alone bypasses it for axe.
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${server.url}/login?next=/review`);
      await page.getByLabel('用户名').fill('admin');
      await page.getByLabel('密码').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.waitForURL(`${server.url}/review`);
      await page.route(`**/api/records/${CN}/pages/1/text`, (route) => route.fulfill({ status: 200, contentType: 'application/json', headers: { etag: '"v1"' }, body: JSON.stringify(PAGE_TEXT) }));
      await page.route('**/text/history', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"entries":[]}' }));
      const found: string[] = [];
      for (const [name, where, ready] of <const>[['proof', `/records/${CN}/pages/1/proof`, '#columns input'], ['exhibit-edit', '/exhibits/new', '#sections .ex-section']]) {
        for (const size of [DESKTOP, PHONE]) {
          await page.setViewportSize(size);
          await page.goto(`${server.url}${where}`);
          await page.waitForSelector(ready);
          const violations = await axeViolations(page);
          found.push(...violations.map((v) => `${name} at ${size.width} px: ${v}`));
        }
        await shot(page, `staff-${name}`);
      }
      expect(found).to.deep.equal([]);
      await context.close();
    });
  });
}

/** Latin the Chinese may keep: names of standards and formats, units, and the values quoted. */
const ALLOWED_LATIN = /IIIF|OCR|SHA-256|npm run fixity|GB\/T|http\(s\)|https?:\/\/|canvas|x,y,w,h|MiB|PPPPPP-UUUU-NNNNNNN/g;

/** Sentences zod writes itself, for limits declared without one (src/domain/validation.ts). */
const ZOD_SENTENCES = [
  'must be a string', 'must be a list', 'must be an object', 'must be a boolean', 'must be a number', 'must be a whole number',
  'Too big: expected string to have <=200 characters', 'Too small: expected string to have >=1 characters', 'Too small: expected string to have >=8 characters',
  'Too big: expected array to have <=500 items', 'Too small: expected number to be >=1', 'Too big: expected number to be <=100',
  'Invalid option: expected one of "7"|"7"', 'Invalid input', 'Invalid URL', 'Invalid email address', 'Invalid string: must match pattern /^\\d{4}$/',
  'Unrecognized key: "7"',
];

/**
 * Every field problem written in src/ (outside the operator's configuration and backups): each
 * `problem:` string or template, each file's `reason:` in an upload or OCR report, each reason
 * an image is refused for, and the sentences given to zod's checks; a template's
 * `${…}` stands as 7, a value.
 */
function problemSentences(): string[] {
  const root = path.resolve(import.meta.dirname, '../../src');
  const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'pages' ? [] : files(file);
    return file.endsWith('.ts') && !/config\.ts$|backup-service\.ts$/.test(file) ? [file] : [];
  });
  const literalAt = (src: string, start: number): string => {
    const quote = src[start];
    let out = '';
    let i = start + 1;
    while (i < src.length && src[i] !== quote) {
      if (src[i] === '\\') {
        out += src[i + 1];
        i += 2;
      } else if (quote === '`' && src.startsWith('${', i)) {
        let depth = 1;
        for (i += 2; depth > 0; i++) {
          if (src[i] === '{') depth++;
          else if (src[i] === '}') depth--;
          else if (src[i] === '`') i = src.indexOf('`', i + 1);
        }
        out += '7';
      } else {
        out += src[i++];
      }
    }
    return out;
  };
  const found = new Set<string>();
  for (const file of files(root)) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:problem: |reason: |ImageError\()(?=['`])/g)) found.add(literalAt(src, m.index + m[0].length));
    for (const line of src.split('\n')) {
      if (!/\bz\.|\.refine\(|\.regex\(/.test(line)) continue;
      for (const m of line.matchAll(/'((?:must|is|not|only|at most|at least)\b(?:[^'\\]|\\.)*)'/g)) found.add(m[1]!.replace(/\\(.)/g, '$1'));
    }
  }
  return [...found];
}
