/**
 * Ingest benchmark (npm run bench -- ingest): our sharp pipeline (src/adapters/images/sharp-
 * deriver.ts: one decode to an sRGB tiled pyramid, IIIF tiles, access copy, thumbnail) against
 * the `vips` command line (Debian's libvips-tools) making the same derivatives from the same
 * masters, measured side by side in the same run: rounds interleaved A B A B with the order
 * rotated, medians reported, peak memory of each side's processes from GNU time. "The same"
 * means the same bytes: sharp writes JPEGs with optimised Huffman tables by default (7 % smaller
 * tiles, served many times over), so the CLI is asked for them too; both sides' totals are printed.
 *
 *   apt-get install libvips-tools time; npm run bench -- ingest [--pages 60] [--rounds 4]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';

const root = path.resolve(import.meta.dirname, '..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};

/** A page-like master: paper tone with grain, and dark columns of "text" blocks. */
export async function makeMaster(file: string, width: number, height: number, seed: number): Promise<void> {
  const columns = 10;
  const blocks: OverlayOptions[] = [];
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < 18; r++) {
      const size = Math.floor(width / (columns * 2.2));
      if ((c * 31 + r * 7 + seed) % 5 === 0) continue;
      blocks.push({
        input: { create: { width: size, height: size, channels: 3, background: { r: 40, g: 30, b: 25 } } },
        left: Math.floor(width * 0.08 + c * (width * 0.84) / columns),
        top: Math.floor(height * 0.08 + r * size * 1.25),
      });
    }
  }
  await sharp({ create: { width, height, channels: 3, background: { r: 236, g: 226, b: 204 }, noise: { type: 'gaussian', mean: 120, sigma: 25 } } })
    .composite(blocks)
    .jpeg({ quality: 95 })
    .toFile(file);
}

