/**
 * The contract every SearchIndex adapter keeps, Chinese queries included, so the embedded
 * engine and Meilisearch cannot drift apart.
 */
import { expect } from 'chai';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import { deriveRecord, type CensusRecord, type RecordFields } from '../../src/domain/census-record.js';
import { fold } from '../../src/domain/text-fold.js';
import type { SearchIndex, SearchQuery } from '../../src/ports/search-index.js';
import { searchDocumentOf } from '../../src/services/search-service.js';
import { generateRecords } from '../../scripts/catalogue-generator.js';
import { random } from '../../src/demo/random.js';
import { vocabulary } from '../support/records.js';

export interface IndexFixture {
  index: SearchIndex;
  dispose(): Promise<void>;
}

const record = (fields: RecordFields, status: CensusRecord['status'] = 'published'): CensusRecord => ({
  fields, corrections: {}, derived: deriveRecord(fields, {}, vocabulary), status, version: 1,
  createdAt: '2026-11-29T00:00:00.000Z', updatedAt: '2026-11-29T00:00:00.000Z', createdBy: 't', updatedBy: 't',
});

const field = (cn: string, titleStatement: string, extra: Partial<RecordFields> = {}): RecordFields => ({
  censusNumber: cn, callNumber: 'x', titleStatement, editionStatement: '清刻本', volumeCount: 1, holdingUnit: cn.split('-')[1]!, ...extra,
});

const CATALOGUE: CensusRecord[] = [
  ...REAL_RECORDS.map(({ corrections, ...fields }) => record(fields)),
  record(field('430000-0001-0000001', '資治通鑑二百九十四卷', { creatorStatement: '（宋）司馬光撰', classification: '史部 編年類' })),
  record(field('430000-0001-0000002', '资治通鉴纲目五十九卷', { editionStatement: '清光绪十年（1884）刻本' })),
  record(field('430000-0001-0000003', '論語注疏二十卷', { creatorStatement: '（魏）何晏集解（宋）邢昺疏', classification: '經部 四書類' })),
  record(field('430000-0002-0000001', '周易本義四卷', { creatorStatement: '（宋）朱熹撰', editionStatement: '清抄本' }), 'draft'),
  record(field('430000-0002-0000002', '朱子語類一百四十卷', { editionStatement: '清康熙間刻本' })),
  record(field('430000-0002-0000003', '周易', { creatorStatement: '（魏）王弼注' })),
];

