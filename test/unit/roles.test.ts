/**
 * 著作方式 as the census lists write them. Sources: `kanripo` (test/fixtures/kanripo-roles.json:
 * 96 works of the Kanseki Repository catalogue, kanripo/KR-Catalog KR/*.txt and general/sbck.org,
 * whose persons' DYNASTY and FUNCTION fields use a role the first vocabulary lacked; the statement
 * is those fields written one after another in the census form, the expected persons are the
 * fields themselves), `issue 13` and `constructed` (written for this test, no source claimed).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parseCreatorStatement } from '../../src/domain/creator-statement.js';
import { defaultVocabulary } from '../../src/domain/vocabulary.js';

const vocabulary = defaultVocabulary();

interface Row {
  source: string;
  creatorStatement: string;
  persons: { name: string; dynasty: string; role: string }[];
}
const rows: Row[] = JSON.parse(readFileSync(new URL('../fixtures/kanripo-roles.json', import.meta.url), 'utf8'));

describe('著作方式: the census roles', () => {
  it('has the 96 kanripo statements it was built from', () => {
    expect(rows).to.have.length(96);
  });

  for (const row of rows) {
    it(`${row.creatorStatement} (${row.source})`, () => {
      const persons = parseCreatorStatement(row.creatorStatement, vocabulary).map(({ name, dynasty, role }) => ({ name, dynasty, role }));
      expect(persons).to.deep.equal(row.persons);
    });
  }

  // statement, source → dynasty|name|role|roleKey per person
  const table: [string, string, string[]][] = [
    ['（明）李贄批評', 'issue 13', ['明|李贄|批評|批评']],
    ['（日）後藤世鈞訓點', 'issue 13', ['日|後藤世鈞|訓點|训点']],
    ['（清）紀昀等奉敕撰', 'constructed', ['清|紀昀|奉敕撰|奉敕撰']],
    ['（清）張三編集', 'constructed', ['清|張三|編集|编集']],
    ['（清）王先謙校刻', 'constructed', ['清|王先謙|校刻|校刻']],
    ['（宋）朱熹撰集', 'constructed', ['宋|朱熹|撰集|撰集']],
    ['（清）鄭燮書', 'constructed', ['清|鄭燮|書|书']],
    ['（清）改琦繪', 'constructed', ['清|改琦|繪|绘']],
    ['（清）沈德潛選', 'constructed', ['清|沈德潛|選|选']],
    ['（清）金聖歎批', 'constructed', ['清|金聖歎|批|批']],
    ['（明）鍾惺選評', 'constructed', ['明|鍾惺|選評|选评']],
    ['（漢）趙曄撰（元）徐天祜音注', 'kanripo SB12n042', ['漢|趙曄|撰|撰', '元|徐天祜|音注|音注']],
    ['（宋）呂祖謙原輯（清）某某重輯', 'constructed', ['宋|呂祖謙|原輯|原辑', '清|某某|重輯|重辑']],
    ['（明）張楚叔同輯（明）張旭初同輯', 'kanripo KR4j0069', ['明|張楚叔|同輯|同辑', '明|張旭初|同輯|同辑']],
    ['（漢）司馬遷撰（南朝宋）裴駰集解（唐）司馬貞索隱（唐）張守節正義', 'kanripo KR2a0001', ['漢|司馬遷|撰|撰', '南朝宋|裴駰|集解|集解', '唐|司馬貞|索隱|索隐', '唐|張守節|正義|正义']],
    ['（明）茅坤評點', 'constructed', ['明|茅坤|評點|评点']],
    ['（清）甲某（清）乙某同撰', 'constructed', ['清|甲某|同撰|同撰', '清|乙某|同撰|同撰']],
    ['（清）甲某（清）乙某合撰', 'constructed', ['清|甲某|合撰|合撰', '清|乙某|合撰|合撰']],
  ];
  for (const [statement, source, expected] of table) {
    it(`${statement} (${source})`, () => {
      expect(parseCreatorStatement(statement, vocabulary).map((p) => `${p.dynasty}|${p.name}|${p.role}|${p.roleKey}`)).to.deep.equal(expected);
    });
  }

  it('never splits a name to find a role (kanripo KR2k0021, KR2k0073; constructed)', () => {
    // 合撰 and 同撰 are roles only where several persons are named: alone, 周應合 and 萬斯同 are names.
    expect(parseCreatorStatement('（宋）周應合撰', vocabulary)[0]).to.include({ name: '周應合', role: '撰' });
    expect(parseCreatorStatement('（清）萬斯同撰', vocabulary)[0]).to.include({ name: '萬斯同', role: '撰' });
    // At least two characters of name remain: 王書 is a name, not 王 + 書.
    expect(parseCreatorStatement('（清）王書', vocabulary)[0]).to.include({ name: '王書', role: null });
    // 歐陽 is a surname, not 歐 + 陽.
    expect(parseCreatorStatement('（宋）歐陽修撰', vocabulary)[0]).to.include({ name: '歐陽修', role: '撰' });
  });

  it('tries the longest role first: 批評 before 評, 訓點 before 點 (issue 13)', () => {
    expect(vocabulary.roles.indexOf('批評')).to.be.below(vocabulary.roles.indexOf('評'));
    expect(vocabulary.roles.indexOf('奉敕撰')).to.be.below(vocabulary.roles.indexOf('撰'));
  });
});
