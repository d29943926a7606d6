/**
 * Dates in search through real HTTP (issue 13): a date no single century holds is counted in the
 * century facet's `span` bucket, and a year range selects by overlap or, asked, by the whole span
 * lying within it.
 */
import { expect } from 'chai';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';

/** Edition statement → the century facet it is filed under (statements of the 全國古籍普查登記目錄 kinds). */
const CENTURIES: [string, string][] = [
  ['清刻本', 'span'], // 1644–1911, a dynasty only
  ['元刻本', 'span'], // 1271–1368
  ['朝鮮刻本', 'span'], // 1392–1910
  ['明末清初刻本', 'span'], // approximate, more than a century
  ['宋刻元修本', 'span'], // the copy's date is the 元 repair
  ['民國刻本', '20'], // a dynasty inside one century
  ['清康熙間刻本', '17'], // 1662–1722: less than a century, filed where it begins
  ['清乾隆嘉慶間刻本', '18'], // 1736–1820
  ['清乾隆十年（1745）刻本', '18'],
  ['清光緒十年（1884）刻十八年（1892）印本', '19'], // the printing makes the copy
  ['日本元祿九年（1696）刻本', '17'],
  ['清初刻本', '17'], // 1644–1732
];

const cn = (i: number) => `430000-0001-${String(i + 1).padStart(7, '0')}`;
const numbers = (statements: string[]) => statements.map((s) => cn(CENTURIES.findIndex(([e]) => e === s))).sort();

describe('search by date through HTTP', () => {
  let server: TestServer;
  let admin: string;
  const hits = async (query: string) => {
    const res = await server.call('GET', `/api/search?sort=censusNumber&pageSize=100&${query}`, { token: admin });
    expect(res.status, query).to.equal(200);
    return res.body.hits.map((h: { censusNumber: string }) => h.censusNumber).sort();
  };

  before(async () => {
    server = await startTestServer();
    admin = await server.login('admin', ADMIN_PASSWORD);
    await server.call('POST', '/api/units', { token: admin, body: { province: '430000', code: '0001', name: '资阳区图书馆' } });
    for (const [i, [editionStatement]] of CENTURIES.entries()) {
      const res = await server.call('POST', '/api/records', {
        token: admin,
        body: { censusNumber: cn(i), callNumber: `x${i}`, titleStatement: '金華詩錄六十卷', editionStatement, volumeCount: 1, holdingUnit: '0001' },
      });
      expect(res.status, editionStatement).to.equal(201);
    }
    await server.services.indexer.catchUp();
  });
  after(() => server.close());

  for (const [i, [statement, century]] of CENTURIES.entries()) {
    it(`files ${statement} under century ${century}`, async () => {
      expect(await hits(`century=${century}`)).to.include(cn(i));
    });
  }

  it('counts the span bucket among the facets and last in the overview', async () => {
    const res = await server.call('GET', '/api/search', { token: admin });
    expect(res.body.facets.century).to.deep.include({ value: 'span', count: 5 });
    const stats = (await server.call('GET', '/api/stats', { token: admin })).body;
    expect(stats.byCentury.map((c: { value: string }) => c.value)).to.deep.equal(['17', '18', '19', '20', 'span']);
  });

  const RANGES: [string, string[]][] = [
    // Overlap, the default: every record whose span meets 1700–1750, plain 清 included.
    ['yearFrom=1700&yearTo=1750', ['清刻本', '朝鮮刻本', '明末清初刻本', '清康熙間刻本', '清乾隆嘉慶間刻本', '清乾隆十年（1745）刻本', '清初刻本']],
    ['yearFrom=1700&yearTo=1750&yearMatch=overlap', ['清刻本', '朝鮮刻本', '明末清初刻本', '清康熙間刻本', '清乾隆嘉慶間刻本', '清乾隆十年（1745）刻本', '清初刻本']],
    // Within: the whole span inside the range.
    ['yearFrom=1700&yearTo=1750&yearMatch=within', ['清乾隆十年（1745）刻本']],
    ['yearFrom=1644&yearTo=1911&yearMatch=within', ['清刻本', '清康熙間刻本', '清乾隆嘉慶間刻本', '清乾隆十年（1745）刻本', '清光緒十年（1884）刻十八年（1892）印本', '日本元祿九年（1696）刻本', '清初刻本']],
    ['yearFrom=1890&yearMatch=within', ['民國刻本', '清光緒十年（1884）刻十八年（1892）印本']],
    ['yearTo=1400&yearMatch=within', ['元刻本', '宋刻元修本']],
    // On the base edition's years: the blocks carved in 1884, the 宋 edition repaired under 元.
    ['yearFrom=1884&yearTo=1884&yearMatch=within&yearOf=base', ['清光緒十年（1884）刻十八年（1892）印本']],
    ['yearFrom=1884&yearTo=1884&yearMatch=within&yearOf=copy', []],
    ['yearFrom=1892&yearTo=1892&yearOf=base', ['清刻本', '朝鮮刻本']],
    ['yearFrom=1892&yearTo=1892', ['清刻本', '朝鮮刻本', '清光緒十年（1884）刻十八年（1892）印本']],
    ['yearTo=1280&yearMatch=within&yearOf=base', ['宋刻元修本']],
    ['yearTo=1280&yearMatch=within', []],
  ];
  for (const [query, expected] of RANGES) {
    it(`selects ${query}`, async () => {
      expect(await hits(query)).to.deep.equal(numbers(expected));
    });
  }

  for (const [query, field] of [['yearFrom=1700&yearMatch=inside', 'yearMatch'], ['yearFrom=1700&yearOf=original', 'yearOf']]) {
    it(`refuses ${query}, naming ${field}`, async () => {
      const res = await server.call('GET', `/api/search?${query}`);
      expect(res.status).to.equal(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal([field]);
    });
  }

  it('documents yearMatch and yearOf in the OpenAPI description', async () => {
    const spec = (await server.call('GET', '/api/openapi.json')).body;
    const param = spec.paths['/api/search'].get.parameters.find((p: { name: string }) => p.name === 'yearMatch');
    expect(param.schema.enum).to.deep.equal(['overlap', 'within']);
    expect(param.description).to.match(/overlap \(default\)/);
    const of = spec.paths['/api/search'].get.parameters.find((p: { name: string }) => p.name === 'yearOf');
    expect(of.schema.enum).to.deep.equal(['copy', 'base']);
  });
});
