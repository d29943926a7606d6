/**
 * Hostile input, through real HTTP on real files (issue 12, "every reader of untrusted input
 * bounded"): one test per finding, each of which the code before its fix failed.
 * Limits are set low here (startTestServer's inputLimits) so that each can be passed with a
 * small file; their defaults are in src/config.ts.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';

/** Little-endian fields written at their offsets: [offset, bytes (2 or 4), value]. */
function record(size: number, fields: [number, 2 | 4, number][]): Buffer {
  const b = Buffer.alloc(size);
  for (const [at, bytes, value] of fields) (bytes === 2 ? b.writeUInt16LE(value, at) : b.writeUInt32LE(value, at));
  return b;
}

/** A zip of the given parts, deflated (APPNOTE 4.3.7, 4.3.12, 4.3.16): enough of an .xlsx for the reader, which finds sheet1.xml without a workbook part. */
function zip(parts: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(parts)) {
    const data = Buffer.from(content);
    const deflated = deflateRawSync(data, { level: 9 });
    const fileName = Buffer.from(name);
    const sizes = (at: number): [number, 2 | 4, number][] => [[at, 4, crc32(data)], [at + 4, 4, deflated.length], [at + 8, 4, data.length], [at + 12, 2, fileName.length]];
    locals.push(record(30, [[0, 4, 0x04034b50], [4, 2, 20], [8, 2, 8], ...sizes(14)]), fileName, deflated);
    centrals.push(record(46, [[0, 4, 0x02014b50], [4, 2, 20], [6, 2, 20], [10, 2, 8], ...sizes(16), [42, 4, offset]]), fileName);
    offset += 30 + fileName.length + deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const count = Object.keys(parts).length;
  return Buffer.concat([...locals, directory, record(22, [[0, 4, 0x06054b50], [8, 2, count], [10, 2, count], [12, 4, directory.length], [16, 4, offset]])]);
}

