/**
 * A full OAI-PMH harvest of a 10,000-record catalogue through resumption tokens, in pages of
 * 250, while between every two pages records are updated, published and withdrawn on both
 * sides of the place the harvest has reached. The guarantee (src/services/oai-service.ts):
 * every record public when the harvest began appears exactly once — in its newest state, as
 * deleted if withdrawn before the harvest reached it; nothing appears twice; and what changed
 * during the harvest and this harvest did not show in its newest state is found by the next
 * harvest `from` the first responseDate.
 */
import { expect } from 'chai';
import type { CensusRecord } from '../../src/domain/census-record.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { entryOf, recordOf } from '../support/records.js';
import { oaiProblems } from '../support/xml-schema.js';

const TOTAL = 10_000;
const PAGE = 250;
/** Census numbers of the catalogue are odd; records published during the harvest take even ones between them. */
const cnOf = (n: number) => `430000-0001-${String(n).padStart(7, '0')}`;

describe('an OAI-PMH harvest of 10,000 records while the catalogue is written', function () {
  this.timeout(600_000);
  let server: TestServer;
  const current = new Map<string, CensusRecord>();
  const base = recordOf(cnOf(1), { classification: '子部 醫家類' }, 'published');

  async function write(cn: string, change: Partial<CensusRecord> & { callNumber?: string }, at: string) {
    const before = current.get(cn);
    const { callNumber, ...rest } = change;
    const record: CensusRecord = {
      ...(before ?? base), ...rest,
      fields: { ...(before ?? base).fields, censusNumber: cn, ...(callNumber ? { callNumber } : {}) },
      version: (before?.version ?? 0) + 1, updatedAt: at,
    };
    const entry = { ...entryOf(record), at };
    if (before) await server.store.records.replace(record, before.version, entry);
    else await server.store.records.create(record, entry);
    current.set(cn, record);
  }

  before(async () => {
    server = await startTestServer({ oai: { pageSize: PAGE } });
    await withLibrary(server);
    // Written straight through the store (one transaction each), as of a day before the harvest.
    for (let i = 0; i < TOTAL; i++) await write(cnOf(2 * i + 1), {}, new Date(Date.UTC(2026, 9, 1) + i * 1000).toISOString());
    for (let i = 0; i < 20; i++) await write(cnOf(30_001 + 2 * i), { status: i % 2 ? 'draft' : 'approved' }, '2026-10-02T00:00:00Z');
  });
  after(() => server.close());

  async function oai(query: string): Promise<string> {
    const xml = await (await fetch(`${server.url}/oai?${query}`)).text();
    expect(oaiProblems(xml), xml.slice(0, 1000)).to.equal(null);
    return xml;
  }
  interface Harvested { cn: string; deleted: boolean; datestamp: string; callNumber: string | null }
  const recordsOf = (xml: string): Harvested[] => [...xml.matchAll(/<record>(.*?)<\/record>/g)].map(([, body]) => ({
    cn: /<identifier>oai:guji\.test:([^<]+)<\/identifier>/.exec(body!)![1]!,
    deleted: body!.startsWith('<header status="deleted">'),
    datestamp: /<datestamp>([^<]+)<\/datestamp>/.exec(body!)![1]!,
    callNumber: / (\S+)<\/dc:source>/.exec(body!)?.[1] ?? null,
  }));
  const tokenOf = (xml: string) => /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(xml)?.[1] ?? null;

  it('gives every record public at its start exactly once, in its newest state, and the next harvest the rest', async () => {
    const atStart = new Set([...current.values()].filter((r) => r.status === 'published').map((r) => r.fields.censusNumber));
    expect(atStart.size).to.equal(TOTAL);
    const harvested: Harvested[] = [];
    const updatedAhead = new Set<string>();
    const updatedBehind = new Set<string>();
    const withdrawnAhead = new Set<string>();
    const withdrawnBehind = new Set<string>();
    const publishedAhead = new Set<string>();
    const publishedBehind = new Set<string>();
    const touched = () => new Set([...updatedAhead, ...updatedBehind, ...withdrawnAhead, ...withdrawnBehind, ...publishedAhead, ...publishedBehind]);

    let xml = await oai('verb=ListRecords&metadataPrefix=oai_dc');
    const firstResponseDate = /<responseDate>([^<]+)<\/responseDate>/.exec(xml)![1]!;
    let pages = 1;
    let lastCursor = -1;
    for (;;) {
      const page = recordsOf(xml);
      harvested.push(...page);
      const cursor = Number(/cursor="(\d+)"/.exec(xml)![1]);
      expect(cursor).to.be.greaterThan(lastCursor);
      lastCursor = cursor;
      const token = tokenOf(xml);
      if (!token) break;
      // Between pages: on each side of the place reached, update three records, withdraw one
      // and publish one new (an even census number, between two of the catalogue's).
      const reached = Number(page.at(-1)!.cn.slice(-7));
      const now = () => new Date().toISOString();
      const untouched = (n: number) => atStart.has(cnOf(n)) && !touched().has(cnOf(n));
      const pick = (from: number, step: number, count: number) => {
        const found: number[] = [];
        for (let n = from; n > 0 && n < 2 * TOTAL && found.length < count; n += step) if (untouched(n)) found.push(n);
        return found;
      };
      const ahead = pick(reached + 2 + 2 * (pages % 7), 2, 4);
      const behind = pick(reached - 2 * (pages % 50), -2, 4);
      for (const n of ahead.slice(0, 3)) {
        await write(cnOf(n), { callNumber: `U${pages}` }, now());
        updatedAhead.add(cnOf(n));
      }
      for (const n of behind.slice(0, 3)) {
        await write(cnOf(n), { callNumber: `U${pages}` }, now());
        updatedBehind.add(cnOf(n));
      }
      if (ahead[3]) {
        await write(cnOf(ahead[3]), { status: 'approved' }, now());
        withdrawnAhead.add(cnOf(ahead[3]));
      }
      if (behind[3]) {
        await write(cnOf(behind[3]), { status: 'approved' }, now());
        withdrawnBehind.add(cnOf(behind[3]));
      }
      const fresh = [reached + 11 + 2 * (pages % 5), Math.max(2, reached - 9)].map((n) => cnOf(n % 2 ? n + 1 : n));
      await write(fresh[0]!, { status: 'published' }, now());
      publishedAhead.add(fresh[0]!);
      if (!touched().has(fresh[1]!) && !current.has(fresh[1]!)) {
        await write(fresh[1]!, { status: 'published' }, now());
        publishedBehind.add(fresh[1]!);
      }
      xml = await oai(`verb=ListRecords&resumptionToken=${token}`);
      pages += 1;
    }

    expect(pages).to.be.at.least(TOTAL / PAGE);
    const seen = harvested.map((h) => h.cn);
    expect(new Set(seen).size, 'no record twice').to.equal(seen.length);
    const seenSet = new Set(seen);
    const missed = [...atStart].filter((cn) => !seenSet.has(cn));
    expect(missed, 'every record public at the start').to.deep.equal([]);
    expect(seen.filter((cn) => !atStart.has(cn) && !publishedAhead.has(cn)), 'nothing else').to.deep.equal([]);
    expect(updatedAhead.size).to.be.greaterThan(50);
    const byCn = new Map(harvested.map((h) => [h.cn, h]));
    for (const cn of updatedAhead) {
      expect(byCn.get(cn)!.callNumber, cn).to.equal(current.get(cn)!.fields.callNumber);
      expect(byCn.get(cn)!.datestamp >= firstResponseDate).to.equal(true);
    }
    for (const cn of updatedBehind) expect(byCn.get(cn)!.callNumber, cn).to.equal('10634');
    for (const cn of withdrawnAhead) expect(byCn.get(cn)!.deleted, cn).to.equal(true);
    for (const cn of withdrawnBehind) expect(byCn.get(cn)!.deleted, cn).to.equal(false);
    for (const cn of publishedAhead) expect(byCn.has(cn), cn).to.equal(true);
    for (const cn of publishedBehind) expect(byCn.has(cn), cn).to.equal(false);
    expect(harvested.filter((h) => atStart.has(h.cn) && !touched().has(h.cn)).every((h) => !h.deleted && h.datestamp < firstResponseDate)).to.equal(true);

    // The next harvest, from the first responseDate, has every change made during this one, once, in its newest state.
    const next: Harvested[] = [];
    let more = await oai(`verb=ListRecords&metadataPrefix=oai_dc&from=${firstResponseDate}`);
    for (;;) {
      next.push(...recordsOf(more));
      const token = tokenOf(more);
      if (!token) break;
      more = await oai(`verb=ListRecords&resumptionToken=${token}`);
    }
    expect(next.map((h) => h.cn).sort()).to.deep.equal([...touched()].sort());
    for (const h of next) {
      const record = current.get(h.cn)!;
      expect(h.deleted, h.cn).to.equal(record.status !== 'published');
      if (!h.deleted) expect(h.callNumber, h.cn).to.equal(record.fields.callNumber);
    }
  });
});