/** Runs a command under GNU time; returns seconds and the peak resident memory in MiB. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { seconds: number; peakMiB: number } {
  const started = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { env, encoding: 'utf8', cwd: root });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`);
  const kib = Number(run.stderr.trim().split('\n').pop());
  return { seconds, peakMiB: kib / 1024 };
}

/** The bytes of every file under a folder. */
const bytesUnder = (dir: string) =>
  (readdirSync(dir, { recursive: true }) as string[]).reduce((n, f) => n + (statSync(path.join(dir, f)).isFile() ? statSync(path.join(dir, f)).size : 0), 0);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchIngest(pages: number, rounds: number): Promise<void> {
  if (spawnSync('vips', ['--version']).status !== 0) {
    console.log('ingest benchmark skipped: install the vips command line (apt-get install libvips-tools time)');
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-bench-ingest-'));
  try {
    console.log(`\nIngest: making ${pages} masters of 3000×4200 and one of 6000×8500 …`);
    const volume = path.join(dir, 'volume');
    mkdirSync(volume);
    for (let i = 0; i < pages; i++) await makeMaster(path.join(volume, `${String(i + 1).padStart(3, '0')}.jpg`), 3000, 4200, i);
    const big = path.join(dir, 'big.jpg');
    await makeMaster(big, 6000, 8500, 99);

    // Our side: one long-running Node process deriving every master given (as npm run ingest does).
    const ours = path.join(dir, 'ours.mts');
    writeFileSync(
      ours,
      `import { SharpDeriver } from '${root}/src/adapters/images/sharp-deriver.ts';
       import { mkdirSync } from 'node:fs';
       const [out, ...masters] = process.argv.slice(2);
       const deriver = new SharpDeriver(300_000_000);
       for (const [i, m] of masters.entries()) { const f = out + '/' + i; mkdirSync(f, { recursive: true }); await deriver.derive(m, f); }`,
    );
    // The CLI side: the same derivatives with vips, one process per step as a shell script would.
    const cli = path.join(dir, 'cli.sh');
    writeFileSync(
      cli,
      `#!/bin/sh
set -e
out=$1; shift; i=0
for m in "$@"; do
  f="$out/$i"; mkdir -p "$f"
  vips tiffsave "$m" "$f/full.tif" --tile --pyramid --compression jpeg --Q 90 --tile-width 128 --tile-height 128
  vips dzsave "$f/full.tif" "$f/tiles" --layout iiif3 --tile-size 512 --overlap 0 --suffix .jpg[Q=80,optimize_coding]
  vipsthumbnail "$f/full.tif" --size 1000x1000 -o "$f/access.jpg[Q=85,optimize_coding]"
  vipsthumbnail "$f/full.tif" --size 200x200 -o "$f/thumbnail.jpg[Q=80,optimize_coding]"
  i=$((i+1))
done
`,
    );
    const masters = Array.from({ length: pages }, (_, i) => path.join(volume, `${String(i + 1).padStart(3, '0')}.jpg`));
    const node = [process.execPath, ['--import', 'tsx', ours]] as const;
    const run = (command: string, args: (out: string) => string[]) => {
      const out = mkdtempSync(path.join(dir, 'o-'));
      const r = { ...timed(command, args(out)), bytes: bytesUnder(out) };
      rmSync(out, { recursive: true, force: true });
      return r;
    };
    const side = {
      sharp: (files: string[]) => run(node[0], (out) => [...node[1], out, ...files]),
      vips: (files: string[]) => run('sh', (out) => [cli, out, ...files]),
    };
    // What our process holds and takes to start before any page: Node, tsx and sharp loaded. A
    // page in flight costs what the peak adds to it (the CLI side starts a small process per
    // step, with no such base).
    const results: Record<'sharp' | 'vips', { volume: number[]; big: number[]; peak: number[]; bigPeak: number[]; bytes: number; bigBytes: number }> = {
      sharp: { volume: [], big: [], peak: [], bigPeak: [], bytes: 0, bigBytes: 0 },
      vips: { volume: [], big: [], peak: [], bigPeak: [], bytes: 0, bigBytes: 0 },
    };
    const start: { seconds: number[]; peak: number[] } = { seconds: [], peak: [] };
    for (let round = 0; round < rounds; round++) {
      const order = (round % 2 === 0 ? ['sharp', 'vips'] : ['vips', 'sharp']) as ('sharp' | 'vips')[];
      for (const name of order) {
        const v = side[name](masters);
        results[name].volume.push((pages / v.seconds) * 60);
        results[name].peak.push(v.peakMiB);
        results[name].bytes = v.bytes;
        const b = side[name]([big]);
        results[name].big.push(b.seconds);
        results[name].bigPeak.push(b.peakMiB);
        results[name].bigBytes = b.bytes;
      }
      const empty = side.sharp([]);
      start.seconds.push(empty.seconds);
      start.peak.push(empty.peakMiB);
      process.stdout.write(`  round ${round + 1}/${rounds} done\n`);
    }
    const s = results.sharp;
    const v = results.vips;
    const base = median(start.peak);
    const started = median(start.seconds);
    console.log(`\nIngest (${pages}-page volume of 3000×4200 JPEG masters; one 6000×8500; ${rounds} interleaved rounds, medians; libvips CLI ${execFileSync('vips', ['--version']).toString().trim()})`);
    console.log(`  volume pages/min     sharp ${median(s.volume).toFixed(1)}   vips CLI ${median(v.volume).toFixed(1)}   ratio ${(median(s.volume) / median(v.volume)).toFixed(2)} (target ≥ 1)`);
    console.log(`  6000×8500 seconds    sharp ${median(s.big).toFixed(2)}   vips CLI ${median(v.big).toFixed(2)}   ratio ${(median(s.big) / median(v.big)).toFixed(2)} (target ≤ 1.3)`);
    console.log(`    without starting Node (${started.toFixed(2)} s; the service pays it once) ${(median(s.big) - started).toFixed(2)}   ratio ${((median(s.big) - started) / median(v.big)).toFixed(2)}`);
    console.log(`  derivatives MB       sharp ${(s.bytes / 1e6).toFixed(1)} / ${(s.bigBytes / 1e6).toFixed(1)}   vips CLI ${(v.bytes / 1e6).toFixed(1)} / ${(v.bigBytes / 1e6).toFixed(1)}`);
    console.log(`  peak memory MiB      sharp ${median(s.peak).toFixed(0)} (volume) / ${median(s.bigPeak).toFixed(0)} (6000×8500), of which ${base.toFixed(0)} before any page   vips CLI ${median(v.peak).toFixed(0)} / ${median(v.bigPeak).toFixed(0)} (per process)`);
    console.log(`  per page in flight   sharp ${(median(s.peak) - base).toFixed(0)} (volume) / ${(median(s.bigPeak) - base).toFixed(0)} (6000×8500)   target ≤ 160`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchIngest(arg('pages', 60), arg('rounds', 4));
}
