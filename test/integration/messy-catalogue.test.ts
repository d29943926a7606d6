/**
 * A real, messy catalogue of 10,000 rows (scripts/messy-catalogue.ts: the Kanseki Repository's
 * works as the district's copies, written as surveyors write them, with mistakes planted at known
 * rows) through POST /api/imports: every planted mistake is named by row and column with its
 * reason and nothing else is refused; a second import finds every row unchanged; an export
 * imports back unchanged.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { messyCatalogue, MESSY_UNITS, toCsv } from '../../scripts/messy-catalogue.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';

describe('a messy catalogue of 10,000 rows', function () {
  this.timeout(300_000);
  let server: TestServer;
  let admin: string;
  const { rows, expected } = messyCatalogue(10_000);
  const sheet = Buffer.from(toCsv(rows));

  async function importFile(name: string, bytes: Buffer) {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    const res = await fetch(`${server.url}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    return { status: res.status, body: (await res.json()) as any };
  }
  const total = async () => (await server.call('GET', '/api/records?pageSize=1', { token: admin })).body.total;

  before(async () => {
    server = await startTestServer();
    admin = await server.login('admin', ADMIN_PASSWORD);
    for (const unit of MESSY_UNITS) await server.call('POST', '/api/units', { token: admin, body: { province: '430000', ...unit } });
  });
  after(() => server.close());

  it('lands every good row and names every planted mistake by row and column, with its reason', async () => {
    expect(rows.length - 1).to.equal(10_000);
    const res = await importFile('资阳区普查登记.csv', sheet);
    expect(res.status).to.equal(200);
    const named = [...new Map(res.body.problems.map((p: any) => [`${p.row} ${p.column}`, p])).values()] as any[];
    expect(named.map((p) => ({ row: p.row, column: p.column }))).to.deep.equal(expected);
    for (const p of res.body.problems) expect(p.problem, JSON.stringify(p)).to.be.a('string').and.not.equal('');
    expect(res.body).to.deep.include({ rows: 10_000, rejected: expected.length, created: 10_000 - expected.length, updated: 0, unchanged: 0 });
    expect(await total()).to.equal(10_000 - expected.length);
  });

  it('finds every row unchanged on a second import, and writes nothing', async () => {
    const history = (await server.call('GET', '/api/records/430000-0001-0000002/history', { token: admin })).body.entries.length;
    const res = await importFile('资阳区普查登记.csv', sheet);
    expect(res.body).to.deep.include({ created: 0, updated: 0, unchanged: 10_000 - expected.length, rejected: expected.length });
    expect(await total()).to.equal(10_000 - expected.length);
    expect((await server.call('GET', '/api/records/430000-0001-0000002/history', { token: admin })).body.entries).to.have.length(history);
  });

  it('runs as a job with progress when asked to answer at once (Prefer: respond-async)', async () => {
    const form = new FormData();
    form.append('file', new Blob([sheet]), '资阳区普查登记.csv');
    const res = await fetch(`${server.url}/api/imports?dryRun=true`, {
      method: 'POST', headers: { authorization: `Bearer ${admin}`, prefer: 'respond-async' }, body: form,
    });
    expect(res.status).to.equal(202);
    expect(res.headers.get('preference-applied')).to.equal('respond-async');
    const started = (await res.json()) as any;
    expect(res.headers.get('location')).to.equal(`http://guji.test/api/imports/${started.id}`);
    expect(started).to.deep.include({ status: 'running', dryRun: true, filename: '资阳区普查登记.csv', report: null });
    const seen: { rows: number; read: number }[] = [];
    let job: any;
    for (let i = 0; i < 600; i++) {
      job = (await server.call('GET', `/api/imports/${started.id}`, { token: admin })).body;
      seen.push({ rows: job.rows, read: job.read });
      if (job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(job.status).to.equal('done');
    expect(job.report).to.deep.include({ dryRun: true, rows: 10_000, unchanged: 10_000 - expected.length, rejected: expected.length });
    expect(job).to.deep.include({ rows: 10_000, read: 1 });
    // The uploaded sheet is removed once the job ends.
    const receiving = path.join(server.dataDir, 'receiving');
    for (let i = 0; i < 50 && readdirSync(receiving).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(receiving)).to.deep.equal([]);
    // Progress only goes forward.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.rows).to.be.at.least(seen[i - 1]!.rows);
    expect(seen.some((s) => s.rows > 0 && s.rows < 10_000), JSON.stringify(seen.slice(0, 5))).to.equal(true);
    // Someone else's import is not theirs to see.
    await server.call('POST', '/api/users', { token: admin, body: { username: 'li', password: 'reviewer-password-1', role: 'reviewer' } });
    const other = await server.login('li', 'reviewer-password-1');
    expect((await server.call('GET', `/api/imports/${started.id}`, { token: other })).status).to.equal(404);
    expect((await server.call('GET', `/api/imports/${started.id}`)).status).to.equal(401);
  });

  it('exports the catalogue, which imports back with every row unchanged', async () => {
    const res = await fetch(`${server.url}/api/exports/records.xlsx`, { headers: { authorization: `Bearer ${admin}` } });
    const back = await importFile('records.xlsx', Buffer.from(await res.arrayBuffer()));
    expect(back.body).to.deep.include({ rows: 10_000 - expected.length, unchanged: 10_000 - expected.length, created: 0, updated: 0, rejected: 0 });
  });
});
