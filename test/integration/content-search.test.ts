/**
 * IIIF Content Search through real HTTP (issue 16): the manifest names the services; the 2.0
 * answer has the shapes of the specification's examples (§4.2, §4.3.1, §4.3.4, §5), the 1.0 one
 * what Mirador 3 reads; boxes are the matched characters' on the right canvas; CORS is open; the
 * public sees verified text of published books only.
 */
import { expect } from 'chai';
import { z } from 'zod';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { bookPage, publish, registerBook, textTeam, upload } from '../support/texts.js';
import { typedColumns } from '../support/text-search.js';
import { conformsToExamples, specExamples } from '../support/iiif-search-examples.js';

const cn = '430000-0001-0000001';
const iiif = (path: string) => `/iiif/${cn}${path}`;

// The shapes of Content Search 2.0's examples.
const Selector = z.object({ type: z.literal('TextQuoteSelector'), prefix: z.string().optional(), exact: z.string().min(1), suffix: z.string().optional() }).strict();
const Target = z.object({ type: z.literal('SpecificResource'), source: z.string().url(), selector: z.array(Selector).min(1) }).strict();
const Search2 = z.object({
  '@context': z.literal('http://iiif.io/api/search/2/context.json'),
  id: z.string().url(),
  type: z.literal('AnnotationPage'),
  ignored: z.array(z.string()).optional(),
  items: z.array(z.object({
    id: z.string().url(), type: z.literal('Annotation'), motivation: z.string(),
    body: z.object({ type: z.literal('TextualBody'), value: z.string().min(1), format: z.literal('text/plain'), language: z.string() }).strict(),
    target: z.string().regex(/#xywh=\d+,\d+,\d+,\d+$/),
  }).strict()),
  annotations: z.array(z.object({
    type: z.literal('AnnotationPage'),
    items: z.array(z.object({ id: z.string().url(), type: z.literal('Annotation'), motivation: z.literal('contextualizing'), target: z.union([Target, z.array(Target).min(2)]) }).strict()),
  }).strict()).length(1),
}).strict();
const TermPage = z.object({
  '@context': z.literal('http://iiif.io/api/search/2/context.json'), id: z.string().url(), type: z.literal('TermPage'), ignored: z.array(z.string()).optional(),
  items: z.array(z.object({ value: z.string().min(1), total: z.number().int().positive() }).strict()),
}).strict();

describe('IIIF Content Search', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    const { surveyor, reviewer } = await textTeam(server, admin);
    await registerBook(server, surveyor, cn);
    await upload(server, surveyor, cn, [[bookPage(1), '1.png'], [bookPage(2), '2.png']]);
    for (const n of [1, 2]) {
      const res = await server.call('PUT', `/api/records/${cn}/pages/${n}/text`, { token: reviewer, headers: { 'if-none-match': '*' }, body: { columns: typedColumns(n), status: 'verified' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    }
    await publish(server, cn, surveyor, reviewer);
    await server.services.textSearch.settled();
  });
  after(() => server.close());

  it('names the search services in the manifest: SearchService2 with AutoCompleteService2, and 1.0 for Mirador 3', async () => {
    const manifest = (await server.call('GET', iiif('/manifest'))).body;
    expect(manifest.service).to.deep.equal([
      { id: `http://guji.test${iiif('/search')}`, type: 'SearchService2', service: [{ id: `http://guji.test${iiif('/autocomplete')}`, type: 'AutoCompleteService2' }] },
      {
        '@context': 'http://iiif.io/api/search/1/context.json', id: `http://guji.test${iiif('/search/1')}`, type: 'SearchService1', profile: 'http://iiif.io/api/search/1/search',
        service: [{ id: `http://guji.test${iiif('/autocomplete/1')}`, type: 'AutoCompleteService1', profile: 'http://iiif.io/api/search/1/autocomplete' }],
      },
    ]);
  });

  it('answers 2.0: the matched characters on their canvas, one annotation a column, with their context, open to every origin', async () => {
    // 四庫全書 is on both leaves: page 1, the title column, and page 2.
    const res = await server.call('GET', `${iiif('/search')}?q=${encodeURIComponent('四库全书')}&motivation=painting`, { headers: { origin: 'https://viewer.example' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    expect(res.headers.get('content-type')).to.match(/^application\/ld\+json/);
    const body = Search2.parse(res.body);
    expect(body.ignored).to.deep.equal(['motivation']);
    const contexts = body.annotations[0]!.items;
    expect(contexts.length).to.be.at.least(2);
    expect(body.items.map((a) => a.target.replace(/\/match.*|#.*/g, ''))).to.include(`http://guji.test${iiif('/canvas/1')}`);
    const first = body.items[0]!;
    // The title column of leaf 1, its characters 3–6 (欽定 before them): the union of their boxes.
    const title = (await server.call('GET', `/api/records/${cn}/pages/1/text`)).body.columns[0];
    const boxes: number[][] = title.chars.slice(2, 6).map((c: any) => c.box);
    const [x0, y0] = [Math.min(...boxes.map((b) => b[0]!)), Math.min(...boxes.map((b) => b[1]!))];
    const [x1, y1] = [Math.max(...boxes.map((b) => b[0]! + b[2]!)), Math.max(...boxes.map((b) => b[1]! + b[3]!))];
    expect(first.target).to.equal(`http://guji.test${iiif('/canvas/1')}#xywh=${x0},${y0},${x1 - x0},${y1 - y0}`);
    expect(first.body.value).to.equal('四庫全書');
    const target = contexts[0]!.target as z.infer<typeof Target>;
    expect(target.source).to.equal(first.id);
    expect(target.selector[0]).to.deep.include({ prefix: '欽定', exact: '四庫全書' });
  });

  it('cuts a match that runs from one column into the next into one annotation a column (§4.3.4)', async () => {
    // Line 1 of leaf 2 ends 七百, line 2 begins 種者: 七百種者 spans two columns.
    const body = Search2.parse((await server.call('GET', `${iiif('/search')}?q=${encodeURIComponent('七百種者')}`)).body);
    expect(body.items.map((a) => a.body.value)).to.deep.equal(['七百', '種者']);
    const [right, left] = body.items.map((a) => Number(a.target.split('#xywh=')[1]!.split(',')[0]));
    expect(right).to.be.greaterThan(left!);
    const targets = body.annotations[0]!.items[0]!.target as z.infer<typeof Target>[];
    expect(targets.map((t) => t.selector[0]!.exact)).to.deep.equal(['七百', '種者']);
    expect(targets[0]!.selector[0]!.prefix).to.be.a('string');
    expect(targets[1]!.selector[0]!.suffix).to.be.a('string');
  });

  it('answers 1.0 as Mirador 3 reads it: resources on the canvas and hits with before, match and after', async () => {
    const res = await server.call('GET', `${iiif('/search/1')}?q=${encodeURIComponent('四庫全書')}`);
    expect(res.status).to.equal(200);
    expect(res.body['@type']).to.equal('sc:AnnotationList');
    expect(res.body.within).to.deep.equal({ '@type': 'sc:Layer', total: res.body.hits.length });
    const hit = res.body.hits[0];
    expect(hit).to.include({ '@type': 'search:Hit', match: '四庫全書', before: '欽定' });
    const resource = res.body.resources.find((r: any) => r['@id'] === hit.annotations[0]);
    expect(resource.on).to.match(new RegExp(`^http://guji\\.test/iiif/${cn}/canvas/1#xywh=\\d+,\\d+,\\d+,\\d+$`));
    expect(resource.resource.chars).to.equal('四庫全書');
  });

  it('completes the first characters of a phrase with what follows them in the book', async () => {
    const res = await server.call('GET', `${iiif('/autocomplete')}?q=${encodeURIComponent('四庫')}`);
    const page = TermPage.parse(res.body);
    expect(page.items.map((t) => t.value)).to.include.members(['四庫全', '四庫全書']);
    const one = await server.call('GET', `${iiif('/autocomplete/1')}?q=${encodeURIComponent('四庫')}`);
    expect(one.body['@type']).to.equal('search:TermList');
    expect(one.body.terms[0]).to.have.keys(['match', 'url', 'count']);
  });

  it('answers in the shapes of the specification\'s own examples (test/fixtures/iiif-content-search-2)', async () => {
    const manifest = (await server.call('GET', iiif('/manifest'))).body;
    expect(conformsToExamples({ service: manifest.service.filter((s: any) => s.type === 'SearchService2') }, specExamples('3'))).to.deep.equal([]);
    // One match in one column, one over two columns (§4.3.4), a parameter ignored (§4.2.4).
    for (const q of ['四庫全書', '七百種者']) {
      const body = (await server.call('GET', `${iiif('/search')}?q=${encodeURIComponent(q)}&user=x`)).body;
      expect(body.items.length, q).to.be.greaterThan(0);
      expect(conformsToExamples(body, specExamples('4.')), q).to.deep.equal([]);
    }
    const terms = (await server.call('GET', `${iiif('/autocomplete')}?q=${encodeURIComponent('四庫')}&motivation=painting`)).body;
    expect(terms.items.length).to.be.greaterThan(0);
    expect(conformsToExamples(terms, specExamples('5.'))).to.deep.equal([]);
    // The check itself finds what departs from the examples.
    const broken = { ...terms, type: 'TermList', items: [{ total: 1, match: '四庫全' }] };
    expect(conformsToExamples(broken, specExamples('5.'))).to.include.members([
      'type: "TermList" is none of the examples\' ("TermPage")', 'items: lacks value, which every example has', 'items.match: no example has it',
    ]);
  });

  it('refuses a search without q, and keeps an unpublished book from the public', async () => {
    const res = await server.call('GET', iiif('/search'));
    expect(res.status).to.equal(400);
    expect(res.body.error.details[0].field).to.equal('q');
    const draft = '430000-0001-0000009';
    await registerBook(server, admin, draft);
    expect((await server.call('GET', `/iiif/${draft}/search?q=%E5%9B%9B`)).status).to.equal(404);
    expect((await server.call('GET', `/iiif/${draft}/search?q=%E5%9B%9B`, { token: admin })).status).to.equal(200);
  });
});
