/**
 * Pinyin search (issue 20): the tokens read from real titles and names of the demo catalogue
 * (the kanripo works of 經部易類 and 史部地理類, and the records of docs/DOMAIN.md) as the search
 * service makes them, and the keys queries are read to.
 */
import { expect } from 'chai';
import { buildDemoRecords } from '../../src/demo/demo-catalogue.js';
import { deriveRecord, type RecordFields } from '../../src/domain/census-record.js';
import { PINYIN_LIMITS, pinyinKey, pinyinTokensOf, type PinyinTokens } from '../../src/domain/search-pinyin.js';
import { romanize } from '../../src/exports/romanize.js';
import { searchDocumentOf } from '../../src/services/search-service.js';
import { vocabulary } from '../support/records.js';

const DEMO = buildDemoRecords(new URL('../../src/demo/kanripo/', import.meta.url)).map(({ input: { corrections: _, ...fields } }) => fields as RecordFields);

/** The pinyin the index stores for the demo record whose title proper is `title`. */
function demoPinyin(title: string): PinyinTokens {
  for (const fields of DEMO) {
    const derived = deriveRecord(fields, {}, vocabulary);
    if (derived.title.title !== title) continue;
    const record = { fields, corrections: {}, derived, status: 'published' as const, version: 1, createdAt: '', updatedAt: '', createdBy: '', updatedBy: '' };
    return searchDocumentOf(record, null).pinyin;
  }
  throw new Error(`${title} is not in the demo catalogue`);
}

/** Which column a key matches as the prefix of a token (the best tier), or null. */
function matched(key: string, tokens: PinyinTokens): keyof PinyinTokens | 'exact' | null {
  const has = (column: keyof PinyinTokens) => tokens[column].split(' ').some((t) => t.startsWith(key));
  if (tokens.start.split(' ').includes(key)) return 'exact';
  return has('start') ? 'start' : has('title') ? 'title' : has('persons') ? 'persons' : null;
}

