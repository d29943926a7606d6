/**
 * The staff and researcher journeys of the census, each in a real browser with its own session
 * (a browser context per person): an admin sets up a unit and accounts; a surveyor registers a
 * book, meets a field error, fixes it, uploads its scans and submits it; a reviewer returns it
 * with a comment; the surveyor fixes it and submits again; the reviewer approves and publishes;
 * a researcher finds it by a simplified-character query and opens its viewer; a curator copies
 * the embed snippet; an import dry run shows a rejected row; two editors collide and keep both.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, collectErrors, DESKTOP, failOnPageErrorsAndClose, hasChromium, launchBrowser, shot } from '../support/browser.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';

const CN = '430000-0001-0000001';
const SCANS = path.resolve(import.meta.dirname, '../../src/demo/scans');

if (!hasChromium) {
  console.log(`  (browser journeys not run: no Chromium at ${CHROMIUM}; .ci/run installs Debian's chromium)`);
} else {
  describe('journeys in a real browser', function () {
    this.timeout(90_000);
    let server: TestServer;
    let browser: Browser;
    let scratch: string;
    const people: Record<string, { context: BrowserContext; page: Page }> = {};
    const scriptErrors: string[] = [];

    /** A person's own browser window, signed in through the login page unless anonymous. */
    async function as(name: string, password?: string): Promise<Page> {
      if (people[name]) return people[name].page;
      const context = await browser.newContext({ viewport: DESKTOP });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      const page = await context.newPage();
      collectErrors(page, scriptErrors, name);
      people[name] = { context, page };
      if (password) {
        await page.goto(`${server.url}/login`);
        await page.getByLabel('用户名').fill(name);
        await page.getByLabel('密码').fill(password);
        await page.getByRole('button', { name: '登录', exact: true }).click();
        await page.waitForURL(`${server.url}/review`);
      }
      return page;
    }

    const record = async () => (await server.call('GET', `/api/records/${CN}`, { token: await server.login('admin', ADMIN_PASSWORD) })).body;

    before(async () => {
      server = await startTestServer({ selfBaseUrl: true });
      scratch = mkdtempSync(path.join(tmpdir(), 'guji-journeys-'));
      browser = await launchBrowser();
    });
    // A script error on any page fails the journey it happened in.
    failOnPageErrorsAndClose(scriptErrors, () => [browser, server]);
    after(() => rmSync(scratch, { recursive: true, force: true }));

    it('an admin signs in, adds the unit and the accounts, and sees a field error for a weak password', async () => {
      const page = await as('admin', ADMIN_PASSWORD);
      await page.goto(`${server.url}/admin`);
      await page.fill('#n-code', '0001');
      await page.fill('#n-name', '益阳市资阳区图书馆');
      await page.locator('#new-unit button[type=submit]').click();
      await page.waitForSelector('#units td:text("益阳市资阳区图书馆")');

      await page.fill('#u-username', 'zhang');
      await page.fill('#u-password', 'short');
      await page.selectOption('#u-role', 'surveyor');
      await page.selectOption('#u-unit', '430000-0001');
      await page.locator('#new-user button[type=submit]').click();
      await page.waitForSelector('#u-password[aria-invalid=true]');
      expect(await page.locator('#new-user .field-error').innerText()).to.equal('至少 10 个字符');
      await page.fill('#u-password', 'surveyor-password-1');
      await page.locator('#new-user button[type=submit]').click();
      await page.waitForSelector('#users td:text-is("zhang")');

      await page.fill('#u-username', 'li');
      await page.fill('#u-password', 'reviewer-password-1');
      await page.selectOption('#u-role', 'reviewer');
      await page.locator('#new-user button[type=submit]').click();
      await page.waitForSelector('#users td:text-is("li")');
      await shot(page, 'admin');
    });

    it('a surveyor registers a book, sees the field error beside the field, fixes it and saves', async () => {
      const page = await as('zhang', 'surveyor-password-1');
      await page.getByRole('link', { name: '登记', exact: true }).click();
      await page.waitForSelector('form#record input[name=censusNumber]');
      // The surveyor's unit fills the start of the census number and the holding unit.
      expect(await page.inputValue('[name=censusNumber]')).to.equal('430000-0001-');
      expect(await page.inputValue('[name=holdingUnit]')).to.equal('0001');
      await page.fill('[name=censusNumber]', CN);
      await page.getByLabel('索书号').fill('善 123');
      await page.getByLabel('题名卷数').fill('資治通鑑二百九十四卷');
      await page.getByLabel('著者').fill('宋司馬光撰');
      await page.getByLabel('版本').fill('清同治十年（1871）江蘇書局刻本');
      // A numeral with its counter is refused; the numeral alone is accepted (issue 13).
      await page.getByLabel('册数').fill('二十四冊');
      await page.getByLabel('分类').fill('史部 編年類');
      await page.selectOption('[name=grade]', '三级乙等');
      await page.selectOption('[name="damage.grade"]', '中度');
      await page.getByLabel('虫蛀').check();
      await page.getByRole('button', { name: '保存草稿', exact: true }).click();

      await page.waitForSelector('#f-volumeCount[aria-invalid=true]');
      expect(await page.locator('#summary').getAttribute('role')).to.equal('alert');
      expect(await page.locator('#f-volumeCount-error').innerText()).to.equal('须为整数（如 18 或 十八），所填为 "二十四冊"');
      // The message is tied to the field for screen readers, and the field has the focus.
      expect(await page.getAttribute('#f-volumeCount', 'aria-describedby')).to.contain('f-volumeCount-error');
      expect(await page.evaluate('document.activeElement.id')).to.equal('f-volumeCount');
      expect((await server.call('GET', `/api/records/${CN}`, { token: await server.login('admin', ADMIN_PASSWORD) })).status).to.equal(404);
      await shot(page, 'register-error');

      await page.getByLabel('册数').fill('二十四');
      await page.getByRole('button', { name: '保存草稿', exact: true }).click();
      await page.waitForURL(`${server.url}/records/${CN}`);
      await page.waitForSelector('#status:text("草稿")');
      expect(await page.locator('#title').innerText()).to.equal('資治通鑑二百九十四卷');
      const saved = await record();
      expect(saved.titleStatement).to.equal('資治通鑑二百九十四卷');
      expect(saved.volumeCount).to.equal(24);
      expect(saved.damage).to.deep.equal({ grade: '中度', types: ['虫蛀'] });
      expect(saved.derived.edition.date.gregorianFrom).to.equal(1871);
    });

    it('the surveyor uploads the scans with per-file progress, and a bad file is refused with its reason', async () => {
      const page = await as('zhang');
      await page.goto(`${server.url}/records/${CN}`);
      await page.locator('#actions a', { hasText: '上传影像' }).click();
      await page.waitForURL(/\/upload\?record=/);
      expect(await page.inputValue('#record')).to.equal(CN);
      const bad = path.join(scratch, '卷一-000.tif');
      writeFileSync(bad, 'not an image at all');
      await page.setInputFiles('#files', [path.join(SCANS, '10.png'), path.join(SCANS, '2.png'), path.join(SCANS, '1.png'), bad]);
      await page.getByRole('button', { name: '上传', exact: true }).click();
      await page.waitForFunction(() => {
        const { document } = globalThis as any;
        return document.querySelectorAll('#files-table td.outcome[data-outcome]').length === 4;
      });
      // (Runs in the browser; the project's types have no DOM, hence the string.)
      const rows = await page.evaluate(`[...document.querySelectorAll('#files-table tbody tr')].map((tr) => ({
        file: tr.children[0].textContent, progress: tr.querySelector('progress').value, outcome: tr.children[2].dataset.outcome,
      }))`);
      // Natural order: 1, 2, 10; the UTF-8 name kept; the text file refused.
      expect(rows).to.deep.equal([
        { file: '1.png', progress: 1, outcome: 'ingested' },
        { file: '2.png', progress: 1, outcome: 'ingested' },
        { file: '10.png', progress: 1, outcome: 'ingested' },
        { file: '卷一-000.tif', progress: 1, outcome: 'refused' },
      ]);
      expect(await page.locator('#files-table tbody tr:last-child td.outcome').innerText()).to.match(/^拒收：.+/);
      await shot(page, 'upload');
      expect((await record()).pageCount).to.equal(3);
    });

    it('the surveyor sets its 册 from the NLC volume sheet: a dry run names the bad row, then it lands', async () => {
      const page = await as('zhang');
      const sheet = path.join(scratch, '分册表.csv');
      writeFileSync(sheet, '册次,册名,文件\n1,第一册,1.png~2.png\n2,第二册,9.png\n');
      await page.setInputFiles('#volumes', sheet);
      await page.locator('#structure button[type=submit]').click();
      await page.waitForSelector('#structure-problems');
      expect(await page.locator('#structure-problems tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(1).map((td) => td.textContent))))
        .to.deep.equal([['3', '文件', '本书没有此页：9.png'], ['', '', '每一页都须归入某一册，未归入的有：10.png']]);
      writeFileSync(sheet, '册次,册名,文件\n1,第一册,1.png~2.png\n2,第二册,10.png\n');
      await page.setInputFiles('#volumes', sheet);
      await page.locator('#structure input[name=dryRun]').uncheck();
      await page.locator('#structure button[type=submit]').click();
      await page.waitForSelector('#structure-pages');
      expect(await page.locator('#structure-pages tbody tr td:nth-child(2)').allInnerTexts()).to.deep.equal(['第一册', '第一册', '第二册']);
      await shot(page, 'structure-sheets');
      expect((await record()).pages.map((p: any) => p.volume)).to.deep.equal(['第一册', '第一册', '第二册']);
    });

    it('the surveyor submits; the reviewer returns it with a comment', async () => {
      const surveyor = await as('zhang');
      await surveyor.goto(`${server.url}/records/${CN}`);
      await surveyor.getByRole('button', { name: '提交审校', exact: true }).click();
      await surveyor.waitForSelector('#status:text("已提交")');

      const reviewer = await as('li', 'reviewer-password-1');
      await reviewer.goto(`${server.url}/review`);
      const row = reviewer.locator(`#r-${CN}`);
      await row.waitFor();
      expect(await row.innerText()).to.contain('資治通鑑二百九十四卷');
      await shot(reviewer, 'review-queue');
      await row.getByRole('button', { name: '退回返修', exact: true }).click();
      // A return without a reason is not sent.
      await row.getByRole('button', { name: '确定', exact: true }).click();
      expect(await row.locator('textarea').getAttribute('aria-invalid')).to.equal('true');
      expect((await record()).status).to.equal('submitted');
      await row.getByLabel('退回意见（必填）').fill('版本项请照录牌记：同治十年江蘇書局刊');
      await row.getByRole('button', { name: '确定', exact: true }).click();
      await reviewer.waitForSelector(`#r-${CN}`, { state: 'detached' });
      expect((await record()).status).to.equal('returned');
    });

    it('the surveyor reads the comment, fixes the record and submits it again', async () => {
      const page = await as('zhang');
      await page.goto(`${server.url}/review`);
      const row = page.locator(`#r-${CN}`);
      expect(await row.locator('blockquote').innerText()).to.contain('版本项请照录牌记');
      await row.getByRole('link', { name: '编辑' }).click();
      await page.waitForURL(`${server.url}/records/${CN}/edit`);
      await page.waitForFunction(() => {
        const { document } = globalThis as any;
        // The form is drawn once the field list (GET /api/schema) and the record are in.
        return (document.querySelector('[name=editionStatement]')?.value ?? '') !== '';
      });
      expect(await page.inputValue('[name=titleStatement]')).to.equal('資治通鑑二百九十四卷');
      expect(await page.isChecked('input[name="damage.types"][value="虫蛀"]')).to.equal(true);
      await page.getByLabel('版本').fill('清同治十年（1871）江蘇書局刻本 牌記題同治十年江蘇書局刊');
      await shot(page, 'edit');
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await page.waitForURL(`${server.url}/records/${CN}`);
      await page.waitForSelector('.history blockquote');
      expect(await page.locator('.history').innerText()).to.contain('版本项请照录牌记');
      await page.getByRole('button', { name: '提交审校', exact: true }).click();
      await page.waitForSelector('#status:text("已提交")');
      const saved = await record();
      expect(saved.editionStatement).to.equal('清同治十年（1871）江蘇書局刻本 牌記題同治十年江蘇書局刊');
      expect(saved.damage).to.deep.equal({ grade: '中度', types: ['虫蛀'] });
    });

    it('the reviewer approves and publishes it', async () => {
      const page = await as('li');
      await page.goto(`${server.url}/review`);
      await page.locator(`#r-${CN}`).getByRole('button', { name: '通过', exact: true }).click();
      await page.waitForSelector(`#r-${CN}`, { state: 'detached' });
      await page.getByRole('link', { name: '已通过' }).click();
      await page.locator(`#r-${CN}`).getByRole('button', { name: '发布', exact: true }).click();
      await page.waitForSelector(`#r-${CN}`, { state: 'detached' });
      expect((await record()).status).to.equal('published');
    });

    it('a researcher finds it by a simplified-character query and opens its viewer', async () => {
      await server.services.indexer.catchUp();
      const page = await as('reader');
      await page.goto(`${server.url}/`);
      await page.fill('input[name=q]', '资治通鉴');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.hits li');
      expect(await page.locator('.hits li h2 mark').innerText()).to.equal('資治通鑑');
      // The hit shows the first page's thumbnail, served from the pre-made derivative.
      const thumbnail = page.locator('.hits li img.thumb');
      await page.waitForFunction(() => {
        const { document } = globalThis as any;
        return document.querySelector('.hits li img.thumb')?.naturalWidth > 0;
      });
      expect(await thumbnail.getAttribute('src')).to.match(/\/full\/!200,200\/0\/default\.jpg$/);
      await shot(page, 'search-hit');
      await page.locator('.hits li h2 a').click();
      await page.waitForSelector('#digitized:not([hidden])');
      // Mirador is asked for once the reader nears the viewer (issue 20's budget).
      await page.locator('#viewer').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => Boolean((globalThis as any).miradorInstance));
      await page.waitForFunction(() => {
        const { window, Mirador } = globalThis as any;
        const state = window.miradorInstance.store.getState();
        const windowId = Object.keys(state.windows)[0];
        return windowId && Mirador.selectors.getVisibleCanvases(state, { windowId }).length > 0;
      });
      const direction = await page.evaluate(`(() => {
        const state = window.miradorInstance.store.getState();
        return Mirador.selectors.getSequenceViewingDirection(state, { windowId: Object.keys(state.windows)[0] });
      })()`);
      expect(direction).to.equal('right-to-left');
      // The public sees no staff actions or history.
      expect(await page.locator('#staff').isHidden()).to.equal(true);
      expect(await page.locator('#history-section').isHidden()).to.equal(true);
      // Access copies to download, one per leaf.
      expect(await page.locator('#downloads a').count()).to.equal(3);
      const access = await page.request.get(server.url + (await page.locator('#downloads a').first().getAttribute('href')));
      expect(access.status()).to.equal(200);
      expect(access.headers()['content-type']).to.equal('image/jpeg');
    });

    it('a curator copies the embed snippet, and the snippet opens the book in another page', async () => {
      const page = await as('reader');
      await page.getByRole('button', { name: '复制嵌入代码', exact: true }).click();
      await page.waitForSelector('#copied:text("已复制")');
      const snippet = await page.evaluate('navigator.clipboard.readText()') as string;
      expect(snippet).to.equal(await page.inputValue('#embed'));
      expect(snippet).to.match(/^<iframe src="[^"]+\/viewer\?manifest=[^"]+" width="800" height="600" allowfullscreen title="資治通鑑二百九十四卷"><\/iframe>$/);
      await shot(page, 'record');

      const elsewhere = await (await people.reader!.context.newPage());
      await elsewhere.setContent(`<!doctype html><html><body><h1>展覽</h1>${snippet}</body></html>`);
      const frame = elsewhere.frameLocator('iframe');
      await frame.locator('.mirador-viewer').waitFor();
      const viewer = elsewhere.frames().find((f) => f.url().includes('/viewer?manifest='))!;
      const shown = () => {
        const { window, Mirador } = globalThis as any;
        const state = window.miradorInstance.store.getState();
        const windowId = Object.keys(state.windows)[0];
        return windowId && Mirador.selectors.getVisibleCanvases(state, { windowId }).length > 0;
      };
      await viewer.waitForFunction(shown);
      await elsewhere.close();
      // The embeddable viewer on its own.
      const standalone = await people.reader!.context.newPage();
      await standalone.goto(viewer.url());
      await standalone.waitForFunction(shown);
      await standalone.waitForTimeout(1000);
      await shot(standalone, 'viewer');
      await standalone.close();
    });

    it('an import dry run lists the rejected row with its row and column, then imports the good ones', async () => {
      const page = await as('zhang');
      await page.goto(`${server.url}/import`);
      const sheet = path.join(scratch, '资阳区普查表.csv');
      writeFileSync(sheet, [
        '普查编号,索书号,题名卷数,著者,版本,册数,收藏单位',
        '430000-0001-0000002,善 124,論語注疏十卷,魏何晏集解,清乾隆刻本,4,0001',
        '430000-0001-0000003,善 125,孟子注疏十四卷,漢趙岐注,清刻本,四册,0001',
      ].join('\r\n'));
      await page.setInputFiles('#file', sheet);
      expect(await page.isChecked('input[name=dryRun]')).to.equal(true);
      await page.getByRole('button', { name: '开始', exact: true }).click();
      await page.waitForSelector('#problems');
      expect(await page.locator('#problems tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 2).map((td) => td.textContent)))).to.deep.equal([['3', '册数']]);
      expect(await page.locator('.counts').innerText()).to.match(/1\s*新建[\s\S]*1\s*拒收/);
      expect((await server.call('GET', '/api/records/430000-0001-0000002', { token: await server.login('admin', ADMIN_PASSWORD) })).status).to.equal(404);
      await shot(page, 'import-dry-run');
      await page.getByRole('button', { name: '正式导入', exact: true }).click();
      await page.waitForSelector('h2:text("导入结果")');
      expect((await server.call('GET', '/api/records/430000-0001-0000002', { token: await server.login('admin', ADMIN_PASSWORD) })).body.titleStatement).to.equal('論語注疏十卷');
    });

    it('two people edit the same record; the second sees both versions and keeps what both wrote', async () => {
      const cn = '430000-0001-0000002';
      const admin = await as('admin');
      const surveyor = await as('zhang');
      await admin.goto(`${server.url}/records/${cn}/edit`);
      await surveyor.goto(`${server.url}/records/${cn}/edit`);
      for (const page of [admin, surveyor]) await page.waitForFunction(() => {
        const { document } = globalThis as any;
        return (document.querySelector('[name=titleStatement]')?.value ?? '') !== '';
      });
      await admin.getByLabel('附注').fill('卷首有乾隆御製序');
      await admin.getByRole('button', { name: '保存', exact: true }).click();
      await admin.waitForURL(`${server.url}/records/${cn}`);

      await surveyor.getByLabel('版本').fill('清乾隆四十八年（1783）武英殿刻本');
      await surveyor.getByRole('button', { name: '保存', exact: true }).click();
      await surveyor.waitForSelector('#conflict:not([hidden])');
      // Each field that differs, with both values: the surveyor's 版本 and the admin's 附注.
      const rows = await surveyor.locator('#conflict tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
      expect(rows).to.have.length(2);
      expect(rows.join('|')).to.contain('清乾隆四十八年（1783）武英殿刻本').and.contain('卷首有乾隆御製序');
      await shot(surveyor, 'edit-conflict');
      // Keep my edition and their note.
      await surveyor.locator('#conflict tr:has-text("附注") input[value=theirs]').check();
      await surveyor.getByRole('button', { name: '合并后保存', exact: true }).click();
      await surveyor.waitForURL(`${server.url}/records/${cn}`);
      const saved = (await server.call('GET', `/api/records/${cn}`, { token: await server.login('admin', ADMIN_PASSWORD) })).body;
      expect(saved.editionStatement).to.equal('清乾隆四十八年（1783）武英殿刻本');
      expect(saved.notes).to.equal('卷首有乾隆御製序');
      expect(saved.version).to.equal(3);
    });

    it('switches the interface to English and back, leaving catalogue text as written', async () => {
      const page = await as('reader');
      await page.goto(`${server.url}/records/${CN}`);
      await page.getByRole('button', { name: 'English', exact: true }).click();
      await page.waitForSelector('nav a:text("Search")');
      expect(await page.locator('html').getAttribute('lang')).to.equal('en');
      expect(await page.locator('#title').innerText()).to.equal('資治通鑑二百九十四卷');
      expect(await page.locator('dl.fields').innerText()).to.contain('Title and juan');
      await shot(page, 'record-english');
      await page.goto(`${server.url}/?q=${encodeURIComponent('资治通鉴')}`);
      // The page comes drawn by the server in Chinese; the script draws it again in English.
      await page.locator('#summary', { hasText: 'books' }).waitFor();
      expect(await page.locator('#summary').innerText()).to.equal('“资治通鉴”: 1 books');
      await page.getByRole('button', { name: '中文', exact: true }).click();
      await page.waitForSelector('nav a:text("检索")');
      expect(await page.locator('html').getAttribute('lang')).to.equal('zh-Hans');
    });

    it('sends staff pages to the sign-in page, and back after signing in; signing out ends the session', async () => {
      const page = await as('visitor');
      await page.goto(`${server.url}/review`);
      await page.waitForURL(/\/login\?next=%2Freview/);
      await shot(page, 'login');
      await page.getByLabel('用户名').fill('li');
      await page.getByLabel('密码').fill('wrong password');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.waitForSelector('#error:not([hidden])');
      expect(await page.locator('#error').innerText()).to.equal('用户名或密码不对。');
      // Again with the keyboard alone: the fields and the button are reached with Tab.
      await page.goto(`${server.url}/login?next=%2Freview`);
      await page.locator('body').focus();
      await page.keyboard.press('Tab');
      while (await page.evaluate('document.activeElement.id') !== 'username') await page.keyboard.press('Tab');
      await page.keyboard.type('li');
      await page.keyboard.press('Tab');
      await page.keyboard.type('reviewer-password-1');
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.textContent')).to.equal('登录');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${server.url}/review`);
      const token = await page.evaluate(`localStorage.getItem('guji-token')`) as string;
      expect((await server.call('GET', '/api/session', { token })).status).to.equal(200);
      await page.getByRole('button', { name: '退出', exact: true }).click();
      await page.waitForURL(`${server.url}/`);
      expect((await server.call('GET', '/api/session', { token })).status).to.equal(401);
    });
  });
}
