/**
 * OCR benchmark (npm run bench -- ocr): the character error rate (src/domain/character-error-rate.ts:
 * CJK ideographs only, exact forms) of each engine, in the same run, on
 *   book1    the 10 half-leaves of ../shared/data/open-guji-cv-pages/book1 (a manuscript, ~1155 ×
 *            1560) against ../shared/data/transcriptions/book1, one round;
 *   book5/1  a 3446 × 5171 woodblock master against test/fixtures/transcriptions/book5/1.txt,
 *            three rounds (the spread of its seconds is shown);
 * with seconds per page (models already loaded; the load is shown apart; one page at a time, and
 * for our engine also book1's pages side by side up to the cores, wall time per page), CPU
 * seconds per page (user + system: steadier than wall time on a shared machine) and peak
 * memory. Engines, each on each set in a process of its own, so its peak memory (getrusage
 * maxRSS, or GNU time's for tesseract) is that set's alone:
 *   columns     our layout step + PP-OCRv4 recognition (src/adapters/ocr/paddle-columns.ts)
 *   whole-page  PP-OCRv4 detection + recognition of the same package (the reference)
 *   tesseract   Debian's tesseract with chi_tra_vert, if installed (never installed from here:
 *               without it the bench says so and prints no figure)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { characterErrorRate, countErrors, type ErrorCount } from '../src/domain/character-error-rate.js';
import { mainText } from '../src/domain/page-text.js';
import type { TextRecognizer } from '../src/ports/text-recognizer.js';

const here = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(here), '..');
const DATA = path.resolve(ROOT, '..', 'shared', 'data');

interface Page {
  file: string;
  reference: string;
}
interface PageSet {
  name: string;
  pages: Page[];
  rounds: number;
}

const SETS: PageSet[] = [
  {
    name: 'book1',
    rounds: 1,
    pages: Array.from({ length: 10 }, (_, i) => ({
      file: path.join(DATA, 'open-guji-cv-pages', 'book1', `${i + 1}.png`),
      reference: path.join(DATA, 'transcriptions', 'book1', `${i + 1}.txt`),
    })),
  },
  {
    name: 'book5/1',
    rounds: 3,
    pages: [{ file: path.join(DATA, 'open-guji-cv-pages', 'book5', '1.png'), reference: path.join(ROOT, 'test', 'fixtures', 'transcriptions', 'book5', '1.txt') }],
  },
];

interface Result {
  engine: string;
  load: number;
  /** First round's counts, page by page (later rounds read the same). */
  counts: ErrorCount[];
  /** Seconds per page, one figure per round. */
  rounds: number[];
  /** CPU seconds (user + system) per page over all rounds: steadier than wall time on a busy machine. */
  cpu: number | null;
  /** Wall seconds per page with pages side by side up to the cores. */
  parallel: number | null;
  maxRssMiB: number | null;
}

async function recognizer(mode: string, concurrency?: number): Promise<TextRecognizer> {
  if (mode === 'columns') return (await import('../src/adapters/ocr/paddle-columns.js')).PaddleColumnsRecognizer.create({ concurrency });
  return (await import('../src/adapters/ocr/paddle-whole-page.js')).PaddleWholePageRecognizer.create();
}

/** One engine on one set in this process: prints its Result as the last line. */
async function runChild(mode: string, setName: string): Promise<void> {
  const set = SETS.find((s) => s.name === setName)!;
  const t0 = performance.now();
  const engine = await recognizer(mode, 1);
  const load = (performance.now() - t0) / 1000;
  const counts: ErrorCount[] = [];
  const rounds: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let round = 0; round < set.rounds; round++) {
    const start = performance.now();
    for (const page of set.pages) {
      const text = mainText(await engine.recognise(page.file));
      if (round === 0) counts.push(countErrors(text, readFileSync(page.reference, 'utf8')));
    }
    rounds.push((performance.now() - start) / 1000 / set.pages.length);
  }
  const used = process.cpuUsage(cpu0);
  const cpu = (used.user + used.system) / 1e6 / set.pages.length / set.rounds;
  // The same pages side by side, as many at a time as there are cores (columns only: it is the
  // engine that bounds its pages in flight).
  let parallel: number | null = null;
  if (mode === 'columns' && set.pages.length > 1) {
    const all = await recognizer(mode);
    const begin = performance.now();
    await Promise.all(set.pages.map((p) => all.recognise(p.file)));
    parallel = (performance.now() - begin) / 1000 / set.pages.length;
  }
  const result: Result = { engine: `${engine.engine.name} (${engine.engine.version})`, load, counts, rounds, cpu, parallel, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(result));
}

function child(mode: string, set: PageSet): Result | string {
  const res = spawnSync(process.execPath, ['--import', 'tsx', here, 'child', mode, set.name], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = res.stdout.trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !line.startsWith('{')) return `failed: ${(res.stderr || res.stdout).trim().split('\n').slice(-3).join(' | ')}`;
  return JSON.parse(line) as Result;
}

