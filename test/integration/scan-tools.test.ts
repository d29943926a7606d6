/**
 * The scan tools as an operator runs them: an ingest killed half-way and run again, fixity
 * checks that find damaged and missing masters, and derivatives made again from the masters.
 * Real processes, real SQLite, real sharp on the real 3446×5171 scans of ../shared/data (book5).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteCatalogueStore } from '../../src/adapters/embedded/sqlite-store.js';
import { dataDirWithRecord, root, runTool, toolEnv } from '../support/data-dir.js';

const book5 = path.resolve(root, '../shared/data/open-guji-cv-pages/book5');
const small = path.resolve(root, 'src/demo/scans');
const record = {
  censusNumber: '430000-0001-0000005', callNumber: '善005', titleStatement: '欽定四庫全書總目二百卷',
  creatorStatement: '（清）紀昀等撰', editionStatement: '清乾隆間武英殿刻本', volumeCount: 1, holdingUnit: '0001',
};

async function pagesOf(dataDir: string) {
  const store = new SqliteCatalogueStore(path.join(dataDir, 'catalogue.sqlite'));
  try {
    return (await store.pages.list(record.censusNumber)).map((p) => [p.sequence, p.filename, p.imageId]);
  } finally {
    await store.close();
  }
}

/** Large masters: book5 when the shared data is beside the project (it is on CI), else the small fixtures. */
function folderOfScans(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'guji-scans-'));
  const source = existsSync(book5) ? book5 : small;
  const files = readdirSync(source).filter((f) => f.endsWith('.png'));
  // Six pages: the three masters twice over, under page names in reading order.
  for (let i = 0; i < 6; i++) {
    const copy = path.join(folder, `卷一-${String(i + 1).padStart(3, '0')}.png`);
    copyFileSync(path.join(source, files[i % files.length]!), copy);
    // Distinct masters: the same bytes twice would be one image.
    if (i >= files.length) appendFileSync(copy, Buffer.from(`guji copy ${i}`));
  }
  return folder;
}

describe('scan tools', function () {
  this.timeout(180_000);
  const cleanup: string[] = [];
  after(() => cleanup.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('finishes a batch killed half-way with the same checksums and page order as an uninterrupted run', async () => {
    const folder = folderOfScans();
    const killed = dataDirWithRecord(record);
    const clean = dataDirWithRecord(record);
    cleanup.push(folder, killed, clean);

    // Kill the ingest (SIGKILL: no clean-up runs) once some, but not all, pages are in.
    const child = spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', folder, '--record', record.censusNumber], {
      cwd: root, env: toolEnv(killed), stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 120_000;
    let seen = 0;
    while (Date.now() < deadline) {
      seen = (await pagesOf(killed)).length;
      if (seen >= 2) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    await exited;
    const afterKill = await pagesOf(killed);
    expect(afterKill.length, 'killed half-way').to.be.within(2, 5);

    // Nothing half-written is visible: every derivatives folder is complete, every page has its master.
    const derivatives = path.join(killed, 'derivatives');
    for (const name of readdirSync(derivatives).filter((n) => /^[0-9a-f]{64}$/.test(n))) {
      for (const part of ['full.tif', 'tiles', 'access.jpg', 'thumbnail.jpg']) expect(existsSync(path.join(derivatives, name, part)), `${name}/${part}`).to.equal(true);
    }
    for (const [, , imageId] of afterKill) expect(existsSync(path.join(killed, 'masters', String(imageId).slice(0, 2)))).to.equal(true);

    const rerun = runTool(killed, 'ingest/cli.ts', folder, '--record', record.censusNumber);
    expect(rerun.status, rerun.stderr).to.equal(0);
    expect(rerun.stdout).to.contain(`${6 - afterKill.length} ingested, ${afterKill.length} skipped, 0 refused, 0 failed`);
    const whole = runTool(clean, 'ingest/cli.ts', folder, '--record', record.censusNumber);
    expect(whole.status, whole.stderr).to.equal(0);
    expect(await pagesOf(killed)).to.deep.equal(await pagesOf(clean));
    expect((await pagesOf(killed)).map((p) => p[1])).to.deep.equal(['卷一-001.png', '卷一-002.png', '卷一-003.png', '卷一-004.png', '卷一-005.png', '卷一-006.png']);
    // Staging left by the kill is swept at the next start.
    expect(readdirSync(derivatives).filter((n) => n.includes('.staging-'))).to.deep.equal([]);
  });

  it('reports damaged and missing masters (npm run fixity) and makes derivatives again (npm run rederive)', () => {
    const dataDir = dataDirWithRecord(record);
    cleanup.push(dataDir);
    const folder = mkdtempSync(path.join(tmpdir(), 'guji-scans-'));
    cleanup.push(folder);
    for (const f of ['1.png', '2.png', '3.png']) copyFileSync(path.join(small, f), path.join(folder, f));
    expect(runTool(dataDir, 'ingest/cli.ts', folder, '--record', record.censusNumber).status).to.equal(0);

    const ok = runTool(dataDir, 'scripts/fixity.ts');
    expect(ok.status).to.equal(0);
    expect(ok.stdout).to.contain('fixity: 3 masters re-hashed, 1 records checked, 0 problems');

    const masters = path.join(dataDir, 'masters');
    const damaged = path.join(masters, 'b7', 'b7f90b9fbd3ca8d5d5293898c3e999aa73836c3a791055231a3ebe6a7431d4dc.png');
    appendFileSync(damaged, 'x');
    const gone = path.join(masters, '27', '271edcf7f8fda2f4dfa94384516f96884b1b46444a857d5281a2a72a6b911b38.png');
    renameSync(gone, `${gone}.moved`);
    const bad = runTool(dataDir, 'scripts/fixity.ts');
    expect(bad.status).to.equal(1);
    expect(bad.stdout).to.contain('MISMATCH');
    expect(bad.stdout).to.contain('MISSING master 271edcf7f8fda2f4dfa94384516f96884b1b46444a857d5281a2a72a6b911b38 of 430000-0001-0000005 page 2 (2.png)');
    renameSync(`${gone}.moved`, gone);

    const access = path.join(dataDir, 'derivatives', 'ca22eddd520cdf5c4f572e2257419c625995647178ca611c2508baa89b0350bc', 'access.jpg');
    const before = statSync(access).mtimeMs;
    const again = runTool(dataDir, 'scripts/rederive.ts', 'ca22eddd520cdf5c4f572e2257419c625995647178ca611c2508baa89b0350bc');
    expect(again.status, again.stderr).to.equal(0);
    expect(again.stdout).to.contain('rederive: 1 images made again, 0 failed');
    expect(statSync(access).mtimeMs).to.be.greaterThan(before);
    expect(readdirSync(path.join(dataDir, 'derivatives')).filter((n) => n.includes('.old-'))).to.deep.equal([]);
  });
});
