/**
 * Search inside the books, who finds what (issue 16: "draft text and unpublished books never
 * appear to anonymous searchers"), through every route that searches page text, over real HTTP:
 * anonymous, a surveyor of another unit and a reviewer, each looking for a phrase found only in
 *   A — the draft (proofread, not verified) text of a published book,
 *   B — the verified text of an unpublished book,
 *   C — the verified text of a published book.
 * The public finds C only; staff find the draft text of published books (src/domain/permissions.ts
 * readPageDrafts) and a surveyor of another unit no unpublished book of that unit; a reviewer
 * finds all three. Each phrase (and its first three characters, for autocomplete) is in one book's
 * text only, and in its title, so that the catalogue search's field hits show whether the text
 * came with them.
 */
import { expect } from 'chai';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { ingestDemoScans } from '../support/scans.js';
import { otherUnitSurveyor, publish, textTeam } from '../support/texts.js';

const BOOKS = {
  A: { cn: '430000-0001-0000101', phrase: '天地玄黃', status: 'proofread', published: true },
  B: { cn: '430000-0001-0000102', phrase: '宇宙洪荒', status: 'verified', published: false },
  C: { cn: '430000-0001-0000103', phrase: '日月盈昃', status: 'verified', published: true },
} as const;
type Book = keyof typeof BOOKS;
const ACTORS = ['anonymous', 'other surveyor', 'reviewer'] as const;
type ActorName = (typeof ACTORS)[number];
type Found = Record<ActorName, Record<Book, boolean>>;

const q = (s: string) => encodeURIComponent(s);
const completing = (phrase: string) => [...phrase].slice(0, 3).join('');

const STAFF_SEE: Found = {
  anonymous: { A: false, B: false, C: true },
  'other surveyor': { A: true, B: false, C: true },
  reviewer: { A: true, B: true, C: true },
};
/** The search page is rendered as the public sees it whoever asks (its script then searches with the session). */
const PUBLIC_SEE: Found = { anonymous: STAFF_SEE.anonymous, 'other surveyor': STAFF_SEE.anonymous, reviewer: STAFF_SEE.anonymous };

interface Answer { status: number; body: any; text: string }
interface Route {
  route: string;
  path: (book: { cn: string; phrase: string }) => string;
  /** Whether the book's text was found in the answer (a refusal, 404, finds nothing). */
  found: (answer: Answer, cn: string) => boolean;
  expected: Found;
}

const ok = (a: Answer) => {
  // Anything else than found (200) or not found (404: a book the actor may not read) is a defect of its own.
  expect([200, 404], a.text.slice(0, 300)).to.include(a.status);
  return a.status === 200;
};
/** Counted as well as listed: a book the actor may not see must not add to a total either. */
const listed = (total: number, hit: boolean) => {
  expect(total, 'the total agrees with the books listed').to.equal(hit ? 1 : 0);
  return hit;
};
const catalogueHit = (a: Answer, cn: string) => a.body.hits.find((h: any) => h.censusNumber === cn);