describe('pinyin search', () => {
  describe('finds titles and names of the demo catalogue by their readings', () => {
    // [query, title proper of a demo record, where it matches: the title itself, its start, any title, a person]
    const table: [string, string, ReturnType<typeof matched>][] = [
      ['jinhua fuzhi', '金華府志', 'exact'],
      ['jhfz', '金華府志', 'exact'],
      ['jinhua', '金華府志', 'start'],
      ['fuzhi', '金華府志', 'title'],
      ['wang maode', '金華府志', 'persons'],
      ['lu fengyi', '金華府志', 'persons'],
      // 尅 is ke (the classical reading both the romanisation and the search take), not kei.
      ['tongshu leiju kezedaquan', '通書類聚尅擇大全', 'exact'],
      ['mozi', '墨子', 'exact'],
      ['dongpo yizhuan', '東坡易傳', 'exact'],
      ['Dongpo Yi Zhuan', '東坡易傳', 'exact'],
      ['dpyz', '東坡易傳', 'exact'],
      // The modern reading as well: someone may type 傳 as chuan.
      ['dongpo yichuan', '東坡易傳', 'exact'],
      ['su shi', '東坡易傳', 'persons'],
      ['zixia yizhuan', '子夏易傳', 'exact'],
      ['wengong yishuo', '溫公易說', 'exact'],
      ['sima guang', '溫公易說', 'persons'],
      ['smg', '溫公易說', 'persons'],
      ["chang'an zhi", '長安志', 'exact'],
      ['caz', '長安志', 'exact'],
      ['song minqiu', '長安志', 'persons'],
      ['minqiu', '長安志', 'persons'],
      ['luoyang qielan ji', '洛陽伽藍記', 'exact'],
      ['luoyang jialanji', '洛陽伽藍記', 'exact'],
      ['qielan', '洛陽伽藍記', 'title'],
      ['kuaiji zhi', '會稽志', 'exact'],
      ['kjz', '會稽志', 'exact'],
      // And by the modern reading, which someone who does not know the classical one types.
      ['huiji zhi', '會稽志', 'exact'],
      ['xingshui jinjian', '行水金鑑', 'exact'],
      ['xsjj', '行水金鑑', 'exact'],
      ['jinjian', '行水金鑑', 'title'],
      // Surnames read as surnames: 曾 zeng, 單 shan, 解 xie, 查 zha.
      ['zeng guan', '易學變通', 'persons'],
      ['shan e', '吳中水利書', 'persons'],
      ['xie meng', '易精蘊大義', 'persons'],
      ['zha shenxing', '周易玩辭集解', 'persons'],
      ['chaoxian fu', '朝鮮賦', 'exact'],
      ['shuijing zhu', '水經注', 'exact'],
      ['sjz', '水經注', 'exact'],
      ['chaoyi xianzhi', '朝邑縣志', 'exact'],
      ['zhaoyi', '朝邑縣志', 'start'],
      ['zztj', '水經注', null],
      ['sima guang', '水經注', null],
    ];
    for (const [query, title, where] of table) {
      it(`${query} → ${title}: ${where ?? 'no match'}`, () => {
        const key = pinyinKey(query);
        expect(key, query).to.be.a('string');
        expect(matched(key!, demoPinyin(title))).to.equal(where);
      });
    }
  });

  describe('reads famous titles, traditional and simplified, with their classical readings', () => {
    const table: [string, string[]][] = [
      ['資治通鑑', ['zizhi tongjian', 'zizhitongjian', 'zztj', 'zizhi tong', 'ZiZhi TongJian']],
      ['资治通鉴', ['zizhi tongjian', 'zztj']],
      ['春秋左傳', ['chunqiu zuozhuan', 'cqzz']],
      ['春秋左传', ['chunqiu zuozhuan', 'cqzz']],
      ['說文解字', ['shuowen jiezi', 'swjz', 'shuowen']],
      ['说文解字', ['shuowen jiezi', 'swjz']],
      ['尚書', ['shangshu', 'shang shu', 'ss']],
      ['呂氏春秋', ['lvshi chunqiu', 'lüshi chunqiu', 'lushi chunqiu', 'lscq']],
    ];
    for (const [title, queries] of table) {
      it(`${title}: ${queries.join(', ')}`, () => {
        const tokens = pinyinTokensOf(title, [], []);
        for (const q of queries) expect(matched(pinyinKey(q)!, tokens), q).to.be.oneOf(['exact', 'start']);
      });
    }
    it('shares the classical readings with the MARC romanisation', () => {
      expect(romanize('春秋左傳')).to.equal('chun qiu zuo zhuan');
      expect(romanize('会稽志')).to.equal('kuai ji zhi');
      expect(matched(pinyinKey('chunqiu zuochuan')!, pinyinTokensOf('春秋左傳', [], []))).to.equal('exact');
    });
  });

  it('reads only Latin letters, spaces and apostrophes as pinyin, two letters or more', () => {
    expect(pinyinKey("Zizhi tong'jian")).to.equal('zizhitongjian');
    expect(pinyinKey('ｚｚｔｊ')).to.equal('zztj');
    expect(pinyinKey('lü')).to.equal('lv');
    for (const q of ['z', '', '  ', '資治', 'zizhi 通鑑', '110000-0101-0010283', '10634', 'GB/T', 'a-b']) expect(pinyinKey(q), q).to.equal(null);
  });

  it('bounds what a hostile record costs: characters, readings and values', () => {
    // 行 and 樂 have four or five readings each; ten thousand of them and ten thousand names.
    const long = '行樂'.repeat(5000);
    const tokens = pinyinTokensOf(long, Array(10_000).fill(long), Array(10_000).fill(long));
    const count = (s: string) => s.split(' ').length;
    expect(count(tokens.start)).to.be.at.most(2 * PINYIN_LIMITS.variants);
    const perField = PINYIN_LIMITS.values * PINYIN_LIMITS.variants * (PINYIN_LIMITS.chars + 1);
    expect(count(tokens.title)).to.be.at.most(perField);
    expect(count(tokens.persons)).to.be.at.most(perField);
    expect(tokens.title.split(' ').every((t) => t.length <= 6 * PINYIN_LIMITS.chars)).to.equal(true);
  });
});
