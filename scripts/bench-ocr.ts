/**
 * OCR benchmark (npm run bench -- ocr): the character error rate (src/domain/character-error-rate.ts:
 * CJK ideographs only, exact forms) of each engine on the 10 half-leaves of book1 against their
 * hand transcriptions (../shared/data/transcriptions/book1), per page and overall, with seconds
 * per page (models already loaded; the load is shown apart; one page at a time, and for our
 * engine also pages side by side up to the cores, wall time per page) and peak memory; then what each
 * engine reads on book5/1.png, a 3446 × 5171 woodblock master without a transcription, shown for
 * the eye. Engines, each in its own process so its peak memory (getrusage maxRSS) is its own:
 *   columns     our layout step + PP-OCRv4 recognition (src/adapters/ocr/paddle-columns.ts)
 *   whole-page  PP-OCRv4 detection + recognition of the same package (the reference)
 *   tesseract   Debian's tesseract with chi_tra_vert, if installed (never installed from here)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { characterErrorRate, countErrors, type ErrorCount } from '../src/domain/character-error-rate.js';
import { mainText } from '../src/domain/page-text.js';
import type { TextRecognizer } from '../src/ports/text-recognizer.js';

const here = fileURLToPath(import.meta.url);
const DATA = path.resolve(path.dirname(here), '..', '..', 'shared', 'data');
const PAGES = Array.from({ length: 10 }, (_, i) => i + 1);
const pageFile = (n: number) => path.join(DATA, 'open-guji-cv-pages', 'book1', `${n}.png`);
const reference = (n: number) => readFileSync(path.join(DATA, 'transcriptions', 'book1', `${n}.txt`), 'utf8');
const WOODBLOCK = path.join(DATA, 'open-guji-cv-pages', 'book5', '1.png');

interface Result {
  engine: string;
  load: number;
  counts: ErrorCount[];
  seconds: number[];
  /** Wall seconds per page with pages side by side up to the cores. */
  parallel: number | null;
  maxRssMiB: number | null;
  woodblock: { seconds: number; text: string } | null;
}

async function recognizer(mode: string): Promise<TextRecognizer> {
  if (mode === 'columns') return (await import('../src/adapters/ocr/paddle-columns.js')).PaddleColumnsRecognizer.create({ concurrency: 1 });
  return (await import('../src/adapters/ocr/paddle-whole-page.js')).PaddleWholePageRecognizer.create();
}

/** One engine in this process: prints its Result as the last line. */
async function runChild(mode: string): Promise<void> {
  const t0 = performance.now();
  const engine = await recognizer(mode);
  const load = (performance.now() - t0) / 1000;
  const counts: ErrorCount[] = [];
  const seconds: number[] = [];
  for (const n of PAGES) {
    const start = performance.now();
    const page = await engine.recognise(pageFile(n));
    seconds.push((performance.now() - start) / 1000);
    counts.push(countErrors(mainText(page), reference(n)));
  }
  // The same pages side by side, as many at a time as there are cores (columns only: it is the
  // engine that bounds its pages in flight).
  let parallel: number | null = null;
  if (mode === 'columns') {
    const all = await (await import('../src/adapters/ocr/paddle-columns.js')).PaddleColumnsRecognizer.create();
    const begin = performance.now();
    await Promise.all(PAGES.map((n) => all.recognise(pageFile(n))));
    parallel = (performance.now() - begin) / 1000 / PAGES.length;
  }
  const start = performance.now();
  const wood = await engine.recognise(WOODBLOCK);
  const woodblock = { seconds: (performance.now() - start) / 1000, text: mainText(wood) };
  const result: Result = { engine: `${engine.engine.name} (${engine.engine.version})`, load, counts, seconds, parallel, maxRssMiB: process.resourceUsage().maxRSS / 1024, woodblock };
  console.log(JSON.stringify(result));
}

