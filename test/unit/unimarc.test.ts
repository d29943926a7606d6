/**
 * The UNIMARC crosswalk on the three real records of docs/DOMAIN.md, field by field, written out
 * by hand from IFLA's UNIMARC Manual — Bibliographic Format (and CNMARC's record label and 100 as
 * the NLC documents them); then ISO 2709 on hostile values, read back by yaz-marcdump.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import type { CensusRecord, RecordFields } from '../../src/domain/census-record.js';
import { MAX_RECORD_BYTES } from '../../src/exports/marc.js';
import { field100, MARCXCHANGE_COLLECTION_END, MARCXCHANGE_COLLECTION_START, marcXchangeOf, unimarcIso2709, unimarcRecord } from '../../src/exports/unimarc.js';
import { lines, published } from '../support/marc.js';

const context = { baseUrl: 'http://guji.test', unitName: '國家圖書館' };


/** yaz-marcdump, failing on any diagnostic (it reports bad lengths and directories as lines in parentheses). */
function yaz(input: 'marc' | 'marcxchange', bytes: Buffer | string, name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-unimarc-'));
  try {
    writeFileSync(path.join(dir, name), bytes);
    const run = spawnSync('yaz-marcdump', ['-i', input, '-o', 'line', path.join(dir, name)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).to.equal('');
    expect(run.stdout).not.to.match(/^\(/m);
    return run.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [jinhua, tongshu, mozi] = REAL_RECORDS.map((r) => published(r as RecordFields));

const UNIMARC: [string, CensusRecord, string[]][] = [
  ['［萬曆］金華府志三十卷: compilers in 702 with the dynasty and code 220, the qualifier kept, a reign era as a range (f)', jinhua!, [
    '00000nam  22000003i 450 ',
    '001 110000-0101-0010283',
    '005 20261130010203.4',
    '035    $a 110000-0101-0010283',
    '100    $a 20261129f15731620|||y0chiy50      ea',
    '101 0  $a chi',
    '102    $a CN',
    '200 1  $a ［萬曆］金華府志 $e 三十卷 $f （明）王懋德（明）陸鳳儀纂修',
    '205    $a 明萬曆刻本',
    '210    $d 明萬曆［1573-1620］',
    '215    $a 18册',
    '300    $a 分类：史部 地理類 方志之屬',
    '307    $a 装帧：線裝',
    '517 1  $a 金華府志',
    '702  0 $a 王懋德 $f 明 $4 220',
    '702  0 $a 陸鳳儀 $f 明 $4 220',
    '801  0 $a CN $b 國家圖書館 $c 20261130',
    '856 4  $u http://guji.test/records/110000-0101-0010283 $2 普查登记',
  ]],
  ['通書類聚尅擇大全□□卷: one year (d 1551), the imprint in 210 $c, 存卷 a note on the copy (316 $5)', tongshu!, [
    '00000nam  22000003i 450 ',
    '001 110000-0101-0013797',
    '005 20261130010203.4',
    '035    $a 110000-0101-0013797',
    '100    $a 20261129d1551    |||y0chiy50      ea',
    '101 0  $a chi',
    '102    $a CN',
    '200 1  $a 通書類聚尅擇大全 $e □□卷',
    '205    $a 明嘉靖三十年（1551）芝城銅活字印本',
    '210    $c 芝城 $d 明嘉靖三十年（1551）',
    '215    $a 1册',
    '300    $a 分类：子部 術數類',
    '307    $a 装帧：線裝',
    '316    $a 存卷：存四卷（十六至十九） $5 國家圖書館',
    '517 1  $a 通書類聚尅擇大全',
    '801  0 $a CN $b 國家圖書館 $c 20261130',
    '856 4  $u http://guji.test/records/110000-0101-0013797 $2 普查登记',
  ]],
  ['墨子十五卷: a Western year alone (d 1552)', mozi!, [
    '00000nam  22000003i 450 ',
    '001 110000-0101-0004638',
    '005 20261130010203.4',
    '035    $a 110000-0101-0004638',
    '100    $a 20261129d1552    |||y0chiy50      ea',
    '101 0  $a chi',
    '102    $a CN',
    '200 1  $a 墨子 $e 十五卷',
    '205    $a 1552芝城銅活字藍印本',
    '210    $c 芝城 $d 1552',
    '215    $a 6册',
    '300    $a 分类：子部 墨家類',
    '307    $a 装帧：線裝',
    '517 1  $a 墨子',
    '801  0 $a CN $b 國家圖書館 $c 20261130',
    '856 4  $u http://guji.test/records/110000-0101-0004638 $2 普查登记',
  ]],
];

describe('Crosswalk (UNIMARC)', () => {
  for (const [name, record, expected] of UNIMARC) {
    it(`UNIMARC of ${name}`, () => {
      expect(lines(unimarcRecord(record, context))).to.deep.equal(expected);
    });
  }

  it('writes ISO 2709 and MarcXchange that yaz-marcdump reads as the same records', () => {
    const records = [jinhua!, tongshu!, mozi!].map((r) => unimarcRecord(r, context));
    const iso = Buffer.concat(records.map(unimarcIso2709));
    const xml = `${MARCXCHANGE_COLLECTION_START}${records.map(marcXchangeOf).join('\n')}\n${MARCXCHANGE_COLLECTION_END}`;
    expect(xml).to.include('<record xmlns="info:lc/xmlns/marcxchange-v1" format="UNIMARC" type="Bibliographic">');
    const fromIso = yaz('marc', iso, 'r.mrc');
    const fromXml = yaz('marcxchange', xml, 'r.xml');
    // yaz prints the label as read: the ISO 2709 one carries the lengths the writer filled in.
    const body = (text: string) => text.split('\n').filter((l) => !/^\d{5}n/.test(l));
    expect(body(fromIso)).to.deep.equal(body(fromXml));
    expect(body(fromIso).filter((l) => l.startsWith('200'))).to.deep.equal([
      '200 1  $a ［萬曆］金華府志 $e 三十卷 $f （明）王懋德（明）陸鳳儀纂修', '200 1  $a 通書類聚尅擇大全 $e □□卷', '200 1  $a 墨子 $e 十五卷',
    ]);
    const labels = fromIso.split('\n').filter((l) => /^\d{5}n/.test(l));
    expect(labels.map((l) => Number(l.slice(0, 5))).reduce((a, b) => a + b)).to.equal(iso.length);
    for (const l of labels) expect(l.slice(5)).to.match(/^nam {2}22\d{5}3i 450 $/);
  });

  it('puts authors in 700 and 701, everyone else in 702; seals in 317, annotations and contents in 316 and 327', () => {
    const record = published({
      ...(REAL_RECORDS[2] as RecordFields), creatorStatement: '（周）墨翟撰（清）畢沅校注（清）孫星衍同撰',
      seals: ['汪士鐘印', '藝芸書舍'], annotations: [{ person: '黃丕烈', dynasty: '清', role: '跋', text: '此本極佳' }],
      contents: ['墨子十五卷', '篇目考一卷'], abstract: '墨家之書。',
    });
    const text = lines(unimarcRecord(record, context));
    expect(text.filter((l) => /^70/.test(l))).to.deep.equal(['700  0 $a 墨翟 $f 周 $4 070', '701  0 $a 孫星衍 $f 清 $4 070', '702  0 $a 畢沅 $f 清 $4 212']);
    expect(text).to.include.members([
      '316    $a 批校题跋：（清）黃丕烈跋：此本極佳 $5 國家圖書館',
      '317    $a 钤印：汪士鐘印、藝芸書舍 $5 國家圖書館',
      '327    $a 墨子十五卷 $a 篇目考一卷',
      '330    $a 墨家之書。',
    ]);
  });

  it('codes the date as unknown (u) when the statement gives no year, and keeps 100 at 36 positions', () => {
    const undated = published({ ...(REAL_RECORDS[2] as RecordFields), editionStatement: '刻本' });
    expect(field100(undated)).to.equal('20261129u        |||y0chiy50      ea');
    expect(lines(unimarcRecord(undated, context)).some((l) => l.startsWith('210'))).to.equal(false);
  });

  it('stays within ISO 2709 lengths, dropping the longest 3-- notes first, with no delimiter from the data', () => {
    const record = published({
      ...(REAL_RECORDS[0] as RecordFields), abstract: '提'.repeat(20_000), notes: `附${'\u001d\u001e\u001f'}注\n二`,
      contents: Array.from({ length: 3000 }, (_, i) => `子目${i}`), boundWith: Array.from({ length: 1000 }, (_, i) => `合訂之書第${i}種`),
      // Twelve long 跋 make a record over ISO 2709's 99,999 bytes.
      annotations: Array.from({ length: 12 }, (_, i) => ({ person: `跋者${i}`, role: '跋', text: '跋'.repeat(4000) })),
    });
    const unfitted = unimarcRecord(record, context);
    expect(unfitted.dataFields.reduce((n, x) => n + x.subfields.reduce((m, [, v]) => m + Buffer.byteLength(v), 0), 0)).to.be.above(MAX_RECORD_BYTES);
    const buffer = unimarcIso2709(unfitted);
    expect(buffer.length).to.be.at.most(MAX_RECORD_BYTES);
    expect(Number(buffer.subarray(0, 5).toString('ascii'))).to.equal(buffer.length);
    expect(buffer.subarray(0, buffer.length - 1).includes(0x1d)).to.equal(false);
    const read = yaz('marc', buffer, 'big.mrc');
    expect(read).to.include('$a 附注：附 注 二');
    expect(read).to.include('…');
    expect(read).to.include('200 1  $a ［萬曆］金華府志');
    // The notes left out are 3-- notes (UNIMARC's notes block), and said to be.
    const leftOut = read.split('\n').filter((l) => l.includes('[Left out of this ISO 2709 record'));
    expect(leftOut.length).to.be.above(0);
    for (const l of leftOut) expect(l).to.match(/^3\d\d /);
    // 3,000 子目, one $a each, lose their last ones to fit one field, the last kept ending with ….
    const contents = unfitted.dataFields.find((x) => x.tag === '327')!;
    expect(contents.subfields.length).to.be.within(100, 2999);
    expect(contents.subfields.at(-1)![1]).to.match(/^子目\d+…$/);
    expect(2 + contents.subfields.reduce((n, [, v]) => n + 2 + Buffer.byteLength(v), 0) + 1).to.be.at.most(9999);
  });
});
