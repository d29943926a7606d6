/**
 * 题名卷数 counts other than 卷, 存 parts, 存卷, and counts in Chinese numerals. Sources:
 * `issue 13`, `DOMAIN.md` (the real record 110000-0101-0013797) and `constructed` (written for
 * this test in the census lists' form, no source claimed).
 */
import { expect } from 'chai';
import { HEADINGS, rowToInput, sheetLayout } from '../../src/domain/census-sheet.js';
import { parseCount } from '../../src/domain/numerals.js';
import { parseExtantStatement, parseTitleStatement } from '../../src/domain/title-statement.js';

describe('题名卷数: 回, 齣/出, 種 and 存', () => {
  // statement, source → title, count, unit, supplements, extant count
  const table: [string, string, string, number | null, string, string[], number | null][] = [
    ['紅樓夢一百二十回', 'issue 13', '紅樓夢', 120, '回', [], null],
    ['某書四十卷存二十卷', 'issue 13', '某書', 40, '卷', [], 20],
    ['三國志通俗演義二十四卷二百四十回', 'constructed', '三國志通俗演義', 24, '卷', [':240回'], null],
    ['水滸傳一百回', 'constructed', '水滸傳', 100, '回', [], null],
    ['琵琶記四十二齣', 'constructed', '琵琶記', 42, '齣', [], null],
    ['牡丹亭還魂記五十五出', 'constructed', '牡丹亭還魂記', 55, '出', [], null],
    ['元曲選一百種', 'constructed', '元曲選', 100, '種', [], null],
    ['文苑英華一千卷殘存二十卷', 'constructed', '文苑英華', 1000, '卷', [], 20],
    ['某志二十四卷首一卷存十卷', 'constructed', '某志', 24, '卷', ['首:1卷'], 10],
    ['［萬曆］金華府志三十卷', 'DOMAIN.md', '金華府志', 30, '卷', [], null],
  ];
  for (const [statement, source, title, count, unit, supplements, extant] of table) {
    it(`${statement} (${source})`, () => {
      const t = parseTitleStatement(statement);
      expect([t.title, t.juan?.count ?? null, t.juan?.unit, t.supplements.map((s) => `${s.label}:${s.juan.count}${s.juan.unit}`), t.extant?.count ?? null]).to.deep.equal([
        title, count, unit, supplements, extant,
      ]);
    });
  }
});

describe('存卷 parsed into the 卷 held', () => {
  // statement, source → count, ranges, named, unread
  const table: [string, string, number | null, string, string[], string[]][] = [
    ['存四卷（十六至十九）', 'DOMAIN.md', 4, '16-19', [], []],
    ['存十二卷（一至十二）', 'issue 13', 12, '1-12', [], []],
    ['存卷首、卷三至五', 'issue 13', null, '3-5', ['卷首'], []],
    ['存卷一至三、六', 'constructed', null, '1-3 6-6', [], []],
    ['存二卷（卷七、卷九）', 'constructed', 2, '7-7 9-9', [], []],
    ['存八卷（卷首、一至六、卷末）', 'constructed', 8, '1-6', ['卷首', '卷末'], []],
    ['存卷三十一至四十，附錄', 'constructed', null, '31-40', ['附錄'], []],
    ['殘存三卷(1-3)', 'constructed', 3, '1-3', [], []],
    ['存五卷（某篇）', 'constructed', 5, '', [], ['某篇']],
    ['存一卷（五至三）', 'constructed', 1, '', [], ['五至三']],
  ];
  for (const [statement, source, count, ranges, named, unread] of table) {
    it(`${statement} (${source})`, () => {
      const e = parseExtantStatement(statement);
      expect([e.count, e.ranges.map((r) => `${r.from}-${r.to}`).join(' '), e.named, e.unread]).to.deep.equal([count, ranges, named, unread]);
    });
  }

  it('is bounded: at most 200 items, no range past 40000 卷', () => {
    const long = parseExtantStatement('存' + Array.from({ length: 500 }, (_, i) => `卷${i + 1}`).join('、'));
    expect(long.ranges).to.have.length(200);
    expect(parseExtantStatement('存卷一至九萬').unread).to.deep.equal(['卷一至九萬']);
  });
});

describe('counts in Chinese numerals (册数)', () => {
  const table: [string, number | null][] = [
    ['四', 4], ['十八', 18], ['一百二十', 120], ['廿四', 24], ['18', 18], ['１８', 18], [' 3 ', 3], ['〇', 0],
    ['一冊', null], ['□', null], ['三□', null], ['1.5', null], ['-2', null], ['', null], ['一千萬', null], ['九'.repeat(20), null],
  ];
  for (const [written, expected] of table) {
    it(`${JSON.stringify(written)} → ${expected}`, () => {
      expect(parseCount(written)).to.equal(expected);
    });
  }

  it('imports 册数 written 四 as 4, and refuses 一冊 echoing it as written', () => {
    const layout = sheetLayout(HEADINGS);
    const row = (volumes: string) => HEADINGS.map((h) => (h === '册数' ? volumes : h === '普查编号' ? '430000-0001-0000001' : ''));
    expect(rowToInput(row('四'), layout, HEADINGS).input.volumeCount).to.equal(4);
    const refused = rowToInput(row('一冊'), layout, HEADINGS);
    expect(refused.problems).to.deep.include({ field: '册数', problem: 'must be a whole number, not "一冊"' });
  });
});