export function searchIndexContract(name: string, open: () => Promise<IndexFixture>): void {
  describe(`SearchIndex contract: ${name}`, () => {
    let fixture: IndexFixture;
    let index: SearchIndex;
    const search = (text: string, extra: Partial<SearchQuery> = {}) =>
      index.search({ text, filters: {}, visibleTo: 'all', sort: 'relevance', offset: 0, limit: 50, facets: [], ...extra });
    const hits = async (text: string, extra: Partial<SearchQuery> = {}) => (await search(text, extra)).hits;

    before(async () => {
      fixture = await open();
      index = fixture.index;
      await index.upsert(CATALOGUE.map((r) => searchDocumentOf(r, r.fields.holdingUnit === '0101' ? '國家圖書館' : '资阳区图书馆')), 7);
    });
    after(() => fixture.dispose());

    it('finds 110000-0101-0013797 by 通書類聚 and by 通书类聚', async () => {
      expect(await hits('通書類聚')).to.deep.equal(['110000-0101-0013797']);
      expect(await hits('通书类聚')).to.deep.equal(['110000-0101-0013797']);
    });

    it('finds both copper-type editions by 芝城銅活字 and by 芝城铜活字', async () => {
      for (const q of ['芝城銅活字', '芝城铜活字']) {
        expect(await hits(q)).to.have.members(['110000-0101-0013797', '110000-0101-0004638']);
      }
    });

    it('makes 资治通鉴 and 資治通鑑 find each other', async () => {
      const expected = ['430000-0001-0000001', '430000-0001-0000002'];
      expect(await hits('资治通鉴')).to.deep.equal(expected);
      expect(await hits('資治通鑑')).to.deep.equal(expected);
    });

    it('finds 論語注疏 by 論語註疏', async () => {
      expect(await hits('論語註疏')).to.deep.equal(['430000-0001-0000003']);
    });

    it('answers a one-character query', async () => {
      expect(await hits('易')).to.deep.equal(['430000-0002-0000001', '430000-0002-0000003']);
      expect(await hits('鑑')).to.have.members(['430000-0001-0000001', '430000-0001-0000002']);
    });

    it('ranks exact title, title prefix, title substring, then person, then edition', async () => {
      expect(await hits('周易')).to.deep.equal(['430000-0002-0000003', '430000-0002-0000001']);
      // 朱 is in a title (朱子語類), and in a person (朱熹).
      expect(await hits('朱')).to.deep.equal(['430000-0002-0000002', '430000-0002-0000001']);
      // 刻本 in an edition statement ranks below 刻 nowhere else; ties go by census number.
      expect((await hits('康熙')).at(0)).to.equal('430000-0002-0000002');
    });

    it('matches persons, editions, call numbers and census numbers', async () => {
      expect(await hits('孔穎達')).to.deep.equal([]);
      expect(await hits('邢昺')).to.deep.equal(['430000-0001-0000003']);
      expect(await hits('光緒十年')).to.deep.equal(['430000-0001-0000002']);
      expect(await hits('1551')).to.deep.equal(['110000-0101-0013797']);
      // Figures and characters together: 明嘉靖三十年（1551）芝城銅活字印本.
      expect(await hits('三十年（1551）芝城')).to.deep.equal(['110000-0101-0013797']);
      expect(await hits('年（1551')).to.deep.equal(['110000-0101-0013797']);
      expect(await hits('1551）芝')).to.deep.equal(['110000-0101-0013797']);
      expect(await hits('十（1551')).to.deep.equal([]);
      expect(await hits('110000-0101-00046')).to.deep.equal(['110000-0101-0004638']);
      expect(await hits('國家圖書館')).to.have.length(3);
    });

    it('requires every part of a query with spaces', async () => {
      expect(await hits('周易 朱熹')).to.deep.equal(['430000-0002-0000001']);
      expect(await hits('周易 司馬光')).to.deep.equal([]);
    });

    it('never matches across fields or names', async () => {
      // 注疏 ends the title statement; 何晏 begins the creator statement.
      expect(await hits('疏何')).to.deep.equal([]);
    });

    it('finds titles and names by their pinyin when the query is asked as pinyin (issue 20)', async () => {
      const pinyin = (text: string, extra: Partial<SearchQuery> = {}) => hits(text, { pinyin: true, ...extra });
      // The title itself first, then the title it begins (资治通鉴纲目), in either script.
      for (const q of ['zizhi tongjian', 'zizhitongjian', 'ZiZhi TongJian', 'zi zhi tong jian', 'zztj', 'zizhi tong', 'zzt']) {
        expect(await pinyin(q), q).to.deep.equal(['430000-0001-0000001', '430000-0001-0000002']);
      }
      // From a later syllable; a person; surnames and the classical reading of 尅 (ke).
      expect(await pinyin('tongjian')).to.deep.equal(['430000-0001-0000001', '430000-0001-0000002']);
      expect(await pinyin('sima guang')).to.deep.equal(['430000-0001-0000001']);
      expect(await pinyin('xing bing')).to.deep.equal(['430000-0001-0000003']);
      expect(await pinyin('tongshu leiju keze')).to.deep.equal(['110000-0101-0013797']);
      expect(await pinyin('jhfz')).to.deep.equal(['110000-0101-0010283']);
      // Ranked as the fields are: the title itself, a title's start, a later syllable of a title, a person.
      expect(await pinyin('zhouyi')).to.deep.equal(['430000-0002-0000003', '430000-0002-0000001']);
      expect(await pinyin('zhu')).to.deep.equal(['430000-0002-0000002', '430000-0001-0000003', '430000-0002-0000001']);
      // Visibility, filters, facets and sorting apply as to any query.
      expect(await pinyin('zhouyi', { visibleTo: 'published' })).to.deep.equal(['430000-0002-0000003']);
      expect(await pinyin('zztj', { sort: '-censusNumber' })).to.deep.equal(['430000-0001-0000002', '430000-0001-0000001']);
      const counted = await search('zztj', { pinyin: true, facets: ['dynasty'], filters: { dynasty: ['清'] } });
      expect(counted.total).to.equal(2);
      expect(counted.facets.dynasty).to.deep.equal([{ value: '清', count: 2 }]);
      // Not pinyin: a letter, Han characters, figures. And pinyin is not the text as written.
      for (const q of ['z', '資治', '10634']) expect(await pinyin(q), q).to.deep.equal([]);
      expect(await hits('zztj')).to.deep.equal([]);
    });

    it('filters by facets, years and visibility, and counts facets over the matches', async () => {
      expect(await hits('', { filters: { editionType: ['活字本'] }, sort: 'censusNumber' })).to.deep.equal(['110000-0101-0004638', '110000-0101-0013797']);
      expect(await hits('', { yearFrom: 1550, yearTo: 1551, sort: 'year' })).to.deep.equal(['110000-0101-0013797']);
      expect(await hits('周易', { visibleTo: 'published' })).to.deep.equal(['430000-0002-0000003']);
      expect(await hits('周易', { visibleTo: { unit: '430000-0002' } })).to.have.length(2);
      expect(await hits('周易', { visibleTo: { unit: '430000-0001' } })).to.have.length(1);
      const result = await search('', { facets: ['editionType', 'dynasty', 'division', 'status', 'unit'], limit: 1 });
      expect(result.total).to.equal(CATALOGUE.length);
      expect(result.facets.editionType).to.deep.include({ value: '活字本', count: 2 });
      expect(result.facets.dynasty).to.deep.include({ value: '清', count: 6 });
      expect(result.facets.status).to.deep.equal([{ value: 'published', count: 8 }, { value: 'draft', count: 1 }]);
      expect(result.facets.unit).to.deep.equal([{ value: '110000-0101', count: 3 }, { value: '430000-0001', count: 3 }, { value: '430000-0002', count: 3 }]);
    });

    it('matches a year range by overlap unless asked for the whole span within it', async () => {
      // 清光绪十年（1884）is the one record dated inside 1880–1890; the plain 清 records (1644–1911)
      // and the 康熙 one (1662–1722) overlap 1700–1750 but none lies within it.
      const cases: [Partial<SearchQuery>, string[]][] = [
        [{ yearFrom: 1880, yearTo: 1890, yearMatch: 'within' }, ['430000-0001-0000002']],
        [{ yearFrom: 1700, yearTo: 1750, yearMatch: 'within' }, []],
        [{ yearFrom: 1660, yearTo: 1730, yearMatch: 'within' }, ['430000-0002-0000002']],
        [{ yearFrom: 1700, yearTo: 1750 }, ['430000-0001-0000001', '430000-0001-0000003', '430000-0002-0000001', '430000-0002-0000002', '430000-0002-0000003']],
        [{ yearFrom: 1700, yearTo: 1750, yearMatch: 'overlap' }, ['430000-0001-0000001', '430000-0001-0000003', '430000-0002-0000001', '430000-0002-0000002', '430000-0002-0000003']],
        [{ yearFrom: 1884, yearMatch: 'within' }, ['430000-0001-0000002']],
        [{ yearTo: 1722, yearMatch: 'within' }, ['110000-0101-0004638', '110000-0101-0010283', '110000-0101-0013797', '430000-0002-0000002']],
      ];
      for (const [query, expected] of cases) expect(await hits('', { ...query, sort: 'censusNumber' }), JSON.stringify(query)).to.deep.equal(expected);
    });

    it('files a dynasty-only date under no single century', async () => {
      const result = await search('', { facets: ['century'], limit: 1 });
      expect(result.facets.century).to.deep.include({ value: 'span', count: 4 });
      expect(await hits('', { filters: { century: ['span'] }, sort: 'censusNumber' })).to.deep.equal(
        ['430000-0001-0000001', '430000-0001-0000003', '430000-0002-0000001', '430000-0002-0000003'],
      );
      // 康熙 (1662–1722) and 萬曆 (1573–1620) are spans too, but of less than a century: filed where they begin.
      expect(await hits('', { filters: { century: ['17'] }, sort: 'censusNumber' })).to.deep.equal(['430000-0002-0000002']);
      expect(await hits('', { filters: { century: ['16'] }, sort: 'censusNumber' })).to.deep.equal(['110000-0101-0004638', '110000-0101-0010283', '110000-0101-0013797']);
    });

    it('sorts by year either way and pages with a total', async () => {
      const byYear = await search('', { sort: 'year', limit: 3 });
      expect(byYear.hits).to.deep.equal(['110000-0101-0013797', '110000-0101-0004638', '110000-0101-0010283']);
      const page = await search('', { sort: '-censusNumber', offset: 2, limit: 2 });
      expect(page.total).to.equal(9);
      expect(page.hits).to.deep.equal(['430000-0002-0000001', '430000-0001-0000003']);
    });

    it('replaces a document on upsert and remembers the sequence', async () => {
      const changed = record(field('430000-0002-0000003', '周易略例一卷', { creatorStatement: '（魏）王弼撰' }));
      await index.upsert([searchDocumentOf(changed, null)], 8);
      expect(await index.lastSeq()).to.equal(8);
      expect(await hits('略例')).to.deep.equal(['430000-0002-0000003']);
      expect((await search('')).total).to.equal(9);
      expect(await hits('王弼注')).to.deep.equal([]);
    });

    it('filters on the base edition\'s years when asked (yearOf=base), the copy\'s otherwise', async () => {
      // Printed in 1892 from blocks carved in 1884; reproduced under 嘉靖 (1522–1566) from a 宋 edition.
      await index.upsert([
        searchDocumentOf(record(field('430000-0003-0000001', '杜工部集二十卷', { editionStatement: '清光緒十年（1884）刻十八年（1892）印本' })), null),
        searchDocumentOf(record(field('430000-0003-0000002', '史記一百三十卷', { editionStatement: '明嘉靖間翻宋本' })), null),
      ], 9);
      const cases: [Partial<SearchQuery>, string[]][] = [
        [{ yearFrom: 1884, yearTo: 1884, yearMatch: 'within' }, ['430000-0001-0000002']],
        [{ yearFrom: 1884, yearTo: 1884, yearMatch: 'within', yearOf: 'copy' }, ['430000-0001-0000002']],
        [{ yearFrom: 1884, yearTo: 1884, yearMatch: 'within', yearOf: 'base' }, ['430000-0001-0000002', '430000-0003-0000001']],
        [{ yearFrom: 1892, yearTo: 1892, yearMatch: 'within' }, ['430000-0003-0000001']],
        [{ yearFrom: 1892, yearTo: 1892, yearMatch: 'within', yearOf: 'base' }, []],
        [{ yearTo: 1300, yearOf: 'base' }, ['430000-0003-0000002']],
        [{ yearTo: 1300 }, []],
        [{ yearFrom: 1530, yearTo: 1540, yearMatch: 'within' }, []],
        [{ yearFrom: 1520, yearTo: 1570, yearMatch: 'within' }, ['110000-0101-0004638', '110000-0101-0013797', '430000-0003-0000002']],
        // Without a base edition named, the base is the copy itself.
        [{ yearFrom: 1880, yearTo: 1890, yearMatch: 'within', yearOf: 'base' }, ['430000-0001-0000002', '430000-0003-0000001']],
      ];
      for (const [query, expected] of cases) expect(await hits('', { ...query, sort: 'censusNumber' }), JSON.stringify(query)).to.deep.equal(expected);
    });

    describe('recall over 10,000 generated records', function () {
      this.timeout(120_000);
      let documents: { censusNumber: string; lines: string[] }[];
      before(async () => {
        await index.clear();
        expect(await index.lastSeq()).to.equal(0);
        const records = [...generateRecords(10_000, 42)];
        const docs = records.map((r) => searchDocumentOf(r, null));
        for (let i = 0; i < docs.length; i += 1000) await index.upsert(docs.slice(i, i + 1000), i + 1000);
        documents = docs.map((d) => ({
          censusNumber: d.censusNumber,
          lines: Object.values(d.text).flatMap((t) => t.split('\n')).map(fold),
        }));
      });

      it('returns every record a brute-force scan returns, for 500 random substrings of 1–6 characters', async () => {
        const next = random(2026);
        let checked = 0;
        let matched = 0;
        while (checked < 500) {
          const doc = documents[Math.floor(next() * documents.length)]!;
          const line = doc.lines[Math.floor(next() * doc.lines.length)]!;
          // Chinese substrings: runs of Han characters (Latin words match as words, not substrings).
          const runs = line.match(/[\p{Script=Han}]+/gu) ?? [];
          const run = runs[Math.floor(next() * runs.length)];
          if (!run) continue;
          const chars = [...run];
          const length = Math.min(chars.length, 1 + Math.floor(next() * 6));
          const start = Math.floor(next() * (chars.length - length + 1));
          const q = chars.slice(start, start + length).join('');
          const expected = documents.filter((d) => d.lines.some((l) => l.includes(q))).map((d) => d.censusNumber);
          const found = await search(q, { sort: 'censusNumber', limit: 10_000 });
          const returned = new Set(found.hits);
          const missing = expected.filter((cn) => !returned.has(cn));
          expect(missing, `query ${q}`).to.deep.equal([]);
          expect(found.total, `query ${q}`).to.equal(expected.length);
          checked += 1;
          matched += expected.length;
        }
        expect(matched).to.be.greaterThan(500);
      });
    });
  });
}