function child(mode: string): Result | string {
  const res = spawnSync(process.execPath, ['--import', 'tsx', here, 'child', mode], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = res.stdout.trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !line.startsWith('{')) return `failed: ${(res.stderr || res.stdout).trim().split('\n').slice(-3).join(' | ')}`;
  return JSON.parse(line) as Result;
}

/** Debian's tesseract with the vertical traditional Chinese model, run page by page. */
function tesseract(): Result | string {
  const which = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
  if (which.error) return 'not installed (apt-get install tesseract-ocr tesseract-ocr-chi-tra-vert)';
  if (!/^chi_tra_vert$/m.test(which.stdout)) return 'not installed: tesseract is, chi_tra_vert is not (apt-get install tesseract-ocr-chi-tra-vert)';
  const gnuTime = existsSync('/usr/bin/time');
  let peak = 0;
  const read = (file: string) => {
    const start = performance.now();
    const args = [file, 'stdout', '-l', 'chi_tra_vert', '--psm', '5'];
    const res = gnuTime
      ? spawnSync('/usr/bin/time', ['-f', '%M', 'tesseract', ...args], { encoding: 'utf8' })
      : spawnSync('tesseract', args, { encoding: 'utf8' });
    if (gnuTime) peak = Math.max(peak, Number(res.stderr.trim().split('\n').pop()) || 0);
    return { text: res.stdout, seconds: (performance.now() - start) / 1000 };
  };
  const counts: ErrorCount[] = [];
  const seconds: number[] = [];
  for (const n of PAGES) {
    const r = read(pageFile(n));
    counts.push(countErrors(r.text, reference(n)));
    seconds.push(r.seconds);
  }
  const wood = read(WOODBLOCK);
  return { engine: 'tesseract chi_tra_vert --psm 5', load: 0, counts, seconds, parallel: null, maxRssMiB: gnuTime ? peak / 1024 : null, woodblock: { seconds: wood.seconds, text: wood.text } };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function benchOcr(): Promise<void> {
  console.log('\n== OCR: book1, 10 half-leaves, CER on CJK ideographs (target ≤ 11 %) ==');
  const results: [string, Result | string][] = [
    ['columns', child('columns')],
    ['whole-page', child('whole-page')],
    ['tesseract', tesseract()],
  ];
  const header = ['page', 'ideographs', ...results.map(([name]) => name)];
  console.log(header.map((h) => h.padStart(12)).join(''));
  for (const [i, n] of PAGES.entries()) {
    const length = results.map(([, r]) => (typeof r === 'string' ? null : r.counts[i]!.length)).find((l) => l !== null) ?? 0;
    console.log([String(n), String(length), ...results.map(([, r]) => (typeof r === 'string' ? '—' : pct(r.counts[i]!.errors / r.counts[i]!.length)))].map((c) => c.padStart(12)).join(''));
  }
  const row = (label: string, f: (r: Result) => string) => console.log([label, '', ...results.map(([, r]) => (typeof r === 'string' ? '—' : f(r)))].map((c) => c.padStart(12)).join(''));
  row('overall', (r) => pct(characterErrorRate(r.counts)));
  row('s/page', (r) => mean(r.seconds).toFixed(2));
  row(`s/page ×${availableParallelism()}`, (r) => (r.parallel === null ? '—' : r.parallel.toFixed(2)));
  row('model load s', (r) => r.load.toFixed(2));
  row('peak RSS MiB', (r) => (r.maxRssMiB === null ? '?' : r.maxRssMiB.toFixed(0)));
  for (const [name, r] of results) {
    if (typeof r === 'string') console.log(`${name}: ${r}`);
    else console.log(`${name}: ${r.engine}`);
  }
  console.log('\n-- book5/1.png (3446 × 5171 woodblock master, no transcription): what each engine reads --');
  for (const [name, r] of results) {
    if (typeof r === 'string' || !r.woodblock) continue;
    console.log(`${name} (${r.woodblock.seconds.toFixed(2)} s):\n${r.woodblock.text.trim() || '(nothing)'}`);
  }
}

if (process.argv[2] === 'child') await runChild(process.argv[3]!);
