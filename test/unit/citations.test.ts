/**
 * Citations of the three real records of docs/DOMAIN.md, written out by hand: GB/T 7714-2015 in
 * its 古籍 form (`汪昂. 增订本草备要: 四卷[M]. 刻本. 京都: 老二酉堂, 1881(清光绪七年).`), RIS,
 * BibTeX (biblatex fields) and CSL-JSON; then values that would break each format. And the page
 * templates' escaping.
 */
import { expect } from 'chai';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import { deriveRecord, type CensusRecord, type RecordFields } from '../../src/domain/census-record.js';
import { bibtex, citation, cslJson, gbt7714, ris } from '../../src/exports/citation.js';
import { html, jsonLd } from '../../src/http/pages/html.js';
import { vocabulary } from '../support/records.js';

const context = { baseUrl: 'http://guji.test', unitName: '國家圖書館' };

function published(fields: RecordFields): CensusRecord {
  return {
    fields, corrections: {}, derived: deriveRecord(fields, {}, vocabulary), status: 'published', version: 1,
    createdAt: '2026-11-29T12:00:00.000Z', updatedAt: '2026-11-30T01:02:03.456Z', createdBy: 'a', updatedBy: 'a',
  };
}

const [jinhua, tongshu, mozi] = REAL_RECORDS.map((r) => published(r as RecordFields)) as [CensusRecord, CensusRecord, CensusRecord];

