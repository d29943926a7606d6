/**
 * Spreadsheet benchmark (npm run bench -- sheets): import and export of a messy census catalogue
 * (scripts/messy-catalogue.ts) of 100,000 rows as CSV and as XLSX — time, rows per second and
 * peak memory — beside references measured in the same run: reading the same file's rows without
 * checking or storing them (import), and writing the same rows from memory with the same writer
 * (export). Each run is its own process, so that its peak memory (getrusage maxRSS) is its own;
 * the import also runs at a fifth of the size, to show that memory does not grow with the sheet.
 *
 * Options: --rows N (default 100000).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createAdapters } from '../src/adapters/create-adapters.js';
import { SheetFileAdapter } from '../src/adapters/sheets/sheet-files.js';
import { DEFAULT_INPUT_LIMITS } from '../src/config.js';
import { HEADINGS } from '../src/domain/census-sheet.js';
import { defaultVocabulary } from '../src/domain/vocabulary.js';
import type { SheetFormat } from '../src/ports/sheets.js';
import { createServices } from '../src/services/services.js';
import { messyCatalogue, MESSY_UNITS, toCsv } from './messy-catalogue.js';

const here = fileURLToPath(import.meta.url);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const MiB = (kb: number) => kb / 1024;

interface Run {
  seconds: number;
  rows: number;
  /** Peak resident memory of the process, KiB. */
  maxRss: number;
  /**
   * Peak anonymous resident memory, KiB: what the process itself allocated (heap, buffers, SQLite
   * caches), without the pages of files it maps — SQLite memory-maps its databases (mmap_size),
   * and those pages, counted in maxRss, are the kernel's page cache, growing with the catalogue.
   */
  maxAnon: number;
}

/** RssAnon of /proc/self/status, KiB (Linux). */
const rssAnon = () => Number(/RssAnon:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);

