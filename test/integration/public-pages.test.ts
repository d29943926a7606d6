/**
 * The public pages as a crawler sees them (issue 17): plain HTTP, no JavaScript. A record page
 * carries its title, holder, edition and persons, schema.org JSON-LD, the canonical URL and the
 * alternates; the search page its results; /browse the 四部 tree; /persons a person's books.
 * Drafts are 404 to the public; hostile field values render inert. Citations from the API.
 */
import { expect } from 'chai';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';

/** Every JSON-LD block of a page, parsed. */
function jsonLdOf(page: string): any[] {
  return [...page.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
}

describe('public pages without JavaScript', function () {
  this.timeout(30_000);
  let server: TestServer;
  let admin: string;
  const get = async (path: string) => {
    const res = await fetch(server.url + path);
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const publish = async (body: Record<string, unknown>) => {
    const res = await server.call('POST', '/api/records', { token: admin, body });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    for (const action of ['submit', 'approve', 'publish']) {
      await server.call('POST', `/api/records/${body.censusNumber}/transitions`, { token: admin, body: { action } });
    }
  };

  before(async () => {
    server = await startTestServer();
    admin = await server.login('admin', ADMIN_PASSWORD);
    await server.call('POST', '/api/units', { token: admin, body: { province: '110000', code: '0101', name: '國家圖書館' } });
    await server.call('POST', '/api/units', { token: admin, body: { province: '430000', code: '0001', name: '资阳区图书馆' } });
    for (const record of REAL_RECORDS) await publish(record as Record<string, unknown>);
    // Another copy of 墨子十五卷 (a different edition, another unit), and a draft.
    await publish({ censusNumber: '430000-0001-0000001', callNumber: 'Z1', titleStatement: '墨子十五卷', creatorStatement: '（周）墨翟撰',
      editionStatement: '清乾隆四十九年（1784）刻本', volumeCount: 4, holdingUnit: '0001', classification: '子部 墨家類', grade: '三级乙等', damage: { grade: '轻度', types: [] } });
    await publish({ censusNumber: '430000-0001-0000002', callNumber: 'Z2', titleStatement: '金華府志', creatorStatement: '（明）王懋德輯',
      annotations: [{ dynasty: '清', person: '黃丕烈', role: '跋', text: '<b>此本</b>' }], editionStatement: '清抄本', volumeCount: 1, holdingUnit: '0001', classification: '史部 地理類 方志之屬', grade: '三级乙等', damage: { grade: '轻度', types: [] } });
    await server.call('POST', '/api/records', { token: admin, body: { ...REAL_RECORDS[0], censusNumber: '430000-0001-0000003', holdingUnit: '0001', titleStatement: '未發布的草稿' } });
    await server.services.indexer.catchUp();
  });
  after(() => server?.close());

  it('serves a record page with its title, holder, edition, persons and fields in the HTML', async () => {
    const { status, headers, text } = await get('/records/110000-0101-0010283');
    expect(status).to.equal(200);
    expect(headers.get('content-type')).to.match(/^text\/html/);
    expect(headers.get('content-security-policy')).to.contain("script-src 'self'");
    expect(text).to.contain('<title>［萬曆］金華府志三十卷 · guji</title>');
    expect(text).to.contain('<h1 id="title">［萬曆］金華府志三十卷</h1>');
    expect(text).not.to.contain('载入中');
    for (const shown of ['國家圖書館（0101）', '明萬曆刻本', '（明）王懋德（明）陸鳳儀纂修', '史部 地理類 方志之屬', '10634', '1573–1620', '110000-0101-0010283']) {
      expect(text).to.contain(shown);
    }
    expect(text).to.contain(`<a href="/persons/${encodeURIComponent('王懋德')}?dynasty=${encodeURIComponent('明')}">王懋德</a>`);
    expect(text).to.contain('<link rel="canonical" href="http://guji.test/records/110000-0101-0010283">');
    expect(text).to.contain('<link rel="alternate" type="application/mods+xml" href="http://guji.test/api/records/110000-0101-0010283.mods.xml" title="MODS">');
    expect(text).to.contain('<link rel="alternate" type="application/json" href="http://guji.test/api/records/110000-0101-0010283" title="JSON">');
    // GB/T 7714 on the page, and the export links.
    expect(text).to.contain('王懋德, 陸鳳儀. ［萬曆］金華府志: 三十卷[M]. 刻本. [出版地不详]: [出版者不详], [1573—1620](明萬曆).');
    expect(text).to.contain('href="/api/records/110000-0101-0010283/cite?format=ris"');
  });

  it('describes the record in schema.org JSON-LD', async () => {
    const [data] = jsonLdOf((await get('/records/110000-0101-0013797')).text);
    expect(data['@context']).to.equal('https://schema.org');
    expect(data['@type']).to.deep.equal(['Book', 'ArchiveComponent']);
    expect(data.name).to.equal('通書類聚尅擇大全□□卷');
    expect(data.url).to.equal('http://guji.test/records/110000-0101-0013797');
    expect(data.datePublished).to.equal('1551');
    expect(data.bookEdition).to.equal('明嘉靖三十年（1551）芝城銅活字印本');
    expect(data.holdingArchive).to.deep.equal({ '@type': 'ArchiveOrganization', name: '國家圖書館' });
    expect(data.identifier[0]).to.include({ '@type': 'PropertyValue', name: '普查编号', value: '110000-0101-0013797' });
    expect(data).not.to.have.property('image');
    const [jinhua] = jsonLdOf((await get('/records/110000-0101-0010283')).text);
    expect(jinhua.editor).to.deep.equal(['王懋德', '陸鳳儀'].map((name) => ({
      '@type': 'Role', roleName: '纂修',
      editor: { '@type': 'Person', name, alternateName: `（明）${name}`, url: `http://guji.test/persons/${encodeURIComponent(name)}?dynasty=${encodeURIComponent('明')}` },
    })));
    // A reign era is a span: no datePublished, the edition statement keeps it.
    expect(jinhua).not.to.have.property('datePublished');
  });

  it('lists the other copies and editions of the work on the record page', async () => {
    const { text } = await get('/records/110000-0101-0004638');
    const section = text.slice(text.indexOf('<section id="other-copies">'));
    expect(section).to.contain('<a href="/records/430000-0001-0000001">墨子十五卷</a>');
    expect(section).to.contain('清乾隆四十九年（1784）刻本');
    expect(section).to.contain('资阳区图书馆');
    // 金華府志 without 三十卷 is another work's count: not listed beside the 三十卷 copy.
    expect((await get('/records/110000-0101-0010283')).text).not.to.contain('other-copies');
  });

  it('answers 404 with noindex for a draft or an unknown record, whose page staff still open through the script', async () => {
    for (const cn of ['430000-0001-0000003', '430000-0001-0000099', 'not-a-number']) {
      const { status, text } = await get(`/records/${cn}`);
      expect(status, cn).to.equal(404);
      expect(text).to.contain('<meta name="robots" content="noindex">');
      expect(text).not.to.contain('未發布的草稿');
      expect(text).to.match(/<script type="module" src="\/record\.js\?v=[0-9a-f]{8}"><\/script>/);
    }
  });

  it('renders a record whose fields hold markup as inert text, in the page and in its JSON-LD', async () => {
    const hostile = '<script>alert(1)</script>"\'&</script><!--';
    await publish({ censusNumber: '430000-0001-0000010', callNumber: '"><img src=x onerror=alert(1)>', titleStatement: `${hostile}三卷`,
      creatorStatement: `（明）${hostile}撰`, editionStatement: `明${hostile}刻本`, volumeCount: 1, holdingUnit: '0001', notes: hostile,
      grade: '三级乙等', damage: { grade: '轻度', types: [] } });
    await server.services.indexer.catchUp();
    const { status, text } = await get('/records/430000-0001-0000010');
    expect(status).to.equal(200);
    expect(text).not.to.contain('<script>alert');
    expect(text).not.to.contain('<img src=x');
    expect(text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    // Only our own scripts and the JSON-LD block: the field's </script> did not end it early.
    // (Mirador is loaded by record.js when the reader nears the viewer, issue 20.)
    const scripts = [...text.matchAll(/<script[^>]*>/g)].map((m) => m[0].replace(/\?v=[0-9a-f]{8}/, ''));
    expect(scripts).to.deep.equal(['<script type="application/ld+json">', '<script type="module" src="/record.js">']);
    const [data] = jsonLdOf(text);
    expect(data.name).to.equal(`${hostile}三卷`);
    const search = await get(`/?q=${encodeURIComponent('alert')}`);
    expect(search.text).not.to.contain('<script>alert');
    expect(search.text).to.contain('<mark>alert</mark>');
  });

  it('renders the search results for the query in the URL, with facets as links and a titled page', async () => {
    const { status, text } = await get(`/?q=${encodeURIComponent('芝城铜活字')}`);
    expect(status).to.equal(200);
    expect(text).to.contain('<title>芝城铜活字 · 检索 · guji</title>');
    expect(text).to.contain('value="芝城铜活字"');
    expect(text).to.contain('“芝城铜活字”：共 2 种');
    const hits = text.slice(text.indexOf('<ol id="hits"'), text.indexOf('</ol>', text.indexOf('<ol id="hits"')));
    expect([...hits.matchAll(/<h2><a href="\/records\/([^"]+)">/g)].map((m) => m[1])).to.have.members(['110000-0101-0013797', '110000-0101-0004638']);
    expect(hits).to.contain('<mark>芝城銅活字</mark>');
    expect(text).to.contain(`<a href="?q=${encodeURIComponent('芝城铜活字').replace(/%20/g, '+')}&amp;division=${encodeURIComponent('子部')}">子部</a>`);
    // The public never sees a draft, even by its title.
    expect((await get(`/?q=${encodeURIComponent('未發布的草稿')}`)).text).to.contain('没有找到');
  });

  it('answers bad search parameters with 400 and the page saying why', async () => {
    const { status, text } = await get('/?page=abc');
    expect(status).to.equal(400);
    expect(text).to.contain('检索出错：page');
  });

  it('serves the 四部 tree with counts of published records, each node a search', async () => {
    const { status, text } = await get('/browse');
    expect(status).to.equal(200);
    const tree = text.slice(text.indexOf('<ul class="tree">'));
    // 子部: 墨子 twice, 通書; 史部: 金華府志 twice (方志之屬 under 地理類). Drafts are not counted.
    expect(tree).to.contain(`<a href="/?division=${encodeURIComponent('史部')}">史部</a><span class="count">2</span>`);
    expect(tree).to.contain(`<a href="/?division=${encodeURIComponent('子部')}&amp;category=${encodeURIComponent('墨家類')}">墨家類</a><span class="count">2</span>`);
    expect(tree).to.contain('>方志之屬</a><span class="count">2</span>');
    expect(tree.indexOf('史部')).to.be.below(tree.indexOf('子部'));
    // A record published since is counted once the index has it.
    await publish({ censusNumber: '430000-0001-0000020', callNumber: 'Z20', titleStatement: '詩經二十卷', editionStatement: '清刻本', volumeCount: 4,
      holdingUnit: '0001', classification: '經部 詩類', grade: '三级乙等', damage: { grade: '轻度', types: [] } });
    await server.services.indexer.catchUp();
    const again = (await get('/browse')).text;
    expect(again).to.contain(`<a href="/?division=${encodeURIComponent('經部')}">經部</a><span class="count">1</span>`);
    expect(again.indexOf('經部')).to.be.below(again.indexOf('史部'));
  });

  it('serves a person page with every published record naming them, by dynasty and role', async () => {
    const { status, text } = await get(`/persons/${encodeURIComponent('王懋德')}?dynasty=${encodeURIComponent('明')}`);
    expect(status).to.equal(200);
    expect(text).to.contain('<h1>（明）王懋德</h1>');
    expect(text).to.contain('<h2>（明）纂修</h2>');
    expect(text).to.contain('<h2>（明）輯</h2>');
    expect(text).to.contain('<a href="/records/110000-0101-0010283">［萬曆］金華府志三十卷</a>');
    expect(text).to.contain('<a href="/records/430000-0001-0000002">金華府志</a>');
    expect(text).not.to.contain('未發布的草稿');
    // Simplified characters find the person as written; another dynasty finds no one.
    expect((await get(`/persons/${encodeURIComponent('陆凤仪')}`)).text).to.contain('［萬曆］金華府志三十卷');
    const none = await get(`/persons/${encodeURIComponent('王懋德')}?dynasty=${encodeURIComponent('清')}`);
    expect(none.status).to.equal(404);
    expect(none.text).to.contain('noindex');
    const long = await get(`/persons/${encodeURIComponent('王'.repeat(51))}`);
    expect(long.status).to.equal(400);
    expect(long.text).to.contain('无法查询：name：must be 1 to 50 characters');
    expect((await get(`/persons/${encodeURIComponent('王懋德')}?dynasty=${'明'.repeat(11)}`)).status).to.equal(400);
    // A person of the 批校题跋, linked from the record page.
    const record = (await get('/records/430000-0001-0000002')).text;
    expect(record).to.contain(`（清）<a href="/persons/${encodeURIComponent('黃丕烈')}?dynasty=${encodeURIComponent('清')}">黃丕烈</a>跋：&lt;b&gt;此本&lt;/b&gt;`);
    expect((await get(`/persons/${encodeURIComponent('黄丕烈')}`)).text).to.contain('<h2>（清）跋（批校题跋）</h2>');
  });

  it('exports citations in four formats for published records only', async () => {
    const ris = await get('/api/records/110000-0101-0013797/cite?format=ris');
    expect(ris.status).to.equal(200);
    expect(ris.headers.get('content-type')).to.equal('application/x-research-info-systems; charset=utf-8');
    expect(ris.text).to.match(/^TY {2}- BOOK\r\n/);
    const csl = await get('/api/records/110000-0101-0013797/cite?format=csl-json');
    expect(JSON.parse(csl.text)[0]).to.include({ id: '110000-0101-0013797', type: 'book', title: '通書類聚尅擇大全□□卷' });
    expect((await get('/api/records/110000-0101-0013797/cite')).text).to.equal('通書類聚尅擇大全: □□卷[M]. 銅活字印本. [出版地不详]: 芝城, 1551(明嘉靖三十年).\n');
    const bad = await server.call('GET', '/api/records/110000-0101-0013797/cite?format=endnote');
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details).to.deep.equal([{ field: 'format', problem: 'must be one of gbt7714, ris, bibtex, csl-json' }]);
    expect((await get('/api/records/430000-0001-0000003/cite?format=ris')).status).to.equal(404);
    expect((await server.call('GET', '/api/records/430000-0001-0000003/cite?format=ris', { token: admin })).status).to.equal(200);
  });
});
