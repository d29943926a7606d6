/**
 * Issue 12, jobs and permissions: what a stop, a kill or a crowd of uploads did to jobs and
 * pages, and who may change a published book's pages. Real processes for stops and restarts
 * (test/support/service-process.ts), real HTTP, real SQLite files and real scans
 * (../shared/data/open-guji-cv-pages, src/demo/scans).
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { startService, SERVICE_ADMIN_PASSWORD, type ServiceProcess } from '../support/service-process.js';
import { LIBRARY, startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { DEMO_LEAF_FILES, demoScans } from '../support/scans.js';
import { publish } from '../support/texts.js';

const shared = path.resolve(import.meta.dirname, '../../../shared/data/open-guji-cv-pages');
const BOOK = {
  callNumber: '善001', titleStatement: '欽定四庫全書簡明目錄二十卷', creatorStatement: '（清）永瑢等撰',
  editionStatement: '清乾隆間刻本', volumeCount: 10, holdingUnit: '0001', grade: '普通古籍', damage: { grade: '轻度', types: [] },
};
const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
  for (let i = 0; i < 1200; i++) {
    const got = await probe();
    if (got !== undefined) return got;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
};

/**
 * The thirteen real pages of ../shared/data/open-guji-cv-pages, enlarged twice over so that a
 * page takes long enough to ingest that a stop lands in the middle of a batch (still real scans).
 */
async function realBatch(): Promise<{ name: string; bytes: Buffer }[]> {
  const files = ['book1', 'book5'].flatMap((book) => readdirSync(path.join(shared, book)).filter((n) => n.endsWith('.png')).map((n) => path.join(shared, book, n)));
  return Promise.all(files.map(async (file, i) => ({
    name: `葉${String(i + 1).padStart(3, '0')}.jpg`,
    bytes: await sharp(file).resize({ width: 2 * ((await sharp(file).metadata()).width ?? 1000) }).jpeg({ quality: 92 }).toBuffer(),
  })));
}

const form = (files: { name: string; bytes: Buffer }[]) => {
  const body = new FormData();
  for (const f of files) body.append('files', new Blob([f.bytes]), f.name);
  return body;
};

