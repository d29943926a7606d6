import { expect } from 'chai';
import { ganzhiOf, ganzhiYears, parseDateAt } from '../../src/domain/historical-date.js';
import { REIGN_ERAS, dynastyOfYear, lookupDynasty, resolveEra } from '../../src/domain/reign-eras.js';

describe('the reign-era table', () => {
  it('covers 漢 to 清 and 民國', () => {
    const dynasties = new Set(REIGN_ERAS.map((e) => e.dynasty));
    for (const d of ['漢', '新', '魏', '蜀', '吳', '晉', '南朝宋', '南齊', '梁', '陳', '北魏', '隋', '唐', '後梁', '後唐', '後晉', '後漢', '後周', '遼', '宋', '西夏', '金', '元', '明', '清', '民國']) {
      expect(dynasties, d).to.include(d);
    }
    expect(REIGN_ERAS.length).to.be.greaterThan(600);
  });

  it('has every era ending no earlier than it starts, and each regime in order', () => {
    for (const e of REIGN_ERAS) expect(e.to, e.name).to.be.at.least(e.from);
    const byRegime = new Map<string, typeof REIGN_ERAS[number][]>();
    for (const e of REIGN_ERAS) byRegime.set(e.regime, [...(byRegime.get(e.regime) ?? []), e]);
    for (const [regime, eras] of byRegime) {
      for (let i = 1; i < eras.length; i++) {
        expect(eras[i]!.from, `${regime} ${eras[i]!.name} after ${eras[i - 1]!.name}`).to.be.at.least(eras[i - 1]!.from);
      }
    }
  });

  // Anchors from the standard chronologies.
  const anchors: [string, string | undefined, number, number][] = [
    ['萬曆', undefined, 1573, 1620], ['嘉靖', undefined, 1522, 1566], ['乾隆', undefined, 1736, 1795], ['光緒', undefined, 1875, 1908],
    ['貞觀', '唐', 627, 649], ['開元', undefined, 713, 741], ['紹興', undefined, 1131, 1162], ['至正', undefined, 1341, 1370],
    ['建武', '東漢', 25, 56], ['建武', '南齊', 494, 498], ['太平興國', undefined, 976, 984], ['大定', '金', 1161, 1189],
    ['洪武', undefined, 1368, 1398], ['康熙', undefined, 1662, 1722], ['宣統', undefined, 1909, 1911], ['永曆', undefined, 1647, 1662],
  ];
  for (const [name, dynasty, from, to] of anchors) {
    it(`${dynasty ?? ''}${name} = ${from}–${to}`, () => {
      expect(resolveEra(name, dynasty)).to.include({ from, to });
    });
  }

  it('prefers the dynasty books are dated by when an era name was reused, unless the year says otherwise', () => {
    expect(resolveEra('天福')!.dynasty).to.equal('後晉');
    expect(resolveEra('天福', undefined, 947)!.dynasty).to.equal('後漢');
    expect(resolveEra('大安')!.dynasty).to.equal('金');
    expect(resolveEra('大安', '遼')!.from).to.equal(1085);
  });

  it('folds dynasty aliases and finds the dynasty of a year', () => {
    expect(lookupDynasty('淸')!.name).to.equal('清');
    expect(lookupDynasty('後魏')!.name).to.equal('北魏');
    expect([dynastyOfYear(1552), dynastyOfYear(1700), dynastyOfYear(1929), dynastyOfYear(1100)]).to.deep.equal(['明', '清', '民國', '宋']);
  });
});

describe('干支 years', () => {
  it('computes the cycle (甲子 = 1984, 4)', () => {
    expect([ganzhiOf(1984), ganzhiOf(4), ganzhiOf(1557), ganzhiOf(1911)]).to.deep.equal(['甲子', '甲子', '丁巳', '辛亥']);
  });
  it('resolves a 干支 within an era, with every candidate when the era is longer than 60 years', () => {
    expect(ganzhiYears('丁巳', 1522, 1566)).to.deep.equal([1557]);
    expect(ganzhiYears('壬寅', 1662, 1722)).to.deep.equal([1662, 1722]);
  });
  it('marks an ambiguous 干支 date uncertain', () => {
    expect(parseDateAt('清康熙壬寅')!.date).to.include({ gregorianFrom: 1662, uncertain: true });
  });
  it('returns null when the text does not start with a date', () => {
    expect(parseDateAt('芝城刻本')).to.equal(null);
  });
});