/** Runs one measurement in a fresh process and reads its figures. */
function child(...args: string[]): Run {
  const res = spawnSync(process.execPath, ['--import', 'tsx', here, 'child', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = res.stdout.trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !line.startsWith('{')) throw new Error(`bench child ${args.join(' ')} failed:\n${res.stderr}\n${res.stdout}`);
  return JSON.parse(line) as Run;
}

async function services(dataDir: string) {
  const adapters = await createAdapters({ dataDir, mongodbUri: undefined, meiliUrl: undefined, meiliKey: undefined, pixelLimit: 200_000_000 });
  const s = createServices(adapters, {
    sessionHours: 1, vocabulary: defaultVocabulary(), maxScanBytes: 1 << 20, publicBaseUrl: 'http://bench', rights: 'http://creativecommons.org/publicdomain/mark/1.0/', log: () => {},
  });
  return { adapters, services: s };
}
const ADMIN = { username: 'bench', role: 'admin' as const, unit: null };

/** The measurements themselves, each in its own process. */
async function runChild([mode, ...args]: string[]): Promise<Run> {
  let maxAnon = rssAnon();
  const sampler = setInterval(() => (maxAnon = Math.max(maxAnon, rssAnon())), 50);
  const start = performance.now();
  let rows = 0;
  if (mode === 'parse') {
    const [file, format] = args as [string, SheetFormat];
    for await (const _ of new SheetFileAdapter(DEFAULT_INPUT_LIMITS.sheet).rows(file, format)) rows += 1;
    rows -= 1;
  } else if (mode === 'import') {
    const [file, format, dataDir] = args as [string, SheetFormat, string];
    const { adapters, services: s } = await services(dataDir);
    for (const unit of MESSY_UNITS) await s.units.create(ADMIN, { province: '430000', ...unit }).catch(() => {});
    const report = await s.sheets.import(ADMIN, file, format, { dryRun: false });
    rows = report.rows;
    await s.indexer.catchUp();
    await Promise.all([adapters.store.close(), adapters.search.close()]);
  } else if (mode === 'export') {
    const [format, dataDir, out] = args as [SheetFormat, string, string];
    const { adapters, services: s } = await services(dataDir);
    const stream = createWriteStream(out);
    await s.sheets.export(ADMIN, {}, format, stream);
    await new Promise<void>((resolve) => stream.end(() => resolve()));
    rows = (await s.search.search(ADMIN, { pageSize: 1 })).total;
    await Promise.all([adapters.store.close(), adapters.search.close()]);
  } else if (mode === 'write') {
    // Reference for export: the same number of rows, held in memory, through the same writer.
    const [format, count, out] = args as [SheetFormat, string, string];
    const { rows: sheet } = messyCatalogue(Number(count));
    const stream = createWriteStream(out);
    async function* each() {
      for (const r of sheet.slice(1)) yield [...r, ...Array(HEADINGS.length - r.length).fill('')];
    }
    await new SheetFileAdapter(DEFAULT_INPUT_LIMITS.sheet).write(format, HEADINGS, each(), stream);
    rows = sheet.length - 1;
  }
  clearInterval(sampler);
  return { seconds: (performance.now() - start) / 1000, rows, maxRss: process.resourceUsage().maxRSS, maxAnon: Math.max(maxAnon, rssAnon()) };
}

export async function benchSheets(count: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-bench-sheets-'));
  try {
    const table: string[][] = [];
    const files: Record<string, Record<SheetFormat, string>> = {};
    for (const n of [count, Math.round(count / 5)]) {
      console.log(`Writing a messy catalogue of ${fmt(n)} rows as CSV and XLSX …`);
      const { rows } = messyCatalogue(n);
      const csv = path.join(dir, `catalogue-${n}.csv`);
      writeFileSync(csv, toCsv(rows));
      const xlsx = path.join(dir, `catalogue-${n}.xlsx`);
      const out = createWriteStream(xlsx);
      async function* each() {
        yield* rows.slice(1);
      }
      await new SheetFileAdapter(DEFAULT_INPUT_LIMITS.sheet).write('xlsx', rows[0]!, each(), out);
      await new Promise<void>((resolve) => out.on('close', () => resolve()));
      files[n] = { csv, xlsx };
    }
    const line = (what: string, run: Run, ref?: Run) => table.push([
      what, fmt(run.rows), fmt(run.seconds, 1), fmt(run.rows / run.seconds), fmt(MiB(run.maxAnon)), fmt(MiB(run.maxRss)),
      ref ? fmt(ref.rows / ref.seconds) : '', ref ? fmt(MiB(ref.maxAnon)) : '', ref ? (run.seconds / ref.seconds).toFixed(1) : '',
    ]);
    for (const format of ['csv', 'xlsx'] as const) {
      const file = files[count]![format];
      const size = statSync(file).size;
      console.log(`${format.toUpperCase()} ${fmt(size / 2 ** 20, 1)} MiB: import, then export …`);
      const dataDir = path.join(dir, `data-${format}`);
      const parse = child('parse', file, format);
      const imported = child('import', file, format, dataDir);
      line(`import ${format} (${fmt(count)} rows)`, imported, parse);
      const smallDir = path.join(dir, `data-${format}-small`);
      const small = files[Math.round(count / 5)]![format];
      line(`import ${format} (${fmt(Math.round(count / 5))} rows)`, child('import', small, format, smallDir), child('parse', small, format));
      const out = path.join(dir, `export.${format}`);
      const exported = child('export', format, dataDir, out);
      const written = child('write', format, String(exported.rows), path.join(dir, `reference.${format}`));
      line(`export ${format}`, exported, written);
    }
    console.log(`\nSpreadsheets (${fmt(count)} rows of scripts/messy-catalogue.ts; each run its own process; anon = peak RssAnon, sampled every 50 ms; RSS = getrusage maxRSS, with SQLite's memory-mapped database pages)`);
    const head = ['', 'rows', 's', 'rows/s', 'peak anon MiB', 'peak RSS MiB', 'ref rows/s', 'ref anon MiB', 'time ÷ ref'];
    const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
    for (const row of [head, ...table]) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
    console.log('References: import — reading the same file\'s rows without checking or storing them; export — writing as many rows from memory with the same writer.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') {
  console.log(JSON.stringify(await runChild(process.argv.slice(3))));
}
