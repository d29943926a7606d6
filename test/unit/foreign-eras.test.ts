/**
 * The Japanese, Korean and Vietnamese era tables (src/domain/eras/*.json) checked against known
 * anchors: the 元年 of eras and reigns as the standard chronologies give them.
 */
import { expect } from 'chai';
import { parseDateAt } from '../../src/domain/historical-date.js';
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
});
