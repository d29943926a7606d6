/**
 * Store benchmark (npm run bench -- store) — throughput of the embedded catalogue store at 100,000 records: insert (one
 * transaction per record with its history entry, as the API writes), point read, and filtered
 * pages. Each figure is printed beside a reference measured in the same run on the same machine:
 * bare better-sqlite3 doing the least the same work needs (insert a JSON document, read it back),
 * so the ratio shows what the adapter's indexes, history and parsing cost.
 *
 * Options: --records N (default 100000).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteCatalogueStore } from '../src/adapters/embedded/sqlite-store.js';
import type { CensusRecord } from '../src/domain/census-record.js';
import type { HistoryEntry, RecordQuery } from '../src/ports/catalogue-store.js';
import { generateRecords } from './catalogue-generator.js';

/** The history entry of a record's creation, as the service writes it. */
export const entryOf = (r: CensusRecord): HistoryEntry => ({
  censusNumber: r.fields.censusNumber, at: r.updatedAt, actor: 'bench', action: 'create',
  changes: [{ field: 'status', before: null, after: r.status }], comment: null, version: 1,
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(n: number, op: (i: number) => unknown): Promise<{ perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op(i);
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: n / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
let rows: string[][] = [];
const report = (what: string, ours: { perSecond: number; p50: number; p99: number }, ref?: { perSecond: number }) =>
  rows.push([what, fmt(ours.perSecond), fmt(ours.p50 * 1000, 0), fmt(ours.p99 * 1000, 0), ref ? fmt(ref.perSecond) : '', ref ? (ours.perSecond / ref.perSecond).toFixed(2) : '']);

export async function benchStore(count: number): Promise<void> {
  rows = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-bench-'));
  try {
    console.log(`Generating ${fmt(count)} census records …`);
    const t0 = performance.now();
    const records = [...generateRecords(count, 3)];
    console.log(`  derived in ${fmt(performance.now() - t0)} ms (${fmt(count / ((performance.now() - t0) / 1000))} records/s through the parsers)`);

    // Reference: a bare table with one JSON column, the store's pragmas, one transaction per row.
    const raw = new Database(path.join(dir, 'reference.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('cache_size = -65536');
    raw.pragma('mmap_size = 268435456');
    raw.exec('CREATE TABLE docs (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID');
    const rawInsert = raw.prepare('INSERT INTO docs VALUES (?, ?)');
    const rawInsertTx = raw.transaction((r: CensusRecord) => rawInsert.run(r.fields.censusNumber, JSON.stringify(r)));
    const rawSelect = raw.prepare('SELECT doc FROM docs WHERE id = ?').pluck();

    const store = new SqliteCatalogueStore(path.join(dir, 'catalogue.sqlite'));
    const refInsert = await timed(count, (i) => rawInsertTx(records[i]!));
    const insert = await timed(count, (i) => store.records.create(records[i]!, entryOf(records[i]!)));
    report('insert (record + history, 1 tx each)', insert, refInsert);

    const reads = 20_000;
    const picks = Array.from({ length: reads }, (_, i) => records[(i * 7919) % count]!.fields.censusNumber);
    // Interleave rounds so that machine noise hits both sides alike.
    const readRounds: [Awaited<ReturnType<typeof timed>>, Awaited<ReturnType<typeof timed>>][] = [];
    for (let round = 0; round < 3; round++) {
      const ref = await timed(reads, (i) => JSON.parse(rawSelect.get(picks[i]) as string));
      const ours = await timed(reads, (i) => store.records.get(picks[i]!));
      readRounds.push([ours, ref]);
    }
    const median = <T>(xs: T[], key: (x: T) => number) => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;
    const readMedian = median(readRounds, ([o]) => o.perSecond);
    report('point read by census number', readMedian[0], readMedian[1]);

    const pages = 300;
    const query = (filter: RecordQuery['filter'], sort: RecordQuery['sort'] = 'censusNumber') => (i: number) =>
      store.records.list({ filter, sort, offset: (i % 50) * 20, limit: 20 });
    report('page of 20, anonymous (published only)', await timed(pages, query({ visibleTo: 'published' })));
    report('page of 20, status + dynasty filter', await timed(pages, query({ status: ['published'], dynasty: ['清'] })));
    report('page of 20, surveyor scope + edition type', await timed(pages, query({ visibleTo: { unit: '430000-0003' }, editionType: ['刻本'] })));
    report('page of 20, year range, sorted by year', await timed(pages, query({ yearFrom: 1550, yearTo: 1700 }, 'year')));

    const size = statSync(path.join(dir, 'catalogue.sqlite')).size + (statSync(path.join(dir, 'catalogue.sqlite-wal'), { throwIfNoEntry: false })?.size ?? 0);
    await store.close();
    raw.close();

    console.log(`\nEmbedded store, ${fmt(count)} records (Node ${process.version}, ${new Date().toISOString()})\n`);
    const header = ['operation', 'ops/s', 'p50 µs', 'p99 µs', 'reference ops/s', 'ratio'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    console.log(line(header));
    for (const r of rows) console.log(line(r));
    console.log(`\nreference: bare better-sqlite3, one JSON column (insert in its own transaction; read = SELECT + JSON.parse)`);
    console.log(`database size: ${fmt(size / 1024 / 1024, 1)} MiB; peak RSS: ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchStore(Number(process.argv[process.argv.indexOf('--records') + 1]) || 100_000);
}
