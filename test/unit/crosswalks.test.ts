/**
 * The MARC 21 and MODS crosswalks on the three real records of docs/DOMAIN.md, field by field,
 * written out by hand from the MARC 21 Format for Bibliographic Data, LC's CJK practice (pinyin
 * fields linked by $6 to 880s as written) and the MODS 3.7 schema; then the ISO 2709 writer on
 * hostile values (lengths, delimiters).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import type { CensusRecord, RecordFields } from '../../src/domain/census-record.js';
import { relatorOf, scriptTag } from '../../src/exports/crosswalk.js';
import { iso2709, MAX_RECORD_BYTES, marcRecord, marcXmlRecord } from '../../src/exports/marc.js';
import { modsXml } from '../../src/exports/mods.js';
import { invertedPerson, romanize, romanizeProperName } from '../../src/exports/romanize.js';
import { lines, published } from '../support/marc.js';
import { vocabulary } from '../support/records.js';

const context = { baseUrl: 'http://guji.test', unitName: '國家圖書館', rights: 'http://creativecommons.org/publicdomain/mark/1.0/' };
const xsd = path.resolve(import.meta.dirname, '../fixtures/xsd');


const [jinhua, tongshu, mozi] = REAL_RECORDS.map((r) => published(r as RecordFields));

const MARC: [string, CensusRecord, string[]][] = [
  ['［萬曆］金華府志三十卷: compilers as added entries, the era qualifier kept, a reign-era date as a range', jinhua!, [
    '00000nam a22000007i 4500',
    '001 110000-0101-0010283',
    '005 20261130010203.4',
    '008 261129q15731620cc            000 0 chi d',
    '035    $a 110000-0101-0010283',
    '040    $b chi',
    '245 00 $6 880-01 $a [Wanli] Jin hua fu zhi : $b san shi juan / $c (Ming) Wang Maode (Ming) Lu Fengyi zuan xiu.',
    '246 30 $6 880-02 $a Jin hua fu zhi',
    '250    $6 880-03 $a Ming Wanli ke ben.',
    '264  1 $6 880-04 $a [Place of publication not identified] : $b [publisher not identified], $c Ming Wanli [1573-1620]',
    '300    $6 880-05 $a 18 ce',
    '500    $a 分类：史部 地理類 方志之屬',
    '563    $a 線裝',
    '700 1  $6 880-06 $a Wang, Maode, $e compiler. $4 com',
    '700 1  $6 880-07 $a Lu, Fengyi, $e compiler. $4 com',
    '852    $a 國家圖書館 $j 10634',
    '856 42 $3 普查登记 $u http://guji.test/records/110000-0101-0010283',
    '880 00 $6 245-01/$1 $a ［萬曆］金華府志 : $b 三十卷 / $c （明）王懋德（明）陸鳳儀纂修.',
    '880 30 $6 246-02/$1 $a 金華府志',
    '880    $6 250-03/$1 $a 明萬曆刻本',
    '880  1 $6 264-04/$1 $a ［出版地不詳］ : $b ［出版者不詳］, $c 明萬曆［1573-1620］',
    '880    $6 300-05/$1 $a 18冊',
    '880 1  $6 700-06/$1 $a 王懋德, $e 纂修 $4 com',
    '880 1  $6 700-07/$1 $a 陸鳳儀, $e 纂修 $4 com',
  ]],
  ['通書類聚尅擇大全□□卷: unknown digits, a year (s 1551), the imprint, 存卷 as a note', tongshu!, [
    '00000nam a22000007i 4500',
    '001 110000-0101-0013797',
    '005 20261130010203.4',
    '008 261129s1551    cc            000 0 chi d',
    '035    $a 110000-0101-0013797',
    '040    $b chi',
    '245 00 $6 880-01 $a Tong shu lei ju ke ze da quan : $b [?] [?] juan.',
    '246 30 $6 880-02 $a Tong shu lei ju ke ze da quan',
    '250    $6 880-03 $a Ming Jiajing san shi nian (1551) zhi cheng tong huo zi yin ben.',
    '264  1 $6 880-04 $a [Place of publication not identified] : $b Zhi cheng, $c Ming Jiajing san shi nian (1551)',
    '300    $6 880-05 $a 1 ce',
    '500    $a 存卷：存四卷（十六至十九）',
    '500    $a 分类：子部 術數類',
    '563    $a 線裝',
    '852    $a 國家圖書館 $j 14202',
    '856 42 $3 普查登记 $u http://guji.test/records/110000-0101-0013797',
    '880 00 $6 245-01/$1 $a 通書類聚尅擇大全 : $b □□卷.',
    '880 30 $6 246-02/$1 $a 通書類聚尅擇大全',
    '880    $6 250-03/$1 $a 明嘉靖三十年（1551）芝城銅活字印本',
    '880  1 $6 264-04/$1 $a ［出版地不詳］ : $b 芝城, $c 明嘉靖三十年（1551）',
    '880    $6 300-05/$1 $a 1冊',
  ]],
  ['墨子十五卷: a Western year alone (1552) dates the copy', mozi!, [
    '00000nam a22000007i 4500',
    '001 110000-0101-0004638',
    '005 20261130010203.4',
    '008 261129s1552    cc            000 0 chi d',
    '035    $a 110000-0101-0004638',
    '040    $b chi',
    '245 00 $6 880-01 $a Mo zi : $b shi wu juan.',
    '246 30 $6 880-02 $a Mo zi',
    '250    $6 880-03 $a 1552 Zhi cheng tong huo zi lan yin ben.',
    '264  1 $6 880-04 $a [Place of publication not identified] : $b Zhi cheng, $c 1552',
    '300    $6 880-05 $a 6 ce',
    '500    $a 分类：子部 墨家類',
    '563    $a 線裝',
    '852    $a 國家圖書館 $j 善00482',
    '856 42 $3 普查登记 $u http://guji.test/records/110000-0101-0004638',
    '880 00 $6 245-01/$1 $a 墨子 : $b 十五卷.',
    '880 30 $6 246-02/$1 $a 墨子',
    '880    $6 250-03/$1 $a 1552芝城銅活字藍印本',
    '880  1 $6 264-04/$1 $a ［出版地不詳］ : $b 芝城, $c 1552',
    '880    $6 300-05/$1 $a 6冊',
  ]],
];

/** MODS elements each record must have, as written out from the census fields. */
const MODS: [CensusRecord, string[]][] = [
  [jinhua!, [
    '<titleInfo usage="primary" altRepGroup="title" xml:lang="zh-Hant"><title>［萬曆］金華府志三十卷</title></titleInfo>',
    '<titleInfo type="translated" altRepGroup="title" xml:lang="zh-Latn-pinyin" transliteration="ALA-LC Romanization Tables: Chinese (pinyin)"><title>[Wanli] Jin hua fu zhi san shi juan</title></titleInfo>',
    '<titleInfo type="alternative" displayLabel="题名" xml:lang="zh-Hant"><title>金華府志</title></titleInfo>',
    '<name type="personal" usage="primary" altRepGroup="name1" xml:lang="zh"><namePart>王懋德</namePart><namePart type="date" xml:lang="zh">明</namePart><role>'
      + '<roleTerm type="text" authority="marcrelator" authorityURI="http://id.loc.gov/vocabulary/relators" valueURI="http://id.loc.gov/vocabulary/relators/com">compiler</roleTerm>'
      + '<roleTerm type="code" authority="marcrelator">com</roleTerm><roleTerm type="text" xml:lang="zh">纂修</roleTerm></role></name>',
    '<name type="personal" altRepGroup="name1" xml:lang="zh-Latn-pinyin" transliteration="ALA-LC Romanization Tables: Chinese (pinyin)"><namePart>Wang Maode</namePart><namePart type="date">Ming</namePart>',
    '<name type="personal" altRepGroup="name2" xml:lang="zh-Hant"><namePart>陸鳳儀</namePart>',
    '<originInfo eventType="publication"><dateIssued xml:lang="zh-Hant">明萬曆</dateIssued>'
      + '<dateIssued encoding="w3cdtf" keyDate="yes" point="start">1573</dateIssued><dateIssued encoding="w3cdtf" point="end">1620</dateIssued>'
      + '<edition xml:lang="zh-Hant">明萬曆刻本</edition><issuance>monographic</issuance></originInfo>',
    '<language><languageTerm type="code" authority="iso639-2b">chi</languageTerm><scriptTerm type="code" authority="iso15924">Hant</scriptTerm></language>',
    '<physicalDescription><form type="binding" xml:lang="zh-Hant">線裝</form><extent unit="册">18</extent></physicalDescription>',
    '<classification displayLabel="四部分类" xml:lang="zh-Hant">史部 地理類 方志之屬</classification>',
    '<identifier type="local" displayLabel="普查编号">110000-0101-0010283</identifier>',
    '<location><physicalLocation type="current" displayLabel="收藏单位" xml:lang="zh-Hant">國家圖書館</physicalLocation><shelfLocator xml:lang="zh">10634</shelfLocator>'
      + '<url usage="primary" access="object in context" displayLabel="普查登记">http://guji.test/records/110000-0101-0010283</url></location>',
    '<recordIdentifier source="全国古籍普查登记 普查编号">110000-0101-0010283</recordIdentifier>',
  ]],
  [tongshu!, [
    '<title>通書類聚尅擇大全□□卷</title>',
    '<publisher xml:lang="zh">芝城</publisher><dateIssued xml:lang="zh">明嘉靖三十年（1551）</dateIssued><dateIssued encoding="w3cdtf" keyDate="yes">1551</dateIssued>',
    '<edition xml:lang="zh-Hant">明嘉靖三十年（1551）芝城銅活字印本</edition>',
    '<extent unit="册">1</extent><note type="extant" displayLabel="存卷" xml:lang="zh">存四卷（十六至十九）</note>',
    '<identifier type="local" displayLabel="普查编号">110000-0101-0013797</identifier>',
  ]],
  [mozi!, [
    '<titleInfo usage="primary" altRepGroup="title" xml:lang="zh"><title>墨子十五卷</title></titleInfo>',
    '<dateIssued xml:lang="zh">1552</dateIssued><dateIssued encoding="w3cdtf" keyDate="yes">1552</dateIssued><edition xml:lang="zh-Hant">1552芝城銅活字藍印本</edition>',
    '<shelfLocator xml:lang="zh">善00482</shelfLocator>',
  ]],
];

