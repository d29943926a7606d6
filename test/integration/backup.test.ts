/**
 * npm run backup and npm run restore as an operator runs them: real processes beside a running
 * service (real HTTP, real SQLite, a real scan), imports going on during the backup, a backup
 * killed with SIGKILL half-way, and restores into empty and non-empty data directories.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileScanStore } from '../../src/adapters/embedded/scan-files.js';
import { root, toolEnv } from '../support/data-dir.js';
import { ADMIN_PASSWORD, startTestServer, withLibrary, type TestServer } from '../support/http.js';

const HEAD = '普查编号,索书号,题名卷数,著者,版本,册数,收藏单位,定级,破损级别,破损类型';
const TITLES = ['周易本義四卷', '金華府志三十卷', '通書類聚四卷', '［萬曆］温州府志十八卷'];
const scans = path.join(root, 'src/demo/scans');

interface Tool {
  /** Resolves with the exit code, or the signal's name. */
  exited: Promise<number | string>;
  output(): string;
  /** Resolves when a line of the output matches. */
  waitFor(pattern: RegExp): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

/** Runs scripts/<name>.ts as `npm run <name>` does, without blocking this process's server. */
function tool(name: 'backup' | 'restore', dataDir: string, ...args: string[]): Tool {
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], { cwd: root, env: toolEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiting: { pattern: RegExp; resolve: () => void }[] = [];
  const take = (d: Buffer) => {
    output += d;
    for (const w of [...waiting]) {
      if (w.pattern.test(output)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal!)));
  return {
    exited,
    output: () => output,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(output)) return resolve();
        waiting.push({ pattern, resolve });
        void exited.then((code) => reject(new Error(`${name} exited (${code}) before ${pattern}:\n${output}`)));
      }),
    kill: (signal) => child.kill(signal),
  };
}

