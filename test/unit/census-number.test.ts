import { expect } from 'chai';
import { censusNumberProblem, parseCensusNumber } from '../../src/domain/census-number.js';
import { formatNumeral, parseNumeral } from '../../src/domain/numerals.js';

describe('census numbers (普查编号)', () => {
  const valid = ['110000-0101-0010283', '110000-0101-0013797', '430000-0001-0000017', '820000-9999-9999999'];
  for (const cn of valid) {
    it(`accepts ${cn}`, () => {
      expect(censusNumberProblem(cn)).to.equal(null);
    });
  }
  const invalid: [string, RegExp][] = [
    ['110000-0101-001028', /PPPPPP-UUUU-NNNNNNN/],
    ['1100000-101-0010283', /PPPPPP-UUUU-NNNNNNN/],
    ['110000_0101_0010283', /PPPPPP-UUUU-NNNNNNN/],
    ['１１００００-0101-0010283', /PPPPPP-UUUU-NNNNNNN/],
    ['430902-0001-0000017', /province-level code ending in 0000/],
    ['990000-0001-0000017', /not a GB\/T 2260 province-level code/],
    ['430000-0000-0000017', /unit part 0000/],
    ['430000-0001-0000000', /serial part/],
    [' 430000-0001-0000017', /PPPPPP-UUUU-NNNNNNN/],
  ];
  for (const [cn, problem] of invalid) {
    it(`refuses ${JSON.stringify(cn)}`, () => {
      expect(censusNumberProblem(cn)).to.match(problem);
    });
  }
  it('splits into province, unit, serial and unit key', () => {
    expect(parseCensusNumber('430000-0001-0000017')).to.deep.equal({ province: '430000', unit: '0001', serial: '0000017', unitKey: '430000-0001' });
  });
});

describe('Chinese numerals', () => {
  const table: [string, number | null][] = [
    ['一', 1], ['十', 10], ['十二', 12], ['二十', 20], ['三十', 30], ['一百二十', 120], ['百二十', 120], ['一百十八', 118],
    ['四百十六', 416], ['一千', 1000], ['一千〇十', 1010], ['一百〇五', 105], ['廿三', 23], ['卅', 30], ['一〇三', 103],
    ['一九二九', 1929], ['1552', 1552], ['１５５２', 1552], ['兩', 2], ['□□', null], ['十□', null], ['', null], ['卷', null],
  ];
  for (const [text, n] of table) {
    it(`${text || '(empty)'} = ${n}`, () => {
      expect(parseNumeral(text)).to.equal(n);
    });
  }
  for (const n of [1, 9, 10, 11, 19, 20, 30, 99, 100, 101, 110, 118, 120, 416, 1000, 1010, 9999]) {
    it(`writes ${n} and reads it back`, () => {
      expect(parseNumeral(formatNumeral(n))).to.equal(n);
    });
  }
  it('writes 卷 counts in the classical style', () => {
    expect([30, 118, 416].map(formatNumeral)).to.deep.equal(['三十', '一百十八', '四百十六']);
  });
});
