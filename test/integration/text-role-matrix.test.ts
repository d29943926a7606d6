/**
 * Who may do what with page text, route by route (as role-matrix.test.ts does for the rest of
 * the API): anonymous, a surveyor of the record's unit, a surveyor of another unit, a reviewer
 * and an admin, on a draft record and on a published one, through real HTTP. A draft record's
 * text is for those who may read the record; a published record's verified pages are public,
 * its other pages for staff; the holding unit's surveyors, reviewers and admins correct text,
 * and only reviewers and admins verify.
 */
import { expect } from 'chai';
import path from 'node:path';
import type { PageText } from '../../src/domain/page-text.js';
import { pageOf } from '../contract/page-text-store.contract.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { demoScans } from '../support/scans.js';
import { otherUnitSurveyor, publish, registerBook, SURVEYOR, textTeam, upload, waitForJob } from '../support/texts.js';

const ACTORS = ['anonymous', 'own surveyor', 'other surveyor', 'reviewer', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
type Statuses = [number, number, number, number, number];
const DRAFT = '430000-0001-0000011';
const PUBLISHED = '430000-0001-0000012';

describe('page text: the role matrix', function () {
  this.timeout(120_000);
  let server: TestServer;
  const tokens: Partial<Record<ActorName, string>> = {};
  let job: string;

  const text = (cn: string, n: number) => `/api/records/${cn}/pages/${n}/text`;
  const etag = async (cn: string, n: number) => (await server.call('GET', text(cn, n), { token: tokens.admin })).headers.get('etag')!;
  const columns = (page: PageText) => page.columns.map((c) => ({ kind: c.kind, box: c.box, text: c.text }));

  before(async () => {
    server = await startTestServer();
    const admin = await withLibrary(server);
    const team = await textTeam(server, admin);
    Object.assign(tokens, { 'own surveyor': team.surveyor, reviewer: team.reviewer, admin, 'other surveyor': await otherUnitSurveyor(server, admin) });
    const by = { username: SURVEYOR.username, role: 'surveyor' as const, unit: '430000-0001' };
    for (const cn of [DRAFT, PUBLISHED]) {
      await registerBook(server, team.surveyor, cn);
      await upload(server, team.surveyor, cn, [[path.join(demoScans, '1.png'), '1.png'], [path.join(demoScans, '2.png'), '2.png']]);
      for (const n of [1, 2]) await server.services.texts.saveAlignedPage(cn, n, pageOf(), by);
    }
    // The published record's first page verified, its second left aligned.
    const verified = await server.call('PUT', text(PUBLISHED, 1), { token: team.reviewer, body: { columns: columns(pageOf()), status: 'verified' }, headers: { 'if-match': '"v1"' } });
    expect(verified.status).to.equal(200);
    await publish(server, PUBLISHED, team.surveyor, team.reviewer);
    job = (await server.call('POST', `/api/records/${DRAFT}/text/ocr`, { token: admin })).body.job.id;
    await waitForJob(server, DRAFT, admin, job);
  });
  after(() => server.close());

  const DRAFT_READ: Statuses = [404, 200, 404, 200, 200];
  const OPEN: Statuses = [200, 200, 200, 200, 200];
  const rows: { route: string; request: () => Promise<{ method: string; path: string; body?: unknown; headers?: Record<string, string> }>; expected: Statuses }[] = [
    { route: 'GET …/pages/{n}/text, draft record', request: async () => ({ method: 'GET', path: text(DRAFT, 1) }), expected: DRAFT_READ },
    { route: 'GET …/pages/{n}/text, published record, verified page', request: async () => ({ method: 'GET', path: text(PUBLISHED, 1) }), expected: OPEN },
    { route: 'GET …/pages/{n}/text, published record, page not verified', request: async () => ({ method: 'GET', path: text(PUBLISHED, 2) }), expected: [404, 200, 200, 200, 200] },
    { route: 'GET …/pages/{n}/alto.xml, draft record', request: async () => ({ method: 'GET', path: `/api/records/${DRAFT}/pages/1/alto.xml` }), expected: DRAFT_READ },
    { route: 'GET …/pages/{n}/alto.xml, published, verified', request: async () => ({ method: 'GET', path: `/api/records/${PUBLISHED}/pages/1/alto.xml` }), expected: OPEN },
    { route: 'GET /iiif/{cn}/canvas/{n}/text, draft record', request: async () => ({ method: 'GET', path: `/iiif/${DRAFT}/canvas/1/text` }), expected: DRAFT_READ },
    { route: 'GET /iiif/{cn}/canvas/{n}/text, published, verified', request: async () => ({ method: 'GET', path: `/iiif/${PUBLISHED}/canvas/1/text` }), expected: OPEN },
    { route: 'GET …/text.txt, draft record', request: async () => ({ method: 'GET', path: `/api/records/${DRAFT}/text.txt` }), expected: DRAFT_READ },
    { route: 'GET …/text.txt, published record', request: async () => ({ method: 'GET', path: `/api/records/${PUBLISHED}/text.txt` }), expected: OPEN },
    { route: 'GET …/pages/{n}/text/history, draft record', request: async () => ({ method: 'GET', path: `${text(DRAFT, 1)}/history` }), expected: [401, 200, 404, 200, 200] },
    { route: 'GET …/pages/{n}/text/history, published record', request: async () => ({ method: 'GET', path: `${text(PUBLISHED, 1)}/history` }), expected: [401, 200, 200, 200, 200] },
    { route: 'GET …/text/ocr (the record\'s jobs), draft record', request: async () => ({ method: 'GET', path: `/api/records/${DRAFT}/text/ocr` }), expected: [401, 200, 404, 200, 200] },
    { route: 'GET …/text/ocr/{job}, draft record', request: async () => ({ method: 'GET', path: `/api/records/${DRAFT}/text/ocr/${job}` }), expected: [401, 200, 404, 200, 200] },
    {
      route: 'PUT …/pages/{n}/text (proofread), draft record',
      request: async () => ({ method: 'PUT', path: text(DRAFT, 1), body: { columns: columns(pageOf()) }, headers: { 'if-match': await etag(DRAFT, 1) } }),
      expected: [401, 200, 404, 200, 200],
    },
    {
      route: 'PUT …/pages/{n}/text (proofread), published record',
      request: async () => ({ method: 'PUT', path: text(PUBLISHED, 2), body: { columns: columns(pageOf()) }, headers: { 'if-match': await etag(PUBLISHED, 2) } }),
      expected: [401, 200, 403, 200, 200],
    },
    {
      route: 'PUT …/pages/{n}/text (verify), draft record',
      request: async () => ({ method: 'PUT', path: text(DRAFT, 2), body: { columns: columns(pageOf()), status: 'verified' }, headers: { 'if-match': await etag(DRAFT, 2) } }),
      expected: [401, 403, 404, 200, 200],
    },
    { route: 'POST …/text/ocr, draft record', request: async () => ({ method: 'POST', path: `/api/records/${DRAFT}/text/ocr` }), expected: [401, 202, 404, 202, 202] },
    { route: 'POST …/text/ocr, published record', request: async () => ({ method: 'POST', path: `/api/records/${PUBLISHED}/text/ocr` }), expected: [401, 202, 403, 202, 202] },
  ];

  for (const row of rows) {
    it(row.route, async () => {
      const got: number[] = [];
      for (const actor of ACTORS) {
        const { method, path: p, body, headers } = await row.request();
        got.push((await server.call(method, p, { token: tokens[actor], body, headers })).status);
      }
      expect(got, ACTORS.join(' / ')).to.deep.equal(row.expected);
    });
  }
});
