/**
 * Table-driven tests of the statement parsers over real statements: 315 题名卷数 and 著者
 * statements of the kanripo catalogue (test/fixtures/kanripo-statements.json, expectations taken
 * from kanripo's own structured fields), the records of docs/DOMAIN.md, and edition
 * statements in the forms of the 全国古籍普查登记目录.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { annotationCell, parseAnnotationCell } from '../../src/domain/census-sheet.js';
import { parseCreatorStatement } from '../../src/domain/creator-statement.js';
import { parseEditionStatement } from '../../src/domain/edition-statement.js';
import { parseTitleStatement } from '../../src/domain/title-statement.js';
import { defaultVocabulary } from '../../src/domain/vocabulary.js';

const vocabulary = defaultVocabulary();

interface KanripoRow {
  source: string;
  titleStatement: string;
  title: string;
  juan: number;
  creatorStatement: string;
  persons: { name: string; dynasty: string | null; role: string | null }[];
}
const rows: KanripoRow[] = JSON.parse(readFileSync(new URL('../fixtures/kanripo-statements.json', import.meta.url), 'utf8'));

describe('题名卷数 parser', () => {
  it('has at least 150 real statements to check', () => {
    expect(rows.length).to.be.at.least(150);
  });

  for (const row of rows) {
    it(`${row.titleStatement} (${row.source})`, () => {
      const t = parseTitleStatement(row.titleStatement);
      expect({ title: t.title, juan: t.juan?.count }).to.deep.equal({ title: row.title, juan: row.juan });
    });
  }

  const table: [string, { qualifier: string | null; title: string; count: number | null; unknownDigits: boolean; undivided: boolean; supplements: string[] }][] = [
    ['［萬曆］金華府志三十卷', { qualifier: '萬曆', title: '金華府志', count: 30, unknownDigits: false, undivided: false, supplements: [] }],
    ['通書類聚尅擇大全□□卷', { qualifier: null, title: '通書類聚尅擇大全', count: null, unknownDigits: true, undivided: false, supplements: [] }],
    ['墨子十五卷', { qualifier: null, title: '墨子', count: 15, unknownDigits: false, undivided: false, supplements: [] }],
    ['[乾隆]益陽縣志二十四卷首一卷', { qualifier: '乾隆', title: '益陽縣志', count: 24, unknownDigits: false, undivided: false, supplements: ['首:1'] }],
    ['說文解字不分卷', { qualifier: null, title: '說文解字', count: null, unknownDigits: false, undivided: true, supplements: [] }],
    ['十三經注疏四百十六卷', { qualifier: null, title: '十三經注疏', count: 416, unknownDigits: false, undivided: false, supplements: [] }],
    ['周易注疏十三卷附釋文一卷', { qualifier: null, title: '周易注疏', count: 13, unknownDigits: false, undivided: false, supplements: ['附釋文:1'] }],
    ['九章算術九卷', { qualifier: null, title: '九章算術', count: 9, unknownDigits: false, undivided: false, supplements: [] }],
    ['周易(正文)', { qualifier: null, title: '周易(正文)', count: null, unknownDigits: false, undivided: false, supplements: [] }],
    ['〔同治〕益陽縣志二十五卷首一卷末一卷', { qualifier: '同治', title: '益陽縣志', count: 25, unknownDigits: false, undivided: false, supplements: ['首:1', '末:1'] }],
    ['資治通鑑二百九十四卷', { qualifier: null, title: '資治通鑑', count: 294, unknownDigits: false, undivided: false, supplements: [] }],
    ['太平御覽一千卷', { qualifier: null, title: '太平御覽', count: 1000, unknownDigits: false, undivided: false, supplements: [] }],
  ];
  for (const [statement, expected] of table) {
    it(statement, () => {
      const t = parseTitleStatement(statement);
      expect({
        qualifier: t.qualifier,
        title: t.title,
        count: t.juan?.count ?? null,
        unknownDigits: t.juan?.unknownDigits ?? false,
        undivided: t.juan?.undivided ?? false,
        supplements: t.supplements.map((s) => `${s.label}:${s.juan.count}`),
      }).to.deep.equal(expected);
    });
  }
});

describe('著者 parser', () => {
  // kanripo gives these persons the role of a later person of ANOTHER dynasty, and the statement
  // composed from kanripo writes it once, after that later person. A role never passes back
  // across dynasties (src/domain/creator-statement.ts; roles.test.ts has the other such works):
  // the earlier person's role is left empty.
  const roleLeftEmpty: Record<string, string[]> = { 'kanripo KR1a0006': ['王弼'] };
  for (const row of rows) {
    it(`${row.creatorStatement} (${row.source})`, () => {
      const persons = parseCreatorStatement(row.creatorStatement, vocabulary).map(({ name, dynasty, role }) => ({ name, dynasty, role }));
      const left = roleLeftEmpty[row.source] ?? [];
      expect(persons).to.deep.equal(row.persons.map((p) => (left.includes(p.name) ? { ...p, role: null } : p)));
    });
  }

  const table: [string, string[]][] = [
    ['（明）王懋德（明）陸鳳儀纂修', ['明|王懋德|纂修|纂修', '明|陸鳳儀|纂修|纂修']],
    ['（漢）鄭玄注（唐）孔穎達疏', ['漢|鄭玄|注|注', '唐|孔穎達|疏|疏']],
    ['（魏）何晏集解（宋）邢昺疏', ['魏|何晏|集解|集解', '宋|邢昺|疏|疏']],
    ['（魏）王弼註', ['魏|王弼|註|注']],
    ['（清）紀昀等奉勅撰', ['清|紀昀|奉勅撰|奉敕撰']],
    ['（宋）歐陽修（宋）宋祁撰', ['宋|歐陽修|撰|撰', '宋|宋祁|撰|撰']],
    ['（清）姚念楊修（清）趙裴哲纂', ['清|姚念楊|修|修', '清|趙裴哲|纂|纂']],
    ['（宋）朱熹', ['宋|朱熹|null|null']],
    ['（清）王先謙、蘇輿校', ['清|王先謙|校|校', '清|蘇輿|校|校']],
  ];
  for (const [statement, expected] of table) {
    it(statement, () => {
      const persons = parseCreatorStatement(statement, vocabulary);
      expect(persons.map((p) => `${p.dynasty}|${p.name}|${p.role}|${p.roleKey}`)).to.deep.equal(expected);
    });
  }

  it('marks doubtful attributions: （唐?） and 題', () => {
    expect(parseCreatorStatement('（唐?）佚名撰', vocabulary)[0]).to.include({ dynasty: '唐', uncertain: true });
    expect(parseCreatorStatement('題（漢）東方朔撰', vocabulary)[0]).to.include({ name: '東方朔', uncertain: true });
    expect(parseCreatorStatement('（清）紀昀等奉敕撰', vocabulary)[0]).to.include({ name: '紀昀', etAl: true });
  });
});

describe('版本 parser', () => {
  // statement → type, subtypes, imprint, dynasty, era, reign year, 干支, from, to, precision, uncertain
  type Row = [string, string | null, string, string | null, string | null, string | null, number | null, string | null, number | null, number | null, string | null, boolean];
  const table: Row[] = [
    ['明萬曆刻本', '刻本', '', null, '明', '萬曆', null, null, 1573, 1620, 'era', false],
    ['明嘉靖三十年（1551）芝城銅活字印本', '活字本', '铜活字', '芝城', '明', '嘉靖', 30, '辛亥', 1551, 1551, 'year', false],
    ['1552芝城銅活字藍印本', '活字本', '铜活字,蓝印', '芝城', '明', null, null, null, 1552, 1552, 'year', false],
    ['明嘉靖丁巳(三十六年)刻本', '刻本', '', null, '明', '嘉靖', 36, '丁巳', 1557, 1557, 'year', false],
    ['明嘉靖丁巳刻本', '刻本', '', null, '明', '嘉靖', 36, '丁巳', 1557, 1557, 'year', false],
    ['清乾隆間刻本', '刻本', '', null, '清', '乾隆', null, null, 1736, 1795, 'era', false],
    ['清刊本', '刻本', '', null, '清', null, null, null, 1644, 1911, 'dynasty', false],
    ['清鈔本', '抄本', '', null, '清', null, null, null, 1644, 1911, 'dynasty', false],
    ['民國十八年（1929）上海掃葉山房石印本', '石印本', '', '上海掃葉山房', '民國', '民國', 18, '己巳', 1929, 1929, 'year', false],
    ['民國石印本', '石印本', '', null, '民國', null, null, null, 1912, 1949, 'dynasty', false],
    ['唐?寫本', '写本', '', null, '唐', null, null, null, 618, 907, 'dynasty', true],
    ['明初期刻本', '刻本', '', null, '明', null, null, null, 1368, 1459, 'approx', false],
    ['唐後期?寫本', '写本', '', null, '唐', null, null, null, 811, 907, 'approx', true],
    ['清康熙五十年（1711）揚州詩局刻本', '刻本', '', '揚州詩局', '清', '康熙', 50, '辛卯', 1711, 1711, 'year', false],
    ['清光緒十年（1884）湖南思賢講舍刻本', '刻本', '', '湖南思賢講舍', '清', '光緒', 10, '甲申', 1884, 1884, 'year', false],
    ['清乾隆元年刻本', '刻本', '', null, '清', '乾隆', 1, '丙辰', 1736, 1736, 'year', false],
    ['清同治七年（1868）崇文書局刻本', '刻本', '', '崇文書局', '清', '同治', 7, '戊辰', 1868, 1868, 'year', false],
    ['清道光二十九年（1849）刻本', '刻本', '', null, '清', '道光', 29, '己酉', 1849, 1849, 'year', false],
    ['清武英殿聚珍版印本', '活字本', '木活字', '武英殿', '清', null, null, null, 1644, 1911, 'dynasty', false],
    ['清乾隆三十八年至四十七年寫本', '写本', '', null, '清', '乾隆', 38, '癸巳', 1773, 1782, 'year', false],
    ['景宋鈔本', '影抄本', '', null, null, null, null, null, null, null, null, false],
    ['宋刻元明遞修本', '刻本', '递修', null, '明', null, null, null, 1368, 1644, 'dynasty', false],
    ['元至正二十五年（1365）刻本', '刻本', '', null, '元', '至正', 25, '乙巳', 1365, 1365, 'year', false],
    ['元後至元六年刻本', '刻本', '', null, '元', '後至元', 6, '庚辰', 1340, 1340, 'year', false],
    ['宋紹興刻本', '刻本', '', null, '宋', '紹興', null, null, 1131, 1162, 'era', false],
    ['明崇禎十年（1637）毛氏汲古閣刻本', '刻本', '', '毛氏汲古閣', '明', '崇禎', 10, '丁丑', 1637, 1637, 'year', false],
    ['明末朱墨套印本', '套印本', '套印', null, '明', null, null, null, 1553, 1644, 'approx', false],
    ['清稿本', '稿本', '', null, '清', null, null, null, 1644, 1911, 'dynasty', false],
    ['清手稿本', '稿本', '手稿', null, '清', null, null, null, 1644, 1911, 'dynasty', false],
    ['清光緒三十四年（1908）鉛印本', '铅印本', '', null, '清', '光緒', 34, '戊申', 1908, 1908, 'year', false],
    ['民國二十五年（1936）商務印書館影印本', '影印本', '', '商務印書館', '民國', '民國', 25, '丙子', 1936, 1936, 'year', false],
    ['清康熙間內府刻本', '刻本', '', '內府', '清', '康熙', null, null, 1662, 1722, 'era', false],
    ['明正德十六年（1521）刻嘉靖遞修本', '刻本', '递修', null, '明', '嘉靖', null, null, 1522, 1566, 'era', false],
    ['清彩繪本', '彩绘本', '', null, '清', null, null, null, 1644, 1911, 'dynasty', false],
    ['清咸豐元年（1851）木活字印本', '活字本', '木活字', null, '清', '咸豐', 1, '辛亥', 1851, 1851, 'year', false],
    ['萬曆刻本', '刻本', '', null, '明', '萬曆', null, null, 1573, 1620, 'era', false],
    ['清宣統二年（1910）長沙石印本', '石印本', '', '長沙', '清', '宣統', 2, '庚戌', 1910, 1910, 'year', false],
    ['清末抄本', '抄本', '', null, '清', null, null, null, 1823, 1911, 'approx', false],
    ['清嘉慶十二年(1807)刻本', '刻本', '', null, '清', '嘉慶', 12, '丁卯', 1807, 1807, 'year', false],
  ];
  for (const [statement, type, subtypes, imprint, dynasty, era, year, ganzhi, from, to, precision, uncertain] of table) {
    it(statement, () => {
      const e = parseEditionStatement(statement, vocabulary);
      const d = e.date;
      expect([e.type, e.subtypes.join(','), e.imprint, d?.dynasty ?? null, d?.reignEra ?? null, d?.reignYear ?? null, d?.ganzhi ?? null, d?.gregorianFrom ?? null, d?.gregorianTo ?? null, d?.precision ?? null, d?.uncertain ?? false]).to.deep.equal([
        type, subtypes, imprint, dynasty, era, year, ganzhi, from, to, precision, uncertain,
      ]);
    });
  }

  it('keeps the date text as written in display', () => {
    expect(parseEditionStatement('明嘉靖丁巳(三十六年)刻本', vocabulary).date?.display).to.equal('明嘉靖丁巳(三十六年)');
  });
});

describe('批校题跋 in a spreadsheet cell', () => {
  it('reads entries with and without dynasty, bracketed or bare, with their text, and writes them back the same', () => {
    const cell = '（清）黃丕烈跋：此宋刻之最精者；蕘翁記\n清顧廣圻校、錢大昕題\n佚名批點';
    const { annotations, problems } = parseAnnotationCell(cell);
    expect(problems).to.deep.equal([]);
    expect(annotations).to.deep.equal([
      { person: '黃丕烈', role: '跋', dynasty: '清', text: '此宋刻之最精者；蕘翁記' },
      { person: '顧廣圻', role: '校', dynasty: '清' },
      { person: '錢大昕', role: '題', dynasty: '清' },
      { person: '佚名', role: '批點' },
    ]);
    expect(parseAnnotationCell(annotationCell(annotations)).annotations).to.deep.equal(annotations);
    // 周 is a dynasty, and a surname.
    expect(parseAnnotationCell('周叔弢跋').annotations).to.deep.equal([{ person: '周叔弢', role: '跋' }]);
    expect(parseAnnotationCell('黃丕烈').problems).to.deep.equal(['"黃丕烈" does not say how it annotates the copy (批, 校, 題, 跋, 識 …)']);
  });
});