describe('citations', () => {
  it('GB/T 7714-2015: persons, title: 卷数 [M], the kind of copy as written, place: publisher, the Western year with the year as written', () => {
    expect([jinhua, tongshu, mozi].map(gbt7714)).to.deep.equal([
      '王懋德, 陸鳳儀. ［萬曆］金華府志: 三十卷[M]. 刻本. [出版地不详]: [出版者不详], [1573—1620](明萬曆).',
      '通書類聚尅擇大全: □□卷[M]. 銅活字印本. [出版地不详]: 芝城, 1551(明嘉靖三十年).',
      '墨子: 十五卷[M]. 銅活字藍印本. [出版地不详]: 芝城, 1552.',
    ]);
  });

  it('GB/T 7714-2015 quotes the 版本 as catalogued, not the vocabulary\'s simplified term', () => {
    const written = published({ ...(REAL_RECORDS[0] as RecordFields), editionStatement: '清寫本' });
    expect(written.derived.edition.type).to.equal('写本');
    expect(gbt7714(written)).to.equal('王懋德, 陸鳳儀. ［萬曆］金華府志: 三十卷[M]. 寫本. [1644—1911](清).');
    const imprint = published({ ...(REAL_RECORDS[2] as RecordFields), editionStatement: '清光緒七年京都老二酉堂刻本' });
    expect(gbt7714(imprint)).to.equal('墨子: 十五卷[M]. 刻本. [出版地不详]: 京都老二酉堂, 1881(清光緒七年).');
    const repaired = published({ ...(REAL_RECORDS[2] as RecordFields), editionStatement: '明萬曆刻清康熙遞修本' });
    expect(gbt7714(repaired)).to.match(/^墨子: 十五卷\[M\]\. 刻清康熙遞修本\. /);
  });

  it('GB/T 7714-2015: three persons then 等; a manuscript has no publisher; an undated copy says so', () => {
    const four = published({ ...(REAL_RECORDS[0] as RecordFields), creatorStatement: '（清）甲乙撰（清）丙丁撰（清）戊己撰（清）庚辛撰', editionStatement: '清抄本' });
    expect(gbt7714(four)).to.equal('甲乙, 丙丁, 戊己, 等. ［萬曆］金華府志: 三十卷[M]. 抄本. [1644—1911](清).');
    const undated = published({ ...(REAL_RECORDS[2] as RecordFields), editionStatement: '刻本' });
    expect(gbt7714(undated)).to.equal('墨子: 十五卷[M]. 刻本. [出版地不详]: [出版者不详], [出版年不详].');
  });

  it('RIS: one tag a line, CRLF, PY only for an exact year, DA for a span', () => {
    expect(ris(jinhua, context).split('\r\n')).to.deep.equal([
      'TY  - BOOK', 'TI  - ［萬曆］金華府志三十卷', 'ST  - 金華府志', 'A2  - 王懋德', 'A2  - 陸鳳儀', 'ET  - 明萬曆刻本', 'DA  - 1573/1620',
      'NV  - 18', 'CN  - 10634', 'AN  - 110000-0101-0010283', 'LA  - zh-Hant', 'UR  - http://guji.test/records/110000-0101-0010283',
      'N1  - 收藏单位：國家圖書館', 'N1  - 著者：（明）王懋德（明）陸鳳儀纂修', 'ER  - ', '',
    ]);
    expect(ris(tongshu, context).split('\r\n')).to.deep.equal([
      'TY  - BOOK', 'TI  - 通書類聚尅擇大全□□卷', 'ST  - 通書類聚尅擇大全', 'ET  - 明嘉靖三十年（1551）芝城銅活字印本', 'PB  - 芝城', 'PY  - 1551',
      'NV  - 1', 'CN  - 14202', 'AN  - 110000-0101-0013797', 'LA  - zh-Hant', 'UR  - http://guji.test/records/110000-0101-0013797',
      'N1  - 收藏单位：國家圖書館', 'N1  - 存卷：存四卷（十六至十九）', 'ER  - ', '',
    ]);
    expect(ris(mozi, context)).to.contain('\r\nLA  - zh\r\n').and.contain('\r\nCN  - 善00482\r\n').and.contain('\r\nPY  - 1552\r\n');
  });

  it('BibTeX: compilers as editors, each name braced, date for a span and year for a year', () => {
    expect(bibtex(jinhua, context)).to.equal([
      '@book{110000-0101-0010283,',
      '  editor = {{王懋德} and {陸鳳儀}},',
      '  title = {［萬曆］金華府志三十卷},',
      '  shorttitle = {金華府志},',
      '  edition = {明萬曆刻本},',
      '  date = {1573/1620},',
      '  volumes = {18},',
      '  library = {國家圖書館, 10634},',
      '  langid = {chinese},',
      '  url = {http://guji.test/records/110000-0101-0010283},',
      '  note = {普查编号 110000-0101-0010283}',
      '}', '',
    ].join('\n'));
    expect(bibtex(mozi, context)).to.contain('  publisher = {芝城},\n  year = {1552},\n  volumes = {6},\n  library = {國家圖書館, 善00482},');
    expect(bibtex(tongshu, context)).to.contain('  note = {普查编号 110000-0101-0013797；存卷：存四卷（十六至十九）}');
  });

  it('CSL-JSON: names as literals by CSL variable, issued as date-parts (a range for a span)', () => {
    expect(cslJson(jinhua, context)).to.deep.equal({
      id: '110000-0101-0010283', type: 'book', title: '［萬曆］金華府志三十卷', 'title-short': '金華府志',
      compiler: [{ literal: '王懋德' }, { literal: '陸鳳儀' }], edition: '明萬曆刻本', issued: { 'date-parts': [[1573], [1620]] },
      'number-of-volumes': 18, archive: '國家圖書館', archive_location: '10634', 'call-number': '10634', language: 'zh-Hant',
      URL: 'http://guji.test/records/110000-0101-0010283', note: '普查编号 110000-0101-0010283',
    });
    expect(cslJson(tongshu, context)).to.include({ publisher: '芝城' }).and.deep.include({ issued: { 'date-parts': [[1551]] } });
    expect(JSON.parse(citation(mozi, context, 'csl-json'))).to.deep.equal([cslJson(mozi, context)]);
  });

  it('keeps hostile values inside their field in RIS and BibTeX', () => {
    const hostile = published({ ...(REAL_RECORDS[2] as RecordFields), titleStatement: '墨子}, author = {x\nER  - 十五卷', creatorStatement: '（周）墨{翟}撰' });
    const text = ris(hostile, context);
    expect(text.split('\r\n').filter((l) => l.startsWith('ER'))).to.deep.equal(['ER  - ']);
    const bib = bibtex(hostile, context);
    expect(bib).to.contain('  title = {墨子\\}, author = \\{x ER  - 十五卷},');
    expect(bib).to.contain('  author = {{墨\\{翟\\}}},');
    expect(bib.match(/^ {2}author = /gm)).to.have.length(1);
  });
});

describe('page templates', () => {
  it('escapes every interpolation, in text and in quoted attributes, and leaves Html as it is', () => {
    const value = `<script>alert("x")</script>' onload='`;
    expect(html`<a title="${value}">${value}</a>`.text).to.equal(
      '<a title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onload=&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onload=&#39;</a>',
    );
    expect(html`<ul>${['<a>', html`<li>b</li>`, null, undefined, false, 3]}</ul>`.text).to.equal('<ul>&lt;a&gt;<li>b</li>3</ul>');
  });

  it('writes JSON-LD that no value can end early and that parses back to the same data', () => {
    const data = { name: '</script><script>alert(1)</script><!-- & \u2028' };
    const block = jsonLd(data).text;
    expect(block.match(/<\/script>/g)).to.have.length(1);
    expect(block).not.to.contain('<!--');
    expect(JSON.parse(block.slice('<script type="application/ld+json">'.length, -'</script>'.length))).to.deep.equal(data);
  });
});
