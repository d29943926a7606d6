/**
 * An admin edits accounts and collecting units over HTTP (PATCH /api/users/{u}, PATCH
 * /api/units/{key}): every problem is named by its field, the change holds from the account's
 * next request, and nobody else may make it.
 */
import { expect } from 'chai';
import { fieldsOf } from '../support/records.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';

describe('editing accounts and units', () => {
  let server: TestServer;
  let admin: string;

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    const res = await server.call('POST', '/api/users', { token: admin, body: { username: 'zhao', password: 'lotus-pond-bridge-7', role: 'surveyor', unit: '0001' } });
    expect(res.status).to.equal(201);
  });
  after(() => server?.close());

  const patchUser = (body: unknown, token = admin) => server.call('PATCH', '/api/users/zhao', { token, body });

  it('changes the display name, and a surveyor into a reviewer (who belongs to no unit), at once', async () => {
    const token = await server.login('zhao', 'lotus-pond-bridge-7');
    expect((await patchUser({ displayName: '趙普查' })).body).to.deep.include({ displayName: '趙普查', role: 'surveyor', unit: '430000-0001' });
    const res = await patchUser({ role: 'reviewer' });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({ role: 'reviewer', unit: null, displayName: '趙普查' });
    // The same token now acts as a reviewer.
    expect((await server.call('GET', '/api/session', { token })).body.user).to.deep.include({ role: 'reviewer', unit: null });
  });

  it('names the field at fault: a surveyor needs a unit, a reviewer has none, an admin keeps their own role', async () => {
    expect((await patchUser({ role: 'surveyor' })).body.error.details).to.deep.equal([{ field: 'unit', problem: 'is required for a surveyor' }]);
    expect((await patchUser({ unit: '0001' })).body.error.details).to.deep.equal([{ field: 'unit', problem: 'only surveyors belong to a unit' }]);
    expect((await patchUser({ role: 'surveyor', unit: '0001' })).body).to.deep.include({ role: 'surveyor', unit: '430000-0001' });
    const own = await server.call('PATCH', '/api/users/admin', { token: admin, body: { role: 'reviewer' } });
    expect(own.status).to.equal(400);
    expect(own.body.error.details).to.deep.equal([{ field: 'role', problem: 'an admin cannot change their own role' }]);
    expect((await patchUser({ role: 'boss' })).status).to.equal(400);
  });

  it('lets only an admin edit or disable a unit, which keeps its key', async () => {
    const zhao = await server.login('zhao', 'lotus-pond-bridge-7');
    expect((await server.call('PATCH', '/api/units/430000-0001', { token: zhao, body: { name: 'x' } })).body.error.code).to.equal('forbidden');
    const res = await server.call('PATCH', '/api/units/430000-0001', { token: admin, body: { name: '益阳市资阳区图书馆', contact: '0737-4222222', disabled: true } });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({ province: '430000', code: '0001', name: '益阳市资阳区图书馆', contact: '0737-4222222', disabled: true });
    const blank = await server.call('PATCH', '/api/units/430000-0001', { token: admin, body: { name: ' ', code: '0002' } });
    expect(blank.status).to.equal(400);
    expect(blank.body.error.details.map((d: { field: string }) => d.field).sort()).to.deep.equal(['code', 'name']);
    expect((await server.call('PATCH', '/api/units/430000-0999', { token: admin, body: { name: 'x' } })).status).to.equal(404);
  });

  it('keeps a disabled unit\'s records editable but registers no new ones in it', async () => {
    const kept = fieldsOf('430000-0002-0000001');
    expect((await server.call('POST', '/api/units', { token: admin, body: { province: '430000', code: '0002', name: '资阳区档案馆' } })).status).to.equal(201);
    expect((await server.call('POST', '/api/records', { token: admin, body: kept })).status).to.equal(201);
    expect((await server.call('PATCH', '/api/units/430000-0002', { token: admin, body: { disabled: true } })).status).to.equal(200);

    const refused = await server.call('POST', '/api/records', { token: admin, body: fieldsOf('430000-0002-0000002') });
    expect(refused.status).to.equal(400);
    expect(refused.body.error.details).to.deep.equal([
      { field: 'holdingUnit', problem: 'collecting unit 430000-0002 no longer takes part (disabled): it registers no new records' },
    ]);
    expect((await server.call('GET', '/api/records/430000-0002-0000002', { token: admin })).status).to.equal(404);

    const current = await server.call('GET', '/api/records/430000-0002-0000001', { token: admin });
    const edited = await server.call('PUT', '/api/records/430000-0002-0000001', {
      token: admin, headers: { 'if-match': current.headers.get('etag')! }, body: { ...kept, notes: '併入资阳区图书馆' },
    });
    expect(edited.status).to.equal(200);
    expect(edited.body.notes).to.equal('併入资阳区图书馆');
  });
});