describe('abuse: jobs, stops and restarts', function () {
  this.timeout(240_000);
  let dataDir: string;
  let service: ServiceProcess | undefined;
  let batch: { name: string; bytes: Buffer }[];
  const cn = '430000-0001-0000001';

  before(async () => {
    batch = await realBatch();
  });
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'guji-abuse-jobs-'));
  });
  afterEach(async () => {
    if (service) await stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function catalogueWithBook(env: Record<string, string> = {}): Promise<string> {
    service = await startService(dataDir, env);
    const admin = await service.login('admin', SERVICE_ADMIN_PASSWORD);
    expect((await service.call('POST', '/api/units', { token: admin, body: LIBRARY })).status).to.equal(201);
    expect((await service.call('POST', '/api/records', { token: admin, body: { censusNumber: cn, ...BOOK } })).status).to.equal(201);
    return admin;
  }

  /** Uploads the batch and waits until its first page has landed and others are still to come. */
  async function uploadAndWaitForFirstPage(admin: string): Promise<string> {
    const res = await service!.call('POST', `/api/records/${cn}/scans`, { token: admin, body: form(batch) });
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const id = res.body.job.id as string;
    const job = await until('the first page', async () => {
      const j = (await service!.call('GET', `/api/jobs/${id}`, { token: admin })).body;
      return j.files.some((f: any) => f.outcome === 'ingested') ? j : undefined;
    });
    expect(job.files.filter((f: any) => f.outcome === 'pending').length, 'the stop must land mid-batch').to.be.greaterThan(2);
    return id;
  }

  /** Stops the service with the signal and waits for it to exit: cleanly, after a SIGTERM. */
  async function stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    service!.kill(signal);
    const { code } = await service!.exited;
    if (signal === 'SIGTERM') expect(code).to.equal(0);
    service = undefined;
  }

  /** A SIGTERM while a batch is being ingested: the job as the catalogue file then has it, said to be interrupted by it. */
  async function terminatedMidBatch(env: Record<string, string> = {}) {
    const jobId = await uploadAndWaitForFirstPage(await catalogueWithBook(env));
    await stop('SIGTERM');
    const stopped = onDisk(jobId);
    expect(stopped.job.status).to.equal('interrupted');
    expect(stopped.job.reason).to.match(/SIGTERM/);
    return { jobId, stopped };
  }

  /** The job and the record as the catalogue file has them, with no service running. */
  function onDisk(jobId: string) {
    const db = new Database(path.join(dataDir, 'catalogue.sqlite'), { readonly: true });
    try {
      const job = JSON.parse(db.prepare('SELECT doc FROM jobs WHERE id = ?').pluck().get(jobId) as string);
      const record = JSON.parse(db.prepare('SELECT d.doc FROM records r JOIN record_docs d ON d.id = r.id WHERE r.census_number = ?').pluck().get(cn) as string);
      const pages = db.prepare('SELECT sequence FROM pages WHERE census_number = ? ORDER BY sequence').pluck().all(cn) as number[];
      return { job, record, pages };
    } finally {
      db.close();
    }
  }

  /** After a restart: the job ended as failed with a reason, and pages, count and receiving/ agree. */
  async function expectEndedTrue(jobId: string, reason: RegExp) {
    service = await startService(dataDir);
    const admin = await service.login('admin', SERVICE_ADMIN_PASSWORD);
    const job = (await service.call('GET', `/api/jobs/${jobId}`, { token: admin })).body;
    expect(job.status).to.equal('failed');
    expect(job.reason).to.match(reason);
    expect(job).not.to.have.property('runner');
    const ingested = job.files.filter((f: any) => f.outcome === 'ingested');
    expect(job.files.filter((f: any) => f.outcome === 'pending')).to.deep.equal([]);
    expect(job.files.filter((f: any) => f.outcome === 'failed').length).to.equal(batch.length - ingested.length);
    const record = (await service.call('GET', `/api/records/${cn}`, { token: admin })).body;
    expect(record.pages.map((p: any) => p.sequence)).to.deep.equal(ingested.map((_: unknown, i: number) => i + 1));
    expect(record.pageCount).to.equal(ingested.length);
    expect(readdirSync(path.join(dataDir, 'receiving'))).to.deep.equal([]);
    return { admin, job };
  }

  it('SIGTERM mid-batch: the page in hand lands, the job says it was interrupted and why, and the next start ends it', async () => {
    const { jobId, stopped } = await terminatedMidBatch();
    expect(stopped.job.reason).to.match(/files were not ingested/);
    const landed = stopped.job.files.filter((f: any) => f.outcome === 'ingested').length;
    expect(stopped.job.files.filter((f: any) => f.outcome === 'pending').length).to.equal(batch.length - landed);
    // The checkpoint noted the pages that landed: the count is true before any restart.
    expect(stopped.pages).to.deep.equal(Array.from({ length: landed }, (_, i) => i + 1));
    expect(stopped.record.pageCount).to.equal(landed);

    await expectEndedTrue(jobId, /SIGTERM/);
  });

  it('SIGTERM with no time to finish (GUJI_SHUTDOWN_SECONDS): the job is still kept as interrupted, and the next start ends it', async () => {
    const { jobId } = await terminatedMidBatch({ GUJI_SHUTDOWN_SECONDS: '0.01' });
    await expectEndedTrue(jobId, /SIGTERM/);
  });

  it('kill -9 mid-batch: the next start ends the job, makes the page count true and sweeps receiving/', async () => {
    const admin = await catalogueWithBook();
    const jobId = await uploadAndWaitForFirstPage(admin);
    await stop('SIGKILL');

    const killed = onDisk(jobId);
    expect(killed.job.status).to.equal('running');
    expect(killed.pages.length).to.be.greaterThan(0);
    expect(killed.record.pageCount ?? 0).not.to.equal(killed.pages.length);
    // The batch's uploads, and a stray file of an upload cut off, wait in receiving/.
    writeFileSync(path.join(dataDir, 'receiving', 'cut-off-upload.tif'), 'half a file');
    expect(readdirSync(path.join(dataDir, 'receiving')).length).to.be.greaterThan(1);

    const { admin: again } = await expectEndedTrue(jobId, /stopped/);
    // The recount is in the record's history, and the index follows it.
    const history = (await service!.call('GET', `/api/records/${cn}/history`, { token: again })).body.entries;
    expect(history.at(-1)).to.deep.include({ actor: 'guji (start-up check)', action: 'scan' });
  });

  it('SIGTERM during an import: it stops after the row in hand, says so, and the next start ends it as failed', async () => {
    const admin = await catalogueWithBook();
    // Enough rows that the import is still running when the stop comes, on a loaded machine too.
    const rows = Array.from({ length: 20000 }, (_, i) =>
      `430000-0001-${String(1000 + i).padStart(7, '0')},善${i},論語注疏十卷,明萬曆刻本,1,0001`);
    const sheet = ['普查编号,索书号,题名卷数,版本,册数,收藏单位', ...rows].join('\n');
    const body = new FormData();
    body.append('file', new Blob([sheet]), '普查.csv');
    const res = await service!.call('POST', '/api/imports', { token: admin, body, headers: { prefer: 'respond-async' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body).not.to.have.property('runner');
    const id = res.body.id as string;
    await until('rows to land', async () => {
      const job = (await service!.call('GET', `/api/imports/${id}`, { token: admin })).body;
      return job.rows > 5 ? job : undefined;
    });
    await stop('SIGTERM');

    const db = new Database(path.join(dataDir, 'catalogue.sqlite'), { readonly: true });
    const stopped = JSON.parse(db.prepare('SELECT doc FROM import_jobs WHERE id = ?').pluck().get(id) as string);
    const landed = (db.prepare('SELECT count(*) FROM records').pluck().get() as number) - 1;
    db.close();
    expect(stopped.status).to.equal('interrupted');
    expect(stopped.error.message).to.match(/SIGTERM/).and.to.match(/import the sheet again/);
    expect(landed).to.be.greaterThan(0).and.lessThan(rows.length);
    expect(stopped.error.message).to.contain(`${landed} created`);

    service = await startService(dataDir);
    const again = await service.login('admin', SERVICE_ADMIN_PASSWORD);
    const ended = (await service.call('GET', `/api/imports/${id}`, { token: again })).body;
    expect(ended.status).to.equal('failed');
    expect(ended.error).to.deep.include({ code: 'interrupted' });
    expect(ended.error.message).to.contain(`${landed} created`);
    expect(readdirSync(path.join(dataDir, 'receiving'))).to.deep.equal([]);
  });
});

describe('abuse: pages of one record', function () {
  this.timeout(120_000);
  let server: TestServer;
  let admin: string;
  let surveyor: string;
  let reviewer: string;
  const draft = '430000-0001-0000002';
  const published = '430000-0001-0000003';
  const scans = DEMO_LEAF_FILES.map((name) => ({ name, bytes: readFileSync(path.join(demoScans, name)) }));

  const upload = async (cn: string, files: { name: string; bytes: Buffer }[], token: string) => {
    const res = await fetch(`${server.url}/api/records/${cn}/scans`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form(files) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const finished = (id: string) => until(`job ${id}`, async () => {
    const job = (await server.call('GET', `/api/jobs/${id}`, { token: admin })).body;
    return job.status === 'done' ? job : undefined;
  });
  const etag = async (cn: string) => (await server.call('GET', `/api/records/${cn}`, { token: admin })).headers.get('etag')!;

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    for (const user of [
      { username: 'surveyor', password: 'Tortoise-ledger-51', role: 'surveyor', unit: '0001' },
      { username: 'reviewer', password: 'Heron-quarry-73', role: 'reviewer' },
    ]) expect((await server.call('POST', '/api/users', { token: admin, body: user })).status).to.equal(201);
    surveyor = await server.login('surveyor', 'Tortoise-ledger-51');
    reviewer = await server.login('reviewer', 'Heron-quarry-73');
    for (const cn of [draft, published]) {
      expect((await server.call('POST', '/api/records', { token: admin, body: { censusNumber: cn, ...BOOK } })).status).to.equal(201);
    }
    await finished((await upload(published, scans.slice(0, 2), admin)).body.job.id);
    await publish(server, published, admin, admin);
  });
  after(() => server.close());

  it('gives concurrent uploads to one record distinct, consecutive places and a true page count', async () => {
    const started = await Promise.all(scans.map((scan) => upload(draft, [scan], surveyor)));
    expect(started.map((s) => s.status)).to.deep.equal([202, 202, 202, 202]);
    const jobs = await Promise.all(started.map((s) => finished(s.body.job.id)));
    expect(jobs.map((j) => j.files[0].outcome)).to.deep.equal(['ingested', 'ingested', 'ingested', 'ingested']);
    expect(jobs.map((j) => j.files[0].sequence).sort()).to.deep.equal([1, 2, 3, 4]);
    const record = (await server.call('GET', `/api/records/${draft}`, { token: admin })).body;
    expect(record.pages.map((p: any) => p.sequence)).to.deep.equal([1, 2, 3, 4]);
    expect(record.pageCount).to.equal(4);
  });

  it("refuses a surveyor's changes to a published record's scans and structure (403 reviewer_required) and leaves its manifest alone", async () => {
    const manifest = async () => (await server.call('GET', `/iiif/${published}/manifest`)).body;
    const before = await manifest();
    expect(before.items).to.have.length(2);
    const pages = (await server.call('GET', `/api/records/${published}`)).body.pages as any[];
    const reversed = { pages: [...pages].reverse().map((p) => ({ imageId: p.imageId })) };
    const volumes = new FormData();
    volumes.append('volumes', new Blob([`册次,册名,文件\n1,第一册,${pages[1].filename}~${pages[0].filename}\n`]), 'volumes.csv');

    const refusals = [
      await upload(published, scans.slice(2, 3), surveyor),
      await server.call('PUT', `/api/records/${published}/structure`, { token: surveyor, body: reversed, headers: { 'if-match': await etag(published) } }),
      await fetch(`${server.url}/api/records/${published}/structure/sheets`, {
        method: 'POST', headers: { authorization: `Bearer ${surveyor}`, 'if-match': await etag(published) }, body: volumes,
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any })),
    ];
    for (const refusal of refusals) {
      expect(refusal.status).to.equal(403);
      expect(refusal.body.error.code).to.equal('reviewer_required');
      expect(refusal.body.error.message).to.match(/published/).and.to.match(/reviewer or an admin/);
    }
    expect(await manifest()).to.deep.equal(before);
    expect((await server.call('GET', `/api/records/${published}`)).body.pageCount).to.equal(2);

    // A reviewer may: the change is theirs to make, as publishing was.
    const arranged = await server.call('PUT', `/api/records/${published}/structure`, { token: reviewer, body: reversed, headers: { 'if-match': await etag(published) } });
    expect(arranged.status, JSON.stringify(arranged.body)).to.equal(200);
    const images = (m: any) => m.items.map((c: any) => c.items[0].items[0].body.id as string);
    expect(images(await manifest())).to.deep.equal(images(before).reverse());
  });
});
