/**
 * Census spreadsheets through real HTTP: CSV (UTF-8 and GB18030) and XLSX in, CSV, XLSX and
 * JSON Lines out, upserts, dry runs, and each kind of bad input named by row and column.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';

const HEAD = '普查编号,索书号,题名卷数,著者,版本,册数,收藏单位,定级,破损级别,破损类型';
const csv = (...rows: string[]) => [HEAD, ...rows].join('\n') + '\n';

describe('census spreadsheets', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;

  async function importFile(name: string, bytes: Buffer | string, query = '') {
    const form = new FormData();
    form.append('file', new Blob([typeof bytes === 'string' ? Buffer.from(bytes) : bytes]), name);
    const res = await fetch(`${server.url}/api/imports${query}`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    return { status: res.status, body: (await res.json()) as any };
  }
  const count = async () => (await server.call('GET', '/api/records?pageSize=1', { token: admin })).body.total;
  const exported = async (format: string, query = '') => {
    const res = await fetch(`${server.url}/api/exports/records.${format}${query}`, { headers: { authorization: `Bearer ${admin}` } });
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  before(async () => {
    // A small limit, so that a sheet over it can be shown with a small file.
    server = await startTestServer({ maxSheetBytes: 256 * 1024 });
    admin = await withLibrary(server);
  });
  after(() => server.close());

  it('creates records from a CSV, then reports every row unchanged on a second import and writes nothing', async () => {
    const sheet = csv(
      '430000-0001-0000001,資01-0001,［同治］益陽縣志二十五卷首一卷,（清）姚念楊修（清）趙裴哲纂,清同治十三年（1874）刊本,12,0001,普通古籍,中度,虫蛀、霉蚀',
      '430000-0001-0000002,資01-0002,"周易本義四卷,圖說一卷",（宋）朱熹撰,清康熙間刻本,4,0001,三级乙等,轻度,',
    );
    const first = await importFile('益陽.csv', sheet);
    expect(first.status).to.equal(200);
    expect(first.body).to.deep.include({ dryRun: false, rows: 2, created: 2, updated: 0, unchanged: 0, rejected: 0 });
    const record = (await server.call('GET', '/api/records/430000-0001-0000001', { token: admin })).body;
    expect(record).to.deep.include({ titleStatement: '［同治］益陽縣志二十五卷首一卷', volumeCount: 12, grade: '普通古籍' });
    expect(record.damage).to.deep.equal({ grade: '中度', types: ['虫蛀', '霉蚀'] });
    expect((await server.call('GET', '/api/records/430000-0001-0000002', { token: admin })).body.titleStatement).to.equal('周易本義四卷,圖說一卷');

    const again = await importFile('益陽.csv', sheet);
    expect(again.body).to.deep.include({ created: 0, updated: 0, unchanged: 2, rejected: 0 });
    const history = (await server.call('GET', '/api/records/430000-0001-0000001/history', { token: admin })).body.entries;
    expect(history).to.have.length(1);
    expect(await count()).to.equal(2);
  });

  it('updates a changed row, with its history, and a dry run reports without writing', async () => {
    const sheet = csv('430000-0001-0000002,資01-0002,周易本義四卷,（宋）朱熹撰,清康熙間刻本,4,0001,三级乙等,轻度,');
    const dry = await importFile('a.csv', sheet, '?dryRun=true');
    expect(dry.body).to.deep.include({ dryRun: true, updated: 1 });
    expect((await server.call('GET', '/api/records/430000-0001-0000002', { token: admin })).body.titleStatement).to.equal('周易本義四卷,圖說一卷');
    const real = await importFile('a.csv', sheet);
    expect(real.body).to.deep.include({ updated: 1, created: 0 });
    const history = (await server.call('GET', '/api/records/430000-0001-0000002/history', { token: admin })).body.entries;
    expect(history.at(-1).changes).to.deep.equal([{ field: 'titleStatement', before: '周易本義四卷,圖說一卷', after: '周易本義四卷' }]);
  });

  it('leaves the fields a sheet has no column for as they were, and clears those it leaves empty', async () => {
    const cn = '430000-0001-0000004';
    const full = {
      censusNumber: cn, callNumber: '資01-0004', titleStatement: '楚辭十七卷', editionStatement: '明刻本', volumeCount: 4, holdingUnit: '0001',
      grade: '三级乙等', damage: { grade: '轻度', types: ['虫蛀'], notes: '卷三末葉殘' }, seals: ['曾在周叔弢處'],
      annotations: [{ person: '黃丕烈', dynasty: '清', role: '跋' }],
    };
    expect((await server.call('POST', '/api/records', { token: admin, body: full })).status).to.equal(201);
    // A sheet of the required columns only, the same values: nothing changes, nothing is lost.
    const narrow = '普查编号,索书号,题名卷数,版本,册数,收藏单位\n430000-0001-0000004,資01-0004,楚辭十七卷,明刻本,4,0001\n';
    expect((await importFile('narrow.csv', narrow)).body).to.deep.include({ unchanged: 1, updated: 0 });
    // One damage column changed: the others and every other field stay.
    const damage = '普查编号,索书号,题名卷数,版本,册数,收藏单位,破损级别\n430000-0001-0000004,資01-0004,楚辭十七卷,明刻本,4,0001,中度\n';
    expect((await importFile('damage.csv', damage)).body).to.deep.include({ updated: 1 });
    let record = (await server.call('GET', `/api/records/${cn}`, { token: admin })).body;
    expect(record.damage).to.deep.equal({ grade: '中度', types: ['虫蛀'], notes: '卷三末葉殘' });
    expect(record).to.deep.include({ grade: '三级乙等', seals: ['曾在周叔弢處'], annotations: full.annotations });
    // An empty cell in a column the sheet has clears the field.
    const cleared = '普查编号,索书号,题名卷数,版本,册数,收藏单位,钤印\n430000-0001-0000004,資01-0004,楚辭十七卷,明刻本,4,0001,\n';
    expect((await importFile('seals.csv', cleared)).body).to.deep.include({ updated: 1 });
    record = (await server.call('GET', `/api/records/${cn}`, { token: admin })).body;
    expect(record).not.to.have.property('seals');
    expect(record.annotations).to.deep.equal(full.annotations);
  });

  it('reads GB18030 CSV as Excel on a Chinese Windows saves it, and traditional headings', async () => {
    const sheet = '普查編號,索書號,題名卷數,版本,冊數,收藏單位\n430000-0001-0000003,資01-0003,資治通鑑二百九十四卷,清刻本,100,0001\n';
    const res = await importFile('通鑑.csv', iconv.encode(sheet, 'gb18030'));
    expect(res.body).to.deep.include({ created: 1, rejected: 0 });
    expect((await server.call('GET', '/api/records/430000-0001-0000003', { token: admin })).body.titleStatement).to.equal('資治通鑑二百九十四卷');
  });

  it('names the row and column of every bad row, and lands the good ones', async () => {
    const sheet = csv(
      '430000-0001-0000010,x,好書一卷,,清刻本,1,0001,,,',
      '430902-0001-0000011,x,壞號一卷,,清刻本,1,0001,,,',
      // 兩 would be 2 (Chinese numerals are counts); 若干 ("some") is not a number.
      '430000-0001-0000012,x,冊數不對一卷,,清刻本,若干,0001,,,',
      '430000-0009-0000013,x,無此單位一卷,,清刻本,1,0009,,,',
      '430000-0001-0000010,x,重複一卷,,清刻本,1,0001,,,',
      '430000-0001-0000014,x,,,清刻本,1,0001,五级,很破,',
    );
    const res = await importFile('bad.csv', sheet);
    expect(res.body).to.deep.include({ rows: 6, created: 1, rejected: 5 });
    const problems = res.body.problems.map((p: any) => [p.row, p.column]);
    expect(problems).to.deep.include.members([
      [3, '普查编号'], [4, '册数'], [5, '收藏单位'], [6, '普查编号'], [7, '题名卷数'], [7, '定级'], [7, '破损级别'],
    ]);
    expect(res.body.problems.find((p: any) => p.row === 6).problem).to.equal('repeats the census number of row 2');
    // The value at fault comes back as the sheet has it.
    expect(res.body.problems.find((p: any) => p.row === 4).value).to.equal('若干');
    expect(await server.store.records.get('430000-0001-0000012')).to.equal(null);
  });

  it('reads 批校题跋 from its column, one annotation a line, and names a cell it cannot read', async () => {
    const sheet = '普查编号,索书号,题名卷数,版本,册数,收藏单位,批校题跋\n' +
      '430000-0001-0000020,資01-0020,陶淵明集十卷,宋刻遞修本,4,0001,"（清）黃丕烈跋：此宋刻之最精者\n清顧廣圻校、錢大昕題"\n' +
      '\n' +
      '430000-0001-0000021,資01-0021,杜工部集二十卷,明刻本,6,0001,黃丕烈\n';
    const res = await importFile('批校.csv', sheet);
    expect(res.body).to.deep.include({ created: 1, rejected: 1 });
    // Rows as Excel numbers them: the cell of two lines is one row, the empty line is one.
    expect(res.body.problems).to.deep.equal([{ row: 4, column: '批校题跋', problem: '"黃丕烈" does not say how it annotates the copy (批, 校, 題, 跋, 識 …)', value: '黃丕烈' }]);
    const record = (await server.call('GET', '/api/records/430000-0001-0000020', { token: admin })).body;
    expect(record.annotations).to.deep.equal([
      { person: '黃丕烈', role: '跋', dynasty: '清', text: '此宋刻之最精者' },
      { person: '顧廣圻', role: '校', dynasty: '清' },
      { person: '錢大昕', role: '題', dynasty: '清' },
    ]);
  });

  it('refuses a sheet without the required headings, an unreadable file, and other formats', async () => {
    const missing = await importFile('m.csv', '普查编号,题名卷数\n430000-0001-0000020,x\n');
    expect(missing.status).to.equal(400);
    expect(missing.body.error.code).to.equal('missing_headings');
    expect(missing.body.error.details.map((d: any) => d.field)).to.have.members(['索书号', '版本', '册数', '收藏单位']);
    const garbage = await importFile('g.xlsx', Buffer.from('this is not a workbook'));
    expect(garbage.status).to.equal(400);
    expect(garbage.body.error.code).to.equal('unreadable_sheet');
    expect((await importFile('g.txt', 'x')).body.error.code).to.equal('unsupported_format');
  });

  it('refuses a sheet over the size limit with 413, writing nothing and keeping nothing of it', async () => {
    const before = await count();
    const rows = Array.from({ length: 5000 }, (_, i) => `430000-0001-${String(9_000_000 + i).padStart(7, '0')},x,大書一卷,,清刻本,1,0001,,,`);
    const big = csv(...rows);
    expect(Buffer.byteLength(big)).to.be.above(256 * 1024);
    const res = await importFile('大.csv', big);
    expect(res.status).to.equal(413);
    expect(res.body.error.code).to.equal('file_too_large');
    expect(res.body.error.message).to.contain('GUJI_MAX_SHEET_MB');
    expect(await count()).to.equal(before);
    expect(readdirSync(path.join(server.dataDir, 'receiving'))).to.deep.equal([]);
  });

  it('rejects formula and date cells in an XLSX where text is expected', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('普查');
    sheet.addRow(HEAD.split(','));
    sheet.addRow(['430000-0001-0000030', 'x', '公式一卷', '', '清刻本', { formula: '1+1', result: 2 }, '0001']);
    sheet.addRow(['430000-0001-0000031', new Date(Date.UTC(1884, 0, 1)), '日期一卷', '', '清刻本', 1, '0001']);
    sheet.addRow(['430000-0001-0000032', 'x', '好書二卷', '', '清刻本', 2, '0001']);
    const res = await importFile('x.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(res.body).to.deep.include({ created: 1, rejected: 2 });
    expect(res.body.problems.map((p: any) => [p.row, p.column])).to.deep.equal([[2, '册数'], [3, '索书号']]);
    expect(res.body.problems[0].problem).to.match(/formula/);
    expect(res.body.problems[1].problem).to.match(/date/);
  });

  for (const format of ['csv', 'xlsx']) {
    it(`exports ${format} that imports back with every row unchanged`, async () => {
      const before = await count();
      const { res, bytes } = await exported(format);
      expect(res.headers.get('content-disposition')).to.equal(`attachment; filename="records.${format}"`);
      const back = await importFile(`records.${format}`, bytes);
      expect(back.body).to.deep.include({ rows: before, unchanged: before, created: 0, updated: 0, rejected: 0 });
      expect(await count()).to.equal(before);
    });
  }

  it('exports what it reads from the statements in export-only columns, which import recognises and never reads', async () => {
    const head = `${HEAD},存卷`;
    const rows: [string, string, string, (string | number)[]][] = [
      // 版本, 存卷 → 版本年代（公元）, 底本, 底本年代（公元）, 藏者, 国别, 存卷数, 所存卷次
      ['430000-0001-0000901', '清光緒十年（1884）刻十八年（1892）印本', '存卷首、卷三至五', ['1892', '', '1884', '', '中國', '', '卷首、3–5']],
      ['430000-0001-0000902', '上海涵芬樓藏宋刊本', '', ['960–1279', '', '', '上海涵芬樓', '中國', '', '']],
      ['430000-0001-0000903', '日本元祿九年（1696）刻本', '存十二卷（一至十二）', ['1696', '', '', '', '日本', 12, '1–12']],
      ['430000-0001-0000904', '明嘉靖間翻宋本', '', ['1522–1566', '宋本', '960–1279', '', '中國', '', '']],
    ];
    const sheet = [head, ...rows.map(([cn, edition, extant]) => `${cn},x${cn.slice(-3)},周易四卷,,${edition},1,0001,,,,${extant}`)].join('\n') + '\n';
    expect((await importFile('derived.csv', sheet)).body).to.deep.include({ created: 4, rejected: 0 });
    const { bytes } = await exported('xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = book.worksheets[0]!;
    const headings = (ws.getRow(1).values as unknown[]).slice(1);
    const derived = ['版本年代（公元）', '底本', '底本年代（公元）', '藏者', '国别', '存卷数', '所存卷次'];
    expect(headings.slice(-derived.length)).to.deep.equal(derived);
    const byNumber = new Map<string, unknown[]>();
    ws.eachRow((row, n) => {
      if (n > 1) byNumber.set(String(row.getCell(1).value), headings.map((_, i) => row.getCell(i + 1).value ?? ''));
    });
    for (const [cn, edition, , expected] of rows) expect(byNumber.get(cn)!.slice(-derived.length), edition).to.deep.equal(expected);

    // Editing a derived cell changes nothing: the statements are the truth.
    ws.eachRow((row, n) => {
      if (n > 1) row.getCell(headings.indexOf('国别') + 1).value = '越南';
    });
    const back = await importFile('records.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    expect(back.body).to.deep.include({ rows: byNumber.size, unchanged: byNumber.size, updated: 0, rejected: 0, ignoredColumns: [], derivedColumns: derived });
    expect((await server.call('GET', '/api/records/430000-0001-0000903', { token: admin })).body.derived.edition.country).to.equal('日本');
  });

  it('exports JSON Lines with the filters of search, and only published records to anonymous clients', async () => {
    await server.services.indexer.catchUp();
    const { bytes } = await exported('jsonl', `?q=${encodeURIComponent('资治通鉴')}`);
    const lines = bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.censusNumber)).to.deep.equal(['430000-0001-0000003']);
    expect(lines[0]).to.deep.equal({
      censusNumber: '430000-0001-0000003', callNumber: '資01-0003', titleStatement: '資治通鑑二百九十四卷', editionStatement: '清刻本',
      volumeCount: 100, holdingUnit: '0001',
    });
    const anonymous = await fetch(`${server.url}/api/exports/records.jsonl`);
    expect((await anonymous.text()).trim()).to.equal('');
  });

  it('imports from the command line with a report and an exit code (npm run import)', async () => {
    const { dataDirWithRecord, runTool } = await import('../support/data-dir.js');
    const { writeFileSync, rmSync } = await import('node:fs');
    const path = await import('node:path');
    const dataDir = dataDirWithRecord({
      censusNumber: '430000-0001-0000001', callNumber: '1', titleStatement: '周易一卷', editionStatement: '清刻本', volumeCount: 1, holdingUnit: '0001',
    });
    try {
      const file = path.join(dataDir, '普查.csv');
      writeFileSync(file, csv('430000-0001-0000002,2,尚書一卷,,清刻本,1,0001,,,', '430000-0001-0000003,3,毛詩一卷,,清刻本,一冊,0001,,,'));
      const dry = runTool(dataDir, 'ingest/import.ts', file, '--dry-run');
      expect(dry.status).to.equal(1);
      expect(dry.stdout).to.contain('row 3 「册数」: must be a whole number');
      expect(dry.stdout).to.contain('dry run: would have 2 rows: 1 created, 0 updated, 0 unchanged, 1 rejected');
      const real = runTool(dataDir, 'ingest/import.ts', file);
      expect(real.stdout).to.contain('2 rows: 1 created, 0 updated, 0 unchanged, 1 rejected');
      const again = runTool(dataDir, 'ingest/import.ts', file);
      expect(again.stdout).to.contain('2 rows: 0 created, 0 updated, 1 unchanged, 1 rejected');
      expect(runTool(dataDir, 'ingest/import.ts', 'nowhere.csv').status).to.equal(2);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
