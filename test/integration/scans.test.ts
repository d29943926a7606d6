/**
 * Scan ingestion through real HTTP (multipart upload) and the real CLI, with real sharp on real
 * scans (src/demo/scans, NOTICE.md there) and the bad inputs a digitization desk meets.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { dataDirWithRecord, runTool } from '../support/data-dir.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';

const fixtures = path.resolve(import.meta.dirname, '../../src/demo/scans');
const ORACLE: Record<string, string> = {
  '1.png': 'b7f90b9fbd3ca8d5d5293898c3e999aa73836c3a791055231a3ebe6a7431d4dc',
  '2.png': '271edcf7f8fda2f4dfa94384516f96884b1b46444a857d5281a2a72a6b911b38',
  '3.png': 'ca22eddd520cdf5c4f572e2257419c625995647178ca611c2508baa89b0350bc',
  '10.png': 'd0036f6f6c6b9593313e03c4bf2a698be1920411a385e74dd24b7633e8fbd0f5',
};
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('scan ingestion', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;
  const record = {
    censusNumber: '430000-0001-0000001', callNumber: '善001', titleStatement: '欽定四庫全書簡明目錄二十卷',
    creatorStatement: '（清）永瑢等撰', editionStatement: '清乾隆間刻本', volumeCount: 10, holdingUnit: '0001',
  };

  async function upload(files: { name: string; bytes: Buffer }[], token = admin, cn = record.censusNumber) {
    const form = new FormData();
    for (const f of files) form.append('files', new Blob([f.bytes]), f.name);
    const res = await fetch(`${server.url}/api/records/${cn}/scans`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  }

  async function finished(jobId: string) {
    for (let i = 0; i < 600; i++) {
      const job = (await server.call('GET', `/api/jobs/${jobId}`, { token: admin })).body;
      if (job.status === 'done') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the job did not finish');
  }

  before(async () => {
    // Small limits so that the refusals can be shown with small files.
    server = await startTestServer({ pixelLimit: 3_000_000, maxScanBytes: 600 * 1024 });
    admin = await withLibrary(server);
    expect((await server.call('POST', '/api/records', { token: admin, body: record })).status).to.equal(201);
  });
  after(() => server.close());

  it('ingests an upload in natural file-name order, keeping UTF-8 names, masters byte for byte and their checksums', async () => {
    const names = ['金華府志-卷一-10.png', '金華府志-卷一-2.png', '金華府志-卷一-1.png'];
    const sources = ['10.png', '2.png', '1.png'];
    const res = await upload(names.map((name, i) => ({ name, bytes: readFileSync(path.join(fixtures, sources[i]!)) })));
    expect(res.status).to.equal(202);
    expect(res.headers.get('location')).to.match(/\/api\/jobs\//);
    const job = await finished(res.body.job.id);
    expect(job.files.map((f: any) => [f.filename, f.outcome, f.sequence])).to.deep.equal([
      ['金華府志-卷一-1.png', 'ingested', 1], ['金華府志-卷一-2.png', 'ingested', 2], ['金華府志-卷一-10.png', 'ingested', 3],
    ]);

    const got = (await server.call('GET', `/api/records/${record.censusNumber}`, { token: admin })).body;
    expect(got.pageCount).to.equal(3);
    const expected = await Promise.all(
      ['1.png', '2.png', '10.png'].map(async (f, i) => {
        const m = await sharp(path.join(fixtures, f)).metadata();
        return [i + 1, `金華府志-卷一-${f}`, ORACLE[f], m.width, m.height, 'png', m.bitsPerSample, m.space];
      }),
    );
    expect(got.pages.map((p: any) => [p.sequence, p.filename, p.sha256, p.width, p.height, p.format, p.bitDepth, p.colorSpace])).to.deep.equal(expected);
    for (const page of got.pages) {
      const master = path.join(server.dataDir, 'masters', page.sha256.slice(0, 2), `${page.sha256}.png`);
      expect(sha(master), 'the master is kept byte for byte').to.equal(page.sha256);
      const derivatives = path.join(server.dataDir, 'derivatives', page.sha256);
      const access = await sharp(path.join(derivatives, 'access.jpg')).metadata();
      expect(Math.max(access.width!, access.height!)).to.equal(1000);
      const thumbnail = await sharp(path.join(derivatives, 'thumbnail.jpg')).metadata();
      expect(Math.max(thumbnail.width!, thumbnail.height!)).to.equal(200);
      const full = await sharp(path.join(derivatives, 'full.tif')).metadata();
      expect([full.width, full.height, full.space]).to.deep.equal([page.width, page.height, 'srgb']);
      expect(existsSync(path.join(derivatives, 'tiles', '0,0,512,512', '512,512', '0', 'default.jpg'))).to.equal(true);
    }
    const history = (await server.call('GET', `/api/records/${record.censusNumber}/history`, { token: admin })).body.entries;
    expect(history.at(-1)).to.deep.include({ action: 'scan', changes: [{ field: 'pageCount', before: 0, after: 3 }] });
    await server.services.indexer.catchUp();
    const search = await server.call('GET', '/api/search?digitized=true', { token: admin });
    expect(search.body.hits.map((h: any) => h.censusNumber)).to.deep.equal([record.censusNumber]);

    // Lists show the first page's thumbnail; the record links its manifest.
    const thumbnail = `http://guji.test/iiif/3/${got.pages[0].sha256}/full/!200,200/0/default.jpg`;
    expect(search.body.hits[0].links).to.deep.include({ thumbnail, manifest: `http://guji.test/iiif/${record.censusNumber}/manifest` });
    expect(got.links).to.deep.include({ thumbnail, manifest: `http://guji.test/iiif/${record.censusNumber}/manifest` });
    const image = await fetch(thumbnail.replace('http://guji.test', server.url), { headers: { authorization: `Bearer ${admin}` } });
    expect(image.status).to.equal(200);
    const made = readFileSync(path.join(server.dataDir, 'derivatives', got.pages[0].sha256, 'thumbnail.jpg'));
    expect(Buffer.from(await image.arrayBuffer()).equals(made), 'served as made at ingest').to.equal(true);
  });

  it('refuses each bad file with its reason while the good ones in the batch land, and harms nothing stored', async () => {
    const good = readFileSync(path.join(fixtures, '3.png'));
    const bomb = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#fff' } }).png().toBuffer();
    const tooLarge = Buffer.concat([good, Buffer.alloc(700 * 1024)]);
    const res = await upload([
      { name: 'a-empty.png', bytes: Buffer.alloc(0) },
      { name: 'b-not-an-image.png', bytes: Buffer.from('這不是圖像') },
      { name: 'c-truncated.png', bytes: good.subarray(0, Math.floor(good.length / 2)) },
      { name: 'd-bomb.png', bytes: bomb },
      { name: 'e-too-large.png', bytes: tooLarge },
      { name: 'f-duplicate.png', bytes: readFileSync(path.join(fixtures, '1.png')) },
      { name: 'g-good.png', bytes: good },
    ]);
    const job = await finished(res.body.job.id);
    const outcomes = Object.fromEntries(job.files.map((f: any) => [f.filename, [f.outcome, f.reason]]));
    expect(outcomes['a-empty.png']).to.deep.equal(['refused', 'the file is empty (0 bytes)']);
    expect(outcomes['b-not-an-image.png'][0]).to.equal('refused');
    expect(outcomes['b-not-an-image.png'][1]).to.match(/^not an image we can read/);
    expect(outcomes['c-truncated.png'][0]).to.equal('refused');
    expect(outcomes['d-bomb.png']).to.deep.equal(['refused', '2000×2000 pixels exceed the limit of 3,000,000']);
    expect(outcomes['e-too-large.png']).to.deep.equal(['refused', 'larger than the limit of 1 MiB']);
    expect(outcomes['f-duplicate.png']).to.deep.equal(['refused', 'the same image as page 1 (金華府志-卷一-1.png)']);
    expect(outcomes['g-good.png']).to.deep.equal(['ingested', null]);

    const pages = (await server.call('GET', `/api/records/${record.censusNumber}`, { token: admin })).body.pages;
    expect(pages.map((p: any) => p.filename)).to.deep.equal(['金華府志-卷一-1.png', '金華府志-卷一-2.png', '金華府志-卷一-10.png', 'g-good.png']);
    // Refused files leave nothing behind: no master, no derivatives, no upload.
    const kept = spawnSync('find', [server.dataDir, '-type', 'f', '-path', '*masters*']).stdout.toString().trim().split('\n');
    expect(kept).to.have.length(4);
    const leftovers = spawnSync('find', [path.join(server.dataDir, 'receiving'), '-type', 'f']).stdout.toString().trim();
    expect(leftovers).to.equal('');
  });

  it('refuses uploads from those who may not digitize, and hides the pages of unpublished records', async () => {
    await server.call('POST', '/api/users', { token: admin, body: { username: 'rev', password: 'proof-reading-1', role: 'reviewer' } });
    const reviewer = await server.login('rev', 'proof-reading-1');
    const res = await upload([{ name: 'x.png', bytes: readFileSync(path.join(fixtures, '3.png')) }], reviewer);
    expect(res.status).to.equal(403);
    expect((await server.call('GET', `/api/records/${record.censusNumber}`)).status).to.equal(404);
    const none = await fetch(`${server.url}/api/records/${record.censusNumber}/scans`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: new FormData() });
    expect(none.status).to.equal(400);
    expect(((await none.json()) as any).error.code).to.equal('no_files');
  });

  describe('from a folder (npm run ingest)', () => {
    let dataDir: string;
    let folder: string;
    const ingest = (...args: string[]) => runTool(dataDir, 'ingest/cli.ts', ...args);

    before(() => {
      dataDir = dataDirWithRecord(record);
      folder = mkdtempSync(path.join(tmpdir(), 'guji-folder-'));
      for (const f of ['1.png', '2.png', '3.png']) copyFileSync(path.join(fixtures, f), path.join(folder, f));
    });
    after(() => {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
    });

    it('ingests a folder with a per-file report, then skips everything on a re-run', () => {
      const first = ingest(folder, '--record', record.censusNumber);
      expect(first.status, first.stderr).to.equal(0);
      expect(first.stdout).to.match(/ingested 1\.png {2}page 1\n.*ingested 2\.png {2}page 2\n.*ingested 3\.png {2}page 3/s);
      expect(first.stdout).to.contain('3 ingested, 0 skipped, 0 refused, 0 failed');
      const again = ingest(folder, '--record', record.censusNumber);
      expect(again.status).to.equal(0);
      expect(again.stdout).to.contain('0 ingested, 3 skipped, 0 refused, 0 failed');
    });

    it('follows pages.csv for order and leaf labels, and exits 1 when a file is refused', () => {
      const other = mkdtempSync(path.join(tmpdir(), 'guji-folder-'));
      copyFileSync(path.join(fixtures, '10.png'), path.join(other, 'b.png'));
      writeFileSync(path.join(other, 'a.png'), '');
      writeFileSync(path.join(other, 'pages.csv'), 'file,册,卷,叶\nb.png,第一册,卷一,葉一a\na.png,第一册,卷一,葉一b\n');
      const run = ingest(other, '--record', record.censusNumber);
      expect(run.status).to.equal(1);
      expect(run.stdout).to.match(/ingested b\.png {2}page 4\n.*refused {2}a\.png {2}— the file is empty/s);
      rmSync(other, { recursive: true, force: true });
    });

    it('explains usage errors with exit code 2', () => {
      expect(ingest(folder).status).to.equal(2);
      expect(ingest(folder, '--record', '430902-1-1').stderr).to.contain('must have the form');
      expect(ingest('/no/such/folder', '--record', record.censusNumber).status).to.equal(2);
    });
  });
});
