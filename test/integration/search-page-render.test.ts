/** The search page as the server renders it, without JavaScript (issue 20): chips, controls, notes. */
import { expect } from 'chai';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import { FACET_TABLE } from '../../src/domain/facets.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { publishRealRecords } from '../support/real-catalogue.js';

describe('search page rendered on the server', function () {
  this.timeout(30_000);
  let server: TestServer;
  const get = async (path: string) => {
    const res = await fetch(server.url + path);
    return { status: res.status, text: await res.text() };
  };

  before(async () => {
    server = await startTestServer();
    await publishRealRecords(server);
  });
  after(() => server?.close());

  it('keeps the filters as links that remove them when nothing matches, with the year range and order filled in', async () => {
    // An empty year box (yearTo=) is no bound: the form without JavaScript sends it so.
    const { status, text } = await get(`/?q=${encodeURIComponent('芝城铜活字')}&division=${encodeURIComponent('史部')}&sort=-year&yearFrom=1500&yearTo=`);
    expect(status).to.equal(200);
    expect(text).to.contain('<title>芝城铜活字 · 检索 · guji</title>');
    expect(text).to.match(/<h1[^>]*>检索古籍<\/h1>/);
    expect(text).to.contain('没有找到与“芝城铜活字”相符的古籍');
    const chips = [...text.matchAll(/<a class="chip" href="([^"]*)">([^<]*)<\/a>/g)].map((m) => [new URLSearchParams(m[1]!.replaceAll('&amp;', '&')), m[2]] as const);
    expect(chips.map(([, label]) => label)).to.deep.equal(['四部：史部 ×', '年代：1500–… ×']);
    expect(chips[0]![0].has('division')).to.equal(false);
    expect(chips[0]![0].get('yearFrom')).to.equal('1500');
    expect(chips[1]![0].has('yearFrom')).to.equal(false);
    expect(chips[1]![0].get('division')).to.equal('史部');
    expect(text).to.contain('<option value="-year" selected');
    expect(text).to.contain('<input id="yearFrom" name="yearFrom" value="1500"');
    expect(text).to.match(/<aside id="facets"[^>]* hidden>/);
  });

  it('says when a query was searched as separate terms, and answers the last page for a page past it', async () => {
    expect((await get(`/?q=${encodeURIComponent('芝城活字')}`)).text).to.contain('没有找到“芝城活字”，以下为“芝城”“活字”的结果：共 2 种');
    const last = REAL_RECORDS.length;
    const { text } = await get('/?pageSize=1&page=999');
    expect(text).to.contain(`<span>第 ${last} / ${last} 页</span>`);
    expect(text).not.to.contain('第 999');
  });

  it('draws the facets the table counts for everyone, in its order, with its headings and value labels', async () => {
    const page = (await get('/')).text;
    const text = page.slice(page.indexOf('<aside id="facets"'), page.indexOf('</aside>'));
    const legends = [...text.matchAll(/<legend data-i18n>([^<]*)<\/legend>/g)].map((m) => m[1]);
    const api = await (await fetch(`${server.url}/api/search`)).json() as { facets: Record<string, unknown[]> };
    const counted = FACET_TABLE.filter((f) => f.counted === 'public' && api.facets[f.name]?.length);
    expect(legends).to.deep.equal(counted.map((f) => f.label.zh));
    expect(legends).to.include.members(['四部', '数字化']);
    expect(text).to.match(/>(?:✓ )?(?:已数字化|未数字化)<\/a>/);
    expect(text).not.to.match(/>(?:true|false)<\/a>/);
  });

  it('names a work filter, which exists only in links, as one chip even with a comma in it', async () => {
    const { text } = await get(`/?work=${encodeURIComponent('甲,乙')}`);
    expect([...text.matchAll(/<a class="chip" href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1])).to.deep.equal(['所属多册作品：甲,乙 ×']);
    expect(text).to.contain('没有找到符合筛选的古籍。去掉筛选试试。');
  });
});
