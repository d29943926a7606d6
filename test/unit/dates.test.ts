/**
 * Dates as the census lists write them. Sources: `issue 13` (forms quoted in guji's issue 13),
 * `DOMAIN.md` (docs/DOMAIN.md), `sbck` (四部叢刊初編, kanripo sbck.org) and `constructed`
 * (written for this test in the census lists' form, with no claim to a source).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { YEAR_CEILING, YEAR_FLOOR, parseDateAt, type HistoricalDate } from '../../src/domain/historical-date.js';
import { parseEditionStatement } from '../../src/domain/edition-statement.js';
import { DYNASTY_NAMES, ERA_NAMES, FOREIGN_CALENDARS } from '../../src/domain/reign-eras.js';
import { defaultVocabulary } from '../../src/domain/vocabulary.js';

const show = (d: HistoricalDate) =>
  [d.dynasty, d.reignEra, d.reignYear, d.ganzhi, d.gregorianFrom, d.gregorianTo, d.precision, d.uncertain, d.qualifier ?? null, d.country ?? null];

describe('dates: 干支, ranges, qualifiers', () => {
  // text, source → dynasty, era, reign year, 干支, from, to, precision, uncertain, qualifier, country; then the length read
  type Row = [string, string, ReturnType<typeof show>, number];
  const table: Row[] = [
    // 干支 beside the year and the Western year (the 3700s bug).
    ['清道光十五年乙未（1835）刻本', 'issue 13', ['清', '道光', 15, '乙未', 1835, 1835, 'year', false, null, '中國'], 14],
    ['清光緒乙未（1895）刻本', 'issue 13', ['清', '光緒', 21, '乙未', 1895, 1895, 'year', false, null, '中國'], 11],
    ['清光緒乙未年（1895）刻本', 'constructed', ['清', '光緒', 21, '乙未', 1895, 1895, 'year', false, null, '中國'], 12],
    ['清光緒乙未刻本', 'constructed', ['清', '光緒', 21, '乙未', 1895, 1895, 'year', false, null, '中國'], 5],
    ['明嘉靖丁巳(三十六年)刻本', 'DOMAIN.md', ['明', '嘉靖', 36, '丁巳', 1557, 1557, 'year', false, null, '中國'], 11],
    ['清道光十五年丙申（1835）刻本', 'constructed', ['清', '道光', 15, '丙申', 1835, 1835, 'year', true, null, '中國'], 14],
    ['清乾隆乙未（1775）刻本', 'constructed', ['清', '乾隆', 40, '乙未', 1775, 1775, 'year', false, null, '中國'], 11],
    ['清康熙壬寅（1722）刻本', 'constructed', ['清', '康熙', 1, '壬寅', 1722, 1722, 'year', true, null, '中國'], 11],
    ['清嘉慶十二年(1807)刻本', 'constructed', ['清', '嘉慶', 12, '丁卯', 1807, 1807, 'year', false, null, '中國'], 12],
    ['清道光二十九年（1849）刻本', 'constructed', ['清', '道光', 29, '己酉', 1849, 1849, 'year', false, null, '中國'], 13],
    // Ranges across eras and dynasties.
    ['清乾隆嘉慶間刻本', 'issue 13', ['清', '乾隆', null, null, 1736, 1820, 'era', false, '間', '中國'], 6],
    ['同治光緒間刻本', 'issue 13', ['清', '同治', null, null, 1862, 1908, 'era', false, '間', '中國'], 5],
    ['清道光二年至四年刻本', 'issue 13', ['清', '道光', 2, '壬午', 1822, 1824, 'year', false, null, '中國'], 8],
    ['清康熙至乾隆間刻本', 'constructed', ['清', '康熙', null, null, 1662, 1795, 'era', false, '間', '中國'], 7],
    ['清乾隆三十八年至四十七年寫本', 'constructed', ['清', '乾隆', 38, '癸巳', 1773, 1782, 'year', false, null, '中國'], 12],
    ['清乾隆三十八年（1773）至四十七年（1782）寫本', 'constructed', ['清', '乾隆', 38, '癸巳', 1773, 1782, 'year', false, null, '中國'], 24],
    ['清道光二年（1822）至咸豐三年（1853）刻本', 'constructed', ['清', '道光', 2, '壬午', 1822, 1853, 'year', false, null, '中國'], 22],
    ['清道光二年至四年（1825）刻本', 'constructed', ['清', '道光', 2, '壬午', 1822, 1825, 'year', true, null, '中國'], 14],
    ['明萬曆至崇禎間刻本', 'constructed', ['明', '萬曆', null, null, 1573, 1644, 'era', false, '間', '中國'], 7],
    ['明末清初刻本', 'constructed', ['明', null, null, null, 1553, 1732, 'approx', false, '初', '中國'], 4],
    ['明清間抄本', 'constructed', ['明', null, null, null, 1368, 1911, 'dynasty', false, '間', '中國'], 3],
    ['清咸豐同治間刻本', 'constructed', ['清', '咸豐', null, null, 1851, 1874, 'era', false, '間', '中國'], 6],
    // 間, 閒, 初, 中, 末, 前後.
    ['清乾隆間刻本', 'DOMAIN.md', ['清', '乾隆', null, null, 1736, 1795, 'era', false, '間', '中國'], 4],
    ['上海涵芬樓藏萬曆閒梅氏祠堂刊本'.slice(6), 'sbck', ['明', '萬曆', null, null, 1573, 1620, 'era', false, '間', '中國'], 3],
    ['明初期刻本', 'DOMAIN.md', ['明', null, null, null, 1368, 1459, 'approx', false, '初', '中國'], 3],
    ['唐後期?寫本', 'DOMAIN.md', ['唐', null, null, null, 811, 907, 'approx', true, '末', '中國'], 4],
    ['清初刻本', 'constructed', ['清', null, null, null, 1644, 1732, 'approx', false, '初', '中國'], 2],
    ['清中葉刻本', 'constructed', ['清', null, null, null, 1733, 1822, 'approx', false, '中', '中國'], 3],
    ['清末抄本', 'constructed', ['清', null, null, null, 1823, 1911, 'approx', false, '末', '中國'], 2],
    ['嘉靖中錢塘洪氏校刊本', 'sbck', ['明', '嘉靖', null, null, 1537, 1551, 'approx', false, '中', '中國'], 3],
    ['清康熙五十年前後刻本', 'constructed', ['清', '康熙', 50, null, 1706, 1716, 'approx', false, '前後', '中國'], 8],
    // Dynasty only: the dynasty's span, with a precision that says so.
    ['清刻本', 'constructed', ['清', null, null, null, 1644, 1911, 'dynasty', false, null, '中國'], 1],
    ['民國石印本', 'constructed', ['民國', null, null, null, 1912, 1949, 'dynasty', false, null, '中國'], 2],
    ['唐?寫本', 'DOMAIN.md', ['唐', null, null, null, 618, 907, 'dynasty', true, null, '中國'], 2],
    ['宋刊本', 'sbck', ['宋', null, null, null, 960, 1279, 'dynasty', false, null, '中國'], 1],
    ['蒙古刊本', 'sbck', ['蒙古', null, null, null, 1206, 1271, 'dynasty', false, null, '中國'], 2],
    // Era named alone; places that look like eras or dynasties.
    ['嘉靖刊本', 'sbck', ['明', '嘉靖', null, null, 1522, 1566, 'era', false, null, '中國'], 2],
    ['大德刊本', 'constructed', ['元', '大德', null, null, 1297, 1307, 'era', false, null, '中國'], 2],
    ['正統七年刊本', 'sbck', ['明', '正統', 7, '壬戌', 1442, 1442, 'year', false, null, '中國'], 4],
    ['至正二年杭州路西湖書院刊本', 'sbck', ['元', '至正', 2, '壬午', 1342, 1342, 'year', false, null, '中國'], 4],
    ['金泰和四年晦明軒刊本', 'sbck', ['金', '泰和', 4, '甲子', 1204, 1204, 'year', false, null, '中國'], 5],
    ['元後至元六年刻本', 'constructed', ['元', '後至元', 6, '庚辰', 1340, 1340, 'year', false, null, '中國'], 6],
    ['民國十八年（1929）上海掃葉山房石印本', 'constructed', ['民國', '民國', 18, '己巳', 1929, 1929, 'year', false, null, '中國'], 11],
    ['1552芝城銅活字藍印本', 'DOMAIN.md', ['明', null, null, null, 1552, 1552, 'year', false, null, '中國'], 4],
    // Foreign calendars.
    ['日本元祿九年（1696）刻本', 'issue 13', [null, '元祿', 9, '丙子', 1696, 1696, 'year', false, null, '日本'], 12],
    ['日本天明七年尾張藩刊本', 'sbck', [null, '天明', 7, '丁未', 1787, 1787, 'year', false, null, '日本'], 6],
    ['日本正平刊本', 'sbck', [null, '正平', null, null, 1346, 1370, 'era', false, null, '日本'], 4],
    ['日本寬永十年刻本', 'constructed', [null, '寬永', 10, '癸酉', 1633, 1633, 'year', false, null, '日本'], 6],
    ['日本寛政三年刻本', 'constructed', [null, '寬政', 3, '辛亥', 1791, 1791, 'year', false, null, '日本'], 6],
    ['日本明治十三年（1880）刻本', 'constructed', [null, '明治', 13, '庚辰', 1880, 1880, 'year', false, null, '日本'], 13],
    ['日本江戶刻本', 'constructed', ['江戶', null, null, null, 1603, 1868, 'dynasty', false, null, '日本'], 4],
    ['朝鮮正祖五年（1781）刻本', 'issue 13', ['朝鮮', '正祖', 5, '辛丑', 1781, 1781, 'year', false, null, '朝鮮'], 12],
    ['朝鮮英祖三十年刻本', 'constructed', ['朝鮮', '英祖', 30, '甲戌', 1754, 1754, 'year', false, null, '朝鮮'], 7],
    ['朝鮮光武三年刻本', 'constructed', ['朝鮮', '光武', 3, '己亥', 1899, 1899, 'year', false, null, '朝鮮'], 6],
    ['朝鮮刻本', 'constructed', ['朝鮮', null, null, null, 1392, 1910, 'dynasty', false, null, '朝鮮'], 2],
    ['高麗翻元刊本', 'sbck', ['高麗', null, null, null, 918, 1392, 'dynasty', false, null, '朝鮮'], 2],
    ['越南明命刻本', 'issue 13', ['阮', '明命', null, null, 1820, 1840, 'era', false, null, '越南'], 4],
    ['越南嗣德三年刻本', 'constructed', ['阮', '嗣德', 3, '庚戌', 1850, 1850, 'year', false, null, '越南'], 6],
    ['越南景興刻本', 'constructed', ['後黎', '景興', null, null, 1740, 1786, 'era', false, null, '越南'], 4],
  ];
  for (const [text, source, expected, end] of table) {
    it(`${text} (${source})`, () => {
      const parsed = parseDateAt(text);
      expect(parsed, text).to.not.equal(null);
      expect([...show(parsed!.date), parsed!.end]).to.deep.equal([...expected, end]);
    });
  }

  // Simplified and variant forms, matched folded as search folds them (constructed).
  const folded: [string, ReturnType<typeof show>][] = [
    ['清光绪十年（1884）刻本', ['清', '光緒', 10, '甲申', 1884, 1884, 'year', false, null, '中國']],
    ['明万历刻本', ['明', '萬曆', null, null, 1573, 1620, 'era', false, null, '中國']],
    ['清乾隆嘉庆间刻本', ['清', '乾隆', null, null, 1736, 1820, 'era', false, '間', '中國']],
    ['淸道光二年刻本', ['清', '道光', 2, '壬午', 1822, 1822, 'year', false, null, '中國']],
    ['民国十八年（１９２９）石印本', ['民國', '民國', 18, '己巳', 1929, 1929, 'year', false, null, '中國']],
    ['朝鲜正祖五年刻本', ['朝鮮', '正祖', 5, '辛丑', 1781, 1781, 'year', false, null, '朝鮮']],
    ['日本元禄九年刻本', [null, '元祿', 9, '丙子', 1696, 1696, 'year', false, null, '日本']],
  ];
  for (const [text, expected] of folded) {
    it(`${text} (constructed, simplified or variant forms)`, () => {
      expect(show(parseDateAt(text)!.date)).to.deep.equal(expected);
    });
  }

  it('keeps the date text as written in display', () => {
    expect(parseDateAt('清道光十五年乙未（1835）刻本')!.date.display).to.equal('清道光十五年乙未（1835）');
    expect(parseDateAt('日本元祿九年（1696）刻本')!.date.display).to.equal('日本元祿九年（1696）');
    expect(parseDateAt('清光绪十年（1884）刻本')!.date.display).to.equal('清光绪十年（1884）');
  });

  it('does not read places and surnames as dynasties or eras (constructed)', () => {
    for (const text of ['金陵書局刻本', '吳郡袁氏刻本', '大興朱氏刊本', '建安余氏刊本', '吳氏刊本', '上元宗氏刊本']) {
      expect(parseDateAt(text), text).to.equal(null);
    }
    // 宋建安余氏刊本: 建安 is the place of the 余氏 press, not the 東漢 era.
    expect(parseDateAt('宋建安余氏刊本')!.date).to.include({ dynasty: '宋', reignEra: null, gregorianFrom: 960 });
    // 明淸眞館本: a studio, not a range 明–清.
    expect(parseDateAt('明淸眞館本')!.date).to.include({ gregorianTo: 1644 });
  });

  it('drops a reign year the era never reached, and a Western year out of range, as uncertain (constructed)', () => {
    expect(parseDateAt('清乾隆九百年刻本')!.date).to.include({ reignYear: null, gregorianFrom: 1736, gregorianTo: 1795, uncertain: true });
    expect(parseDateAt('清光緒十年（9999）刻本')!.date).to.include({ gregorianFrom: 1884, uncertain: true });
    // Loyalists dated by a fallen era: 崇禎十七年 is 1644, 崇禎二十年 is kept, uncertain.
    expect(parseDateAt('明崇禎二十年刻本')!.date).to.include({ gregorianFrom: 1647, uncertain: true });
  });
});

describe('no derived year outside −1000…2100', () => {
  const vocabulary = defaultVocabulary();
  const years = (d: HistoricalDate | null | undefined) => (d ? [d.gregorianFrom, d.gregorianTo].filter((y): y is number => y !== null) : []);
  const derivedYears = (statement: string) => {
    const e = parseEditionStatement(statement, vocabulary);
    return [...years(e.date), ...years(e.baseDate), ...(e.events ?? []).flatMap((x) => years(x.date)), ...years(e.base?.date)];
  };
  const inRange = (statement: string) => {
    for (const y of derivedYears(statement)) {
      expect(y, statement).to.be.within(YEAR_FLOOR, YEAR_CEILING);
      expect(Number.isInteger(y), statement).to.equal(true);
    }
  };

  it('holds for every statement in the test data', () => {
    const sbck: { rows: string[][] } = JSON.parse(readFileSync(new URL('../fixtures/sbck-editions.json', import.meta.url), 'utf8'));
    for (const [statement] of sbck.rows) inRange(statement!);
  });

  // A seeded generator, so that a failure can be replayed: mulberry32.
  function random(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const FRAGMENTS = [
    ...DYNASTY_NAMES, ...ERA_NAMES.slice(0, 400), '日本', '朝鮮', '越南', '高麗',
    '元年', '十五年', '九百九十九年', '一萬年', '二十年', '廿三年', '□□年', '乙未', '甲子年', '（1835）', '(1895)', '（9999）', '(0)', '（-500）',
    '1552', '9999', '0001', '間', '閒', '初', '中', '末', '前後', '初期', '後期', '?', '至', '至四年', '至一千年', '、',
    '刻', '刊', '印', '後印', '修', '遞修', '翻', '覆', '影', '景', '抄', '鈔', '寫', '本', '藏', '某氏', '某樓', '書局', '活字', '石印', '配',
  ];
  const randomCjk = (next: () => number) => String.fromCharCode(0x4e00 + Math.floor(next() * (0x9fff - 0x4e00)));

  it('holds for 5000 random statements of real fragments and random CJK (seed 13)', () => {
    const next = random(13);
    for (let n = 0; n < 5000; n++) {
      const parts: string[] = [];
      const length = 1 + Math.floor(next() * 12);
      for (let k = 0; k < length; k++) parts.push(next() < 0.8 ? FRAGMENTS[Math.floor(next() * FRAGMENTS.length)]! : randomCjk(next));
      inRange(parts.join(''));
    }
  });

  it('holds for the extremes of each era: 元年 and a year past the end', () => {
    for (const era of ERA_NAMES) {
      inRange(`${era}元年刻本`);
      inRange(`${era}九十九年刻${era}四十年印本`);
    }
  });

  it('holds for the extremes of each foreign era and king, after its country and each of its dynasties', () => {
    for (const c of FOREIGN_CALENDARS) {
      for (const name of c.eraNames) {
        for (const before of [c.country, ...c.dynastyNames]) {
          inRange(`${before}${name}元年刻本`);
          inRange(`${before}${name}九十九年（1284）刻${name}後九年印本`);
        }
      }
    }
  });
});
