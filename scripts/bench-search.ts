/**
 * Search benchmark: builds the embedded index from N generated records (scripts/catalogue-
 * generator.ts) and measures build time, index size, memory, and query latency for 1-, 2- and
 * 4-character queries — top 20 by relevance with the total, then with a facet filter, then with
 * every facet counted. The reference, measured in the same run, is the brute-force substring
 * scan over the folded text that the recall test trusts: the ratio is what the index buys.
 * Every query is also asked once of the same file with hot phrases off (nothing remembered
 * between queries), and then the index is rebuilt from a catalogue store of the same records as
 * `npm run reindex` does it.
 *
 *   npx tsx scripts/bench-search.ts --records 300000 [--queries 200]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FtsSearchIndex } from '../src/adapters/embedded/fts-search-index.js';
import { SqliteCatalogueStore } from '../src/adapters/embedded/sqlite-store.js';
import { WorkerSearchIndex } from '../src/adapters/embedded/worker-search-index.js';
import { fold } from '../src/domain/text-fold.js';
import { countedFacets, type SearchQuery } from '../src/ports/search-index.js';
import { SearchIndexer, searchDocumentOf } from '../src/services/search-service.js';
import { random } from '../src/demo/random.js';
import { entryOf } from './bench-store.js';
import { generateRecords } from './catalogue-generator.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function benchSearch(count: number, queries: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-bench-search-'));
  try {
    const file = path.join(dir, 'search.sqlite');
    const index = new FtsSearchIndex(file);
    const brute: string[] = [];
    const started = performance.now();
    let batch = [];
    let n = 0;
    for (const record of generateRecords(count, 7)) {
      const doc = searchDocumentOf(record, null);
      batch.push(doc);
      if (n < 100_000) brute.push(Object.values(doc.text).map(fold).join('\n'));
      n += 1;
      if (batch.length === 5000) {
        await index.upsert(batch, n);
        batch = [];
      }
    }
    if (batch.length) await index.upsert(batch, n);
    const buildSeconds = (performance.now() - started) / 1000;
    const size = statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    console.log(`\nSearch index, ${count.toLocaleString('en-US')} records: built in ${fmt(buildSeconds)} s (generation included), ${fmt(size / 2 ** 20)} MiB on disk, heap ${fmt(process.memoryUsage().heapUsed / 2 ** 20)} MiB`);

    // Queries: substrings of Han text from the generated titles, persons and editions.
    const next = random(99);
    const sample = (length: number) => {
      const out: string[] = [];
      while (out.length < queries) {
        const runs = brute[Math.floor(next() * brute.length)]!.match(/\p{Script=Han}+/gu) ?? [];
        const run = [...(runs[Math.floor(next() * runs.length)] ?? '')];
        if (run.length < length) continue;
        const start = Math.floor(next() * (run.length - length + 1));
        out.push(run.slice(start, start + length).join(''));
      }
      return out;
    };

    const base: SearchQuery = { text: '', filters: {}, visibleTo: 'published', sort: 'relevance', offset: 0, limit: 20, facets: [] };
    const variants: [string, Partial<SearchQuery>][] = [
      ['top 20 + total', {}],
      ['+ facet filter', { filters: { division: ['經部'] } }],
      ['+ all facet counts', { facets: countedFacets(true) }],
    ];
    const header = ['query', 'variant', 'p50 ms', 'p95 ms', 'p99 ms', 'mean hits'];
    const rows: string[][] = [];
    const mixed: number[] = [];
    const cold = new FtsSearchIndex(file, { hotPhraseBytes: 0 });
    // Its columns are read before the clock starts, as the service's worker does at start.
    cold.warm();
    const measure = async (length: number, label: string, on: FtsSearchIndex, qs: string[], extra: Partial<SearchQuery>) => {
      const times: number[] = [];
      let hits = 0;
      for (const q of qs) {
        const t = performance.now();
        const result = await on.search({ ...base, ...extra, text: q });
        times.push(performance.now() - t);
        hits += result.total;
      }
      const sorted = [...times].sort((a, b) => a - b);
      rows.push([`${length} char`, label, fmt(percentile(sorted, 50)), fmt(percentile(sorted, 95)), fmt(percentile(sorted, 99)), fmt(hits / qs.length, 0)]);
      return times;
    };
    for (const length of [1, 2, 4]) {
      const qs = sample(length);
      for (const [label, extra] of variants) mixed.push(...(await measure(length, label, index, qs, extra)));
      await measure(length, 'top 20 + total, hot phrases off', cold, qs, {});
      // Reference: the brute-force scan over (at most) the first 100,000 documents.
      const times: number[] = [];
      for (const q of qs.slice(0, 20)) {
        const t = performance.now();
        const f = fold(q);
        brute.filter((text) => text.includes(f)).length;
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      rows.push([`${length} char`, `reference: brute force over ${fmt(brute.length, 0)}`, fmt(percentile(times, 50)), fmt(percentile(times, 95)), fmt(percentile(times, 99)), '']);
    }
    mixed.sort((a, b) => a - b);
    rows.push(['mixed', `all ${fmt(mixed.length, 0)} queries above`, fmt(percentile(mixed, 50)), fmt(percentile(mixed, 95)), fmt(percentile(mixed, 99)), '']);
    await cold.close();
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    console.log(line(header));
    for (const r of rows) console.log(line(r));
    await index.close();

    // Start on an existing index: open it and answer one query.
    const t = performance.now();
    const reopened = new FtsSearchIndex(file);
    await reopened.search({ ...base, text: '周易' });
    console.log(`start on the existing index and answer a first query: ${fmt(performance.now() - t)} ms`);
    await reopened.close();
    rmSync(file);

    // Rebuilt from the store as npm run reindex does it (the store is filled first, untimed).
    const store = new SqliteCatalogueStore(path.join(dir, 'catalogue.sqlite'));
    for (const record of generateRecords(count, 7)) await store.records.create(record, entryOf(record));
    const worker = new WorkerSearchIndex(file);
    const rebuilt = performance.now();
    await new SearchIndexer(store, worker).rebuild();
    const rebuildSeconds = (performance.now() - rebuilt) / 1000;
    console.log(`rebuilt from the catalogue store in a worker thread, as npm run reindex does: ${fmt(rebuildSeconds)} s (${fmt(rebuildSeconds / buildSeconds, 2)}× the build from generated documents above)`);
    await Promise.all([worker.close(), store.close()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchSearch(arg('records', 300_000), arg('queries', 200));
}
