/**
 * Accounts under hostile use (issue 12), over real HTTP with a real SQLite file: password
 * guessing, weak passwords, a sign-in flood against file serving, accounts an admin must stop,
 * private details of holders, and sign-in attempts from several client addresses (the loopback
 * network 127.0.0.0/8: each 127.x.y.z is a different client to the server).
 */
import { expect } from 'chai';
import { request } from 'node:http';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A request from the client address `from` (a fresh connection bound to it). */
function callFrom(server: TestServer, from: string, method: string, pathname: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      server.url + pathname,
      { method, localAddress: from, agent: false, headers: payload ? { 'content-type': 'application/json' } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, headers: res.headers, body: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const signInFrom = (server: TestServer, from: string, username: string, password: string) =>
  callFrom(server, from, 'POST', '/api/session', { username, password });

describe('accounts under hostile use', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;

  async function createUser(username: string, password: string, role = 'reviewer'): Promise<void> {
    const res = await server.call('POST', '/api/users', { token: admin, body: { username, password, role } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
  }

  beforeEach(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
  });
  afterEach(() => server.close());

  it('throttles guessing at one account with 429 and Retry-After, yet lets its owner in from elsewhere', async () => {
    await createUser('wang', 'moon-gate-river-7');
    for (let i = 0; i < 5; i++) expect((await signInFrom(server, '127.0.0.2', 'wang', `guess-number-${i}`)).status).to.equal(401);
    // Past the free failures even the right password waits: a guesser learns nothing by trying it.
    const throttled = await signInFrom(server, '127.0.0.2', 'wang', 'moon-gate-river-7');
    expect(throttled.status).to.equal(429);
    expect(throttled.body.error.code).to.equal('rate_limited');
    expect(Number(throttled.headers['retry-after'])).to.be.at.least(1);
    // The owner at another address is not locked out by the attacker's failures.
    expect((await signInFrom(server, '127.0.0.3', 'wang', 'moon-gate-river-7')).status).to.equal(201);
  });

  it('throttles one address guessing at many accounts, and no other address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await signInFrom(server, '127.0.0.4', `user${i}`, 'guess-number-1')).status);
    // Ten a minute: the bucket refills one attempt every 6 s.
    expect(statuses.slice(0, 10)).to.deep.equal(Array(10).fill(401));
    expect(statuses.at(-1)).to.equal(429);
    const throttled = await signInFrom(server, '127.0.0.4', 'admin', 'whatever-it-is');
    expect(throttled.status).to.equal(429);
    expect(Number(throttled.headers['retry-after'])).to.be.within(1, 6);
    // A burst from the throttled address is refused before any password is hashed: no 401
    // (checked) and no 503 (queued for checking) among the answers.
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => signInFrom(server, '127.0.0.4', `user${i}`, 'another-guess')));
    expect(new Set(burst.map((r) => r.status))).to.deep.equal(new Set([429]));
    expect((await signInFrom(server, '127.0.0.5', 'user1', 'guess-number-1')).status).to.equal(401);
  });

  it('answers a throttled client after a pause, so one that waits for each answer cannot loop at full speed', async () => {
    for (let i = 0; i < 10; i++) await signInFrom(server, '127.0.0.6', `user${i}`, 'guess-number-1');
    let answers = 0;
    const until = Date.now() + 2000;
    while (Date.now() < until) {
      expect((await signInFrom(server, '127.0.0.6', 'user1', 'guess-number-2')).status).to.equal(429);
      answers += 1;
    }
    // Answered at once, a loop on loopback gets hundreds of answers in two seconds.
    expect(answers).to.be.within(1, 3);
  });

  it('does not let a sign-in flood starve file serving, and answers 503 with Retry-After when too many wait', async () => {
    // Each attempt from its own address at its own unknown user, so that no throttle stops
    // them: every one needs a password hash.
    const order: string[] = [];
    const flood = Array.from({ length: 32 }, (_, i) =>
      signInFrom(server, `127.0.1.${i + 1}`, `nobody${i}`, 'guess-number-1').then((r) => {
        order.push(String(r.status));
        return r;
      }),
    );
    // Once the first password check has finished, fetch a static file. Unbounded, scrypt jobs
    // fill libuv's thread pool ahead of the file's reads, which then wait for nearly all of them.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (order.includes('401')) {
          clearInterval(check);
          resolve();
        }
      }, 1);
    });
    const file = await fetch(`${server.url}/site.css`).then(async (r) => {
      await r.text();
      order.push('file');
      return r.status;
    });
    const answers = await Promise.all(flood);
    expect(file).to.equal(200);
    const checkedBeforeFile = order.slice(0, order.indexOf('file')).filter((s) => s === '401').length;
    expect(checkedBeforeFile, order.join(' ')).to.be.at.most(3);
    const overloaded = answers.filter((r) => r.status === 503);
    expect(overloaded.length).to.be.greaterThan(0);
    expect(overloaded[0]!.body.error.code).to.equal('overloaded');
    expect(Number(overloaded[0]!.headers['retry-after'])).to.be.at.least(1);
    expect(answers.filter((r) => r.status !== 503).every((r) => r.status === 401)).to.equal(true);
  });

  it('refuses trivial and common passwords and ones holding the user name, saying so under password', async () => {
    for (const [password, why] of [
      ['aaaaaaaaaa', /repeated/],
      ['1234567890', /sequence|commonly used/],
      ['qwertyuiop', /commonly used/],
      ['zhaoyun-2026', /user name/],
    ] as const) {
      const res = await server.call('POST', '/api/users', { token: admin, body: { username: 'zhaoyun', password, role: 'reviewer' } });
      expect(res.status, password).to.equal(400);
      const problems = res.body.error.details.filter((d: any) => d.field === 'password').map((d: any) => d.problem);
      expect(problems.join('; '), password).to.match(why);
    }
    await createUser('zhaoyun', 'red-cliff-ferry-9');
    const reset = await server.call('PUT', '/api/users/zhaoyun/password', { token: admin, body: { password: 'iloveyou12' } });
    expect(reset.status).to.equal(400);
    expect(reset.body.error.details).to.deep.equal([{ field: 'password', problem: 'is a commonly used password (it is on a list of leaked passwords); choose another' }]);
  });

  it('lets an admin disable and enable a user, reset a password and end sessions; a user changes their own', async () => {
    await createUser('zhou', 'spring-river-flower-1');
    const first = await server.login('zhou', 'spring-river-flower-1');
    const second = await server.login('zhou', 'spring-river-flower-1');
    const still = async (token: string) => (await server.call('GET', '/api/session', { token })).status;

    // Only an admin changes accounts, and not their own into a disabled one.
    expect((await server.call('PATCH', '/api/users/admin', { token: first, body: { disabled: true } })).status).to.equal(403);
    expect((await server.call('PUT', '/api/users/admin/password', { token: first, body: { password: 'taken-over-now-1' } })).status).to.equal(403);
    expect((await server.call('DELETE', '/api/users/admin/sessions', { token: first })).status).to.equal(403);
    const self = await server.call('PATCH', '/api/users/admin', { token: admin, body: { disabled: true } });
    expect(self.status).to.equal(400);
    expect(self.body.error.details[0].field).to.equal('disabled');
    expect((await server.call('PATCH', '/api/users/nobody', { token: admin, body: { disabled: true } })).status).to.equal(404);

    // Disabled: sessions stop at once, sign-in fails even with the right password.
    const disabled = await server.call('PATCH', '/api/users/zhou', { token: admin, body: { disabled: true } });
    expect(disabled.status).to.equal(200);
    expect(disabled.body).to.include({ username: 'zhou', disabled: true });
    expect([await still(first), await still(second)]).to.deep.equal([401, 401]);
    expect((await server.call('POST', '/api/session', { body: { username: 'zhou', password: 'spring-river-flower-1' } })).status).to.equal(401);
    const listed = (await server.call('GET', '/api/users', { token: admin })).body.users.find((u: any) => u.username === 'zhou');
    expect(listed.disabled).to.equal(true);
    expect((await server.call('PATCH', '/api/users/zhou', { token: admin, body: { disabled: false } })).body.disabled).to.equal(false);

    // Ending every session.
    const a = await server.login('zhou', 'spring-river-flower-1');
    const b = await server.login('zhou', 'spring-river-flower-1');
    const revoked = await server.call('DELETE', '/api/users/zhou/sessions', { token: admin });
    expect(revoked.body).to.deep.equal({ revoked: 2 });
    expect([await still(a), await still(b), await still(admin)]).to.deep.equal([401, 401, 200]);

    // A reset by the admin ends the user's sessions; the old password no longer works.
    const c = await server.login('zhou', 'spring-river-flower-1');
    expect((await server.call('PUT', '/api/users/zhou/password', { token: admin, body: { password: 'autumn-moon-lake-2' } })).status).to.equal(204);
    expect(await still(c)).to.equal(401);
    expect((await server.call('POST', '/api/session', { body: { username: 'zhou', password: 'spring-river-flower-1' } })).status).to.equal(401);

    // The user changes their own: the current password is needed, this session stays, the others end.
    const mine = await server.login('zhou', 'autumn-moon-lake-2');
    const other = await server.login('zhou', 'autumn-moon-lake-2');
    const missing = await server.call('PUT', '/api/users/zhou/password', { token: mine, body: { password: 'winter-snow-pine-3' } });
    expect(missing.body.error.details).to.deep.equal([{ field: 'currentPassword', problem: 'is required' }]);
    const wrong = await server.call('PUT', '/api/users/zhou/password', { token: mine, body: { password: 'winter-snow-pine-3', currentPassword: 'not-my-password-9' } });
    expect(wrong.body.error.details).to.deep.equal([{ field: 'currentPassword', problem: 'is not the current password' }]);
    const changed = await server.call('PUT', '/api/users/zhou/password', { token: mine, body: { password: 'winter-snow-pine-3', currentPassword: 'autumn-moon-lake-2' } });
    expect(changed.status).to.equal(204);
    expect([await still(mine), await still(other)]).to.deep.equal([200, 401]);
    expect(await server.login('zhou', 'winter-snow-pine-3')).to.be.a('string');
  });

  it("shows a holder's address and contact to staff only", async () => {
    const holder = { province: '430000', code: '0009', name: '王氏藏書樓', kind: '私人', address: '资阳区某街 12 号', contact: '王先生 138 0000 0000' };
    expect((await server.call('POST', '/api/units', { token: admin, body: holder })).status).to.equal(201);
    const anonymous = await server.call('GET', '/api/units');
    const seen = anonymous.body.units.find((u: any) => u.code === '0009');
    // What names the holder, and how it appears as a provider (its site, logo, ISIL): no address, no contact.
    expect(seen).to.deep.equal({ province: '430000', code: '0009', name: '王氏藏書樓', kind: '私人', homepage: null, logo: null, identifier: null });
    expect(JSON.stringify(anonymous.body)).not.to.contain('138 0000');
    const staff = await server.call('GET', '/api/units', { token: admin });
    expect(staff.body.units.find((u: any) => u.code === '0009')).to.include({ address: holder.address, contact: holder.contact });
    expect(staff.headers.get('cache-control')).to.equal('private, no-store');
  });
});
