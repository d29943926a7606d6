/**
 * Search inside the books through real HTTP (issue 16): text typed onto real pages of book1 is
 * found at once within the book and across the catalogue, blind to simplified forms, as the
 * actor may see it — drafts for staff, verified pages of published books for the public — with
 * approximate matches marked, and bounded input refused.
 */
import path from 'node:path';
import { expect } from 'chai';
import { SqliteTextSearchIndex } from '../../src/adapters/embedded/sqlite-text-search-index.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { bookPage, publish, registerBook, textTeam, upload } from '../support/texts.js';
import { typedColumns } from '../support/text-search.js';

const cn = '430000-0001-0000001';
const other = '430000-0001-0000002';

describe('text search API', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;
  let surveyor: string;
  let reviewer: string;
  const type = async (book: string, n: number, token: string, headers: Record<string, string>, status?: string) => {
    const res = await server.call('PUT', `/api/records/${book}/pages/${n}/text`, { token, headers, body: { columns: typedColumns(n), ...(status ? { status } : {}) } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    await server.services.textSearch.settled();
  };
  const find = (pathname: string, token?: string) => server.call('GET', pathname, token ? { token } : {});

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    ({ surveyor, reviewer } = await textTeam(server, admin));
    for (const book of [cn, other]) {
      await registerBook(server, surveyor, book);
      await upload(server, surveyor, book, [[bookPage(1), '1.png'], [bookPage(2), '2.png']]);
    }
    await type(cn, 1, surveyor, { 'if-none-match': '*' });
    await type(cn, 2, surveyor, { 'if-none-match': '*' });
  });
  after(() => server.close());

  it('finds a typed page at once for its staff, with the snippet as written, the leaf and the characters’ boxes', async () => {
    const res = await find(`/api/records/${cn}/text/search?q=${encodeURIComponent('大学士于敏中')}`, surveyor);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ total: 1, matchCount: 1, approximate: false });
    const [book] = res.body.books;
    expect(book).to.include({ censusNumber: cn, title: '欽定四庫全書簡明目錄二十卷' });
    const [page] = book.pages;
    expect(page).to.include({ leaf: 1, status: 'proofread', proofread: true, matchCount: 1 });
    const [match] = page.matches;
    expect(match.snippet.text).to.equal('大學士于敏中');
    expect(match.snippet.before.endsWith('二十五日')).to.equal(true);
    expect(match.exact).to.equal(true);
    expect(match.boxes).to.have.length(6);
    // Third column (x 940), characters 15–20 of 乾隆三十九年七月二十五日大學士于敏中等, top to bottom.
    for (const box of match.boxes) expect(box[0]).to.equal(940);
    expect(match.boxes.map((b: number[]) => b[1])).to.deep.equal([...match.boxes.map((b: number[]) => b[1])].sort((a, b) => a - b));
    expect(page.links.canvas).to.equal(`http://guji.test/iiif/${cn}/canvas/1`);
  });

  it('keeps drafts and unpublished books from the public', async () => {
    expect((await find(`/api/records/${cn}/text/search?q=${encodeURIComponent('大學士')}`)).status).to.equal(404);
    const across = await find(`/api/text/search?q=${encodeURIComponent('大學士')}`);
    expect(across.status).to.equal(200);
    expect(across.body.total).to.equal(0);
    expect((await find(`/api/text/search?q=${encodeURIComponent('大學士')}`, surveyor)).body.total).to.equal(1);
  });

  it('shows the public verified pages of a published book only, and follows a withdrawal', async () => {
    const got = await server.call('GET', `/api/records/${cn}/pages/1/text`, { token: reviewer });
    await type(cn, 1, reviewer, { 'if-match': got.headers.get('etag')! }, 'verified');
    await publish(server, cn, surveyor, reviewer);
    await server.services.textSearch.settled();
    // 书 (書 folded) is on both pages; only the verified one is public.
    const q = encodeURIComponent('书');
    const pub = await find(`/api/records/${cn}/text/search?q=${q}`);
    expect(pub.status).to.equal(200);
    expect(pub.body.books[0].pages.map((p: any) => [p.leaf, p.status])).to.deep.equal([[1, 'verified']]);
    const staff = await find(`/api/records/${cn}/text/search?q=${q}`, surveyor);
    expect(staff.body.books[0].pages.map((p: any) => p.leaf).sort()).to.deep.equal([1, 2]);
    expect((await find(`/api/text/search?q=${q}`)).body.total).to.equal(1);
    const withdrawn = await server.call('POST', `/api/records/${cn}/transitions`, { token: reviewer, body: { action: 'withdraw', comment: '影像次序有誤' } });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).to.equal(200);
    await server.services.textSearch.settled();
    expect((await find(`/api/text/search?q=${q}`)).body.total).to.equal(0);
  });

  it('finds a phrase with one character misread in approximate mode, ranked after exact matches and marked', async () => {
    await type(other, 1, surveyor, { 'if-none-match': '*' });
    const page = await server.call('GET', `/api/records/${other}/pages/1/text`, { token: surveyor });
    // An OCR-like misreading: 敏 read as 繁 on the other book's page.
    const columns = page.body.columns.map((c: any) => ({ box: c.box, text: c.text.replace('于敏中', '于繁中') }));
    const res = await server.call('PUT', `/api/records/${other}/pages/1/text`, { token: surveyor, headers: { 'if-match': page.headers.get('etag')! }, body: { columns } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    await server.services.textSearch.settled();
    const q = encodeURIComponent('學士于敏中');
    expect((await find(`/api/text/search?q=${q}`, admin)).body.books.map((b: any) => b.censusNumber)).to.deep.equal([cn]);
    const approx = await find(`/api/text/search?q=${q}&approximate=true`, admin);
    expect(approx.body.books.map((b: any) => b.censusNumber)).to.deep.equal([cn, other]);
    const m = approx.body.books[1].pages[0].matches[0];
    expect([m.snippet.text, m.exact]).to.deep.equal(['學士于繁中', false]);
    expect(approx.body.books[0].pages[0].matches[0].exact).to.equal(true);
  });

  it('fills an emptied index from the page texts at start (a new file, or one of another layout)', async () => {
    const q = `/api/text/search?q=${encodeURIComponent('于敏中')}&approximate=1`;
    const before = (await find(q, admin)).body;
    // Emptied through a connection of its own to the real file, as another process would.
    const index = new SqliteTextSearchIndex(path.join(server.dataDir, 'text-search.sqlite'));
    await index.clear();
    await index.close();
    expect((await find(q, admin)).body.total).to.equal(0);
    await server.services.textSearch.ready();
    expect((await find(q, admin)).body).to.deep.equal(before);
  });

  it('refuses unbounded or empty questions with the field at fault', async () => {
    const cases: [string, string][] = [
      [`q=${'天'.repeat(51)}`, 'q'], ['q=', 'q'], [`q=${encodeURIComponent('，。')}`, 'q'], ['q=%E5%A4%A9&pageSize=51', 'pageSize'],
      ['q=%E5%A4%A9&page=0', 'page'], ['q=%E5%A4%A9&approximate=maybe', 'approximate'],
    ];
    for (const [query, field] of cases) {
      const res = await find(`/api/text/search?${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.body.error.details.map((d: any) => d.field), query).to.include(field);
    }
    expect((await find(`/api/text/search?q=${'天'.repeat(500)}`)).status).to.equal(400);
    expect((await find('/api/records/not-a-number/text/search?q=%E5%A4%A9')).status).to.equal(400);
  });
});