const ROUTES: Route[] = [
  {
    route: 'GET /api/text/search',
    path: (b) => `/api/text/search?q=${q(b.phrase)}`,
    found: (a, cn) => ok(a) && listed(a.body.total, a.body.books.some((b: any) => b.censusNumber === cn)),
    expected: STAFF_SEE,
  },
  {
    route: 'GET /api/records/{cn}/text/search',
    path: (b) => `/api/records/${b.cn}/text/search?q=${q(b.phrase)}`,
    found: (a) => ok(a) && listed(a.body.total, a.body.books.length > 0),
    expected: STAFF_SEE,
  },
  {
    route: 'GET /iiif/{cn}/search (Content Search 2.0)',
    path: (b) => `/iiif/${b.cn}/search?q=${q(b.phrase)}`,
    found: (a) => ok(a) && a.body.items.length > 0,
    expected: STAFF_SEE,
  },
  {
    route: 'GET /iiif/{cn}/search/1 (Content Search 1.0)',
    path: (b) => `/iiif/${b.cn}/search/1?q=${q(b.phrase)}`,
    found: (a) => ok(a) && listed(a.body.within.total, a.body.resources.length > 0),
    expected: STAFF_SEE,
  },
  {
    route: 'GET /iiif/{cn}/autocomplete (2.0)',
    path: (b) => `/iiif/${b.cn}/autocomplete?q=${q(completing(b.phrase))}`,
    found: (a) => ok(a) && a.body.items.length > 0,
    expected: STAFF_SEE,
  },
  {
    route: 'GET /iiif/{cn}/autocomplete/1 (1.0)',
    path: (b) => `/iiif/${b.cn}/autocomplete/1?q=${q(completing(b.phrase))}`,
    found: (a) => ok(a) && a.body.terms.length > 0,
    expected: STAFF_SEE,
  },
  {
    route: 'GET /api/search?in=text',
    path: (b) => `/api/search?in=text&q=${q(b.phrase)}`,
    found: (a, cn) => ok(a) && listed(a.body.total, catalogueHit(a, cn)?.text != null),
    expected: STAFF_SEE,
  },
  {
    // The title holds the phrase too: a record the actor may read is a field hit, its text only for those who may read it.
    route: 'GET /api/search?in=all',
    path: (b) => `/api/search?in=all&q=${q(b.phrase)}`,
    found: (a, cn) => ok(a) && catalogueHit(a, cn)?.matchedIn.includes('text') === true && catalogueHit(a, cn).text !== null,
    expected: STAFF_SEE,
  },
  {
    route: 'GET /api/search (in=fields: the matches in the text counted)',
    path: (b) => `/api/search?q=${q(b.phrase)}`,
    found: (a, cn) => ok(a) && catalogueHit(a, cn)?.text != null,
    expected: STAFF_SEE,
  },
  {
    route: 'the search page GET /?in=text',
    path: (b) => `/?in=text&q=${q(b.phrase)}`,
    found: (a, cn) => ok(a) && a.text.includes(`/records/${cn}`),
    expected: PUBLIC_SEE,
  },
];

describe('search inside the books: who finds what, route by route', function () {
  this.timeout(120_000);
  let server: TestServer;
  const tokens: Partial<Record<ActorName, string>> = {};

  const ask = async (path: string, actor: ActorName): Promise<Answer> => {
    const token = tokens[actor];
    const res = await fetch(server.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await res.text();
    let body: any = null;
    try {
      body = JSON.parse(text);
    } catch {
      // The search page is HTML.
    }
    return { status: res.status, body, text };
  };

  before(async () => {
    server = await startTestServer();
    const admin = await withLibrary(server);
    const team = await textTeam(server, admin);
    Object.assign(tokens, { 'other surveyor': await otherUnitSurveyor(server, admin), reviewer: team.reviewer });
    for (const { cn, phrase, status, published } of Object.values(BOOKS)) {
      const created = await server.call('POST', '/api/records', {
        token: team.surveyor,
        body: {
          censusNumber: cn, callNumber: '善101', titleStatement: `${phrase}集一卷`, editionStatement: '清刻本', volumeCount: 1, holdingUnit: '0001',
          grade: '普通古籍', damage: { grade: '轻度', types: [] },
        },
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      await ingestDemoScans(server, cn, [{ name: '1.png' }]);
      // The draft saved by the unit's surveyor (proofread), the verified text by the reviewer.
      const res = await server.call('PUT', `/api/records/${cn}/pages/1/text`, {
        token: status === 'verified' ? team.reviewer : team.surveyor, headers: { 'if-none-match': '*' },
        body: { columns: [{ box: [1000, 80, 60, 1400], text: `云${phrase}者也` }], ...(status === 'verified' ? { status } : {}) },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.status).to.equal(status);
      if (published) await publish(server, cn, team.surveyor, team.reviewer);
    }
    await server.services.textSearch.settled();
    await server.services.indexer.catchUp();
  });
  after(() => server.close());

  for (const { route, path, found, expected } of ROUTES) {
    it(route, async () => {
      const seen = {} as Found;
      for (const actor of ACTORS) {
        seen[actor] = {} as Record<Book, boolean>;
        for (const [name, book] of Object.entries(BOOKS) as [Book, (typeof BOOKS)[Book]][]) {
          seen[actor][name] = found(await ask(path(book), actor), book.cn);
        }
      }
      expect(seen).to.deep.equal(expected);
    });
  }
});
