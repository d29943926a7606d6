/**
 * The Japanese, Korean and Vietnamese era tables (src/domain/eras/*.json) checked against known
 * anchors: the 元年 of eras and reigns as the standard chronologies give them.
 */
import { expect } from 'chai';
import { parseEditionStatement } from '../../src/domain/edition-statement.js';
import { parseDateAt } from '../../src/domain/historical-date.js';
import { defaultVocabulary } from '../../src/domain/vocabulary.js';
import { FOREIGN_CALENDARS } from '../../src/domain/reign-eras.js';
import japan from '../../src/domain/eras/japan.json' with { type: 'json' };
import korea from '../../src/domain/eras/korea.json' with { type: 'json' };
import vietnam from '../../src/domain/eras/vietnam.json' with { type: 'json' };

const calendar = (country: string) => FOREIGN_CALENDARS.find((c) => c.country === country)!;

describe('foreign era tables', () => {
  it('name their sources', () => {
    for (const table of [japan, korea, vietnam]) expect(table.$comment).to.match(/[Ss]ource|Compiled for this project from/);
  });

  it('have every era ending no earlier than it starts, and within −1000…2100', () => {
    for (const c of FOREIGN_CALENDARS) {
      for (const era of c.eras.values()) {
        expect(era.to, era.name).to.be.at.least(era.from);
        expect(era.from, era.name).to.be.at.least(-1000);
        expect(era.to, era.name).to.be.at.most(2100);
      }
    }
  });

  it('run the Japanese eras without gap from 大寶 (701), each court of the 南北朝 on its own', () => {
    const rows = japan.eras.map((e) => e.split(' '));
    const at = (name: string) => rows.findIndex(([names]) => names!.split('/').includes(name));
    const runs = [
      rows.slice(at('大寶'), at('元弘') + 1),
      rows.slice(at('建武'), at('元中') + 1), // southern court, 1334–1392
      rows.slice(at('正慶'), at('明德') + 1), // northern court, 1332–1394
      rows.slice(at('應永')),
    ];
    for (const run of runs) {
      expect(run.length).to.be.greaterThan(5);
      for (let i = 1; i < run.length; i++) {
        // An era ends in the year the next begins (元祿十七年 is 1704, 寶永元年 too).
        expect(Number(run[i]![1]), `${run[i - 1]![0]} → ${run[i]![0]}`).to.equal(Number(run[i - 1]![2]));
      }
    }
    expect(Number(rows[at('元中')]![2])).to.equal(1392);
    expect(Number(rows[at('明德')]![2])).to.equal(Number(rows[at('應永')]![1]));
  });

  // name, country → Western year of the 元年 (Japan: the list of Japanese era names; Korea: the
  // 朝鮮王朝實錄 reign years; Vietnam: 大南寔錄 / 大越史記全書).
  const anchors: [string, string, number][] = [
    ['大化', '日本', 645], ['大寶', '日本', 701], ['延喜', '日本', 901], ['建久', '日本', 1190], ['正平', '日本', 1346],
    ['應永', '日本', 1394], ['慶長', '日本', 1596], ['元和', '日本', 1615], ['寬永', '日本', 1624], ['元祿', '日本', 1688],
    ['元禄', '日本', 1688], ['享保', '日本', 1716], ['寶曆', '日本', 1751], ['天明', '日本', 1781], ['寬政', '日本', 1789],
    ['文化', '日本', 1804], ['天保', '日本', 1830], ['嘉永', '日本', 1848], ['安政', '日本', 1854], ['慶應', '日本', 1865],
    ['明治', '日本', 1868], ['大正', '日本', 1912], ['昭和', '日本', 1926],
    ['太祖', '朝鮮', 1392], ['世宗', '朝鮮', 1419], ['世祖', '朝鮮', 1455], ['成宗', '朝鮮', 1470], ['中宗', '朝鮮', 1506],
    ['宣祖', '朝鮮', 1568], ['仁祖', '朝鮮', 1623], ['肅宗', '朝鮮', 1675], ['英祖', '朝鮮', 1725], ['正祖', '朝鮮', 1777],
    ['純祖', '朝鮮', 1801], ['高宗', '朝鮮', 1864], ['光武', '朝鮮', 1897], ['隆熙', '朝鮮', 1907],
    ['洪德', '越南', 1470], ['景興', '越南', 1740], ['光中', '越南', 1788], ['嘉隆', '越南', 1802], ['明命', '越南', 1820],
    ['紹治', '越南', 1841], ['嗣德', '越南', 1848], ['同慶', '越南', 1886], ['成泰', '越南', 1889], ['啟定', '越南', 1916], ['保大', '越南', 1926],
  ];
  for (const [name, country, year] of anchors) {
    it(`${country} ${name} 元年 = ${year}`, () => {
      expect(calendar(country).eras.get(name)?.from).to.equal(year);
    });
  }

  it('date statements by the country named, not by a Chinese era of the same name', () => {
    // 正德 is an era of 明 (1506) and of Japan (1711); 嘉慶 of 清 (1796) and of Japan's northern court (1387).
    expect(parseDateAt('日本正德元年刻本')!.date).to.include({ gregorianFrom: 1711, country: '日本' });
    expect(parseDateAt('明正德元年刻本')!.date).to.include({ gregorianFrom: 1506, country: '中國' });
    expect(parseDateAt('日本嘉慶元年')!.date).to.include({ gregorianFrom: 1387 });
    expect(parseDateAt('嘉慶元年刻本')!.date).to.include({ gregorianFrom: 1796 });
  });

  it('keeps a written Western year over the table, marking a disagreement uncertain', () => {
    expect(parseDateAt('日本元祿九年（1696）刻本')!.date).to.include({ gregorianFrom: 1696, uncertain: false });
    expect(parseDateAt('朝鮮正祖五年（1780）刻本')!.date).to.include({ gregorianFrom: 1780, uncertain: true });
  });

  describe('高麗 kings (踰年稱元, as the 朝鮮 table)', () => {
    const goryeo = korea.eras.map((e) => e.split(' ')).filter((e) => e[3] === '高麗');

    it('run from 太祖 (918) to 恭讓王 (1392), each 元年 the year after the last one of his predecessor', () => {
      expect(goryeo).to.have.length(35);
      expect(goryeo[0]!.slice(0, 2)).to.deep.equal(['太祖', '918']);
      expect(goryeo.at(-1)![2]).to.equal('1392');
      // Counted from the accession year instead: 忠肅王's restoration (1332, also 忠惠王二年) and
      // 恭讓王 (1389, also 昌王元年).
      const sameYear = ['忠肅王後/忠肃王後', '恭讓王/恭让王'];
      for (let i = 1; i < goryeo.length; i++) {
        const [name, from] = goryeo[i]!;
        expect(Number(from), name).to.equal(Number(goryeo[i - 1]![2]) + (sameYear.includes(name!) ? 0 : 1));
      }
    });

    // statement → Western year. Each is an event the 高麗史 dates by the king's reign year, with
    // its Western year as the standard chronologies give it.
    const anchors: [string, number, string][] = [
      ['高麗忠烈王十年', 1284, 'issue 13'],
      ['高麗太祖元年', 918, 'the founding of 高麗'],
      ['高麗光宗九年', 958, 'the first 科舉'],
      ['高麗成宗十二年', 993, 'the first 契丹 invasion'],
      ['高麗顯宗元年', 1010, 'the second 契丹 invasion'],
      ['高麗仁宗二十三年', 1145, '三國史記 presented'],
      ['高麗毅宗二十四年', 1170, 'the 武臣 coup'],
      ['高麗神宗元年', 1198, '萬積 rising'],
      ['高麗高宗三十八年', 1251, 'the 再雕 大藏經 blocks finished'],
      ['高麗元宗十一年', 1270, 'the return to 開京'],
      ['高麗忠烈王七年', 1281, 'the second expedition against Japan'],
      ['高麗忠宣王五年', 1313, '忠宣王 abdicates'],
      ['高麗忠肅王後八年', 1339, '忠肅王 dies'],
      ['高麗忠惠王後五年', 1344, '忠惠王 dies'],
      ['高麗恭愍王五年', 1356, 'the break with 元'],
      ['高麗禑王三年', 1377, '直指心體要節 printed (宣光七年)'],
      ['高麗辛禑三年', 1377, 'the same, as the 高麗史 names him'],
      ['高麗恭讓王三年', 1391, '科田法'],
      ['高麗恭讓王四年', 1392, 'the fall of 高麗'],
      ['高丽忠烈王十年', 1284, 'issue 13, simplified'],
    ];
    for (const [statement, year, event] of anchors) {
      it(`${statement} = ${year} (${event})`, () => {
        expect(parseDateAt(statement)!.date).to.include({ gregorianFrom: year, gregorianTo: year, precision: 'year', dynasty: '高麗', country: '朝鮮', uncertain: false });
      });
    }

    it('tells a 高麗 king from a 朝鮮 king of the same name by the dynasty written before it', () => {
      expect(parseDateAt('高麗高宗三十八年')!.date).to.include({ gregorianFrom: 1251 });
      expect(parseDateAt('朝鮮高宗三十八年')!.date).to.include({ gregorianFrom: 1901 });
      expect(parseDateAt('高麗太祖元年')!.date).to.include({ gregorianFrom: 918 });
      expect(parseDateAt('朝鮮太祖元年')!.date).to.include({ gregorianFrom: 1392 });
      expect(parseDateAt('高麗肅宗元年')!.date).to.include({ gregorianFrom: 1096 });
      expect(parseDateAt('朝鮮肅宗元年')!.date).to.include({ gregorianFrom: 1675 });
    });

    it('checks a 干支 against the 高麗 year: 丁酉 is 高宗二十四年 (1237), the year of the 大藏經 colophons', () => {
      expect(parseDateAt('高麗高宗二十四年丁酉')!.date).to.include({ gregorianFrom: 1237, uncertain: false });
      expect(parseDateAt('高麗高宗二十五年丁酉')!.date).to.include({ gregorianFrom: 1238, uncertain: true });
    });

    it('keeps 高麗 alone as the dynasty span, and a 高麗 book in editions', () => {
      expect(parseDateAt('高麗刻本')!.date).to.include({ gregorianFrom: 918, gregorianTo: 1392, precision: 'dynasty' });
      const e = parseEditionStatement('高麗忠烈王十年（1284）刻本', defaultVocabulary());
      expect([e.type, e.country, e.date?.gregorianFrom, e.date?.uncertain]).to.deep.equal(['刻本', '朝鮮', 1284, false]);
    });
  });
});

