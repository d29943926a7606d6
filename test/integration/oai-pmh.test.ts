/**
 * OAI-PMH 2.0 at /oai over real HTTP on a real SQLite catalogue: every verb, every error the
 * protocol defines, selective harvesting by set and by date in both granularities, resumption
 * tokens, deleted records after a withdrawal through the API — and every response validated by
 * xmllint against OAI-PMH.xsd and oai_dc.xsd (test/fixtures/xsd/oai), offline.
 */
import { expect } from 'chai';
import type { CensusRecord } from '../../src/domain/census-record.js';
import { LIBRARY, startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { entryOf, recordOf } from '../support/records.js';
import { oaiProblems } from '../support/xml-schema.js';

const ID = (cn: string) => `oai:guji.test:${cn}`;

describe('OAI-PMH 2.0 at /oai', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;

  /** GET /oai?query (or POST with the query as a form), the response checked against the schemas. */
  async function oai(query: string, method: 'GET' | 'POST' = 'GET'): Promise<string> {
    const res = method === 'GET'
      ? await fetch(`${server.url}/oai?${query}`)
      : await fetch(`${server.url}/oai`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: query });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/xml; charset=utf-8');
    const xml = await res.text();
    const problems = oaiProblems(xml);
    expect(problems, `${query}\n${xml.slice(0, 2000)}`).to.equal(null);
    return xml;
  }
  const errorOf = (xml: string) => /<error code="(\w+)">/.exec(xml)?.[1] ?? null;
  const identifiers = (xml: string) => [...xml.matchAll(/<header( status="deleted")?><identifier>([^<]+)<\/identifier>/g)].map((m) => ({ id: m[2]!, deleted: Boolean(m[1]) }));
  const tokenOf = (xml: string) => /<resumptionToken[^>]*>([^<]*)<\/resumptionToken>/.exec(xml)?.[1] ?? null;

  /** Writes a record straight through the store, as of `at`. */
  async function put(record: CensusRecord, at: string, expectedVersion?: number) {
    const entry = { ...entryOf(record), at };
    if (expectedVersion === undefined) await server.store.records.create(record, entry);
    else await server.store.records.replace(record, expectedVersion, entry);
  }

  before(async () => {
    server = await startTestServer({ oai: { pageSize: 2 } });
    admin = await withLibrary(server);
    await server.call('POST', '/api/units', { token: admin, body: { province: '430000', code: '0002', name: '益阳市图书馆' } });
    await put(recordOf('430000-0001-0000001', { classification: '史部 地理類' }, 'published'), '2026-11-01T08:00:00.500Z');
    await put(recordOf('430000-0001-0000002', { classification: '集部', titleStatement: '杜工部集二十卷', creatorStatement: '（唐）杜甫撰' }, 'published'), '2026-11-02T08:00:00Z');
    await put(recordOf('430000-0002-0000003', { classification: '史部' }, 'published'), '2026-11-03T08:00:00Z');
    await put(recordOf('430000-0002-0000004', {}, 'published'), '2026-11-04T08:00:00Z');
    await put(recordOf('430000-0001-0000005', { classification: '史部' }, 'approved'), '2026-11-05T08:00:00Z');
    await put(recordOf('430000-0001-0000006', {}, 'draft'), '2026-11-06T08:00:00Z');
  });
  after(() => server.close());

  it('checks responses for real: the schemas refuse what the protocol does not allow', async () => {
    const valid = await oai('verb=ListRecords&metadataPrefix=oai_dc&set=unit:430000-0002');
    const error = await oai('verb=ListRecords&metadataPrefix=oai_dc&from=2030-01-01');
    expect(oaiProblems(error.replace('code="noRecordsMatch"', 'code="noSuchThing"'))).to.include('code');
    expect(oaiProblems(valid.replace('<dc:type>Text</dc:type>', '<dc:kind>Text</dc:kind>'))).to.include('kind');
    expect(oaiProblems(valid.replace(/<datestamp>([^<]+)<\/datestamp>/, '<datestamp>yesterday</datestamp>'))).to.include('datestamp');
    expect(oaiProblems(valid.replace('<header>', '<header status="gone">'))).to.include('status');
  });

  it('identifies the repository: base URL, persistent deleted records, seconds granularity, earliest datestamp', async () => {
    const xml = await oai('verb=Identify');
    expect(xml).to.include('<request verb="Identify">http://guji.test/oai</request>');
    expect(xml).to.include('<baseURL>http://guji.test/oai</baseURL>');
    expect(xml).to.include('<protocolVersion>2.0</protocolVersion>');
    expect(xml).to.include('<deletedRecord>persistent</deletedRecord>');
    expect(xml).to.include('<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>');
    expect(xml).to.include('<earliestDatestamp>2026-11-01T08:00:00Z</earliestDatestamp>');
    expect(xml).to.match(/<responseDate>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/responseDate>/);
    expect(await oai('verb=Identify', 'POST')).to.include('<deletedRecord>persistent</deletedRecord>');
  });

  it('lists its metadata formats, for the repository or one record', async () => {
    const xml = await oai('verb=ListMetadataFormats');
    expect(xml).to.include('<metadataPrefix>oai_dc</metadataPrefix><schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema>');
    expect(await oai(`verb=ListMetadataFormats&identifier=${ID('430000-0001-0000001')}`)).to.include('<metadataPrefix>oai_dc</metadataPrefix>');
    expect(errorOf(await oai(`verb=ListMetadataFormats&identifier=${ID('430000-0001-0000006')}`))).to.equal('idDoesNotExist');
  });

  it('lists sets by collecting unit and by 四部 division, with ASCII set specs', async () => {
    const xml = await oai('verb=ListSets');
    expect(xml).to.include(`<set><setSpec>unit:430000-0001</setSpec><setName>${LIBRARY.name}</setName></set>`);
    expect(xml).to.include('<set><setSpec>unit:430000-0002</setSpec><setName>益阳市图书馆</setName></set>');
    expect(xml).to.include('<set><setSpec>division:shi</setSpec><setName>史部</setName></set>');
    expect(errorOf(await oai('verb=ListSets&resumptionToken=abc'))).to.equal('badResumptionToken');
  });

  it('gives a published record in oai_dc, its text as written and tagged with its script', async () => {
    const xml = await oai(`verb=GetRecord&identifier=${ID('430000-0001-0000002')}&metadataPrefix=oai_dc`);
    expect(xml).to.include(`<header><identifier>${ID('430000-0001-0000002')}</identifier><datestamp>2026-11-02T08:00:00Z</datestamp>`
      + '<setSpec>unit:430000-0001</setSpec><setSpec>division:ji</setSpec></header>');
    expect(xml).to.include('<dc:title xml:lang="zh">杜工部集二十卷</dc:title>');
    expect(xml).to.include('<dc:creator xml:lang="zh">（唐）杜甫撰</dc:creator>');
    expect(xml).to.include('<dc:source xml:lang="zh-Hans">资阳区图书馆 10634</dc:source>');
    expect(xml).to.include('<dc:identifier>http://guji.test/records/430000-0001-0000002</dc:identifier>');
    expect(xml).to.include('<dc:date>1573/1620</dc:date>');
  });

  it('gives every record in every format it lists, each valid against its schema', async () => {
    const prefixes = [...(await oai('verb=ListMetadataFormats')).matchAll(/<metadataPrefix>([^<]+)<\/metadataPrefix>/g)].map((m) => m[1]!);
    expect(prefixes).to.include('oai_dc');
    for (const prefix of prefixes) {
      let xml = await oai(`verb=ListRecords&metadataPrefix=${prefix}`);
      let count = identifiers(xml).length;
      while (tokenOf(xml)) {
        xml = await oai(`verb=ListRecords&resumptionToken=${tokenOf(xml)}`);
        count += identifiers(xml).length;
      }
      expect(count, prefix).to.be.at.least(4);
      expect(await oai(`verb=GetRecord&identifier=${ID('430000-0001-0000001')}&metadataPrefix=${prefix}`), prefix).to.include('<metadata>');
    }
  });

  it('knows nothing of records never published, and says which argument is wrong', async () => {
    for (const cn of ['430000-0001-0000005', '430000-0001-0000006', '430000-0001-0009999']) {
      expect(errorOf(await oai(`verb=GetRecord&identifier=${ID(cn)}&metadataPrefix=oai_dc`))).to.equal('idDoesNotExist');
    }
    expect(errorOf(await oai('verb=GetRecord&identifier=oai:elsewhere.org:430000-0001-0000001&metadataPrefix=oai_dc'))).to.equal('idDoesNotExist');
    expect(errorOf(await oai(`verb=GetRecord&identifier=${ID('430000-0001-0000001')}&metadataPrefix=marc21`))).to.equal('cannotDisseminateFormat');
    expect(errorOf(await oai('verb=ListRecords&metadataPrefix=ead'))).to.equal('cannotDisseminateFormat');
    const listed = identifiers(await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&set=unit:430000-0001')).map((h) => h.id);
    expect(listed).not.to.include(ID('430000-0001-0000005'));
    expect(listed).not.to.include(ID('430000-0001-0000006'));
  });

  it('answers each malformed request with the error the protocol defines, and the request without its arguments', async () => {
    const cases: [string, string][] = [
      ['', 'badVerb'],
      ['verb=Harvest', 'badVerb'],
      ['verb=Identify&verb=Identify', 'badVerb'],
      ['verb=Identify&metadataPrefix=oai_dc', 'badArgument'],
      ['verb=GetRecord&identifier=x', 'badArgument'],
      ['verb=ListRecords', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2026-11-01&until=2026-11-02T00:00:00Z', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2026-11-03&until=2026-11-02', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2026-02-30', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2026-11-01T08:00:00', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai%20dc', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&set=unit:', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=x', 'badArgument'],
      [`verb=ListRecords&metadataPrefix=oai_dc&set=${'a'.repeat(3000)}`, 'badArgument'],
      ['verb=ListRecords&resumptionToken=not-a-token', 'badResumptionToken'],
      [`verb=ListRecords&resumptionToken=${Buffer.from('{"verb":"ListRecords"}').toString('base64url')}`, 'badResumptionToken'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2030-01-01', 'noRecordsMatch'],
      [`verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent('oai:guji.test:金華 府志"<x>')}`, 'idDoesNotExist'],
      ['verb=ListRecords&metadataPrefix=oai_dc&set=division:zi', 'noRecordsMatch'],
      ['verb=ListRecords&metadataPrefix=oai_dc&set=unit:999999-9999', 'noRecordsMatch'],
    ];
    for (const [query, code] of cases) {
      const xml = await oai(query);
      expect(errorOf(xml), query).to.equal(code);
      if (code === 'badVerb' || code === 'badArgument') expect(xml, query).to.include('<request>http://guji.test/oai</request>');
    }
    // A token of one list is no token of another.
    const token = tokenOf(await oai('verb=ListIdentifiers&metadataPrefix=oai_dc'))!;
    expect(errorOf(await oai(`verb=ListRecords&resumptionToken=${token}`))).to.equal('badResumptionToken');
    // A form body beyond any OAI-PMH request is refused before it is read.
    const huge = await fetch(`${server.url}/oai`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `verb=Identify&x=${'a'.repeat(20_000)}` });
    expect(huge.status).to.equal(413);
  });

  it('pages a list through resumption tokens, with cursor and completeListSize, and ends with an empty token', async () => {
    const pages: string[] = [];
    let xml = await oai('verb=ListRecords&metadataPrefix=oai_dc');
    pages.push(xml);
    expect(xml).to.match(/<resumptionToken completeListSize="4" cursor="0">[A-Za-z0-9_-]+<\/resumptionToken>/);
    while (tokenOf(xml)) {
      xml = await oai(`verb=ListRecords&resumptionToken=${tokenOf(xml)}`, 'POST');
      pages.push(xml);
    }
    expect(pages).to.have.length(2);
    expect(pages[1]).to.include('<resumptionToken completeListSize="4" cursor="2"/>');
    expect(pages.flatMap(identifiers).map((h) => h.id)).to.deep.equal(
      ['430000-0001-0000001', '430000-0001-0000002', '430000-0002-0000003', '430000-0002-0000004'].map(ID),
    );
  });

  it('selects by set and by datestamp, in either granularity, inclusive at both ends', async () => {
    const ids = async (query: string) => {
      let xml = await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&${query}`);
      const found = identifiers(xml).map((h) => h.id.slice(-7));
      while (tokenOf(xml)) {
        xml = await oai(`verb=ListIdentifiers&resumptionToken=${tokenOf(xml)}`);
        found.push(...identifiers(xml).map((h) => h.id.slice(-7)));
      }
      return found;
    };
    expect(await ids('set=unit:430000-0002')).to.deep.equal(['0000003', '0000004']);
    expect(await ids('set=division:shi')).to.deep.equal(['0000001', '0000003']);
    expect(await ids('set=division')).to.deep.equal(['0000001', '0000002', '0000003']);
    expect(await ids('set=unit')).to.deep.equal(['0000001', '0000002', '0000003', '0000004']);
    expect(await ids('from=2026-11-02&until=2026-11-03')).to.deep.equal(['0000002', '0000003']);
    expect(await ids('from=2026-11-02T08:00:00Z&until=2026-11-03T08:00:00Z')).to.deep.equal(['0000002', '0000003']);
    expect(await ids('from=2026-11-02T08:00:01Z&until=2026-11-03T07:59:59Z')).to.deep.equal([]);
    expect(await ids('until=2026-11-01T08:00:00Z')).to.deep.equal(['0000001']);
  });

  it('keeps a withdrawn record as deleted, and publishes it again when it is', async () => {
    const reviewerBody = { username: 'shenhe', password: 'review-desk-77', role: 'reviewer' };
    expect((await server.call('POST', '/api/users', { token: admin, body: reviewerBody })).status).to.equal(201);
    const reviewer = await server.login('shenhe', 'review-desk-77');
    const cn = '430000-0002-0000004';
    const noReason = await server.call('POST', `/api/records/${cn}/transitions`, { token: reviewer, body: { action: 'withdraw' } });
    expect(noReason.status).to.equal(409);
    const withdrawn = await server.call('POST', `/api/records/${cn}/transitions`, { token: reviewer, body: { action: 'withdraw', comment: '版本著錄有誤，待核' } });
    expect(withdrawn.status).to.equal(200);
    expect(withdrawn.body.status).to.equal('approved');
    expect((await server.call('GET', `/api/records/${cn}`)).status).to.equal(404);

    const record = await oai(`verb=GetRecord&identifier=${ID(cn)}&metadataPrefix=oai_dc`);
    expect(record).to.match(new RegExp(`<record><header status="deleted"><identifier>${ID(cn)}</identifier><datestamp>[^<]+</datestamp>`
      + '<setSpec>unit:430000-0002</setSpec></header></record>'));
    expect(record).not.to.include('<metadata>');
    const today = new Date().toISOString().slice(0, 10);
    const listed = identifiers(await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&from=${today}`));
    expect(listed).to.deep.equal([{ id: ID(cn), deleted: true }]);
    expect(await oai(`verb=ListRecords&metadataPrefix=oai_dc&from=${today}`)).to.include('<header status="deleted">');
    expect(errorOf(await oai(`verb=ListMetadataFormats&identifier=${ID(cn)}`))).to.equal(null);

    expect((await server.call('POST', `/api/records/${cn}/transitions`, { token: reviewer, body: { action: 'publish' } })).body.status).to.equal('published');
    expect(identifiers(await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&from=${today}`))).to.deep.equal([{ id: ID(cn), deleted: false }]);
    expect(await oai(`verb=GetRecord&identifier=${ID(cn)}&metadataPrefix=oai_dc`)).to.include('<metadata>');
  });
});
