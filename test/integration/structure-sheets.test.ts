/**
 * The NLC template's structure sheets through real HTTP: a volume sheet (分册表, CSV) and a table
 * of contents (目次表, XLSX) set the 册, the order, the 卷 and 篇 of a digitized record's pages;
 * the manifest follows; bad sheets are refused whole with every problem by row and column; the
 * structure exports as the same sheets and imports back unchanged.
 */
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { demoLeaves, ingestDemoScans } from '../support/scans.js';

const cn = '430000-0001-0000001';

async function xlsx(rows: (string | number | null)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('目次');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('structure sheets (分册表 and 目次表)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;

  const record = async () => server.call('GET', `/api/records/${cn}`, { token: admin });
  async function send(sheets: Record<string, [string, Buffer | string]>, options: { ifMatch?: string; query?: string } = {}) {
    const form = new FormData();
    for (const [field, [name, bytes]] of Object.entries(sheets)) form.append(field, new Blob([typeof bytes === 'string' ? Buffer.from(bytes) : bytes]), name);
    const headers: Record<string, string> = { authorization: `Bearer ${admin}` };
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    const res = await fetch(`${server.url}/api/records/${cn}/structure/sheets${options.query ?? ''}`, { method: 'POST', headers, body: form });
    return { status: res.status, body: (await res.json()) as any };
  }
  const outline = async () => {
    const m = (await server.call('GET', `/iiif/${cn}/manifest`, { token: admin })).body;
    const walk = (range: any): unknown =>
      range.type === 'Canvas' ? m.items.find((c: any) => c.id === range.id).label : { [Object.values(range.label)[0] as string]: range.items.map(walk) };
    return walk(m.structures[0]);
  };

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    await server.call('POST', '/api/records', {
      token: admin,
      body: { censusNumber: cn, callNumber: '善001', titleStatement: '欽定四庫全書簡明目錄二十卷', editionStatement: '清乾隆間刻本', volumeCount: 2, holdingUnit: '0001' },
    });
    await ingestDemoScans(server, cn, demoLeaves('卷一'));
  });
  after(() => server.close());

  const volumes = '册次,册名,文件\n2,第二册,3.png~10\n1,第一册,1.png、2\n';
  const contents = () => xlsx([
    ['层级', '题名', '著者', '册次', '起始叶'],
    [1, '卷首', null, 1, '1.png'],
    [1, '卷一 經部', '（清）紀昀', 1, '2'],
    [2, '易類', null, 1, '2.png'],
    [1, '卷二 史部', null, 2, '3'],
    [2, '正史類', null, 2, '葉二b'],
  ]);

  it('sets 册, 卷 and 篇 from the two sheets, after a dry run that changes nothing', async () => {
    const before = await record();
    const dry = await send({ volumes: ['分册.csv', volumes], contents: ['目次.xlsx', await contents()] }, { query: '?dryRun=true' });
    expect(dry.status, JSON.stringify(dry.body)).to.equal(200);
    expect(dry.body.pages.map((p: any) => [p.volume, p.juan])).to.deep.equal([['第一册', '卷首'], ['第一册', '卷一 經部'], ['第二册', '卷二 史部'], ['第二册', '卷二 史部']]);
    expect((await record()).body.version).to.equal(before.body.version);

    expect((await send({ volumes: ['分册.csv', volumes] })).status).to.equal(428);
    expect((await send({ volumes: ['分册.csv', volumes] }, { ifMatch: '"v1"' })).status).to.equal(412);
    const res = await send({ volumes: ['分册.csv', volumes], contents: ['目次.xlsx', await contents()] }, { ifMatch: before.headers.get('etag')! });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(await outline()).to.deep.equal({
      目录: [
        { 第一册: [{ 卷首: [{ 'zh-Hant': ['卷首 葉一a'] }] }, { '卷一 經部': [{ 易類: [{ 'zh-Hant': ['卷一 經部 葉一b'] }] }] }] },
        { 第二册: [{ '卷二 史部': [{ 'zh-Hant': ['卷二 史部 葉二a'] }, { 正史類: [{ 'zh-Hant': ['卷二 史部 葉二b'] }] }] }] },
      ],
    });
    const history = (await server.call('GET', `/api/records/${cn}/history`, { token: admin })).body.entries;
    expect(history.at(-1).action).to.equal('structure');
  });

  it('orders the pages by 册次 when the volume sheet puts them in another order', async () => {
    const swapped = '册次,册名,文件\n1,上册,3.png~10.png\n2,下册,1~2\n';
    const res = await send({ volumes: ['分册.csv', swapped] }, { ifMatch: (await record()).headers.get('etag')! });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect((await record()).body.pages.map((p: any) => [p.filename, p.volume])).to.deep.equal([['3.png', '上册'], ['10.png', '上册'], ['1.png', '下册'], ['2.png', '下册']]);
    const back = await send({ volumes: ['分册.csv', volumes] }, { ifMatch: (await record()).headers.get('etag')! });
    expect(back.status).to.equal(200);
  });

  it('refuses bad sheets whole, naming every problem by sheet, row and column', async () => {
    const before = await record();
    const badVolumes = '册次,册名,文件\n1,第一册,1.png~3.png\n1,重複,10.png\nx,壞,2.png\n3,倒,10.png~3.png\n4,無,99.png\n';
    const badContents = await xlsx([
      ['层级', '题名', '册次', '起始叶'],
      [1, '卷二', 1, '3'],
      [1, '卷一', 1, '2'],
      [9, '太深', 1, '1'],
      [1, null, 1, '1'],
      [1, '無頁', 1, '葉九a'],
    ]);
    const vol = await send({ volumes: ['分册.csv', badVolumes] }, { ifMatch: before.headers.get('etag')! });
    expect(vol.status).to.equal(400);
    expect(vol.body.error.details).to.deep.equal([
      { field: 'volumes', row: 3, column: '册次', problem: 'repeats 册次 1' },
      { field: 'volumes', row: 4, column: '册次', problem: 'must be a whole number from 1, not "x"' },
      { field: 'volumes', row: 5, column: '文件', problem: 'the range 10.png~3.png runs backwards' },
      { field: 'volumes', row: 6, column: '文件', problem: 'names no page of the record: 99.png' },
      { field: 'volumes', problem: 'every page must be in a 册; not in any: 10.png' },
    ]);
    const toc = await send({ contents: ['目次.xlsx', badContents] }, { ifMatch: before.headers.get('etag')! });
    expect(toc.status).to.equal(400);
    expect(toc.body.error.details).to.deep.equal([
      { field: 'contents', row: 3, column: '起始叶', problem: 'begins before the entry of row 2 ends (entries go in reading order, outermost first)' },
      { field: 'contents', row: 4, column: '层级', problem: 'must be a level from 1 to 5, not "9"' },
      { field: 'contents', row: 5, column: '题名', problem: 'is required' },
      { field: 'contents', row: 6, column: '起始叶', problem: 'names no page of the record: 葉九a' },
    ]);
    const noHeading = await send({ contents: ['目次.csv', '题名,著者\n卷一,\n'] }, { ifMatch: before.headers.get('etag')! });
    expect(noHeading.body.error.details).to.deep.equal([{ field: 'contents', row: 1, column: '起始叶', problem: 'required heading missing' }]);
    const wrongFormat = await send({ contents: ['目次.txt', 'x'] }, { ifMatch: before.headers.get('etag')! });
    expect([wrongFormat.status, wrongFormat.body.error.code]).to.deep.equal([400, 'unsupported_format']);
    expect((await record()).body.version).to.equal(before.body.version);
  });

  it('exports the structure as the same two sheets, which import back unchanged', async () => {
    const get = async (name: string) => Buffer.from(await (await fetch(`${server.url}/api/records/${cn}/structure/sheets/${name}`, { headers: { authorization: `Bearer ${admin}` } })).arrayBuffer());
    const volumeSheet = await get('volumes.csv');
    expect(volumeSheet.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/)).to.deep.equal(['册次,册名,文件', '1,第一册,1.png~2.png', '2,第二册,3.png~10.png']);
    const contentsSheet = await get('contents.xlsx');
    const before = await record();
    const res = await send({ volumes: ['v.csv', volumeSheet], contents: ['c.xlsx', contentsSheet] }, { ifMatch: before.headers.get('etag')! });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    // Nothing changed: no new version, no history entry.
    expect((await record()).body.version).to.equal(before.body.version);
  });

  it('keeps the pages\' behaviours and the opening page through a volume sheet, which says nothing of them', async () => {
    const current = await record();
    const pages = current.body.pages.map((p: any) => ({ imageId: p.imageId, volume: p.volume, juan: p.juan, label: p.label, ...(p.filename === '3.png' ? { behavior: 'non-paged', start: true } : {}) }));
    const put = await server.call('PUT', `/api/records/${cn}/structure`, { token: admin, headers: { 'if-match': current.headers.get('etag')! }, body: { pages } });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    const res = await send({ volumes: ['分册.csv', '册次,册名,文件\n1,上册,1.png~10\n'] }, { ifMatch: (await record()).headers.get('etag')! });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect((await record()).body.pages.filter((p: any) => p.behavior || p.start).map((p: any) => [p.filename, p.behavior, p.start])).to.deep.equal([['3.png', 'non-paged', true]]);
  });
});
