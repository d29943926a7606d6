/** The records API through real HTTP on the embedded store (docs/API.md; issue: catalogue foundation). */
import { expect } from 'chai';
import { REAL_RECORDS } from '../../src/demo/demo-catalogue.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/http.js';

describe('records API', () => {
  let server: TestServer;
  let admin: string;
  let surveyor: string;
  let otherSurveyor: string;
  let reviewer: string;

  const draft = (censusNumber: string, extra: Record<string, unknown> = {}) => ({
    censusNumber,
    callNumber: '資01-0001',
    titleStatement: '［同治］益陽縣志二十五卷首一卷',
    creatorStatement: '（清）姚念楊修（清）趙裴哲纂',
    editionStatement: '清同治十三年（1874）刊本',
    volumeCount: 12,
    holdingUnit: censusNumber.split('-')[1],
    ...extra,
  });

  before(async () => {
    server = await startTestServer();
    admin = await server.login('admin', ADMIN_PASSWORD);
    for (const unit of [
      { province: '110000', code: '0101', name: '國家圖書館' },
      { province: '430000', code: '0001', name: '资阳区图书馆' },
      { province: '430000', code: '0002', name: '资阳区档案馆' },
    ]) {
      expect((await server.call('POST', '/api/units', { token: admin, body: unit })).status).to.equal(201);
    }
    const users = [
      { username: 'surveyor', password: 'field-notes-1', role: 'surveyor', unit: '0001' },
      { username: 'surveyor2', password: 'field-notes-2', role: 'surveyor', unit: '430000-0002' },
      { username: 'reviewer', password: 'proof-reading-1', role: 'reviewer' },
    ];
    for (const user of users) expect((await server.call('POST', '/api/users', { token: admin, body: user })).status).to.equal(201);
    surveyor = await server.login('surveyor', 'field-notes-1');
    otherSurveyor = await server.login('surveyor2', 'field-notes-2');
    reviewer = await server.login('reviewer', 'proof-reading-1');
  });
  after(() => server.close());

  describe('the real records of DOMAIN.md', () => {
    const created: Record<string, any> = {};
    before(async () => {
      for (const record of REAL_RECORDS) {
        const res = await server.call('POST', '/api/records', { token: admin, body: record });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        expect(res.headers.get('location')).to.equal(`http://guji.test/api/records/${record.censusNumber}`);
        expect(res.headers.get('etag')).to.equal('"v1"');
        created[record.censusNumber] = (await server.call('GET', `/api/records/${record.censusNumber}`, { token: admin })).body;
      }
    });

    it('come back exactly as sent', () => {
      for (const record of REAL_RECORDS) {
        const got = created[record.censusNumber];
        for (const [key, value] of Object.entries(record)) expect(got[key], key).to.deep.equal(value);
        expect(got.status).to.equal('draft');
      }
    });

    it('derive 金華府志, 30 卷, 王懋德 and 陸鳳儀 (明, 纂修), 刻本, 萬曆 = 1573–1620', () => {
      const d = created['110000-0101-0010283'].derived;
      expect(d.title).to.deep.include({ qualifier: '萬曆', title: '金華府志' });
      expect(d.title.juan.count).to.equal(30);
      expect(d.creators.map((p: any) => [p.name, p.dynasty, p.role])).to.deep.equal([['王懋德', '明', '纂修'], ['陸鳳儀', '明', '纂修']]);
      expect(d.edition.type).to.equal('刻本');
      expect(d.edition.date).to.include({ reignEra: '萬曆', gregorianFrom: 1573, gregorianTo: 1620, precision: 'era' });
    });

    it('derive an unknown 卷 count for 通書類聚尅擇大全 and 1551 from its edition', () => {
      const d = created['110000-0101-0013797'].derived;
      expect(d.title.title).to.equal('通書類聚尅擇大全');
      expect(d.title.juan).to.include({ count: null, unknownDigits: true });
      expect(d.edition).to.deep.include({ type: '活字本', subtypes: ['铜活字'], imprint: '芝城' });
      expect(d.edition.date).to.include({ gregorianFrom: 1551, gregorianTo: 1551, reignYear: 30, precision: 'year' });
    });

    it('derive 1552 and the dynasty from a bare Western year', () => {
      expect(created['110000-0101-0004638'].derived.edition.date).to.include({ dynasty: '明', gregorianFrom: 1552 });
    });
  });

  it('derives 1557 from 明嘉靖丁巳(三十六年) and 刻本 from 刊本', async () => {
    const res = await server.call('POST', '/api/records', {
      token: surveyor, body: draft('430000-0001-0000101', { editionStatement: '明嘉靖丁巳(三十六年)刊本' }),
    });
    expect(res.status).to.equal(201);
    expect(res.body.editionStatement).to.equal('明嘉靖丁巳(三十六年)刊本');
    expect(res.body.derived.edition.type).to.equal('刻本');
    expect(res.body.derived.edition.date).to.include({ ganzhi: '丁巳', reignYear: 36, gregorianFrom: 1557, gregorianTo: 1557 });
  });

  // Issue 13: "Chinese numerals accepted for counts on import and in the form" — the form sends
  // what was typed, as a JSON string.
  for (const [i, [written, count]] of ([['二十四', 24], ['四', 4], ['十八', 18], ['一百二十', 120], ['廿三', 23], ['１８', 18], ['3', 3], [' 十二 ', 12], [7, 7]] as const).entries()) {
    it(`accepts 册数 ${JSON.stringify(written)} as ${count}, on create and on update`, async () => {
      const cn = `430000-0001-00007${String(i).padStart(2, '0')}`;
      const created = await server.call('POST', '/api/records', { token: admin, body: draft(cn, { volumeCount: written }) });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      expect(created.body.volumeCount).to.equal(count);
      const { links, derived, status, version, createdAt, createdBy, updatedAt, updatedBy, ...fields } = created.body;
      const put = await server.call('PUT', `/api/records/${cn}`, {
        token: admin, headers: { 'if-match': created.headers.get('etag')! }, body: { ...fields, volumeCount: '五' },
      });
      expect(put.status, JSON.stringify(put.body)).to.equal(200);
      expect((await server.store.records.get(cn))!.fields.volumeCount).to.equal(5);
    });
  }

  describe('bad input gets a 4xx naming the field, and changes nothing', () => {
    const expectField = (res: { status: number; body: any }, status: number, code: string, field?: string) => {
      expect(res.status, JSON.stringify(res.body)).to.equal(status);
      expect(res.body.error.code).to.equal(code);
      if (field) expect(res.body.error.details.map((d: any) => d.field)).to.include(field);
    };

    it('a malformed census number', async () => {
      expectField(await server.call('POST', '/api/records', { token: admin, body: draft('430902-0001-000001') }), 400, 'validation_failed', 'censusNumber');
      expectField(await server.call('POST', '/api/records', { token: admin, body: draft('430902-0001-0000001') }), 400, 'validation_failed', 'censusNumber');
    });

    it('a missing required field, naming each one', async () => {
      const { titleStatement, callNumber, ...partial } = draft('430000-0001-0000201');
      const res = await server.call('POST', '/api/records', { token: admin, body: partial });
      expectField(res, 400, 'validation_failed');
      expect(res.body.error.details).to.deep.include.members([
        { field: 'titleStatement', problem: 'is required' },
        { field: 'callNumber', problem: 'is required' },
      ]);
    });

    it('an unknown unit', async () => {
      expectField(await server.call('POST', '/api/records', { token: admin, body: draft('430000-0009-0000001') }), 400, 'validation_failed', 'holdingUnit');
    });

    it('a 册数 that is not a whole number of at least 1, echoing the value as written', async () => {
      const cases: [unknown, string][] = [
        [2.5, 'must be a whole number (18 or 十八), not 2.5'],
        ['2.5', 'must be a whole number (18 or 十八), not "2.5"'],
        ['一冊', 'must be a whole number (18 or 十八), not "一冊"'],
        ['十八册', 'must be a whole number (18 or 十八), not "十八册"'],
        ['若干', 'must be a whole number (18 or 十八), not "若干"'],
        ['□', 'must be a whole number (18 or 十八), not "□"'],
        ['', 'must be a whole number (18 or 十八), not ""'],
        [true, 'must be a whole number (18 or 十八), not true'],
        [null, 'must be a whole number (18 or 十八), not null'],
        [[4], 'must be a whole number (18 or 十八), not [4]'],
        [0, 'must be at least 1, not 0'],
        ['〇', 'must be at least 1, not "〇"'],
        [-3, 'must be at least 1, not -3'],
        // A hostile value is named, not repeated whole.
        ['十'.repeat(5000), `must be a whole number (18 or 十八), not "${'十'.repeat(39)}…`],
      ];
      for (const [volumeCount, problem] of cases) {
        const res = await server.call('POST', '/api/records', { token: admin, body: draft('430000-0001-0000202', { volumeCount }) });
        expectField(res, 400, 'validation_failed', 'volumeCount');
        expect(res.body.error.details.find((d: any) => d.field === 'volumeCount').problem, JSON.stringify(volumeCount).slice(0, 20)).to.equal(problem);
      }
      const { volumeCount, ...missing } = draft('430000-0001-0000202');
      const res = await server.call('POST', '/api/records', { token: admin, body: missing });
      expect(res.body.error.details).to.deep.include({ field: 'volumeCount', problem: 'is required' });
      expect(await server.store.records.get('430000-0001-0000202')).to.equal(null);
    });

    it('unknown vocabulary and unknown keys', async () => {
      const res = await server.call('POST', '/api/records', {
        token: admin, body: draft('430000-0001-0000203', { grade: '五级', damage: { grade: '很破', types: ['火星'] }, colour: 'red' }),
      });
      expectField(res, 400, 'validation_failed');
      expect(res.body.error.details.map((d: any) => d.field)).to.include('colour');
      const res2 = await server.call('POST', '/api/records', {
        token: admin, body: draft('430000-0001-0000203', { grade: '五级', damage: { grade: '很破', types: ['火星'] } }),
      });
      expect(res2.body.error.details.map((d: any) => d.field)).to.have.members(['grade', 'damage.grade', 'damage.types.0']);
    });

    it('malformed JSON', async () => {
      expectField(await server.call('POST', '/api/records', { token: admin, body: '{"censusNumber":' }), 400, 'invalid_json');
    });

    it('a duplicate census number gets 409 and leaves the first record and its history as they were', async () => {
      const body = draft('430000-0001-0000301');
      expect((await server.call('POST', '/api/records', { token: surveyor, body })).status).to.equal(201);
      const res = await server.call('POST', '/api/records', { token: surveyor, body: { ...body, callNumber: 'changed' } });
      expectField(res, 409, 'already_exists', 'censusNumber');
      const got = await server.call('GET', '/api/records/430000-0001-0000301', { token: surveyor });
      expect(got.body.callNumber).to.equal('資01-0001');
      expect((await server.call('GET', '/api/records/430000-0001-0000301/history', { token: surveyor })).body.entries).to.have.length(1);
    });

    it('a stale ETag gets 412, a missing If-Match 428, and the record stays', async () => {
      const cn = '430000-0001-0000302';
      await server.call('POST', '/api/records', { token: surveyor, body: draft(cn) });
      const first = await server.call('PUT', `/api/records/${cn}`, { token: surveyor, body: draft(cn, { callNumber: 'first' }), headers: { 'if-match': '"v1"' } });
      expect(first.status).to.equal(200);
      expect(first.headers.get('etag')).to.equal('"v2"');
      expectField(await server.call('PUT', `/api/records/${cn}`, { token: surveyor, body: draft(cn, { callNumber: 'second' }), headers: { 'if-match': '"v1"' } }), 412, 'version_mismatch');
      expectField(await server.call('PUT', `/api/records/${cn}`, { token: surveyor, body: draft(cn, { callNumber: 'third' }) }), 428, 'if_match_required');
      const got = await server.call('GET', `/api/records/${cn}`, { token: surveyor });
      expect(got.body.callNumber).to.equal('first');
      expect((await server.call('GET', `/api/records/${cn}/history`, { token: surveyor })).body.entries).to.have.length(2);
    });

    it('anonymous writes get 401, an anonymous read of a draft 404', async () => {
      expectField(await server.call('POST', '/api/records', { body: draft('430000-0001-0000303') }), 401, 'unauthenticated');
      expectField(await server.call('PUT', '/api/records/430000-0001-0000301', { body: draft('430000-0001-0000301'), headers: { 'if-match': '"v1"' } }), 401, 'unauthenticated');
      expectField(await server.call('GET', '/api/records/430000-0001-0000301'), 404, 'not_found');
      expectField(await server.call('GET', '/api/records/430000-0001-0000301/history'), 401, 'unauthenticated');
      expectField(await server.call('GET', '/api/records/430000-0001-0000301', { token: 'not-a-token' }), 401, 'unauthenticated');
    });

    it('a surveyor approving gets 403; a surveyor of another unit can neither read nor edit', async () => {
      const cn = '430000-0001-0000301';
      expectField(await server.call('POST', `/api/records/${cn}/transitions`, { token: surveyor, body: { action: 'approve' } }), 403, 'forbidden');
      expectField(await server.call('GET', `/api/records/${cn}`, { token: otherSurveyor }), 404, 'not_found');
      expectField(await server.call('POST', '/api/records', { token: otherSurveyor, body: draft('430000-0001-0000399') }), 403, 'forbidden');
      expectField(await server.call('POST', '/api/records', { token: reviewer, body: draft('430000-0001-0000399') }), 403, 'forbidden');
    });
  });

  it('runs a record through review: submit needs 定级 and 破损, return needs a comment, then approve and publish', async () => {
    const cn = '430000-0001-0000401';
    const url = `/api/records/${cn}`;
    await server.call('POST', '/api/records', { token: surveyor, body: draft(cn) });

    // Each reader is told what they may do now; anonymous readers are told nothing.
    const actions = async (token?: string) => (await server.call('GET', url, { token })).body.actions;
    expect(await actions(surveyor)).to.deep.equal(['edit', 'submit', 'uploadScans', 'editStructure']);
    expect(await actions(reviewer)).to.deep.equal([]);
    const early = await server.call('POST', `${url}/transitions`, { token: surveyor, body: { action: 'submit' } });
    expect(early.status).to.equal(409);
    expect(early.body.error.details.map((d: any) => d.field)).to.have.members(['grade', 'damage']);

    const graded = draft(cn, { grade: '三级乙等', gradeStandard: 'GB/T 31076.1-2014', damage: { grade: '中度', types: ['虫蛀', '霉蝕'] } });
    expect((await server.call('PUT', url, { token: surveyor, body: graded, headers: { 'if-match': '"v1"' } })).status).to.equal(200);
    expect((await server.call('POST', `${url}/transitions`, { token: surveyor, body: { action: 'submit' } })).body.status).to.equal('submitted');

    // Submitted records are the reviewer's now: the surveyor cannot edit them, but still digitizes them.
    expect(await actions(surveyor)).to.deep.equal(['uploadScans', 'editStructure']);
    expect(await actions(reviewer)).to.deep.equal(['return', 'approve']);
    const queue = (await server.call('GET', '/api/records?status=submitted', { token: reviewer })).body.records;
    expect(queue.find((r: any) => r.censusNumber === cn).actions).to.deep.equal(['return', 'approve']);
    expect((await server.call('PUT', url, { token: surveyor, body: graded, headers: { 'if-match': '"v3"' } })).status).to.equal(403);
    const noComment = await server.call('POST', `${url}/transitions`, { token: reviewer, body: { action: 'return' } });
    expect(noComment.status).to.equal(409);
    expect(noComment.body.error.details).to.deep.equal([{ field: 'comment', problem: 'is required to return a record' }]);
    const returned = await server.call('POST', `${url}/transitions`, { token: reviewer, body: { action: 'return', comment: '著者朝代請核對' } });
    expect(returned.body.status).to.equal('returned');
    expect((await server.call('POST', `${url}/transitions`, { token: reviewer, body: { action: 'publish' } })).status).to.equal(409);

    const fixed = { ...graded, creatorStatement: '（清）姚念楊修（清）趙裴哲等纂' };
    expect((await server.call('PUT', url, { token: surveyor, body: fixed, headers: { 'if-match': '"v4"' } })).status).to.equal(200);
    expect((await server.call('POST', `${url}/transitions`, { token: surveyor, body: { action: 'submit' } })).status).to.equal(200);
    expect((await server.call('POST', `${url}/transitions`, { token: reviewer, body: { action: 'approve', comment: '通過' } })).body.status).to.equal('approved');
    expect((await server.call('GET', url)).status).to.equal(404);
    const published = await server.call('POST', `${url}/transitions`, { token: reviewer, body: { action: 'publish' } });
    expect(published.body.status).to.equal('published');

    // A published record's pages are the reviewers' and admins' to change (docs/API.md, Roles),
    // and theirs to withdraw from the public catalogue.
    expect(await actions(surveyor)).to.deep.equal([]);
    expect(await actions(reviewer)).to.deep.equal(['withdraw', 'uploadScans', 'editStructure']);
    const anonymous = await server.call('GET', url);
    expect(anonymous.status).to.equal(200);
    expect(anonymous.body).not.to.have.property('actions');
    expect(anonymous.headers.get('cache-control')).to.equal('public, no-cache');
    expect((await server.call('GET', url, { token: reviewer })).headers.get('cache-control')).to.equal('private, no-cache');
    expect(anonymous.body.creatorStatement).to.equal('（清）姚念楊修（清）趙裴哲等纂');

    const history = (await server.call('GET', `${url}/history`, { token: reviewer })).body.entries;
    expect(history.map((h: any) => [h.action, h.actor, h.version])).to.deep.equal([
      ['create', 'surveyor', 1], ['update', 'surveyor', 2], ['submit', 'surveyor', 3], ['return', 'reviewer', 4],
      ['update', 'surveyor', 5], ['submit', 'surveyor', 6], ['approve', 'reviewer', 7], ['publish', 'reviewer', 8],
    ]);
    expect(history[3].comment).to.equal('著者朝代請核對');
    expect(history[4].changes).to.deep.equal([
      { field: 'creatorStatement', before: '（清）姚念楊修（清）趙裴哲纂', after: '（清）姚念楊修（清）趙裴哲等纂' },
    ]);
    expect(history[1].changes.map((c: any) => c.field)).to.have.members(['grade', 'gradeStandard', 'damage']);
    expect(new Date(history[0].at).toISOString()).to.equal(history[0].at);
  });

  it("keeps a surveyor's correction of a derived field across later edits", async () => {
    const cn = '430000-0001-0000501';
    const url = `/api/records/${cn}`;
    await server.call('POST', '/api/records', { token: surveyor, body: draft(cn, { editionStatement: '清刻本' }) });
    const corrected = await server.call('PUT', url, {
      token: surveyor, headers: { 'if-match': '"v1"' },
      body: draft(cn, {
        editionStatement: '清刻本',
        corrections: { edition: { type: '刻本', subtypes: ['重刻'], imprint: '益陽', date: null } },
      }),
    });
    expect(corrected.status, JSON.stringify(corrected.body)).to.equal(200);
    expect(corrected.body.derived.edition).to.deep.equal({ type: '刻本', subtypes: ['重刻'], imprint: '益陽', date: null });
    // A later edit that does not mention corrections keeps them.
    const { corrections, ...rest } = corrected.body;
    const edited = await server.call('PUT', url, { token: surveyor, headers: { 'if-match': '"v2"' }, body: { ...rest, callNumber: '資01-0501' } });
    expect(edited.status, JSON.stringify(edited.body)).to.equal(200);
    expect(edited.body.derived.edition.imprint).to.equal('益陽');
    expect(edited.body.corrections.edition.subtypes).to.deep.equal(['重刻']);
    // The title was not corrected and follows the statement.
    expect(edited.body.derived.title.title).to.equal('益陽縣志');
  });

  describe('accounts', () => {
    it('refuses a wrong password and revokes a token on sign-out', async () => {
      expect((await server.call('POST', '/api/session', { body: { username: 'admin', password: 'wrong-password' } })).status).to.equal(401);
      expect((await server.call('POST', '/api/session', { body: { username: 'ghost', password: 'wrong-password' } })).status).to.equal(401);
      const token = await server.login('reviewer', 'proof-reading-1');
      const session = (await server.call('GET', '/api/session', { token })).body;
      expect(session.user).to.deep.equal({ username: 'reviewer', role: 'reviewer', unit: null });
      // What the pages may offer a reviewer: review and digitize published records, not register or administer.
      expect(session.actions).to.include.members(['return', 'approve', 'publish', 'uploadScans', 'importSheet']);
      expect(session.actions).not.to.include('register');
      expect(session.actions).not.to.include('manageUsers');
      expect((await server.call('DELETE', '/api/session', { token })).status).to.equal(204);
      expect((await server.call('GET', '/api/session', { token })).status).to.equal(401);
    });

    it('lets only an admin create users, and checks roles and units', async () => {
      const body = { username: 'x1', password: 'long-enough-1', role: 'surveyor', unit: '0001' };
      expect((await server.call('POST', '/api/users', { token: reviewer, body })).status).to.equal(403);
      const noUnit = await server.call('POST', '/api/users', { token: admin, body: { ...body, unit: undefined } });
      expect(noUnit.body.error.details).to.deep.equal([{ field: 'unit', problem: 'is required for a surveyor' }]);
      const badRole = await server.call('POST', '/api/users', { token: admin, body: { ...body, role: 'king', password: 'short' } });
      expect(badRole.body.error.details.map((d: any) => d.field)).to.have.members(['role', 'password']);
      expect((await server.call('POST', '/api/users', { token: admin, body: { ...body, username: 'surveyor' } })).status).to.equal(409);
      const created = await server.call('POST', '/api/users', { token: admin, body: { ...body, username: 'x2', unit: '430000-0002' } });
      const location = new URL(created.headers.get('location')!).pathname;
      expect((await server.call('GET', location, { token: admin })).body).to.include({ username: 'x2', role: 'surveyor', unit: '430000-0002' });
      expect((await server.call('GET', location, { token: reviewer })).status).to.equal(403);
      expect((await server.call('GET', '/api/users/nobody', { token: admin })).status).to.equal(404);
      const users = await server.call('GET', '/api/users', { token: admin });
      expect(users.body.users.map((u: any) => u.username)).to.include.members(['admin', 'surveyor', 'reviewer']);
      expect(JSON.stringify(users.body)).not.to.contain('scrypt');
    });

    it('lets only an admin register units, and validates them', async () => {
      expect((await server.call('POST', '/api/units', { token: surveyor, body: { code: '0003', name: 'x', province: '430000' } })).status).to.equal(403);
      const bad = await server.call('POST', '/api/units', { token: admin, body: { code: '3', name: ' ', province: '430902' } });
      expect(bad.body.error.details.map((d: any) => d.field)).to.have.members(['code', 'name', 'province']);
      expect((await server.call('POST', '/api/units', { token: admin, body: { code: '0001', name: 'dup', province: '430000' } })).status).to.equal(409);
      expect((await server.call('GET', '/api/units')).body.units).to.have.length(3);
    });
  });

  // Mocha runs a suite's own tests before its nested suites: this one lists what they registered.
  describe('listing', () => {
    it('lists with filters and paging, and shows anonymous readers published records only', async () => {
      for (const serial of ['0000601', '0000602', '0000603']) {
        expect((await server.call('POST', '/api/records', { token: surveyor, body: draft(`430000-0001-${serial}`) })).status).to.equal(201);
      }
      const all = await server.call('GET', '/api/records?pageSize=200', { token: admin });
      const published = await server.call('GET', '/api/records?pageSize=200');
      expect(published.body.records.every((r: any) => r.status === 'published')).to.equal(true);
      expect(published.body.total).to.be.lessThan(all.body.total);
      const drafts = await server.call('GET', '/api/records?status=draft&unit=430000-0001&pageSize=2&sort=-censusNumber', { token: admin });
      expect(drafts.body.pageSize).to.equal(2);
      expect(drafts.body.records).to.have.length(2);
      expect(drafts.body.records[0].censusNumber > drafts.body.records[1].censusNumber).to.equal(true);
      expect(drafts.body.links.next).to.match(/page=2/);
      const ming = await server.call('GET', '/api/records?dynasty=明&yearFrom=1550&yearTo=1556', { token: admin });
      expect(ming.body.records.map((r: any) => r.censusNumber)).to.have.members(['110000-0101-0013797', '110000-0101-0004638']);
      const bad = await server.call('GET', '/api/records?status=lost&pageSize=1000');
      expect(bad.status).to.equal(400);
      expect(bad.body.error.details.map((d: any) => d.field)).to.have.members(['status.0', 'pageSize']);
    });
  });

  it('serves an OpenAPI description built from the validating schemas', async () => {
    const res = await server.call('GET', '/api/openapi.json');
    expect(res.body.openapi).to.equal('3.1.0');
    expect(res.body.components.schemas.RecordInput.required).to.include.members(['censusNumber', 'titleStatement', 'volumeCount']);
    expect(Object.keys(res.body.paths)).to.include('/api/records/{censusNumber}/transitions');
  });
});
