/**
 * Alignment benchmark (npm run bench -- align): seconds and peak memory of laying a known text
 * onto OCR drafts (src/domain/text-alignment.ts), each case in its own process so that its peak
 * memory (getrusage maxRSS) is its own, beside the same process that builds the inputs and does
 * not align (the reference):
 *   book1      the 10 half-leaves' transcriptions as one text against the real OCR drafts (read
 *              once by the engine, before the timing), pages split exactly or not
 *   volume     a constructed volume of 200,000 characters on 300 pages (columns of 24), its
 *              draft read with 11 % errors (7 % substituted, 2 % lost, 2 % added), as our engine
 *              reads book1
 *   unrelated  the worst case: 200,000 characters of another text against the same 300 pages,
 *              where no anchor holds and the whole is aligned in the band
 * Each case runs 5 times in its process (collecting the last run's garbage first, so the peak is
 * one run's with its result); the spread is the fastest and slowest run, in wall and CPU seconds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { PageText, TextColumn } from '../src/domain/page-text.js';
import { alignToPages } from '../src/domain/text-alignment.js';

const here = fileURLToPath(import.meta.url);
const DATA = path.resolve(path.dirname(here), '..', '..', 'shared', 'data');
const PAGES = Array.from({ length: 10 }, (_, i) => i + 1);
const RUNS = 5;

interface Result {
  seconds: number[];
  /** CPU seconds of each run (user + system): what the run costs when the machine is shared. */
  cpu: number[];
  maxRssMiB: number;
  pages: number;
  exact: number;
  /** Pages whose letters are right, line breaks aside (the split between pages). */
  split: number;
  flagged: number;
}

/** A constructed volume: text, and its draft with OCR-like errors. Deterministic. */
export function volume(letters: number, pages: number, related: boolean): { known: string; drafts: PageText[]; expected: string[] } {
  // mulberry32: a plain LCG's successive draws repeat in short cycles, a text made of them too.
  let s = related ? 2024 : 7;
  const random = () => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
  // 3,000 common ideographs from U+4E00 on, drawn unevenly as real texts are (a few very frequent).
  const letter = () => String.fromCodePoint(0x4e00 + Math.floor(3000 * random() ** 2));
  const text = Array.from({ length: letters }, letter);
  const expected: string[] = [];
  const drafts: PageText[] = [];
  const perColumn = 24;
  for (let p = 0; p < pages; p++) {
    const columns: TextColumn[] = [];
    const lines: string[] = [];
    const end = Math.round(((p + 1) * letters) / pages);
    for (let t = Math.round((p * letters) / pages), c = 0; t < end; t += perColumn, c++) {
      const line = text.slice(t, Math.min(end, t + perColumn));
      lines.push(line.join(''));
      const read: string[] = [];
      for (const ch of line) {
        const r = random();
        if (r < 0.07) read.push(letter());
        else if (r < 0.09) continue;
        else if (r < 0.11) read.push(ch, letter());
        else read.push(ch);
      }
      const x = 1600 - 55 * c;
      columns.push({
        kind: 'main',
        // The column's box is the page's (ink from top to bottom), whatever the OCR made of it.
        box: [x, 100, 50, 50 * line.length],
        text: read.join(''),
        chars: read.map((char, i) => ({ char, box: [x, 100 + Math.floor((50 * line.length * i) / read.length), 50, 46], confidence: 0.9 })),
      });
    }
    expected.push(lines.join('\n'));
    drafts.push({ engine: { name: 'constructed', version: '0' }, width: 1700, height: 1400, columns });
  }
  if (related) return { known: text.join(''), drafts, expected };
  // Another text of the same length and letters for the same drafts.
  const other = Array.from({ length: letters }, letter).join('');
  return { known: other, drafts, expected: expected.map(() => '') };
}

function inputs(kind: string, draftsFile: string): { known: string; drafts: PageText[]; expected: string[] } {
  if (kind === 'book1') {
    const expected = PAGES.map((n) => readFileSync(path.join(DATA, 'transcriptions', 'book1', `${n}.txt`), 'utf8').trim());
    return { known: expected.join('').replace(/\n/g, ''), drafts: JSON.parse(readFileSync(draftsFile, 'utf8')) as PageText[], expected };
  }
  return volume(200_000, 300, kind === 'volume');
}