/** Why tesseract cannot run here, or null when it can. */
function tesseractMissing(): string | null {
  const which = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
  if (which.error) return 'not installed (apt-get install tesseract-ocr tesseract-ocr-chi-tra-vert): no figures';
  if (!/^chi_tra_vert$/m.test(which.stdout)) return 'not installed: tesseract is, chi_tra_vert is not (apt-get install tesseract-ocr-chi-tra-vert): no figures';
  return null;
}

/** Debian's tesseract with the vertical traditional Chinese model, page by page (one process a page). */
function tesseract(set: PageSet): Result | string {
  const missing = tesseractMissing();
  if (missing) return missing;
  const version = spawnSync('tesseract', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() ?? 'tesseract';
  const gnuTime = existsSync('/usr/bin/time');
  let peak = 0;
  let cpu = 0;
  const read = (file: string) => {
    const args = [file, 'stdout', '-l', 'chi_tra_vert', '--psm', '5'];
    const res = gnuTime ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', 'tesseract', ...args], { encoding: 'utf8' }) : spawnSync('tesseract', args, { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`tesseract failed on ${file}: ${res.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    if (gnuTime) {
      const [kb, user, system] = (res.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
      peak = Math.max(peak, kb || 0);
      cpu += (user || 0) + (system || 0);
    }
    return res.stdout;
  };
  const counts: ErrorCount[] = [];
  const rounds: number[] = [];
  try {
    for (let round = 0; round < set.rounds; round++) {
      const start = performance.now();
      for (const page of set.pages) {
        const text = read(page.file);
        if (round === 0) counts.push(countErrors(text, readFileSync(page.reference, 'utf8')));
      }
      rounds.push((performance.now() - start) / 1000 / set.pages.length);
    }
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  }
  return { engine: `${version} chi_tra_vert --psm 5`, load: 0, counts, rounds, cpu: gnuTime ? cpu / set.pages.length / set.rounds : null, parallel: null, maxRssMiB: gnuTime ? peak / 1024 : null };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const cell = (c: string) => c.padStart(13);

function table(set: PageSet, results: [string, Result | string][]): void {
  console.log(`\n-- ${set.name}: ${set.pages.length} page${set.pages.length > 1 ? 's' : ''}, ${set.rounds} round${set.rounds > 1 ? 's' : ''} --`);
  console.log(['page', 'ideographs', ...results.map(([name]) => name)].map(cell).join(''));
  if (set.pages.length > 1)
    set.pages.forEach((p, i) => {
      const length = results.map(([, r]) => (typeof r === 'string' ? null : r.counts[i]!.length)).find((l) => l !== null) ?? '';
      const name = path.basename(p.file, '.png');
      console.log([name, String(length), ...results.map(([, r]) => (typeof r === 'string' ? '—' : pct(r.counts[i]!.errors / r.counts[i]!.length)))].map(cell).join(''));
    });
  const row = (label: string, f: (r: Result) => string, first = '') => console.log([label, first, ...results.map(([, r]) => (typeof r === 'string' ? '—' : f(r)))].map(cell).join(''));
  const total = results.map(([, r]) => (typeof r === 'string' ? null : r.counts.reduce((n, c) => n + c.length, 0))).find((l) => l !== null) ?? 0;
  row('CER', (r) => pct(characterErrorRate(r.counts)), String(total));
  row('s/page', (r) => mean(r.rounds).toFixed(2));
  row('CPU s/page', (r) => (r.cpu === null ? '?' : r.cpu.toFixed(2)));
  if (set.rounds > 1) row('s min–max', (r) => `${Math.min(...r.rounds).toFixed(2)}–${Math.max(...r.rounds).toFixed(2)}`);
  if (set.pages.length > 1) row(`s/page ×${availableParallelism()}`, (r) => (r.parallel === null ? '—' : r.parallel.toFixed(2)));
  row('model load s', (r) => (r.load ? r.load.toFixed(2) : '—'));
  row('peak RSS MiB', (r) => (r.maxRssMiB === null ? '?' : r.maxRssMiB.toFixed(0)));
}

export async function benchOcr(): Promise<void> {
  const [one, five, fifteen] = loadavg().map((l) => l.toFixed(1));
  console.log('\n== OCR: character error rate on CJK ideographs (book1 target ≤ 11 %), seconds per page, peak memory ==');
  console.log(`(timings on a shared machine: ${cpus().length} cores, load average ${one} / ${five} / ${fifteen} — other work runs beside; compare engines within this run)`);
  const all: { set: PageSet; results: [string, Result | string][] }[] = [];
  for (const set of SETS) {
    const results: [string, Result | string][] = [
      ['columns', child('columns', set)],
      ['whole-page', child('whole-page', set)],
      ['tesseract', tesseract(set)],
    ];
    all.push({ set, results });
    table(set, results);
  }
  console.log('');
  // Each engine's version once (a failure on one set is said for that set).
  const said = new Set<string>();
  for (const { results } of all)
    for (const [name, r] of results) {
      const line = `${name}: ${typeof r === 'string' ? r : r.engine}`;
      if (!said.has(line)) console.log(line);
      said.add(line);
    }
}

if (process.argv[2] === 'child') await runChild(process.argv[3]!, process.argv[4]!);
