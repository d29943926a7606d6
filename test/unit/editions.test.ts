/**
 * Edition statements with several events, holders and base editions. Each table row names where
 * the statement comes from:
 * - `sbck`: the 四部叢刊初編 as catalogued by the Kanseki Repository (test/fixtures/sbck-editions.json,
 *   325 statements in the holder + edition form of the bibliographies surveyors copy from);
 * - `issue 13`: the census-list forms quoted in guji's issue 13;
 * - `DOMAIN.md`: the real records in docs/DOMAIN.md;
 * - `constructed`: written for this test in a form the census lists use, with no claim to a source.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { MAX_STATEMENT_READ, parseEditionStatement, type EditionStructure } from '../../src/domain/edition-statement.js';
import type { HistoricalDate } from '../../src/domain/historical-date.js';
import { defaultVocabulary } from '../../src/domain/vocabulary.js';

const vocabulary = defaultVocabulary();

const span = (d: HistoricalDate | null | undefined) => (d && d.gregorianFrom !== null ? `${d.gregorianFrom}–${d.gregorianTo} ${d.precision}` : null);
const events = (e: EditionStructure) => e.events!.map((x) => `${x.kind}:${x.act}`).join(' ');

describe('版本 in the bibliographies: 四部叢刊初編 (kanripo sbck.org)', () => {
  const fixture: { rows: [string, string | null, string | null, string | null, string | null, string | null, string | null, string][] } = JSON.parse(
    readFileSync(new URL('../fixtures/sbck-editions.json', import.meta.url), 'utf8'),
  );

  it('has the 325 statements it was built from', () => {
    expect(fixture.rows).to.have.length(325);
  });

  for (const [statement, type, holder, imprint, date, baseDate, country, acts] of fixture.rows) {
    it(`${statement} (sbck)`, () => {
      const e = parseEditionStatement(statement, vocabulary);
      expect([e.type, e.holder, e.imprint, span(e.date), span(e.baseDate), e.date?.country ?? null, events(e)]).to.deep.equal([
        type, holder, imprint, date, baseDate, country, acts,
      ]);
    });
  }

  // The 17 other distinct statements of sbck.org, kept out of the table because this parser does
  // not read them right, each with what goes wrong:
  // - a collator before the edition is taken for its maker, and the dynasty after 校 is lost:
  //   上海涵芬樓藏常熟毛扆校宋本, 上海涵芬樓藏黃蕘圃校宋本, 上海涵芬樓藏黃蕘圃校宋鈔本,
  //   江南圖書館藏黃蕘圃校明鈔本, 黃蕘圃顧千里校景宋鈔本 (校宋本 may also mean a copy collated
  //   against a 宋 edition: the statement alone does not say which);
  // - several editions in one statement, joined by 及 or by a second holder: 日本景印舊鈔本及宋刊本,
  //   海鹽張氏涉園藏刊本手稿本及鈔本, 海鹽張氏涉園藏宋館閣鈔本常熟瞿氏藏舊鈔本宋鈔本;
  // - the part of the work before the statement: 詩選明刊本, 音義用景宋鈔本, 詞選故宮博物院圖書館藏宛委別藏本;
  // - a canon's 藏 (no edition type): 北京白雲觀藏正統道藏本, 趙城金藏 本;
  // - a reprint of a copy of a copy: 海鹽張氏涉園藏日本覆印景鈔正宗寺本;
  // - forms no census list uses or slips of the source: 海寧張氏鐵如意館傅錄本 (傅錄 for 傳錄),
  //   烏程劉氏嘉業堂藏宋中刊本, 錢遵王精王精鈔本.
  // Read right since (in the table above): the made-up copy in parts `卷首至第二十九景…; 卷三十至…`,
  // the surname 吳 of 吳枚菴手鈔本, and holders after 借照 or 照存 without 藏.
  it('reads 唐人手寫本 under 唐: only a name before 手鈔 makes a dynasty a surname (constructed)', () => {
    expect(parseEditionStatement('唐人手寫本', vocabulary).date).to.include({ dynasty: '唐', gregorianFrom: 618 });
    expect(parseEditionStatement('明錢叔寶手鈔本', vocabulary).date).to.include({ dynasty: '明' });
    expect(parseEditionStatement('吳寫本', vocabulary).date).to.include({ dynasty: '吳' });
  });

  it('reads a copy in parts by its first part, and only when each part starts with its 卷 (constructed)', () => {
    const e = parseEditionStatement('卷一至十景宋鈔本；卷十一至二十明刊本', vocabulary);
    expect([e.type, e.imprint, span(e.date), span(e.baseDate), events(e)]).to.deep.equal(['影抄本', null, null, '960–1279 dynasty', 'reproduction:景鈔']);
    // Without a range of 卷 first, ；is not a split into parts: the statement is read whole as before.
    expect(events(parseEditionStatement('明刻本；清補抄', vocabulary))).to.equal('carving:刻');
  });
});

describe('版本 events: repairs, later printings, reproductions', () => {
  // statement, source → type, imprint, copy date, base date, events (kind:act@from–to)
  type Row = [string, string, string | null, string | null, string | null, string | null, string];
  const table: Row[] = [
    ['宋刻元修本', 'issue 13', '刻本', null, '1271–1368 dynasty', '960–1279 dynasty', 'carving:刻@960–1279 repair:修@1271–1368'],
    ['宋刻宋元遞修本', 'issue 13', '刻本', null, '1271–1368 dynasty', '960–1279 dynasty', 'carving:刻@960–1279 repair:遞修@960–1368'],
    ['宋刻元明遞修本', 'constructed', '刻本', null, '1368–1644 dynasty', '960–1279 dynasty', 'carving:刻@960–1279 repair:遞修@1271–1644'],
    ['明刻清印本', 'issue 13', '刻本', null, '1644–1911 dynasty', '1368–1644 dynasty', 'carving:刻@1368–1644 printing:印@1644–1911'],
    ['清康熙間刻乾隆印本', 'issue 13', '刻本', null, '1736–1795 era', '1662–1722 era', 'carving:刻@1662–1722 printing:印@1736–1795'],
    ['清光緒十年（1884）刻十八年（1892）印本', 'issue 13', '刻本', null, '1892–1892 year', '1884–1884 year', 'carving:刻@1884–1884 printing:印@1892–1892'],
    ['明翻宋某氏刊本', 'issue 13', '刻本', null, '1368–1644 dynasty', '960–1279 dynasty', 'reproduction:翻@1368–1644'],
    ['覆元本', 'issue 13', '刻本', null, null, '1271–1368 dynasty', 'reproduction:覆@-'],
    ['影宋抄本', 'issue 13', '影抄本', null, null, '960–1279 dynasty', 'reproduction:影抄@-'],
    ['清乾隆寫四庫全書本', 'constructed', '写本', null, '1736–1795 era', null, 'writing:寫@1736–1795'],
    ['明正德十六年（1521）刻嘉靖遞修本', 'constructed', '刻本', null, '1522–1566 era', '1521–1521 year', 'carving:刻@1521–1521 repair:遞修@1522–1566'],
    ['清嘉慶十年（1805）刻道光後印本', 'constructed', '刻本', null, '1821–1850 era', '1805–1805 year', 'carving:刻@1805–1805 printing:後印@1821–1850'],
    ['明萬曆刻清重修本', 'constructed', '刻本', null, '1644–1911 dynasty', '1573–1620 era', 'carving:刻@1573–1620 repair:重修@1644–1911'],
    ['清乾隆嘉慶間刻本', 'issue 13', '刻本', null, '1736–1820 era', null, 'carving:刻@1736–1820'],
    ['明嘉靖三十年（1551）芝城銅活字印本', 'DOMAIN.md', '活字本', '芝城', '1551–1551 year', null, 'printing:銅活字印@1551–1551'],
    ['1552芝城銅活字藍印本', 'DOMAIN.md', '活字本', '芝城', '1552–1552 year', null, 'printing:藍印@1552–1552'],
    ['明萬曆刻本', 'DOMAIN.md', '刻本', null, '1573–1620 era', null, 'carving:刻@1573–1620'],
    ['民國二十五年（1936）商務印書館影印本', 'constructed', '影印本', '商務印書館', '1936–1936 year', null, 'printing:影印@1936–1936'],
    ['清光緒間西泠印社木活字印本', 'constructed', '活字本', '西泠印社', '1875–1908 era', null, 'printing:木活字印@1875–1908'],
    ['清同治金陵刻經處刻本', 'constructed', '刻本', '金陵刻經處', '1862–1874 era', null, 'carving:刻@1862–1874'],
    ['金陵書局刻本', 'constructed', '刻本', '金陵書局', null, null, 'carving:刻@-'],
    ['元大德九年重刊宋監本', 'constructed', '刻本', null, '1305–1305 year', '960–1279 dynasty', 'reproduction:重刊@1305–1305'],
    ['清光緒十年重刻本', 'constructed', '刻本', null, '1884–1884 year', null, 'carving:重刻@1884–1884'],
    ['日本元祿九年（1696）刻本', 'issue 13', '刻本', null, '1696–1696 year', null, 'carving:刻@1696–1696'],
    ['朝鮮正祖五年（1781）刻本', 'issue 13', '刻本', null, '1781–1781 year', null, 'carving:刻@1781–1781'],
    ['越南明命刻本', 'issue 13', '刻本', null, '1820–1840 era', null, 'carving:刻@1820–1840'],
    ['清刻本（卷一抄配）', 'constructed', '刻本', null, '1644–1911 dynasty', null, 'carving:刻@1644–1911'],
    ['明刻本（清修補）', 'constructed', '刻本', null, '1368–1644 dynasty', null, 'carving:刻@1368–1644'],
    ['清乾隆間刻民國間印本', 'constructed', '刻本', null, '1912–1949 dynasty', '1736–1795 era', 'carving:刻@1736–1795 printing:印@1912–1949'],
    ['日本寬政十一年（1799）江戶須原屋茂兵衛刻本', 'constructed', '刻本', '江戶須原屋茂兵衛', '1799–1799 year', null, 'carving:刻@1799–1799'],
  ];
  for (const [statement, source, type, imprint, date, baseDate, acts] of table) {
    it(`${statement} (${source})`, () => {
      const e = parseEditionStatement(statement, vocabulary);
      const written = e.events!.map((x) => `${x.kind}:${x.act}@${x.date ? `${x.date.gregorianFrom}–${x.date.gregorianTo}` : '-'}`).join(' ');
      expect([e.type, e.imprint, span(e.date), span(e.baseDate), written]).to.deep.equal([type, imprint, date, baseDate, acts]);
    });
  }

  it('keeps the holder apart from the imprint (issue 13: 某氏某樓藏宋刊本)', () => {
    const e = parseEditionStatement('某氏某樓藏宋刊本', vocabulary);
    expect([e.holder, e.imprint, e.type, span(e.date)]).to.deep.equal(['某氏某樓', null, '刻本', '960–1279 dynasty']);
  });

  it('does not take a canon (道藏, 嘉興藏) or a place for a holder (constructed)', () => {
    expect(parseEditionStatement('明萬曆嘉興藏刻本', vocabulary).holder).to.equal(null);
    expect(parseEditionStatement('明正統道藏本', vocabulary).holder).to.equal(null);
    expect(parseEditionStatement('清康熙五十年（1711）揚州詩局刻本', vocabulary).holder).to.equal(null);
  });

  it('names the base edition as written: 明翻宋某氏刊本 reproduces 宋某氏刊本', () => {
    const e = parseEditionStatement('明翻宋某氏刊本', vocabulary);
    expect(e.base).to.deep.include({ statement: '宋某氏刊本', imprint: '某氏' });
    expect(e.base!.date).to.include({ dynasty: '宋', gregorianFrom: 960 });
  });

  it('puts the country of a foreign date on the edition', () => {
    expect(['日本元祿九年（1696）刻本', '朝鮮正祖五年（1781）刻本', '越南明命刻本', '清刻本'].map((s) => parseEditionStatement(s, vocabulary).country)).to.deep.equal([
      '日本', '朝鮮', '越南', '中國',
    ]);
  });

  it('reads at most the first 500 characters of a hostile statement (a pasted page, 翻 or 景 repeated)', () => {
    for (const unit of ['翻', '景', '某氏藏', '宋刻', '（1835）', '影宋', '借照', '照存文庫', '卷一至二；']) {
      const e = parseEditionStatement(unit.repeat(100_000), vocabulary);
      const lengths = [e.holder, e.imprint, e.base?.statement, e.date?.display, ...e.events!.map((x) => x.imprint)].map((x) => x?.length ?? 0);
      expect(Math.max(...lengths), unit).to.be.at.most(MAX_STATEMENT_READ);
      expect(e.events!.length, unit).to.be.at.most(8);
    }
  });

  it('reads at most eight events from one statement', () => {
    const e = parseEditionStatement('明刻'.repeat(50) + '本', vocabulary);
    expect(e.events!.length).to.equal(8);
  });
});