/** One case in this process: prints its Result as the last line. `align` 0: inputs only. */
function runChild(kind: string, draftsFile: string, align: boolean): void {
  const { known, drafts, expected } = inputs(kind, draftsFile);
  const seconds: number[] = [];
  const cpu: number[] = [];
  let exact = 0;
  let split = 0;
  let flagged = 0;
  for (let r = 0; align && r < RUNS; r++) {
    // The last run's result is dropped first: the peak is one alignment's, with its result.
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    const used = process.cpuUsage();
    const pages = alignToPages(known, drafts);
    seconds.push((performance.now() - start) / 1000);
    const { user, system } = process.cpuUsage(used);
    cpu.push((user + system) / 1e6);
    exact = pages.filter((p, i) => p.text === expected[i]).length;
    split = pages.filter((p, i) => p.text.replace(/\n/g, '') === expected[i]!.replace(/\n/g, '')).length;
    flagged = pages.filter((p) => p.flagged).length;
  }
  const result: Result = { seconds, cpu, maxRssMiB: process.resourceUsage().maxRSS / 1024, pages: drafts.length, exact, split, flagged };
  console.log(JSON.stringify(result));
}

function child(kind: string, draftsFile: string, align: boolean): Result {
  const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', here, 'child', kind, draftsFile, align ? '1' : '0'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = res.stdout.trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !line.startsWith('{')) throw new Error(`bench child ${kind} failed:\n${res.stderr}\n${res.stdout}`);
  return JSON.parse(line) as Result;
}

/** Median, and fastest–slowest. */
function spread(xs: number[]): [string, string] {
  const sorted = [...xs].sort((a, b) => a - b);
  return [sorted[sorted.length >> 1]!.toFixed(2), `${sorted[0]!.toFixed(2)}–${sorted[sorted.length - 1]!.toFixed(2)}`];
}

export async function benchAlign(): Promise<void> {
  console.log('\n== Alignment of a known text onto OCR drafts (5 runs each; spread = fastest–slowest) ==');
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-bench-align-'));
  try {
    const draftsFile = path.join(dir, 'book1.json');
    const { PaddleColumnsRecognizer } = await import('../src/adapters/ocr/paddle-columns.js');
    const ocr = await PaddleColumnsRecognizer.create();
    const drafts = await Promise.all(PAGES.map((n) => ocr.recognise(path.join(DATA, 'open-guji-cv-pages', 'book1', `${n}.png`))));
    await ocr.close();
    writeFileSync(draftsFile, JSON.stringify(drafts));
    console.log(['case', 'pages', 'median s', 'spread s', 'CPU s', 'CPU spread', 'peak MiB', 'inputs MiB', 'exact', 'split right', 'flagged'].map((h) => h.padStart(12)).join(''));
    for (const kind of ['book1', 'volume', 'unrelated']) {
      const r = child(kind, draftsFile, true);
      const base = child(kind, draftsFile, false);
      const [wall, wallSpread] = spread(r.seconds);
      const [cpu, cpuSpread] = spread(r.cpu);
      const cells = [
        kind,
        String(r.pages),
        wall,
        wallSpread,
        cpu,
        cpuSpread,
        r.maxRssMiB.toFixed(0),
        base.maxRssMiB.toFixed(0),
        `${r.exact}/${r.pages}`,
        `${r.split}/${r.pages}`,
        `${r.flagged}/${r.pages}`,
      ];
      console.log(cells.map((c) => c.padStart(12)).join(''));
    }
    console.log(`load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores: wall seconds grow with it, CPU seconds less so;`);
    console.log('peak MiB: the aligning process; inputs MiB: the same process building its inputs only;');
    console.log('exact: pages whose text and columns are right; split right: pages whose characters are (line breaks aside).');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') runChild(process.argv[3]!, process.argv[4]!, process.argv[5] === '1');
