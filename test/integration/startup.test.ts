/**
 * The service as `npm start` runs it: a real process on a real data directory. Checks the first
 * start (admin, demo catalogue), a restart on the same directory, GUJI_DEMO=0, and a
 * misconfiguration reported all at once with a non-zero exit.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  port: number;
  stop(): Promise<number | null>;
}

async function start(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 30_000;
  while (!output.includes('guji serving')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child, port, output: () => output,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('starting the service', function () {
  this.timeout(60_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'guji-start-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates an admin with a password shown once and loads the demo catalogue once', async () => {
    const first = await start({ DATA_DIR: dataDir });
    const password = /with the password: (\S+)/.exec(first.output())?.[1];
    expect(password, first.output()).to.be.a('string');
    const health = (await (await fetch(`http://127.0.0.1:${first.port}/health`)).json()) as any;
    expect(health).to.deep.include({ status: 'ok' });
    const published = (await (await fetch(`http://127.0.0.1:${first.port}/api/records?pageSize=1`)).json()) as any;
    expect(published.total).to.be.greaterThan(200);
    // One demo book is digitized: its four pages open as IIIF images through its manifest.
    const digitized = (await (await fetch(`http://127.0.0.1:${first.port}/api/search?digitized=true`)).json()) as any;
    expect(digitized.hits.map((h: any) => h.censusNumber)).to.deep.equal(['430000-0001-0009001']);
    const manifest = (await (await fetch(`http://127.0.0.1:${first.port}/iiif/430000-0001-0009001/manifest`)).json()) as any;
    expect(manifest.items).to.have.length(4);
    const service = manifest.items[3].items[0].items[0].body.service[0].id as string;
    const image = await fetch(`${service}/full/200,/0/default.jpg`);
    expect(image.status).to.equal(200);
    expect(image.headers.get('content-type')).to.equal('image/jpeg');
    const login = await fetch(`http://127.0.0.1:${first.port}/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).to.equal(201);
    const { token } = (await login.json()) as any;
    const all = (await (await fetch(`http://127.0.0.1:${first.port}/api/records?pageSize=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    expect(all.total).to.be.greaterThan(published.total);
    expect(await first.stop()).to.equal(0);

    const second = await start({ DATA_DIR: dataDir });
    expect(second.output()).not.to.match(/password|demo catalogue/);
    const again = (await (await fetch(`http://127.0.0.1:${second.port}/api/records?pageSize=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    expect(again.total).to.equal(all.total);
    await second.stop();
  });

  it('starts empty with GUJI_DEMO=0 and the chosen admin password', async () => {
    const running = await start({ DATA_DIR: dataDir, GUJI_DEMO: '0', GUJI_ADMIN_USER: 'curator', GUJI_ADMIN_PASSWORD: 'chosen-password-1' });
    expect(running.output()).to.contain('Created the admin account "curator".');
    expect(running.output()).not.to.contain('chosen-password-1');
    const units = (await (await fetch(`http://127.0.0.1:${running.port}/api/units`)).json()) as any;
    expect(units.units).to.deep.equal([]);
    await running.stop();
  });

  it('reports every configuration problem at once and exits non-zero', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, PORT: 'x', GUJI_DEMO: 'maybe', MEILI_URL: 'nowhere' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (d) => (output += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).to.equal(1);
    expect(output).to.contain('PORT').and.to.contain('GUJI_DEMO').and.to.contain('MEILI_URL');
  });
});