function validate(xml: string, schema: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-xsd-'));
  try {
    writeFileSync(path.join(dir, 'doc.xml'), xml);
    const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', path.join(xsd, schema), path.join(dir, 'doc.xml')], { encoding: 'utf8' });
    return run.status === 0 ? '' : run.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Crosswalks (MARC 21, MODS)', () => {
  for (const [name, record, expected] of MARC) {
    it(`MARC 21 of ${name}`, () => {
      expect(lines(marcRecord(record, context))).to.deep.equal(expected);
    });
  }

  for (const [record, expected] of MODS) {
    it(`MODS of ${record.fields.titleStatement} has each census field as written, valid against MODS 3.7`, () => {
      const xml = modsXml(record, context);
      for (const part of expected) expect(xml).to.include(part);
      expect(xml).not.to.include('<?xml');
      expect(validate(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`, 'loc-mods-3-7.xsd')).to.equal('');
      expect(validate(`<?xml version="1.0" encoding="UTF-8"?>\n${marcXmlRecord(record, context)}`, 'loc-MARC21slim.xsd')).to.equal('');
    });
  }

  it('never converts a value to the other script: the tag says the script as written', () => {
    const simplified = published({ ...(REAL_RECORDS[0] as RecordFields), titleStatement: '金华府志三十卷', creatorStatement: '（明）王懋德撰' });
    const xml = modsXml(simplified, context);
    expect(xml).to.include('<titleInfo usage="primary" altRepGroup="title" xml:lang="zh-Hans"><title>金华府志三十卷</title>');
    expect(xml).not.to.include('金華府志三十卷');
    expect([scriptTag('金華'), scriptTag('金华'), scriptTag('墨子')]).to.deep.equal(['zh-Hant', 'zh-Hans', 'zh']);
  });

  it('puts an author first as the main entry (100), and notes, seals and annotations in 5xx and MODS notes', () => {
    const record = published({
      ...(REAL_RECORDS[2] as RecordFields), creatorStatement: '（宋）歐陽修撰', seals: ['汪士鐘印', '藝芸書舍'], layout: '10行20字',
      annotations: [{ person: '黃丕烈', dynasty: '清', role: '跋', text: '此本\n甚佳' }], notes: '有<缺>&葉', abstract: '提要',
    });
    const m = lines(marcRecord(record, context));
    expect(m).to.include.members([
      '100 1  $6 880-01 $a Ouyang, Xiu, $e author. $4 aut',
      '245 10 $6 880-02 $a Mo zi : $b shi wu juan / $c (Song) Ouyang Xiu zhuan.',
      '500    $a 版式行款：10行20字',
      '500    $a 批校题跋：（清）黃丕烈跋：此本 甚佳',
      '500    $a 附注：有<缺>&葉',
      '520    $a 提要',
      '561    $a 钤印：汪士鐘印、藝芸書舍',
      '880 1  $6 100-01/$1 $a 歐陽修, $e 撰 $4 aut',
    ]);
    const xml = modsXml(record, context);
    expect(xml).to.include('<note type="annotations" displayLabel="批校题跋" xml:lang="zh-Hant">（清）黃丕烈跋：此本 甚佳</note>');
    expect(xml).to.include('<note type="ownership" displayLabel="钤印" xml:lang="zh-Hant">汪士鐘印、藝芸書舍</note>');
    expect(xml).to.include('<note displayLabel="附注" xml:lang="zh-Hant">有&lt;缺&gt;&amp;葉</note>');
    expect(validate(`<?xml version="1.0"?>${xml}`, 'loc-mods-3-7.xsd')).to.equal('');
  });

  it('maps 著作方式 to relator terms where they map, and keeps the rest as written only', () => {
    const role = (r: string) => relatorOf({ role: r, roleKey: vocabulary.foldRole(r) })?.code ?? null;
    expect(['撰', '纂修', '輯', '注', '疏', '集解', '校', '譯', '繪', '訓點', '奉敕撰', '續'].map(role))
      .to.deep.equal(['aut', 'com', 'com', 'cmm', 'cmm', 'cmm', 'edt', 'trl', 'ill', 'ann', 'aut', null]);
  });

  it('romanises by ALA-LC: syllables apart, names joined, apostrophes, surnames of two characters', () => {
    expect(invertedPerson('歐陽修')).to.equal('Ouyang, Xiu');
    expect(invertedPerson('陸鳳儀')).to.equal('Lu, Fengyi');
    expect(romanizeProperName('西安')).to.equal("Xi'an");
    expect(romanize('明嘉靖三十年（1551）', new Map([['明', 'Ming'], ['嘉靖', 'Jiajing']]))).to.equal('Ming Jiajing san shi nian (1551)');
  });

  it('dates the copy in 008: none (n), an era (q), a doubtful dynasty (q)', () => {
    const at = (editionStatement: string) => marcRecord(published({ ...(REAL_RECORDS[2] as RecordFields), editionStatement }), context).controlFields[2]![1].slice(6, 15);
    expect(at('刻本')).to.equal('nuuuuuuuu');
    expect(at('清乾隆間刻本')).to.equal('q17361795');
    expect(at('唐?寫本')).to.match(/^q0618\d{4}$/);
  });

  it('writes ISO 2709 that stays within its lengths, with no delimiter from the data', () => {
    const record = published({
      ...(REAL_RECORDS[0] as RecordFields), abstract: '提'.repeat(20_000), notes: `附${'\u001d\u001e\u001f'}注\n二`,
      contents: Array.from({ length: 3000 }, (_, i) => `子目${i}`), boundWith: Array.from({ length: 1000 }, (_, i) => `合訂之書第${i}種`),
    });
    const buffer = iso2709(marcRecord(record, context));
    expect(buffer.length).to.be.at.most(MAX_RECORD_BYTES);
    expect(Number(buffer.subarray(0, 5).toString('ascii'))).to.equal(buffer.length);
    expect(buffer.subarray(9, 10).toString('ascii')).to.equal('a');
    expect(buffer.at(-1)).to.equal(0x1d);
    expect(buffer.subarray(0, buffer.length - 1).includes(0x1d)).to.equal(false);
    const dir = mkdtempSync(path.join(tmpdir(), 'guji-marc-'));
    try {
      writeFileSync(path.join(dir, 'r.mrc'), buffer);
      const read = spawnSync('yaz-marcdump', ['-i', 'marc', '-o', 'line', path.join(dir, 'r.mrc')], { encoding: 'utf8' });
      expect(read.status).to.equal(0);
      expect(read.stdout).not.to.match(/^\(/m);
      expect(read.stdout).to.include('$a 附注：附 注 二');
      expect(read.stdout).to.include('…');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
