/**
 * GET /api/search through real HTTP with queries in pinyin (issue 20): Latin letters that match
 * nothing as written are read as pinyin of the titles and names, and the answer says so.
 */
import { expect } from 'chai';
import { publishRealRecords } from '../support/real-catalogue.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';

describe('search API in pinyin', () => {
  let server: TestServer;
  const search = async (q: string, extra = '') => {
    const res = await server.call('GET', `/api/search?q=${encodeURIComponent(q)}${extra}`);
    expect(res.status, q).to.equal(200);
    return res.body as { total: number; pinyin: boolean; segmented: string[] | null; hits: { censusNumber: string }[] };
  };
  const numbers = (body: { hits: { censusNumber: string }[] }) => body.hits.map((h) => h.censusNumber);

  before(async () => {
    server = await startTestServer();
    await publishRealRecords(server);
    // A book of the demo catalogue's kanripo works, with Latin letters in a note: a query that
    // matches a field as written is that field's, not pinyin.
    const admin = await server.login('admin', ADMIN_PASSWORD);
    const created = await server.call('POST', '/api/records', {
      token: admin,
      body: {
        censusNumber: '110000-0101-0000001', callNumber: '善01', titleStatement: '東坡易傳九卷', creatorStatement: '（宋）蘇軾撰',
        editionStatement: '明萬曆刻本', volumeCount: 4, holdingUnit: '0101', notes: 'Mozi 舊藏',
        grade: '三级乙等', damage: { grade: '轻度', types: ['虫蛀'] },
      },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    for (const action of ['submit', 'approve', 'publish']) {
      const moved = await server.call('POST', '/api/records/110000-0101-0000001/transitions', { token: admin, body: { action } });
      expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
    }
    await server.services.indexer.catchUp();
  });
  after(() => server.close());

  it('finds the real records by full pinyin, spaced or not, by initials and by a prefix, and says it read pinyin', async () => {
    const cases: [string, string[]][] = [
      ['jinhua fuzhi', ['110000-0101-0010283']],
      ['JinHuaFuZhi', ['110000-0101-0010283']],
      ['jhfz', ['110000-0101-0010283']],
      ['jinh', ['110000-0101-0010283']],
      ['wang maode', ['110000-0101-0010283']],
      ['tongshu leiju', ['110000-0101-0013797']],
      ['dongpo yizhuan', ['110000-0101-0000001']],
      ['dongpo yichuan', ['110000-0101-0000001']],
      ['su shi', ['110000-0101-0000001']],
    ];
    for (const [q, expected] of cases) {
      const body = await search(q);
      expect(numbers(body), q).to.deep.equal(expected);
      expect(body, q).to.include({ total: expected.length, pinyin: true, segmented: null });
    }
  });

  it('reads a query as pinyin only when it matches nothing as written', async () => {
    // `Mozi` is in a note as written: the note answers, and 墨子 (mozi in pinyin) does not.
    const written = await search('mozi');
    expect(numbers(written)).to.deep.equal(['110000-0101-0000001']);
    expect(written.pinyin).to.equal(false);
    const chinese = await search('墨子');
    expect(numbers(chinese)).to.deep.equal(['110000-0101-0004638']);
    expect(chinese.pinyin).to.equal(false);
    // Figures, Han characters and single letters are never read as pinyin.
    for (const q of ['10634', '110000-0101-00046', 'x', 'zztj 通鑑']) expect((await search(q)).pinyin, q).to.equal(false);
    expect(await search('zztj')).to.include({ total: 0, pinyin: true });
    // The longest query the API takes, all letters and apostrophes: read, and it finds nothing.
    expect(await search("zh'".repeat(66))).to.include({ total: 0, pinyin: true });
    // Apostrophes alone are no letters: not pinyin (the query has no terms and browses all).
    expect((await search("'' ''")).pinyin).to.equal(false);
  });

  it('pages, sorts and filters pinyin results as any others', async () => {
    // `fuzhi`, a later syllable of 金華府志 (明萬曆刻本): found under 明, not under 清.
    const byDynasty = await search('fuzhi', '&dynasty=明');
    expect(numbers(byDynasty)).to.deep.equal(['110000-0101-0010283']);
    const none = await search('fuzhi', '&dynasty=清');
    expect(none).to.include({ total: 0, pinyin: true });
    const paged = await search('jhfz', '&page=5&pageSize=1');
    expect(paged).to.include({ total: 1, pinyin: true });
    expect(numbers(paged)).to.deep.equal(['110000-0101-0010283']);
  });

  it('says on the server-rendered search page that the query was read as pinyin', async () => {
    const page = await fetch(`${server.url}/?q=${encodeURIComponent('jinhua fuzhi')}`);
    expect(page.status).to.equal(200);
    const html = await page.text();
    expect(html).to.include('“jinhua fuzhi”按拼音检索：共 1 种');
    expect(html).to.include('金華府志');
    // A query that matched as written says nothing of pinyin.
    expect(await (await fetch(`${server.url}/?q=Mozi`)).text()).to.not.include('按拼音检索');
  });
});
