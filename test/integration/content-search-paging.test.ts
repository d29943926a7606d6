/**
 * A long IIIF Content Search answer through real HTTP (issue 16): a book whose matches are on more
 * leaves than one answer lists (IIIF_LEAVES_PER_PAGE) is answered in pages linked as 2.0 §4.2.2
 * (partOf with first and last, next, prev) and 1.0 §3.4 (within with first, last and the total of
 * hits; next, prev, startIndex) say, the pages together holding every match once; and a leaf
 * with many matches has them all listed (an answer is complete for the leaves it covers: 2.0
 * §4.2.1 "all of the matching Annotations are returned").
 */
import { expect } from 'chai';
import { pageOf } from '../contract/page-text-store.contract.js';
import { IIIF_LEAVES_PER_PAGE } from '../../src/services/text-search-service.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { conformsToExamples, specExamples } from '../support/iiif-search-examples.js';

const CN = '430000-0001-0000201';
const LEAVES = IIIF_LEAVES_PER_PAGE + 3;
/** Leaf 1 holds 之 this many times (more than the 20 a leaf an answer once listed). */
const DENSE = 30;
const ADMIN = { username: 'admin', role: 'admin' as const, unit: null };

describe('IIIF Content Search in pages', function () {
  this.timeout(120_000);
  let server: TestServer;
  let admin: string;

  const get = async (url: string) => {
    const res = await fetch(url.replace('http://guji.test', server.url), { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status, url).to.equal(200);
    return res.json() as Promise<any>;
  };

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    const created = await server.call('POST', '/api/records', {
      token: admin,
      body: { censusNumber: CN, callNumber: '善201', titleStatement: '千字文一卷', editionStatement: '清刻本', volumeCount: 1, holdingUnit: '0001', grade: '普通古籍', damage: { grade: '轻度', types: [] } },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    // Leaves as the store keeps them (the search reads their text, not their images).
    for (let n = 1; n <= LEAVES; n++) {
      await server.store.pages.add({
        censusNumber: CN, imageId: n.toString(16).padStart(64, '0'), sequence: n, volume: null, juan: null, label: null,
        format: 'png', width: 1155, height: 1559, bitDepth: 8, colorSpace: 'srgb', iccProfile: false,
        filename: `${n}.png`, bytes: 1, ingestedAt: '2026-11-30T10:00:00.000Z', ingestedBy: 'admin',
      });
      const main = n === 1 ? '天地玄黃'.concat('之'.repeat(DENSE)) : `天地玄黃宇宙洪荒葉${n}`;
      await server.services.texts.saveAlignedPage(CN, n, pageOf(main), ADMIN);
    }
    await server.services.textSearch.settled();
  });
  after(() => server.close());

  it('2.0: pages linked by partOf, next and prev, holding every match once', async () => {
    const q = '天地玄黃';
    const first = await get(`${server.url}/iiif/${CN}/search?q=${encodeURIComponent(q)}`);
    const collection = `http://guji.test/iiif/${CN}/search?q=${encodeURIComponent(q)}`;
    expect(first.id).to.equal(`${collection}&page=1`);
    expect(first.partOf).to.deep.equal({
      id: collection, type: 'AnnotationCollection', first: { id: `${collection}&page=1`, type: 'AnnotationPage' }, last: { id: `${collection}&page=2`, type: 'AnnotationPage' },
    });
    expect(first.next).to.deep.equal({ id: `${collection}&page=2`, type: 'AnnotationPage' });
    expect(first).not.to.have.property('prev');
    expect(first.items).to.have.length(IIIF_LEAVES_PER_PAGE);
    expect(conformsToExamples(first, specExamples('4.'))).to.deep.equal([]);
    const second = await get(first.next.id);
    expect(second.prev).to.deep.equal({ id: `${collection}&page=1`, type: 'AnnotationPage' });
    expect(second).not.to.have.property('next');
    expect(conformsToExamples(second, specExamples('4.'))).to.deep.equal([]);
    const canvases = [...first.items, ...second.items].map((a: any) => Number(a.target.split('#')[0].split('/').pop()));
    expect(canvases.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: LEAVES }, (_, i) => i + 1));
    // A page past the last is the last.
    expect((await get(`${collection}&page=9`)).id).to.equal(`${collection}&page=2`);
  });

  it('1.0: within names the first and last pages and the hits in all; next, prev and startIndex', async () => {
    const q = '天地玄黃';
    const first = await get(`${server.url}/iiif/${CN}/search/1?q=${encodeURIComponent(q)}`);
    const at = (n: number) => `http://guji.test/iiif/${CN}/search/1?q=${encodeURIComponent(q)}&page=${n}`;
    expect(first.within).to.deep.equal({ '@type': 'sc:Layer', total: LEAVES, first: at(1), last: at(2) });
    expect([first['@id'], first.next, first.startIndex, first.prev]).to.deep.equal([at(1), at(2), 0, undefined]);
    const second = await get(first.next);
    expect([second['@id'], second.next, second.startIndex, second.prev]).to.deep.equal([at(2), undefined, IIIF_LEAVES_PER_PAGE, at(1)]);
    expect(first.hits.length + second.hits.length).to.equal(LEAVES);
  });

  it('lists every match of a leaf, and answers a book of few matches in one page as before', async () => {
    const body = await get(`${server.url}/iiif/${CN}/search?q=${encodeURIComponent('之')}`);
    expect(body).not.to.have.property('partOf');
    expect(body.annotations[0].items).to.have.length(DENSE);
    const one = await get(`${server.url}/iiif/${CN}/search/1?q=${encodeURIComponent('之')}`);
    expect(one.within).to.deep.equal({ '@type': 'sc:Layer', total: DENSE });
    expect(one.hits).to.have.length(DENSE);
  });
});
