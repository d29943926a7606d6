/**
 * The service as production runs it: `npm run build` compiles it to dist/, and plain Node runs
 * the JavaScript (no tsx) on a fresh data directory — the pages, the demo catalogue's files
 * (read relative to the compiled modules), the search worker thread and an image.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root } from '../support/data-dir.js';
import { SERVICE_ADMIN_PASSWORD } from '../support/service-process.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('the compiled service (npm run build, then node dist/main.js)', function () {
  this.timeout(120_000);
  let dataDir: string;
  before(() => {
    const built = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
    expect(built.status, built.stdout + built.stderr).to.equal(0);
    dataDir = mkdtempSync(path.join(tmpdir(), 'guji-dist-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('emits JavaScript only, and serves /health, a page, the demo manifest, an image and search', async () => {
    expect(existsSync(path.join(root, 'dist/main.js'))).to.equal(true);
    expect(existsSync(path.join(root, 'dist/adapters/embedded/search-worker.js'))).to.equal(true);
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: root,
      // No tsx anywhere: a module left in TypeScript would fail to load.
      env: { ...process.env, NODE_OPTIONS: '', DATA_DIR: dataDir, PORT: String(port), GUJI_ADMIN_PASSWORD: SERVICE_ADMIN_PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes('guji serving')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const base = `http://127.0.0.1:${port}`;
      const health = (await (await fetch(`${base}/health`)).json()) as any;
      expect(health.status).to.equal('ok');
      const page = await fetch(`${base}/`);
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.match(/^text\/html/);
      // Search answers from the worker thread, which runs compiled too.
      const digitized = (await (await fetch(`${base}/api/search?digitized=true`)).json()) as any;
      expect(digitized.hits.map((h: any) => h.censusNumber)).to.deep.equal(['430000-0001-0009001']);
      const manifest = (await (await fetch(`${base}/iiif/430000-0001-0009001/manifest`)).json()) as any;
      expect(manifest.items).to.have.length(4);
      const service = manifest.items[0].items[0].items[0].body.service[0].id as string;
      const image = await fetch(`${service}/full/100,/0/default.jpg`);
      expect(image.status).to.equal(200);
      expect(image.headers.get('content-type')).to.equal('image/jpeg');
      const viewer = await fetch(`${base}/vendor/mirador.min.js`);
      expect(viewer.status).to.equal(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