describe('backup and restore', function () {
  this.timeout(180_000);
  let source: TestServer;
  let admin: string;
  let backups: string;
  let next = 1;
  const scratch: string[] = [];

  /** Imports `rows` new records through POST /api/imports, as a surveyor's spreadsheet would. */
  async function importRows(rows: number): Promise<void> {
    const lines = Array.from({ length: rows }, () => {
      const n = next++;
      return `430000-0001-${String(n).padStart(7, '0')},資01-${n},${TITLES[n % TITLES.length]},（清）佚名撰,清刻本,${1 + (n % 9)},0001,,,`;
    });
    const form = new FormData();
    form.append('file', new Blob([[HEAD, ...lines].join('\n') + '\n']), '资阳区.csv');
    const res = await fetch(`${source.url}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(res.status, await res.clone().text()).to.equal(200);
  }

  /** GET /api/exports/records.jsonl as admin, once the search index has caught up. */
  async function exportOf(server: TestServer, token: string): Promise<string[]> {
    await server.services.indexer.catchUp();
    const res = await fetch(`${server.url}/api/exports/records.jsonl`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).to.equal(200);
    return (await res.text()).split('\n').filter(Boolean);
  }

  const censusNumberOf = (line: string) => JSON.stringify(JSON.parse(line)).match(/430000-0001-\d{7}/)![0];

  function emptyDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'guji-restored-'));
    scratch.push(dir);
    return dir;
  }

  /** Restores `from` into a new data directory and serves it; its export as admin. */
  async function restoredExport(from: string): Promise<{ lines: string[]; server: TestServer; token: string }> {
    const dataDir = emptyDir();
    const restore = tool('restore', dataDir, '--from', from);
    expect(await restore.exited, restore.output()).to.equal(0);
    expect(restore.output()).to.match(/restore: catalogue: \d+ records, checksum verified/).and.to.match(/search index: rebuilt/)
      .and.to.include('text index: emptied, refilled from the page text when the service starts');
    const server = await startTestServer({ dataDir });
    const token = await server.login('admin', ADMIN_PASSWORD);
    return { lines: await exportOf(server, token), server, token };
  }

  before(async () => {
    source = await startTestServer();
    admin = await withLibrary(source);
    backups = mkdtempSync(path.join(tmpdir(), 'guji-backups-'));
    await importRows(20);
    // One digitized book: its master must come back byte for byte, its derivatives be made again.
    const files = ['1.png', '2.png'].map((filename) => ({ filename, path: path.join(scans, filename), bytes: statSync(path.join(scans, filename)).size }));
    const actor = { username: 'admin', role: 'admin' as const, unit: null };
    const { job, batch } = await source.services.scans.createJob(actor, '430000-0001-0000001', files);
    const done = await source.services.scans.run(actor, job, batch);
    expect(done.files.map((f) => f.outcome)).to.deep.equal(['ingested', 'ingested']);
  });
  after(async () => {
    await source.close();
    for (const dir of [backups, ...scratch]) rmSync(dir, { recursive: true, force: true });
  });

  it('a backup taken during an import restores to a service whose export equals the source\'s at the backup point', async () => {
    const before = next - 1;
    const backup = tool('backup', source.dataDir, '--to', backups);
    const took = backup.waitFor(/backup: catalogue: /);
    let catalogued = false;
    let failed = false;
    void took.then(() => (catalogued = true), () => (failed = true));
    // Imports go on until the backup has taken the catalogue, and one more after it.
    while (!catalogued && !failed) await importRows(5);
    await importRows(5);
    expect(await backup.exited, backup.output()).to.equal(0);
    const total = next - 1;

    const manifest = JSON.parse(readFileSync(path.join(backups, 'manifest.json'), 'utf8'));
    const atBackup: number = manifest.catalogue.records;
    expect(atBackup).to.be.at.least(before).and.below(total);
    expect(manifest.masters.map((m: any) => m.sha256)).to.include.members([
      createHash('sha256').update(readFileSync(path.join(scans, '1.png'))).digest('hex'),
      createHash('sha256').update(readFileSync(path.join(scans, '2.png'))).digest('hex'),
    ]);

    const sourceLines = await exportOf(source, admin);
    expect(sourceLines).to.have.length(total);
    const { lines, server } = await restoredExport(backups);
    try {
      // One moment of the source: its first records, with nothing missing in between and every
      // line — each record's fields as written — as the source has it.
      expect(lines).to.have.length(atBackup);
      expect(lines.map(censusNumberOf)).to.deep.equal(sourceLines.slice(0, atBackup).map(censusNumberOf));
      expect(lines).to.deep.equal(sourceLines.slice(0, atBackup));
      // And the records themselves (status, version, stamps) and their history.
      const token = await server.login('admin', ADMIN_PASSWORD);
      for (const cn of [censusNumberOf(lines[0]!), censusNumberOf(lines.at(-1)!)]) {
        for (const tail of ['', '/history']) {
          const restored = await server.call('GET', `/api/records/${cn}${tail}`, { token });
          expect(restored.status).to.equal(200);
          expect(restored.body).to.deep.equal((await source.call('GET', `/api/records/${cn}${tail}`, { token: admin })).body);
        }
      }
      // The scans came back: the master, and derivatives made again for IIIF.
      const manifestOfBook = (await server.call('GET', '/iiif/430000-0001-0000001/manifest', { token })).body;
      const service = manifestOfBook.items[0].items[0].items[0].body.service[0].id.replace('http://guji.test', server.url) as string;
      const image = await fetch(`${service}/full/80,/0/default.jpg`, { headers: { authorization: `Bearer ${token}` } });
      expect(image.status).to.equal(200);
    } finally {
      await server.close();
    }
  });

  it('a backup killed half-way (SIGKILL) leaves the previous backup whole and restorable; the next one completes', async () => {
    const first = tool('backup', source.dataDir, '--to', backups);
    expect(await first.exited, first.output()).to.equal(0);
    const committed = readFileSync(path.join(backups, 'manifest.json'), 'utf8');
    const atFirst = await exportOf(source, admin);

    // More records, and a large master, so that the next backup is surely cut short copying it.
    await importRows(10);
    const big = path.join(emptyDir(), 'big.tif');
    const bytes = randomBytes(48 * 2 ** 20);
    writeFileSync(big, bytes);
    const bigSha = createHash('sha256').update(bytes).digest('hex');
    await new FileScanStore(source.dataDir).keepMaster(big, bigSha, 'tif');

    const killed = tool('backup', source.dataDir, '--to', backups);
    await killed.waitFor(/backup: masters: copying/);
    killed.kill('SIGKILL');
    expect(await killed.exited).to.equal('SIGKILL');
    // It was cut short: the previous manifest stands, beside what the killed backup left.
    expect(readFileSync(path.join(backups, 'manifest.json'), 'utf8')).to.equal(committed);
    expect(readdirSync(path.join(backups, 'snapshots')).some((n) => n.includes('.partial-')), killed.output()).to.equal(true);

    const { lines, server } = await restoredExport(backups);
    try {
      expect(lines).to.deep.equal(atFirst);
    } finally {
      await server.close();
    }

    // The next backup sweeps what the killed one left and completes, with the large master.
    const again = tool('backup', source.dataDir, '--to', backups);
    expect(await again.exited, again.output()).to.equal(0);
    const manifest = JSON.parse(readFileSync(path.join(backups, 'manifest.json'), 'utf8'));
    expect(manifest.masters.map((m: any) => m.sha256)).to.include(bigSha);
    expect(readdirSync(path.join(backups, 'snapshots')).filter((n) => n.includes('.partial-'))).to.deep.equal([]);
    const bigCopy = path.join(backups, 'masters', bigSha.slice(0, 2));
    expect(readdirSync(bigCopy).filter((n) => n.includes('.partial-'))).to.deep.equal([]);
    expect(statSync(path.join(bigCopy, `${bigSha}.tif`)).size).to.equal(bytes.length);
    // Three backups are kept unless told otherwise.
    expect(readdirSync(path.join(backups, 'snapshots'))).to.have.length.at.most(3);
  });

  it('refuses to restore into a data directory that holds anything, and changes nothing there', async () => {
    const dataDir = emptyDir();
    writeFileSync(path.join(dataDir, 'notes.txt'), '資料');
    const restore = tool('restore', dataDir, '--from', backups);
    expect(await restore.exited).to.equal(1);
    expect(restore.output()).to.include(`DATA_DIR ${dataDir} is not empty`).and.to.include('notes.txt');
    expect(readdirSync(dataDir)).to.deep.equal(['notes.txt']);
  });

  it('refuses a backup whose master is damaged, and leaves the data directory empty', async () => {
    const copy = emptyDir();
    rmSync(copy, { recursive: true });
    // A copy of the backup directory, one master flipped by a byte.
    const { cpSync } = await import('node:fs');
    cpSync(backups, copy, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(copy, 'manifest.json'), 'utf8'));
    const damaged = path.join(copy, manifest.masters[0].file);
    const data = readFileSync(damaged);
    data.writeUInt8(data.readUInt8(data.length - 1) ^ 0xff, data.length - 1);
    writeFileSync(damaged, data);
    const dataDir = emptyDir();
    const restore = tool('restore', dataDir, '--from', copy);
    expect(await restore.exited).to.equal(1);
    expect(restore.output()).to.include(`master ${manifest.masters[0].file} of the backup is damaged`);
    expect(readdirSync(dataDir)).to.deep.equal([]);
    expect(existsSync(path.join(dataDir, 'catalogue.sqlite'))).to.equal(false);
  });
});
