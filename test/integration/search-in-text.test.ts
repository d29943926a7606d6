/**
 * The catalogue search inside the books through real HTTP (issue 16): GET /api/search?in=text
 * answers the books whose page text holds a phrase as search results — filtered, counted in the
 * facets, each with its best pages (leaf, snippet as written, boxes, proofread or draft) — in=all
 * adds them after the books whose fields match, and in=fields counts a digitized hit's matches in
 * its text. The public finds verified text of published books only, as the text search does.
 */
import { expect } from 'chai';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { bookPage, publish, registerBook, textTeam, transcription, upload } from '../support/texts.js';
import { typedColumns } from '../support/text-search.js';

/** 清乾隆間刻本 (registerBook), 明 (below), an undigitized book with 大學士 in its title, and an unpublished digitized one. */
const qing = '430000-0001-0000001';
const ming = '430000-0001-0000002';
const fieldsOnly = '430000-0001-0000003';
const unpublished = '430000-0001-0000004';
/** On leaf 1 of book1 (third column), not in any record's fields. */
const PHRASE = '大學士于敏中';

describe('catalogue search in the text', function () {
  this.timeout(120_000);
  let server: TestServer;
  let surveyor: string;
  let reviewer: string;
  /** A phrase of leaf 2 only (a draft page: proofread, never verified). */
  let draftPhrase: string;

  const search = (query: Record<string, string>, token?: string) =>
    server.call('GET', `/api/search?${new URLSearchParams(query)}`, token ? { token } : {});
  const typeText = async (book: string, n: number, token: string, status?: 'verified') => {
    const res = await server.call('PUT', `/api/records/${book}/pages/${n}/text`, {
      token, headers: { 'if-none-match': '*' }, body: { columns: typedColumns(n), ...(status ? { status } : {}) },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  };

  before(async () => {
    server = await startTestServer();
    const admin = await withLibrary(server);
    ({ surveyor, reviewer } = await textTeam(server, admin));
    for (const cn of [qing, unpublished]) await registerBook(server, surveyor, cn);
    const base = { callNumber: '善002', volumeCount: 1, holdingUnit: '0001', grade: '普通古籍', damage: { grade: '轻度', types: [] } };
    for (const [cn, titleStatement, editionStatement] of [[ming, '四庫全書考證一百卷', '明萬曆間刻本'], [fieldsOnly, '大學士奏議四卷', '清刻本']] as const) {
      const res = await server.call('POST', '/api/records', { token: surveyor, body: { ...base, censusNumber: cn, titleStatement, editionStatement } });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    for (const cn of [qing, ming, unpublished]) {
      await upload(server, surveyor, cn, [[bookPage(1), '1.png'], [bookPage(2), '2.png']]);
      await typeText(cn, 1, reviewer, 'verified');
    }
    await typeText(qing, 2, surveyor);
    for (const cn of [qing, ming, fieldsOnly]) await publish(server, cn, surveyor, reviewer);
    await server.services.textSearch.settled();
    await server.services.indexer.catchUp();
    const leaf1 = transcription(1).replace(/\s/g, '');
    draftPhrase = transcription(2).split('\n').map((line) => line.trim().slice(0, 6)).find((p) => [...p].length === 6 && !leaf1.includes(p))!;
    expect(draftPhrase, 'a phrase of leaf 2 only').to.be.a('string');
  });
  after(() => server.close());

  it('answers in=text with the books whose verified text holds the phrase, each with its best page, snippet as written and boxes', async () => {
    const res = await search({ q: '大学士于敏中', in: 'text' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ in: 'text', total: 2, page: 1 });
    expect(res.body.hits.map((h: any) => h.censusNumber)).to.have.members([qing, ming]);
    for (const hit of res.body.hits) {
      expect(hit.matchedIn).to.deep.equal(['text']);
      expect(hit.text).to.include({ censusNumber: hit.censusNumber, pageCount: 1, matchCount: 1 });
      const [page] = hit.text.pages;
      expect(page).to.include({ leaf: 1, status: 'verified', proofread: true, matchCount: 1 });
      const [match] = page.matches;
      expect(match.snippet.text).to.equal(PHRASE);
      expect(match.snippet.before.endsWith('二十五日')).to.equal(true);
      expect(match.exact).to.equal(true);
      expect(match.boxes).to.have.length(6);
      expect(page.links.canvas).to.equal(`http://guji.test/iiif/${hit.censusNumber}/canvas/1`);
    }
    // Facets counted over the books found, as for the fields.
    expect(res.body.facets.dynasty).to.have.deep.members([{ value: '清', count: 1 }, { value: '明', count: 1 }]);
    expect(res.body.facets.digitized).to.deep.equal([{ value: 'true', count: 2 }]);
  });

  it('narrows the books found in the text by the filters, and counts the facets over what is left', async () => {
    const res = await search({ q: PHRASE, in: 'text', dynasty: '明' });
    expect(res.body.hits.map((h: any) => h.censusNumber)).to.deep.equal([ming]);
    expect(res.body.facets.dynasty).to.deep.equal([{ value: '明', count: 1 }]);
    const none = await search({ q: PHRASE, in: 'text', yearFrom: '1900' });
    expect(none.body).to.include({ total: 0 });
    expect(none.body.hits).to.deep.equal([]);
  });

  it('orders the books found in the text as asked, and answers a page past the last with the last', async () => {
    const up = await search({ q: PHRASE, in: 'text', sort: 'censusNumber' });
    expect(up.body.hits.map((h: any) => h.censusNumber)).to.deep.equal([qing, ming]);
    const down = await search({ q: PHRASE, in: 'text', sort: '-censusNumber', pageSize: '1', page: '9' });
    expect(down.body).to.include({ page: 2, total: 2 });
    expect(down.body.hits.map((h: any) => h.censusNumber)).to.deep.equal([qing]);
  });

  it('answers in=all with the field hits first, then the books found only in the text, each saying where it matched', async () => {
    const res = await search({ q: '大學士', in: 'all' });
    expect(res.status).to.equal(200);
    expect(res.body.total).to.equal(3);
    const [first, ...rest] = res.body.hits;
    expect(first).to.include({ censusNumber: fieldsOnly, text: null });
    expect(first.matchedIn).to.deep.equal(['fields']);
    expect(first.highlights.titleStatement).to.equal('<mark>大學士</mark>奏議四卷');
    expect(rest.map((h: any) => h.censusNumber)).to.have.members([qing, ming]);
    for (const hit of rest) {
      expect(hit.matchedIn).to.deep.equal(['text']);
      expect(hit.text.pages[0].matches[0].snippet.text).to.equal('大學士');
    }
    // The field hits' facets and the text hits' added up.
    expect(res.body.facets.dynasty).to.deep.equal([{ value: '清', count: 2 }, { value: '明', count: 1 }]);
    // A book matched in both says so and carries its pages.
    const both = await search({ q: '四庫全書', in: 'all' });
    const ofMing = both.body.hits.find((h: any) => h.censusNumber === ming);
    expect(ofMing.matchedIn).to.deep.equal(['fields', 'text']);
    expect(ofMing.text.pages.length).to.be.greaterThan(0);
  });

  it('counts the matches in the text of the digitized field hits with in=fields, without pages', async () => {
    const res = await search({ q: '四庫全書' });
    expect(res.body.in).to.equal('fields');
    expect(res.body.hits.map((h: any) => h.censusNumber)).to.have.members([qing, ming]);
    for (const hit of res.body.hits) {
      expect(hit.matchedIn).to.deep.equal(['fields']);
      expect(hit.text.matchCount).to.be.greaterThan(0);
      expect(hit.text.pages).to.deep.equal([]);
    }
    // Not a phrase of the text (a field query of more than 50 characters): no count, no error.
    const long = await search({ q: '書'.repeat(60) });
    expect(long.status).to.equal(200);
  });

  it('shows the public verified text of published books only; staff find drafts and their unit’s unpublished books', async () => {
    const draft = await search({ q: draftPhrase, in: 'text' });
    expect(draft.body.total).to.equal(0);
    const staffDraft = await search({ q: draftPhrase, in: 'text' }, surveyor);
    expect(staffDraft.body.hits.map((h: any) => h.censusNumber)).to.include(qing);
    const page = staffDraft.body.hits.find((h: any) => h.censusNumber === qing).text.pages[0];
    expect(page).to.include({ leaf: 2, status: 'proofread', proofread: true });
    const staff = await search({ q: PHRASE, in: 'text' }, reviewer);
    expect(staff.body.hits.map((h: any) => h.censusNumber)).to.have.members([qing, ming, unpublished]);
    expect(staff.headers.get('cache-control')).to.equal('private, no-store');
  });

  it('renders the search page on the server with the books found in the text and the scope checked', async () => {
    const res = await fetch(`${server.url}/?${new URLSearchParams({ q: PHRASE, in: 'text' })}`);
    expect(res.status).to.equal(200);
    const page = await res.text();
    expect(page).to.include('<input type="radio" name="in" value="text" checked>');
    expect(page).not.to.include('value="fields" checked');
    expect(page).to.include(`“${PHRASE}”：正文中共 2 种`);
    expect(page).to.include(`/records/${ming}`);
    const plain = await (await fetch(`${server.url}/`)).text();
    expect(plain).to.include('<input type="radio" name="in" value="fields" checked>');
  });

  it('refuses what cannot be searched in the text with the field at fault', async () => {
    for (const [query, field] of [[{ q: '', in: 'text' }, 'q'], [{ q: '。', in: 'all' }, 'q'], [{ q: '書'.repeat(51), in: 'text' }, 'q'], [{ q: '書', in: 'pages' }, 'in']] as const) {
      const res = await search(query);
      expect(res.status, JSON.stringify(query)).to.equal(400);
      expect(res.body.error.details.map((d: any) => d.field)).to.include(field);
    }
  });
});
