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

describe('著作方式 across dynasty brackets: back to the same dynasty only', () => {
  // Works of the Kanseki Repository catalogue (kanripo/KR-Catalog @ a9428c02, KR/*.txt other than
  // KR1a and KR2k, which test/fixtures/kanripo-statements.json already holds) where several
  // persons share one FUNCTION: the statement is their DYNASTY, name and FUNCTION written in the
  // census form, the shared role once after the last of them (src/demo/demo-catalogue.ts
  // composeCreatorStatement); the expected persons are kanripo's own fields. Every one of these
  // failed when roles were read only inside their own bracket.
  const sameDynasty: [string, string, string[]][] = [
    ['（明）王懋德（明）陸鳳儀纂修', 'docs/DOMAIN.md, census record 110000-0101-0010283', ['明|王懋德|纂修', '明|陸鳳儀|纂修']],
    ['（漢）孔安國傳（唐）孔穎達疏（唐）陸德明音義（清）齊召南（清）陳浩考證', 'kanripo KR1b0004', ['漢|孔安國|傳', '唐|孔穎達|疏', '唐|陸德明|音義', '清|齊召南|考證', '清|陳浩|考證']],
    ['（宋）李樗（宋）黃櫄撰', 'kanripo KR1c0012', ['宋|李樗|撰', '宋|黃櫄|撰']],
    ['（清）張廷玉（清）鄂爾泰（清）汪由敦奉敕編', 'kanripo KR1d0067', ['清|張廷玉|奉敕編', '清|鄂爾泰|奉敕編', '清|汪由敦|奉敕編']],
    ['（清）庫勒納（清）李光地奉敕撰', 'kanripo KR1e0093', ['清|庫勒納|奉敕撰', '清|李光地|奉敕撰']],
    ['（清）王掞（清）張廷玉奉敕撰', 'kanripo KR1e0094', ['清|王掞|奉敕撰', '清|張廷玉|奉敕撰']],
    ['（唐）韓愈（唐）李翱撰', 'kanripo KR1h0008', ['唐|韓愈|撰', '唐|李翱|撰']],
    ['（宋）阮逸（宋）胡瑗奉敕撰', 'kanripo KR1i0001', ['宋|阮逸|奉敕撰', '宋|胡瑗|奉敕撰']],
    ['（清）允祿（清）張照奉敕纂', 'kanripo KR1i0011', ['清|允祿|奉敕纂', '清|張照|奉敕纂']],
    ['（清）永瑢（清）鄒奕孝奉敕纂', 'kanripo KR1i0012', ['清|永瑢|奉敕纂', '清|鄒奕孝|奉敕纂']],
    ['（梁）顧野王撰（唐）孫強增補（宋）陳彭年（宋）丘雍重修', 'kanripo KR1j0022', ['梁|顧野王|撰', '唐|孫強|增補', '宋|陳彭年|重修', '宋|丘雍|重修']],
    ['（宋）陳彭年（宋）丘雍奉敕撰', 'kanripo KR1j0055', ['宋|陳彭年|奉敕撰', '宋|丘雍|奉敕撰']],
    ['（宋）丁度（宋）司馬光奉敕纂', 'kanripo KR1j0057', ['宋|丁度|奉敕纂', '宋|司馬光|奉敕纂']],
    ['（明）樂韶鳳（明）宋濂奉敕撰', 'kanripo KR1j0068', ['明|樂韶鳳|奉敕撰', '明|宋濂|奉敕撰']],
    ['（清）允祿（清）傅恒奉敕撰', 'kanripo KR1j0075', ['清|允祿|奉敕撰', '清|傅恒|奉敕撰']],
    ['（清）梁詩正（清）蔣溥奉敕撰', 'kanripo KR1j0076', ['清|梁詩正|奉敕撰', '清|蔣溥|奉敕撰']],
    ['（宋）歐陽修（宋）宋祁奉敕撰', 'kanripo KR2a0027', ['宋|歐陽修|奉敕撰', '宋|宋祁|奉敕撰']],
    ['（明）宋濂（明）王禕奉敕撰', 'kanripo KR2a0036', ['明|宋濂|奉敕撰', '明|王禕|奉敕撰']],
    ['（清）阿桂（清）梁國治奉敕撰', 'kanripo KR2b0039', ['清|阿桂|奉敕撰', '清|梁國治|奉敕撰']],
    ['（清）舒赫德（清）于敏中奉敕撰', 'kanripo KR2c0014', ['清|舒赫德|奉敕撰', '清|于敏中|奉敕撰']],
    ['（清）王之樞（清）周清原奉敕撰', 'kanripo KR2d0019', ['清|王之樞|奉敕撰', '清|周清原|奉敕撰']],
    ['（清）嵇璜（清）曹仁虎奉敕撰', 'kanripo KR2d0020', ['清|嵇璜|奉敕撰', '清|曹仁虎|奉敕撰']],
    ['（宋）林虙（宋）樓昉編', 'kanripo KR2f0011', ['宋|林虙|編', '宋|樓昉|編']],
    ['（明）楊士奇（明）黃淮奉敕編', 'kanripo KR2f0039', ['明|楊士奇|奉敕編', '明|黃淮|奉敕編']],
    ['（明）李維樾（明）林增志編', 'kanripo KR2g0013', ['明|李維樾|編', '明|林增志|編']],
    ['（明）黃佐（明）廖道南撰', 'kanripo KR2g0036', ['明|黃佐|撰', '明|廖道南|撰']],
    ['（清）沈名蓀（清）朱昆田輯', 'kanripo KR2h0003', ['清|沈名蓀|輯', '清|朱昆田|輯']],
    ['（漢）袁康（漢）吳平撰', 'kanripo KR2i0002', ['漢|袁康|撰', '漢|吳平|撰']],
    ['（元）王士點（元）商企翁撰', 'kanripo KR2l0008', ['元|王士點|撰', '元|商企翁|撰']],
    ['（清）鄂爾泰（清）張廷玉奉敕撰', 'kanripo KR2l0013', ['清|鄂爾泰|奉敕撰', '清|張廷玉|奉敕撰']],
    ['（清）永瑢（清）紀昀奉敕撰', 'kanripo KR2l0015', ['清|永瑢|奉敕撰', '清|紀昀|奉敕撰']],
    ['（清）弘毓圻（清）金居敬撰', 'kanripo KR2m0033', ['清|弘毓圻|撰', '清|金居敬|撰']],
    ['（清）王掞監修（清）王原祁（清）王奕清奉敕撰', 'kanripo KR2m0034', ['清|王掞|監修', '清|王原祁|奉敕撰', '清|王奕清|奉敕撰']],
    ['（清）來保（清）李玉鳴奉敕撰', 'kanripo KR2m0035', ['清|來保|奉敕撰', '清|李玉鳴|奉敕撰']],
    ['（宋）王堯臣（宋）王洙（宋）歐陽修奉敕撰', 'kanripo KR2n0001', ['宋|王堯臣|奉敕撰', '宋|王洙|奉敕撰', '宋|歐陽修|奉敕撰']],
    ['（清）于敏中（清）王際華（清）梁國治奉敕編', 'kanripo KR2n0009', ['清|于敏中|奉敕編', '清|王際華|奉敕編', '清|梁國治|奉敕編']],
    ['（宋）程顥（宋）程頤撰（宋）朱熹編', 'kanripo KR3a0030', ['宋|程顥|撰', '宋|程頤|撰', '宋|朱熹|編']],
    ['（宋）朱熹（宋）呂祖謙編（宋）葉采集解', 'kanripo KR3a0042', ['宋|朱熹|編', '宋|呂祖謙|編', '宋|葉采|集解']],
    ['（宋）張洪（宋）齊𤇸編', 'kanripo KR3a0070', ['宋|張洪|編', '宋|齊𤇸|編']],
    ['（清）葉方藹（清）張英監修（清）韓菼編纂', 'kanripo KR3a0105', ['清|葉方藹|監修', '清|張英|監修', '清|韓菼|編纂']],
    ['（清）蔣溥（清）劉統勳奉敕編', 'kanripo KR3a0110', ['清|蔣溥|奉敕編', '清|劉統勳|奉敕編']],
    ['（清）李光地撰（清）徐用錫（清）李清植輯', 'kanripo KR3a0114', ['清|李光地|撰', '清|徐用錫|輯', '清|李清植|輯']],
    ['（宋）曾公亮（宋）丁度奉敕撰', 'kanripo KR3b0012', ['宋|曾公亮|奉敕撰', '宋|丁度|奉敕撰']],
    ['（五代）和凝（五代）和㠓撰', 'kanripo KR3c0006', ['五代|和凝|撰', '五代|和㠓|撰']],
    ['（清）鄂爾泰（清）張廷玉奉敕撰（清）董誥（清）戴衢亨補編', 'kanripo KR3d0010', ['清|鄂爾泰|奉敕撰', '清|張廷玉|奉敕撰', '清|董誥|補編', '清|戴衢亨|補編']],
    ['（晉）皇甫謐撰（宋）高保衡（宋）林億校注', 'kanripo KR3e0005', ['晉|皇甫謐|撰', '宋|高保衡|校注', '宋|林億|校注']],
    ['（唐）孫思邈撰（宋）高保衡（宋）林億校正', 'kanripo KR3e0013', ['唐|孫思邈|撰', '宋|高保衡|校正', '宋|林億|校正']],
    ['（唐）王燾撰（宋）林億（宋）孫兆校正', 'kanripo KR3e0015', ['唐|王燾|撰', '宋|林億|校正', '宋|孫兆|校正']],
    ['（宋）蘇軾（宋）沈括撰', 'kanripo KR3e0020', ['宋|蘇軾|撰', '宋|沈括|撰']],
    ['（宋）陳師聖（宋）郭稽中編', 'kanripo KR3e0040', ['宋|陳師聖|編', '宋|郭稽中|編']],
    ['（清）吳謙（清）劉裕鐸奉敕撰', 'kanripo KR3e0090', ['清|吳謙|奉敕撰', '清|劉裕鐸|奉敕撰']],
    ['（清）允祿（清）何國宗奉敕撰', 'kanripo KR3f0018', ['清|允祿|奉敕撰', '清|何國宗|奉敕撰']],
    ['（清）允祿（清）戴進賢奉敕撰', 'kanripo KR3f0020', ['清|允祿|奉敕撰', '清|戴進賢|奉敕撰']],
    ['（清）允祿（清）梅㲄成（清）何國宗奉敕撰', 'kanripo KR3g0051', ['清|允祿|奉敕撰', '清|梅㲄成|奉敕撰', '清|何國宗|奉敕撰']],
    ['（清）張照（清）梁詩正奉敕撰', 'kanripo KR3h0063', ['清|張照|奉敕撰', '清|梁詩正|奉敕撰']],
    ['（清）于敏中（清）梁國治奉敕撰', 'kanripo KR3i0009', ['清|于敏中|奉敕撰', '清|梁國治|奉敕撰']],
    ['（清）汪灝（清）張逸少奉敕撰', 'kanripo KR3i0044', ['清|汪灝|奉敕撰', '清|張逸少|奉敕撰']],
    ['（宋）王應麟撰（清）閻若璩（清）何焯評註', 'kanripo KR3j0055', ['宋|王應麟|撰', '清|閻若璩|評註', '清|何焯|評註']],
    ['（宋）王欽若（宋）楊億奉敕撰', 'kanripo KR3k0013', ['宋|王欽若|奉敕撰', '宋|楊億|奉敕撰']],
    ['（明）馮琦（明）馮瑗編', 'kanripo KR3k0046', ['明|馮琦|編', '明|馮瑗|編']],
    ['（清）吳士玉（清）沈宗敬奉敕撰', 'kanripo KR3k0056', ['清|吳士玉|奉敕撰', '清|沈宗敬|奉敕撰']],
    ['（清）何焯（清）陳鵬年奉敕撰', 'kanripo KR3k0057', ['清|何焯|奉敕撰', '清|陳鵬年|奉敕撰']],
    ['（唐）皇甫冉（唐）皇甫曾撰（民國）張元濟撰校勘記', 'kanripo KR4c0016', ['唐|皇甫冉|撰', '唐|皇甫曾|撰', '民國|張元濟|撰校勘記']],
    ['（唐）樊宗師撰（元）趙仁擧注（元）吳師道（元）許謙補正', 'kanripo KR4c0063', ['唐|樊宗師|撰', '元|趙仁擧|注', '元|吳師道|補正', '元|許謙|補正']],
    ['（宋）呂祖謙撰（宋）呂祖儉（宋）呂喬年編', 'kanripo KR4d0232', ['宋|呂祖謙|撰', '宋|呂祖儉|編', '宋|呂喬年|編']],
    ['（宋）王十朋撰（宋）王聞詩（宋）王聞禮編', 'kanripo KR4d0235', ['宋|王十朋|撰', '宋|王聞詩|編', '宋|王聞禮|編']],
    ['（宋）胡次焱撰（明）胡璉（明）潘滋輯編', 'kanripo KR4d0393', ['宋|胡次焱|撰', '明|胡璉|輯編', '明|潘滋|輯編']],
    ['（元）洪希文（元）洪巖虎撰', 'kanripo KR4d0480', ['元|洪希文|撰', '元|洪巖虎|撰']],
    ['（元）丁復撰（元）饒介之（元）李謙之輯', 'kanripo KR4d0499', ['元|丁復|撰', '元|饒介之|輯', '元|李謙之|輯']],
    ['（明）太祖撰（明）姚士觀（明）沈鉄編校', 'kanripo KR4e0001', ['明|太祖|撰', '明|姚士觀|編校', '明|沈鉄|編校']],
    ['（明）王禕撰（明）劉傑（明）劉同編', 'kanripo KR4e0010', ['明|王禕|撰', '明|劉傑|編', '明|劉同|編']],
    ['（明）王直撰（明）王䆅（明）王稹編', 'kanripo KR4e0095', ['明|王直|撰', '明|王䆅|編', '明|王稹|編']],
    ['（明）李時勉撰（明）戴難（明）李顒編', 'kanripo KR4e0098', ['明|李時勉|撰', '明|戴難|編', '明|李顒|編']],
    ['（明）范景文撰（清）范毓秀（清）王孫錫編', 'kanripo KR4e0234', ['明|范景文|撰', '清|范毓秀|編', '清|王孫錫|編']],
    ['（梁）蕭統編（唐）李善（唐）呂延濟（唐）劉良（唐）張銑（唐）呂向（唐）李周翰註', 'kanripo KR4h0003', ['梁|蕭統|編', '唐|李善|註', '唐|呂延濟|註', '唐|劉良|註', '唐|張銑|註', '唐|呂向|註', '唐|李周翰|註']],
    ['（唐）皇甫冉（唐）皇甫曾撰（明）劉潤之編', 'kanripo KR4h0015', ['唐|皇甫冉|撰', '唐|皇甫曾|撰', '明|劉潤之|編']],
    ['（唐）薛濤（唐）李冶撰', 'kanripo KR4h0017', ['唐|薛濤|撰', '唐|李冶|撰']],
    ['（宋）程顥（宋）程頤撰（宋）胡安國原編（元）譚善心重編', 'kanripo KR4h0031', ['宋|程顥|撰', '宋|程頤|撰', '宋|胡安國|原編', '元|譚善心|重編']],
    ['（宋）朱熹（宋）張栻（宋）林用中撰', 'kanripo KR4h0037', ['宋|朱熹|撰', '宋|張栻|撰', '宋|林用中|撰']],
    ['（宋）魏齊賢（宋）葉棻編', 'kanripo KR4h0043', ['宋|魏齊賢|編', '宋|葉棻|編']],
    ['（宋）扈仲榮（宋）程遇孫編', 'kanripo KR4h0045', ['宋|扈仲榮|編', '宋|程遇孫|編']],
    ['（宋）李庚原本（宋）林師藏（宋）林表民增修', 'kanripo KR4h0048', ['宋|李庚|原本', '宋|林師藏|增修', '宋|林表民|增修']],
    ['（金）段克己（金）段成己撰', 'kanripo KR4h0071', ['金|段克己|撰', '金|段成己|撰']],
    ['（元）馮子振（元）釋明本撰', 'kanripo KR4h0075', ['元|馮子振|撰', '元|釋明本|撰']],
    ['（元）汪澤民（元）張師愚編', 'kanripo KR4h0080', ['元|汪澤民|編', '元|張師愚|編']],
    ['（元）傳習（元）孫存吾編', 'kanripo KR4h0082', ['元|傳習|編', '元|孫存吾|編']],
    ['（明）袁表（明）馬熒編', 'kanripo KR4h0098', ['明|袁表|編', '明|馬熒|編']],
    ['（明）文洪（明）文徵明撰', 'kanripo KR4h0112', ['明|文洪|撰', '明|文徵明|撰']],
    ['（明）釋正勉（明）釋性𣻢編', 'kanripo KR4h0135', ['明|釋正勉|編', '明|釋性𣻢|編']],
    ['（明）張楚叔（明）張旭初同輯', 'kanripo KR4j0069', ['明|張楚叔|同輯', '明|張旭初|同輯']],
    ['（宋）周密編（清）查爲仁（清）厲鶚箋', 'kanripo KR4j0071', ['宋|周密|編', '清|查爲仁|箋', '清|厲鶚|箋']],
    ['（清）聖祖玄燁御定（清）沈辰垣（清）王奕清奉敕編', 'kanripo KR4j0074', ['清|聖祖玄燁|御定', '清|沈辰垣|奉敕編', '清|王奕清|奉敕編']],
  ];
  for (const [statement, source, expected] of sameDynasty) {
    it(`${statement} (${source})`, () => {
      expect(parseCreatorStatement(statement, vocabulary).map((p) => `${p.dynasty}|${p.name}|${p.role}`)).to.deep.equal(expected);
    });
  }

  // The same works where kanripo gives one role to persons of DIFFERENT dynasties. Written in the
  // census form with the role once, the earlier person's role cannot be told from a later
  // commentator's own work, so it is left empty (null): kanripo's field for the earlier person,
  // given in the comment, is what the rule gives up. The later persons keep theirs.
  const acrossDynasties: [string, string, string[]][] = [
    // kanripo: 王弼 註
    ['（魏）王弼（晉）韓康伯註', 'kanripo KR1a0006', ['魏|王弼|null', '晉|韓康伯|註']],
    // kanripo: 王弼 注
    ['（魏）王弼（晉）韓康伯注（唐）陸德明音義（唐）孔穎達疏', 'kanripo KR1a0007', ['魏|王弼|null', '晉|韓康伯|注', '唐|陸德明|音義', '唐|孔穎達|疏']],
    // kanripo: 杜預 注; the 明 pair shares 編.
    ['（晉）杜預（宋）林堯叟注（明）王道焜（明）趙如源編', 'kanripo KR1e0092', ['晉|杜預|null', '宋|林堯叟|注', '明|王道焜|編', '明|趙如源|編']],
    // kanripo: 陶弘景 補 (the 梁 editor of 葛洪's 肘後方, before the 金 楊用道).
    ['（晉）葛洪撰（梁）陶弘景（金）楊用道補', 'kanripo KR3e0010', ['晉|葛洪|撰', '梁|陶弘景|null', '金|楊用道|補']],
    // kanripo: 陰勁弦 編
    ['（元）陰勁弦（宋）陰復春編', 'kanripo KR3k0039', ['元|陰勁弦|null', '宋|陰復春|編']],
    // kanripo: 周砥 撰
    ['（元）周砥（明）馬治撰', 'kanripo KR4h0091', ['元|周砥|null', '明|馬治|撰']],
    // kanripo: 張照 奉敕撰 (kanripo writes 梁詩正 as （梁）詩正; read as written, 梁 is a dynasty).
    ['（清）張照（梁）詩正奉敕撰', 'kanripo KR3h0062', ['清|張照|null', '梁|詩正|奉敕撰']],
  ];
  for (const [statement, source, expected] of acrossDynasties) {
    it(`${statement} (${source})`, () => {
      expect(parseCreatorStatement(statement, vocabulary).map((p) => `${p.dynasty}|${p.name}|${p.role}`)).to.deep.equal(expected);
    });
  }

  it('stops at the first person of another dynasty: a role never jumps over a bracket (constructed)', () => {
    const persons = parseCreatorStatement('（明）甲某（清）乙某（明）丙某撰', vocabulary);
    expect(persons.map((p) => `${p.dynasty}|${p.name}|${p.role}`)).to.deep.equal(['明|甲某|null', '清|乙某|null', '明|丙某|撰']);
    // Within one bracket the names are one group, written with 、 (statements.test.ts: 王先謙、蘇輿校).
    expect(parseCreatorStatement('（清）甲某、乙某（清）丙某撰', vocabulary).map((p) => p.role)).to.deep.equal(['撰', '撰', '撰']);
    // A doubtful bracket is the same dynasty: （唐?） and （唐）.
    expect(parseCreatorStatement('（唐?）甲某（唐）乙某撰', vocabulary).map((p) => p.role)).to.deep.equal(['撰', '撰']);
  });
});
