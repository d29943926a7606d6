/**
 * What a browser is told, and what a client learns of the server: security headers per kind of
 * response, /health without paths, and disk faults answered 507/503 without the server's paths.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import express from 'express';
import { errorHandler } from '../../src/http/errors.js';
import { securityHeaders } from '../../src/http/security-headers.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { fieldsOf } from '../support/records.js';

describe('web safety', function () {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('staff and reading pages may not be framed by another site and run only our scripts', async () => {
    for (const page of ['/', '/login', '/review', '/admin', '/browse', '/records/430000-0001-0000001']) {
      const res = await server.call('GET', page);
      // A record the public may not read is 404, its page still there for staff's script.
      expect(res.status, page).to.equal(page.startsWith('/records/') ? 404 : 200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, page).to.include("frame-ancestors 'none'").and.to.include("script-src 'self'").and.to.include("object-src 'none'");
      expect(res.headers.get('x-frame-options'), page).to.equal('DENY');
      expect(res.headers.get('referrer-policy'), page).to.equal('strict-origin-when-cross-origin');
      expect(res.headers.get('x-content-type-options'), page).to.equal('nosniff');
    }
  });

  it('the viewer page stays embeddable in other sites', async () => {
    const res = await server.call('GET', '/viewer?manifest=x');
    expect(res.headers.get('content-security-policy')).to.include("script-src 'self'").and.not.to.include('frame-ancestors');
    expect(res.headers.get('x-frame-options')).to.equal(null);
  });

  it('API and IIIF answers are data that no browser renders as a document', async () => {
    for (const url of ['/api/search?q=x', '/iiif/3/0000/info.json', '/api/nothing-here']) {
      const res = await server.call('GET', url);
      expect(res.headers.get('content-security-policy'), url).to.equal("default-src 'none'; frame-ancestors 'none'");
    }
  });

  it('sends HSTS only when the service is reached over HTTPS', async () => {
    expect((await server.call('GET', '/')).headers.get('strict-transport-security')).to.equal(null);
    const app = express().use(securityHeaders({ https: true })).get('/', (_req, res) => res.send('ok'));
    const listening = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listening.once('listening', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(listening.address() as { port: number }).port}/`);
      expect(res.headers.get('strict-transport-security')).to.equal('max-age=31536000');
    } finally {
      listening.close();
    }
  });

  it('/health names the engines but no file path', async () => {
    const res = await server.call('GET', '/health');
    expect(res.body).to.deep.equal({ status: 'ok', store: 'SQLite', search: 'SQLite' });
    expect(JSON.stringify(res.body)).not.to.include(server.dataDir);
  });

  it('a real ENOSPC from the kernel becomes 507 storage_full without the path, and is logged whole', async () => {
    const logged: unknown[] = [];
    const app = express()
      .get('/write', () => writeFileSync(path.join('/dev/full'), 'x'))
      .use(errorHandler((_m, e) => logged.push(e)));
    const listening = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listening.once('listening', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(listening.address() as { port: number }).port}/write`);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status).to.equal(507);
      expect(body.error.code).to.equal('storage_full');
      expect(body.error.message).not.to.include('/dev');
      expect(logged).to.have.length(1);
    } finally {
      listening.close();
    }
  });

  // A data directory on a 2-MiB tmpfs filled to the last byte: the service's own SQLite write
  // meets a real full disk. Mounting needs root, which the tests and CI run as.
  it('on a full disk a record or a sheet upload answers 507 and nothing half-exists', async function () {
    const mountPoint = mkdtempSync(path.join(tmpdir(), 'guji-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint]);
    let full: TestServer | null = null;
    try {
      full = await startTestServer({ dataDir: mountPoint });
      const admin = await withLibrary(full);
      // Fill what is left, then try to write.
      try {
        writeFileSync(path.join(mountPoint, 'ballast'), Buffer.alloc(4 * 2 ** 20));
      } catch (e) {
        expect((e as NodeJS.ErrnoException).code).to.equal('ENOSPC');
      }
      let res;
      let refused = '';
      for (let i = 1; i <= 60; i++) {
        refused = `430000-0001-00000${String(i).padStart(2, '0')}`;
        res = await full.call('POST', '/api/records', { token: admin, body: fieldsOf(refused, { notes: '注'.repeat(9_000), abstract: '提'.repeat(19_000) }) });
        if (res.status !== 201) break;
      }
      expect(res!.status, JSON.stringify(res!.body)).to.equal(507);
      expect(res!.body.error.code).to.equal('storage_full');
      expect(JSON.stringify(res!.body)).not.to.include(mountPoint);
      rmSync(path.join(mountPoint, 'ballast'));
      expect((await full.call('GET', `/api/records/${refused}`, { token: admin })).status).to.equal(404);
      // A sheet received onto the full disk.
      const form = new FormData();
      form.append('file', new Blob(['普查编号,题名卷数\n' + '430000-0001-0000099,論語\n'.repeat(200_000)]), 'sheet.csv');
      const upload = await fetch(`${full.url}/api/imports?dryRun=true`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
      const answer = await upload.text();
      expect(upload.status, answer).to.equal(507);
      expect(answer).to.include('storage_full').and.not.to.include(mountPoint);
      expect(await full.store.records.history(refused)).to.deep.equal([]);
    } finally {
      await full?.close().catch(() => {});
      // Detached at once; the kernel lets it go when the last handle closes.
      execFileSync('umount', ['--lazy', mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });
});
