/** GET /api/search through real HTTP: the catalogue written through the API is searchable. */
import { expect } from 'chai';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';

describe('search API', () => {
  let server: TestServer;
  let admin: string;
  let surveyor: string;

  /** A change must be searchable within a second of the write. */
  async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 1000;
    for (;;) {
      const value = await probe();
      if (ok(value) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  before(async () => {
    server = await startTestServer();
    admin = await server.login('admin', ADMIN_PASSWORD);
    await server.call('POST', '/api/units', { token: admin, body: { province: '110000', code: '0101', name: '國家圖書館' } });
    await server.call('POST', '/api/units', { token: admin, body: { province: '430000', code: '0001', name: '资阳区图书馆' } });
    await server.call('POST', '/api/users', { token: admin, body: { username: 's1', password: 'surveyor-pass-1', role: 'surveyor', unit: '430000-0001' } });
    surveyor = await server.login('s1', 'surveyor-pass-1');
    for (const record of REAL_RECORDS) {
      await server.call('POST', '/api/records', { token: admin, body: record });
      for (const action of ['submit', 'approve', 'publish']) {
        await server.call('POST', `/api/records/${record.censusNumber}/transitions`, { token: admin, body: { action } });
      }
    }
    await server.call('POST', '/api/records', {
      token: surveyor,
      body: {
        censusNumber: '430000-0001-0000001', callNumber: '資01-0001', titleStatement: '資治通鑑二百九十四卷',
        creatorStatement: '（宋）司馬光撰', editionStatement: '清同治十年（1871）湖南書局刊本', volumeCount: 100, holdingUnit: '0001',
      },
    });
    await server.services.indexer.catchUp();
  });
  after(() => server.close());

  it('finds 通書類聚 by its simplified form, with the text as written highlighted', async () => {
    const res = await server.call('GET', `/api/search?q=${encodeURIComponent('通书类聚')}`);
    expect(res.status).to.equal(200);
    expect(res.body.total).to.equal(1);
    const hit = res.body.hits[0];
    expect(hit).to.include({ censusNumber: '110000-0101-0013797', titleStatement: '通書類聚尅擇大全□□卷', editionType: '活字本' });
    expect(hit.highlights.titleStatement).to.equal('<mark>通書類聚</mark>尅擇大全□□卷');
    expect(hit.links.record).to.equal('http://guji.test/api/records/110000-0101-0013797');
  });

  it('finds both copper-type editions by 芝城铜活字 and counts facets', async () => {
    const res = await server.call('GET', `/api/search?q=${encodeURIComponent('芝城铜活字')}`);
    expect(res.body.hits.map((h: any) => h.censusNumber)).to.have.members(['110000-0101-0013797', '110000-0101-0004638']);
    expect(res.body.facets.editionType).to.deep.equal([{ value: '活字本', count: 2 }]);
    expect(res.body.facets.dynasty).to.deep.equal([{ value: '明', count: 2 }]);
    expect(res.body.facets).not.to.have.property('status');
  });

  it('shows anonymous searchers published records only, and staff their drafts', async () => {
    const q = `/api/search?q=${encodeURIComponent('资治通鉴')}`;
    expect((await server.call('GET', q)).body.total).to.equal(0);
    const staff = await server.call('GET', q, { token: surveyor });
    expect(staff.body.hits.map((h: any) => h.censusNumber)).to.deep.equal(['430000-0001-0000001']);
    expect(staff.body.facets.status).to.deep.equal([{ value: 'draft', count: 1 }]);
  });

  it('makes a change searchable within a second of the write', async () => {
    const current = await server.call('GET', '/api/records/430000-0001-0000001', { token: surveyor });
    const { links, derived, status, version, createdAt, createdBy, updatedAt, updatedBy, ...fields } = current.body;
    const put = await server.call('PUT', '/api/records/430000-0001-0000001', {
      token: surveyor, headers: { 'if-match': current.headers.get('etag')! }, body: { ...fields, titleStatement: '續資治通鑑長編五百二十卷' },
    });
    expect(put.status).to.equal(200);
    const found = await eventually(
      () => server.call('GET', `/api/search?q=${encodeURIComponent('续资治通鉴长编')}`, { token: surveyor }),
      (r) => r.body.total === 1,
    );
    expect(found.body.total).to.equal(1);
    // The old title is gone: no exact hit (at most the separate terms 資治通鑑, 二, 百 of the new one).
    const old = await server.call('GET', `/api/search?q=${encodeURIComponent('資治通鑑二百')}`, { token: surveyor });
    if (old.body.total > 0) expect(old.body.segmented).to.be.an('array').with.length.greaterThan(1);
    expect(old.body.hits.filter((h: any) => h.titleStatement.includes('資治通鑑二百'))).to.deep.equal([]);
  });

  it('filters, sorts by year and pages', async () => {
    const res = await server.call('GET', '/api/search?sort=year&pageSize=2&editionType=活字本,刻本');
    expect(res.body.hits.map((h: any) => h.censusNumber)).to.deep.equal(['110000-0101-0013797', '110000-0101-0004638']);
    expect(res.body.total).to.equal(3);
    const range = await server.call('GET', '/api/search?yearFrom=1600&yearTo=1700');
    expect(range.body.hits.map((h: any) => h.censusNumber)).to.deep.equal(['110000-0101-0010283']);
  });

  it('counts the district overview over what the reader may see (GET /api/stats, /stats)', async () => {
    const anonymous = (await server.call('GET', '/api/stats')).body;
    expect(anonymous).to.deep.include({ records: 3, digitized: { records: 0, pages: 0 } });
    expect(anonymous).not.to.have.property('byStatus');
    expect(anonymous.byDivision).to.deep.equal([{ value: '子部', count: 2 }, { value: '史部', count: 1 }]);
    expect(anonymous.byEditionType).to.deep.equal([{ value: '活字本', count: 2 }, { value: '刻本', count: 1 }]);
    expect(anonymous.byCentury).to.deep.equal([{ value: '16', count: 3 }]);
    expect(anonymous.byUnit.map((u: any) => [u.unit, u.records])).to.deep.equal([['110000-0101', 3], ['430000-0001', 0]]);
    const staff = (await server.call('GET', '/api/stats', { token: admin })).body;
    expect(staff.records).to.equal(4);
    expect(staff.byStatus).to.deep.equal([{ value: 'published', count: 3 }, { value: 'draft', count: 1 }]);
    expect(staff.byUnit[1]).to.deep.include({ unit: '430000-0001', records: 1, byStatus: { draft: 1 } });
    const page = await fetch(`${server.url}/stats`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('古籍普查概况');
  });

  it('refuses bad parameters with the field at fault', async () => {
    const res = await server.call('GET', '/api/search?q=x&pageSize=1000&sort=random&colour=red');
    expect(res.status).to.equal(400);
    expect(res.body.error.details.map((d: any) => d.field)).to.have.members(['pageSize', 'sort', 'colour']);
  });

  it('searches a run with no exact hit as separate terms and says so (芝城活字 → 芝城 活字)', async () => {
    const apart = await server.call('GET', `/api/search?q=${encodeURIComponent('芝城 活字')}`);
    expect(apart.body.total).to.be.greaterThan(0);
    expect(apart.body.segmented).to.equal(null);
    const run = await server.call('GET', `/api/search?q=${encodeURIComponent('芝城活字')}`);
    expect(run.status).to.equal(200);
    expect(run.body).to.include({ q: '芝城活字', total: 2 });
    expect(run.body.segmented).to.deep.equal(['芝城', '活字']);
    expect(run.body.hits.map((h: any) => h.censusNumber)).to.deep.equal(apart.body.hits.map((h: any) => h.censusNumber));
    expect(run.body.hits.map((h: any) => h.highlights.editionStatement)).to.include('1552<mark>芝城</mark>銅<mark>活字</mark>藍印本');
    // An export of the search holds what the page shows.
    const exported = await fetch(`${server.url}/api/exports/records.jsonl?q=${encodeURIComponent('芝城活字')}`, { headers: { authorization: `Bearer ${admin}` } });
    const lines = (await exported.text()).trim().split('\n').map((l) => JSON.parse(l).censusNumber);
    expect(lines).to.have.members(run.body.hits.map((h: any) => h.censusNumber));
    // An exact hit is never cut.
    const exact = await server.call('GET', `/api/search?q=${encodeURIComponent('萬曆刻本')}`);
    expect(exact.body.segmented).to.equal(null);
  });

  it('gives up segmenting when a character finds nothing, and bounds a long hostile run', async () => {
    for (const q of ['芝城活字龘', '明刻本', '不存在的書名']) {
      // Pieces are two characters or more: 明 alone, or 不 存 在 的 書 名, would find noise.
      const none = await server.call('GET', `/api/search?q=${encodeURIComponent(q)}`);
      expect(none.body, q).to.include({ total: 0, segmented: null });
    }
    // 200 characters cut into 100 pieces that all find something: the probe budget ends it.
    const hostile = await server.call('GET', `/api/search?q=${encodeURIComponent('芝城活字'.repeat(50))}`);
    expect(hostile.status).to.equal(200);
    expect(hostile.body).to.include({ total: 0, segmented: null });
  });

  it('answers the last page for a page past it', async () => {
    const all = await server.call('GET', '/api/search?pageSize=1');
    const last = all.body.total;
    expect(last).to.be.greaterThan(1);
    const res = await server.call('GET', '/api/search?pageSize=1&page=999');
    expect(res.body).to.include({ page: last, total: last });
    expect(res.body.hits).to.have.length(1);
  });
});
