/**
 * The sweep of staging a stopped process left (FileScanStore.sweep, run by every tool as it
 * opens the data directory): on real files, what a live process is writing stays — a command-line
 * tool starting beside the service must not take the service's half-made derivatives or masters
 * from under it — and what a stopped process left, or what a rebuild moved aside, goes.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileScanStore } from '../../src/adapters/embedded/scan-files.js';

const SHA = 'ab'.padEnd(64, '0');

describe('sweeping what stopped processes left in the scan folders', () => {
  let dataDir: string;
  let live: ChildProcess;
  let deadPid: number;

  before(async () => {
    // A process that is running (another tool, the service) and one that has ended.
    live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    const ended = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => ended.once('exit', resolve));
    deadPid = ended.pid!;
  });
  after(() => {
    live.kill();
  });
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'guji-sweep-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps what a live process is writing and removes what a stopped one left, and what a rebuild moved aside', async () => {
    const derivatives = path.join(dataDir, 'derivatives');
    const masters = path.join(dataDir, 'masters', 'ab');
    mkdirSync(path.join(derivatives, SHA), { recursive: true });
    for (const name of [`${SHA}.staging-${live.pid}-0a1b2c3d`, `${SHA}.staging-${process.pid}-0a1b2c3d`, `${SHA}.staging-${deadPid}-0a1b2c3d`, `${SHA}.staging-0a1b2c3d`, `${SHA}.old-0a1b2c3d`]) {
      mkdirSync(path.join(derivatives, name, 'tiles'), { recursive: true });
      writeFileSync(path.join(derivatives, name, 'full.tif'), 'half made');
    }
    mkdirSync(masters, { recursive: true });
    for (const name of [`${SHA}.tif`, `${SHA}.tif.part-${live.pid}-0a1b2c3d`, `${SHA}.tif.part-${deadPid}-0a1b2c3d`, `${SHA}.tif.part-0a1b2c3d`]) writeFileSync(path.join(masters, name), 'bytes');

    await new FileScanStore(dataDir).sweep();

    expect(readdirSync(derivatives).sort()).to.deep.equal([SHA, `${SHA}.staging-${live.pid}-0a1b2c3d`, `${SHA}.staging-${process.pid}-0a1b2c3d`].sort());
    expect(readdirSync(masters).sort()).to.deep.equal([`${SHA}.tif`, `${SHA}.tif.part-${live.pid}-0a1b2c3d`].sort());
  });

  it('names what it writes by its own process, so that another process\'s sweep leaves it', async () => {
    const store = new FileScanStore(dataDir);
    let seen: string[] = [];
    await store.writeDerivatives(SHA, async (folder) => {
      seen = readdirSync(path.dirname(folder)).filter((n) => n.includes('.staging-'));
      // Another process's sweep, while this one is writing.
      await new FileScanStore(dataDir).sweep();
      writeFileSync(path.join(folder, 'full.tif'), 'made');
    });
    expect(seen).to.have.length(1);
    expect(seen[0]).to.match(new RegExp(`^${SHA}\\.staging-${process.pid}-[0-9a-f]{8}$`));
    expect(readdirSync(path.join(dataDir, 'derivatives'))).to.deep.equal([SHA]);
  });
});