const SHEET = (rows: string) => `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
const STRINGS = (items: string) => `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${items}</sst>`;
const HEAD = '普查编号,索书号,题名卷数,著者,版本,册数,收藏单位,附注';
const HEADINGS = `<row r="1">${HEAD.split(',').map((h) => `<c t="inlineStr"><is><t>${h}</t></is></c>`).join('')}</row>`;

describe('hostile input', function () {
  this.timeout(120_000);
  let server: TestServer;
  let admin: string;
  let surveyor: string;
  let otherSurveyor: string;
  const record = {
    censusNumber: '430000-0001-0000001', callNumber: '善001', titleStatement: '欽定四庫全書簡明目錄二十卷',
    creatorStatement: '（清）永瑢等撰', editionStatement: '清乾隆間刻本', volumeCount: 10, holdingUnit: '0001',
  };

  async function post(pathname: string, form: FormData, token = admin) {
    const res = await fetch(`${server.url}${pathname}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const text = await res.text();
    return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
  }
  function sheetForm(name: string, bytes: Buffer | string, field = 'file') {
    const form = new FormData();
    form.append(field, new Blob([Buffer.from(bytes)]), name);
    return form;
  }
  const importSheet = (name: string, bytes: Buffer | string, token = admin, query = '?dryRun=true') => post(`/api/imports${query}`, sheetForm(name, bytes), token);
  const receiving = () => readdirSync(path.join(server.dataDir, 'receiving'));
  async function receivingEmptied() {
    for (let i = 0; i < 100 && receiving().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    return receiving();
  }

  before(async () => {
    server = await startTestServer({
      inputLimits: {
        maxUploadFiles: 3, maxUploadBytes: 2 ** 20, maxJsonDepth: 32,
        sheet: { maxRows: 50, maxRowChars: 30_000, maxStrings: 100, maxStringChars: 50_000, maxUnzippedBytes: 4 * 2 ** 20, maxRatio: 200 },
      },
    });
    admin = await withLibrary(server);
    expect((await server.call('POST', '/api/units', { token: admin, body: { province: '430000', code: '0002', name: '资阳区档案馆' } })).status).to.equal(201);
    for (const user of [
      { username: 'surveyor1', password: 'Lantern-orchid-4417', role: 'surveyor', unit: '0001' },
      { username: 'surveyor2', password: 'Pebble-harbour-9032', role: 'surveyor', unit: '430000-0002' },
    ]) {
      expect((await server.call('POST', '/api/users', { token: admin, body: user })).status).to.equal(201);
    }
    surveyor = await server.login('surveyor1', 'Lantern-orchid-4417');
    otherSurveyor = await server.login('surveyor2', 'Pebble-harbour-9032');
    expect((await server.call('POST', '/api/records', { token: admin, body: record })).status).to.equal(201);
  });
  after(() => server.close());

  it('refuses a 441-byte workbook whose one cell is in column ZZZZZZZ, on import and as a structure sheet, and keeps serving', async () => {
    const bytes = zip({ 'xl/worksheets/sheet1.xml': SHEET('<row r="1"><c r="ZZZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>') });
    expect(bytes.length).to.be.below(500);
    const imported = await importSheet('far.xlsx', bytes, surveyor);
    expect(imported.status).to.equal(413);
    expect(imported.body.error.code).to.equal('sheet_too_large');
    expect(imported.body.error.details[0].problem).to.include('GUJI_SHEET_MAX_COLUMNS');
    const structure = await post(`/api/records/${record.censusNumber}/structure/sheets?dryRun=true`, sheetForm('far.xlsx', bytes, 'volumes'));
    expect(structure.status).to.equal(413);
    expect(structure.body.error.details[0].problem).to.include('GUJI_SHEET_MAX_COLUMNS');
    expect((await server.call('GET', '/health')).status).to.equal(200);
  });

  it('bounds what a sheet may hold — decompressed size, compression ratio, shared strings, rows, characters a row — naming each limit', async () => {
    const cases: [string, string | Buffer, string][] = [
      // 8 MiB of one shared string, a few kilobytes zipped: the 2 MB / 1 GiB bomb of the issue, scaled.
      ['unzipped.xlsx', zip({ 'xl/sharedStrings.xml': STRINGS(`<si><t>${'a'.repeat(8 * 2 ** 20)}</t></si>`), 'xl/worksheets/sheet1.xml': SHEET('') }), 'GUJI_SHEET_MAX_UNZIPPED_MB'],
      ['ratio.xlsx', zip({ 'xl/worksheets/sheet1.xml': SHEET('<row/>'.repeat(500_000)) }), 'GUJI_SHEET_MAX_RATIO'],
      ['strings.xlsx', zip({ 'xl/sharedStrings.xml': STRINGS(Array.from({ length: 101 }, (_, i) => `<si><t>${i}</t></si>`).join('')), 'xl/worksheets/sheet1.xml': SHEET('') }), 'GUJI_SHEET_MAX_STRINGS'],
      ['chars.xlsx', zip({ 'xl/sharedStrings.xml': STRINGS(`<si><t>${randomBytes(45_000).toString('base64')}</t></si>`), 'xl/worksheets/sheet1.xml': SHEET('') }), 'GUJI_SHEET_MAX_STRING_CHARS'],
      ['rows.xlsx', zip({ 'xl/worksheets/sheet1.xml': SHEET(HEADINGS + Array.from({ length: 50 }, (_, i) => `<row r="${i + 2}"><c r="B${i + 2}"><v>${i}</v></c></row>`).join('')) }), 'GUJI_SHEET_MAX_ROWS'],
      ['cell.xlsx', zip({ 'xl/worksheets/sheet1.xml': SHEET(`<row r="1"><c r="A1" t="inlineStr"><is><t>${randomBytes(30_000).toString('base64')}</t></is></c></row>`) }), 'GUJI_SHEET_MAX_ROW_CHARS'],
      ['rows.csv', [HEAD, ...Array.from({ length: 51 }, (_, i) => `430000-0001-${String(100 + i).padStart(7, '0')},x,書一卷,,刻本,1,0001,`)].join('\n'), 'GUJI_SHEET_MAX_ROWS'],
      ['cell.csv', `${HEAD}\n430000-0001-0000100,x,${'書'.repeat(40_000)},,刻本,1,0001,\n`, 'GUJI_SHEET_MAX_ROW_CHARS'],
      ['columns.csv', `${HEAD}${',x'.repeat(1000)}\n`, 'GUJI_SHEET_MAX_COLUMNS'],
    ];
    for (const [name, bytes, limit] of cases) {
      const res = await importSheet(name, bytes, surveyor);
      expect(res.status, name).to.equal(413);
      expect(res.body.error.code, name).to.equal('sheet_too_large');
      expect(res.body.error.details[0].problem, name).to.include(limit);
    }
    // Markup no workbook has, which the XML parser would hold open: refused as unreadable.
    const nested = await importSheet('nested.xlsx', zip({ 'xl/worksheets/sheet1.xml': SHEET('<x>'.repeat(100_000)) }), surveyor);
    expect(nested.status).to.equal(400);
    expect(nested.body.error.message).to.include('nested more than 64 deep');
    expect((await server.call('GET', '/health')).status).to.equal(200);
  });

  it('bounds multipart uploads by files and bytes a request, and leaves nothing of a refused one in receiving/', async () => {
    const scans = `/api/records/${record.censusNumber}/scans`;
    const formOf = (sizes: number[]) => {
      const form = new FormData();
      sizes.forEach((size, i) => form.append('files', new Blob([randomBytes(size)]), `${i + 1}.png`));
      return form;
    };
    expect(await receivingEmptied()).to.deep.equal([]);
    const many = await post(scans, formOf([10, 10, 10, 10]));
    expect(many.status).to.equal(413);
    expect(many.body.error).to.deep.include({ code: 'upload_too_large' });
    expect(many.body.error.details[0].problem).to.include('GUJI_MAX_UPLOAD_FILES');
    // Declared too large: refused before it is read.
    const declared = await post(scans, formOf([700_000, 700_000]));
    expect(declared.status).to.equal(413);
    expect(declared.body.error.details[0].problem).to.include('GUJI_MAX_UPLOAD_MB');
    // Sent without a length (chunked): refused once its files pass the total, the first one removed.
    const body = new Response(formOf([400_000, 400_000, 400_000]));
    const res = await fetch(`${server.url}${scans}`, {
      method: 'POST', body: body.body, duplex: 'half',
      headers: { authorization: `Bearer ${admin}`, 'content-type': body.headers.get('content-type')! },
    } as RequestInit);
    expect(res.status).to.equal(413);
    expect(((await res.json()) as any).error.details[0].problem).to.include('GUJI_MAX_UPLOAD_MB');
    expect(receiving()).to.deep.equal([]);
    // The same limit holds for sheets.
    const sheet = await importSheet('big.csv', `${HEAD}\n${'x'.repeat(1_100_000)}`);
    expect(sheet.status).to.equal(413);
    expect(sheet.body.error.code).to.equal('upload_too_large');
  });

  it('refuses a deeply nested JSON body with 400 before parsing it', async () => {
    const deep = `{"censusNumber":"430000-0001-0000009","notes":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const res = await server.call('POST', '/api/records', { token: admin, body: deep });
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('json_too_deep');
    expect(res.body.error.details[0].problem).to.include('GUJI_MAX_JSON_DEPTH');
    // Brackets inside strings are text, not nesting.
    const text = await server.call('POST', '/api/records', { token: admin, body: { ...record, censusNumber: '430000-0001-0000009', notes: '['.repeat(100) } });
    expect(text.status).to.equal(201);
  });

  it('limits each text field and refuses NUL and lone surrogates, on the API and in sheet rows alike', async () => {
    const res = await server.call('POST', '/api/records', {
      token: admin,
      body: `{"censusNumber":"430000-0001-0000010","callNumber":"a\\u0000b","titleStatement":"${'書'.repeat(1001)}","editionStatement":"刻本\\ud800",`
        + `"volumeCount":1,"holdingUnit":"0001","notes":"${'注'.repeat(10_001)}","seals":["${'印'.repeat(501)}"]}`,
    });
    expect(res.status).to.equal(400);
    expect(res.body.error.details).to.deep.include.members([
      { field: 'callNumber', problem: 'must not contain NUL (U+0000)' },
      { field: 'titleStatement', problem: 'must be at most 1000 characters' },
      { field: 'editionStatement', problem: 'must not contain a lone surrogate (half of a UTF-16 pair)' },
      { field: 'notes', problem: 'must be at most 10000 characters' },
      { field: 'seals.0', problem: 'must be at most 500 characters' },
    ]);
    // Characters, not UTF-16 units: 1000 characters of CJK Extension B fit.
    const wide = await server.call('POST', '/api/records', { token: admin, body: { ...record, censusNumber: '430000-0001-0000011', titleStatement: '𠀀'.repeat(1000) } });
    expect(wide.status).to.equal(201);
    const sheet = await importSheet('long.csv', `${HEAD}\n430000-0001-0000012,x,${'書'.repeat(1001)},,刻本,1,0001,\n430000-0001-0000013,x,書一卷,,刻本,1,0001,a\u0000b\n`);
    expect(sheet.status).to.equal(200);
    expect(sheet.body).to.deep.include({ rejected: 2, created: 0 });
    expect(sheet.body.problems).to.deep.equal([
      { row: 2, column: '题名卷数', problem: 'must be at most 1000 characters', value: '書'.repeat(1001) },
      { row: 3, column: '附注', problem: 'must not contain NUL (U+0000)', value: 'a\u0000b' },
    ]);
  });

  it('writes formula-led CSV cells with a leading quote, and reads them back to what they were', async () => {
    const risky = { ...record, censusNumber: '430000-0001-0000020', titleStatement: '=HYPERLINK("http://evil.example","點此")', callNumber: '@SUM(1+1)',
      creatorStatement: '+1', editionStatement: '-2+3', extant: '\tx', notes: "'=already quoted", series: '-' };
    expect((await server.call('POST', '/api/records', { token: admin, body: risky })).status).to.equal(201);
    await server.services.indexer.catchUp();
    const exported = await fetch(`${server.url}/api/exports/records.csv`, { headers: { authorization: `Bearer ${admin}` } });
    const csv = Buffer.from(await exported.arrayBuffer());
    const line = csv.toString('utf8').split('\n').find((l) => l.startsWith('430000-0001-0000020'))!;
    for (const cell of ["'=HYPERLINK", "'@SUM", "'+1", "'-2+3", "''=already", "'-"]) expect(line).to.include(cell);
    expect(line).not.to.match(/(^|,)"?[=+@-]/);
    const back = await importSheet('records.csv', csv, admin, '');
    expect(back.body).to.deep.include({ created: 0, updated: 0, rejected: 0 });
    expect(back.body.unchanged).to.equal(back.body.rows);
    const stored = (await server.call('GET', '/api/records/430000-0001-0000020', { token: admin })).body;
    expect(stored).to.deep.include({ titleStatement: risky.titleStatement, notes: risky.notes, series: '-', extant: '\tx' });
  });

  it('tells a surveyor of another unit nothing about a draft it may not read, through an import dry run', async () => {
    // The draft of unit 0001 exists; 0000099 does not. Same values as the draft, then changed ones.
    const row = (cn: string, title = record.titleStatement) =>
      `${cn},${record.callNumber},${title},${record.creatorStatement},${record.editionStatement},${record.volumeCount},0001,`;
    const said: unknown[] = [];
    for (const title of [record.titleStatement, '改題一卷']) {
      const res = await importSheet('probe.csv', [HEAD, row(record.censusNumber, title), row('430000-0001-0000099', title)].join('\n'), otherSurveyor);
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.include({ rows: 2, unchanged: 0, updated: 0, created: 0, rejected: 2 });
      for (const n of [2, 3]) said.push(res.body.problems.filter((p: any) => p.row === n).map((p: any) => ({ ...p, row: 0, problem: p.problem.replace(/430000-0001-\d{7}/, 'N') })));
    }
    expect(said[0]).to.have.length(1);
    for (const s of said) expect(s).to.deep.equal(said[0]);
  });

  it('keeps a census number from adding parameters to Content-Disposition', async () => {
    const safe = /^attachment; filename="[^"\\\r\n;]*"(; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]*)?$/;
    for (const cn of ['x";filename="evil.exe', 'x%0D%0ASet-Cookie:a=b', '金華府志']) {
      const res = await fetch(`${server.url}/api/records/${encodeURIComponent(decodeURIComponent(cn))}/structure/sheets/volumes.csv`, { headers: { authorization: `Bearer ${admin}` } });
      expect(res.status, cn).to.be.below(500);
      const header = res.headers.get('content-disposition');
      expect(header, cn).to.match(safe);
      expect(res.headers.get('set-cookie'), cn).to.equal(null);
    }
    const named = await fetch(`${server.url}/api/records/${encodeURIComponent('金華府志')}/structure/sheets/volumes.csv`, { headers: { authorization: `Bearer ${admin}` } });
    expect(named.headers.get('content-disposition')).to.equal(`attachment; filename="____-volumes.csv"; filename*=UTF-8''${encodeURIComponent('金華府志')}-volumes.csv`);
  });
});
