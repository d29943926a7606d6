/**
 * Abuse benchmark (npm run bench -- abuse): does the service stay responsive under hostile load?
 * The real service (npm start's entry, the demo catalogue, a temporary data directory) with a
 * published record whose page is a real 3446×5171 scan of ../shared/data, uploaded through the
 * API. Three probes — a pre-rendered tile of that page, a search, /health — ask one request at
 * a time and time each answer, while the resident memory of the service and its OCR process is
 * sampled from /proc.
 * Each round measures three phases in turn:
 *   quiet     nothing else (after the service has finished the renders of the round before);
 *   images    8 clients sending the heaviest image requests the API allows (^max, turned,
 *             gray, bitonal, PNG and WebP renders of 50 megapixels), again as soon as answered;
 *   + logins  those still, and 32 clients sending wrong passwords to POST /api/session, their
 *             answers counted (sign-in rate limiting is another change; this only measures).
 * Each figure is printed as its median over the rounds with the spread (min–max), beside the
 * targets: p99 under 50 ms and RSS under 1 GiB while abused. Loopback only; every loop ends at
 * a set time (about 1 min 50 s in all with the defaults).
 *
 *   npm run bench -- abuse                              (3 rounds of 5 s a phase)
 *   tsx scripts/bench-abuse.ts [--rounds 3] [--seconds 5]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseImageRequest, type ImageLimits } from '../src/iiif/image-request.js';

const root = path.resolve(import.meta.dirname, '..');
const SCAN = path.resolve(root, '../shared/data/open-guji-cv-pages/book5/1.png');
const PORT = 18301;
const BASE = `http://127.0.0.1:${PORT}`;
const PASSWORD = 'bench-password-1';
/** The heaviest requests the limits allow: full size after ^max, turned, in costly formats. */
const HEAVY = ['full/^max/45/gray.png', '0,0,1,1/^max/45/default.webp', 'full/^max/30/bitonal.png', 'pct:10,10,50,50/^max/!60/color.webp', 'full/^max/0/default.png', 'full/^max/15/default.jpg'];
const TARGETS = { p99: 50, rssMiB: 1024 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const median = (xs: number[]) => percentile(xs, 50);
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

/**
 * Resident memory in MiB of a process and the processes it started (the OCR process, while it
 * runs: src/adapters/ocr/process-recognizer.ts), and its CPU time in clock ticks, from /proc.
 */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return (m ? Number(m[1]) / 1024 : NaN) + childrenOf(pid).reduce((sum, child) => sum + rssOrZero(child), 0);
}
/** A child that has just ended counts for nothing. */
function rssOrZero(pid: number): number {
  try {
    return rssMiB(pid);
  } catch {
    return 0;
  }
}
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) => {
    try {
      return readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Waits until the service has used under a tenth of a core for half a second (its renders done), at most 40 s. */
async function settle(pid: number): Promise<void> {
  for (let i = 0; i < 80; i++) {
    const before = cpuTicks(pid);
    await sleep(500);
    if (cpuTicks(pid) - before <= 5) return;
  }
}

async function call(method: string, p: string, token: string | null, body?: unknown): Promise<any> {
  const res = await fetch(BASE + p, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

/** One request at a time until `end`; the latency of each, in ms. */
async function probe(url: string, end: number): Promise<{ ms: number[]; failed: number }> {
  const ms: number[] = [];
  let failed = 0;
  while (performance.now() < end) {
    const t = performance.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.ceil(Math.max(1, end - t + 30_000))) });
      await res.arrayBuffer();
      if (res.status !== 200) failed += 1;
    } catch {
      failed += 1;
      await sleep(10);
    }
    ms.push(performance.now() - t);
  }
  return { ms, failed };
}

/**
 * Abusers, in a process of their own so that their work does not slow the probes' clock:
 * `--abuse-client images|logins <seconds> <imageId>` prints the answers it got, by status, as JSON.
 */
async function abuseClient(kind: 'images' | 'logins', seconds: number, imageId: string): Promise<void> {
  const end = Date.now() + seconds * 1000;
  const counts: Record<string, number> = {};
  const until = () => AbortSignal.timeout(Math.max(1, end - Date.now()));
  const loop = async (request: (i: number) => Promise<Response>) => {
    for (let i = 0; Date.now() < end; i++) {
      let key = 'cut off';
      try {
        const res = await request(i);
        await res.arrayBuffer();
        key = String(res.status);
      } catch {
        // Cut off at the end of its time: not an answer.
        await sleep(10);
      }
      counts[key] = (counts[key] ?? 0) + 1;
    }
  };
  await Promise.all(
    kind === 'images'
      ? Array.from({ length: 8 }, (_, c) => loop((i) => fetch(`${BASE}/iiif/3/${imageId}/${HEAVY[(c + i) % HEAVY.length]}`, { signal: until() })))
      : Array.from({ length: 32 }, (_, c) =>
          loop((i) =>
            fetch(`${BASE}/api/session`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ username: 'admin', password: `wrong-password-${c}-${i}` }),
              signal: until(),
            }),
          ),
        ),
  );
  process.stdout.write(JSON.stringify(counts));
}

/** Starts abusers for `seconds`; the promise is what they counted. */
function abuse(kind: 'images' | 'logins', seconds: number, imageId: string): Promise<Record<string, number>> {
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--abuse-client', kind, String(seconds), imageId], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  return new Promise((resolve) => child.on('exit', () => resolve(out ? JSON.parse(out) : {})));
}

type Phase = 'quiet' | 'images' | '+ logins';
interface Figures {
  p50: Record<string, number>;
  p99: Record<string, number>;
  failed: Record<string, number>;
  rssMiB: number;
}

/** Probes for `seconds`, sampling the service's RSS (with its OCR process's). */
async function measure(pid: number, probes: Record<string, string>, seconds: number): Promise<Figures> {
  let rss = rssMiB(pid);
  const sampler = setInterval(() => (rss = Math.max(rss, rssMiB(pid))), 100);
  const end = performance.now() + seconds * 1000;
  const results = Object.fromEntries(await Promise.all(Object.entries(probes).map(async ([name, url]) => [name, await probe(url, end)] as const)));
  clearInterval(sampler);
  return {
    p50: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, percentile(r.ms, 50)])),
    p99: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, percentile(r.ms, 99)])),
    failed: Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.failed])),
    rssMiB: rss,
  };
}

export async function benchAbuse(rounds: number, seconds: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-bench-abuse-'));
  let service: ChildProcess | undefined;
  const started = performance.now();
  try {
    console.log('\nAbuse: starting the service with the demo catalogue and ingesting a 3446×5171 scan …');
    service = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
      env: { ...process.env, PORT: String(PORT), DATA_DIR: path.join(dir, 'data'), GUJI_DEMO: '1', GUJI_ADMIN_PASSWORD: PASSWORD, PUBLIC_BASE_URL: BASE },
      stdio: 'ignore',
    });
    for (let i = 0; ; i++) {
      if (i > 1200) throw new Error('the service did not start within 120 s');
      if (await fetch(`${BASE}/health`).then((r) => r.ok, () => false)) break;
      await sleep(100);
    }
    const token = (await call('POST', '/api/session', null, { username: 'admin', password: PASSWORD })).token as string;
    const cn = '430000-0001-0000901';
    await call('POST', '/api/units', token, { province: '430000', code: '0001', name: '资阳区图书馆' });
    const made = await fetch(`${BASE}/api/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ censusNumber: cn, callNumber: 'abuse-1', titleStatement: '欽定四庫全書總目二百卷', editionStatement: '清乾隆間刻本', volumeCount: 1, holdingUnit: '0001', grade: '普通古籍', damage: { grade: '轻度', types: [] } }),
    });
    if (made.status !== 201) throw new Error(`registering the record: ${made.status} ${await made.text()}`);
    const form = new FormData();
    form.append('files', new Blob([readFileSync(SCAN)]), '欽定四庫全書總目-卷一-001.png');
    const job = ((await (await fetch(`${BASE}/api/records/${cn}/scans`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).json()) as any).job;
    for (let i = 0; (await call('GET', `/api/jobs/${job.id}`, token)).status !== 'done'; i++) {
      if (i > 600) throw new Error('ingest did not finish within 120 s');
      await sleep(200);
    }
    for (const action of ['submit', 'approve', 'publish']) await call('POST', `/api/records/${cn}/transitions`, token, { action });
    const imageId = (await call('GET', `/api/records/${cn}`, token)).pages[0].sha256 as string;
    const tilesDir = path.join(dir, 'data', 'derivatives', imageId, 'tiles');
    const region = readdirSync(tilesDir).find((d) => d.startsWith('512,512,'))!;
    const size = readdirSync(path.join(tilesDir, region))[0]!;
    const probes = { tile: `${BASE}/iiif/3/${imageId}/${region}/${size}/0/default.jpg`, search: `${BASE}/api/search?q=${encodeURIComponent('四庫全書')}`, health: `${BASE}/health` };
    for (const [name, url] of Object.entries(probes)) {
      const res = await fetch(url);
      if (res.status !== 200) throw new Error(`${name} answered ${res.status}`);
    }
    // The heaviest requests must be allowed (a benchmark of refusals measures nothing) and as
    // large as info.json's limits: checked with the service's own parser, without rendering.
    const info = (await (await fetch(`${BASE}/iiif/3/${imageId}/info.json`)).json()) as { width: number; height: number } & ImageLimits;
    for (const request of HEAVY) {
      const [region, size, rotation, qualityFormat] = request.split('/') as [string, string, string, string];
      const { output } = parseImageRequest({ region, size, rotation, qualityFormat }, info, info);
      if (output.w * output.h < info.maxArea * 0.999 && request.includes('^max')) throw new Error(`${request} is not as large as the limits allow`);
    }
    console.log(`  ready in ${((performance.now() - started) / 1000).toFixed(0)} s`);

    const phases: Phase[] = ['quiet', 'images', '+ logins'];
    const results: Record<Phase, Figures[]> = { quiet: [], images: [], '+ logins': [] };
    const line = (round: number, phase: Phase, f: Figures, answers = '') =>
      console.log(`  round ${round + 1} ${phase.padEnd(8)} p99 tile ${fmt(f.p99.tile!)} search ${fmt(f.p99.search!)} /health ${fmt(f.p99.health!)} ms, RSS ${f.rssMiB.toFixed(0)} MiB${answers}`);
    const pid = service.pid!;
    const ramp = 1;
    for (let round = 0; round < rounds; round++) {
      // The renders under way when the abusers of the round before hung up still finish: the
      // quiet phase waits for them, so that it measures an idle service.
      await settle(pid);
      results.quiet.push(await measure(pid, probes, seconds));
      line(round, 'quiet', results.quiet.at(-1)!);
      // Image abusers through both abused phases; the heavy renders start before the clock does.
      const images = abuse('images', ramp + 2 * seconds + ramp, imageId);
      await sleep(ramp * 1000);
      results.images.push(await measure(pid, probes, seconds));
      line(round, 'images', results.images.at(-1)!);
      const logins = abuse('logins', ramp + seconds, imageId);
      await sleep(ramp * 1000);
      results['+ logins'].push(await measure(pid, probes, seconds));
      const answers = { images: await images, logins: await logins };
      line(round, '+ logins', results['+ logins'].at(-1)!, `   answers: images ${JSON.stringify(answers.images)}, logins ${JSON.stringify(answers.logins)}`);
    }

    const spread = (xs: number[]) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
    console.log(`\nAbuse (${rounds} rounds of ${seconds} s a phase; medians over rounds, min–max in brackets; one probe request at a time each)`);
    console.log(`  ${'phase'.padEnd(9)} ${'tile p50 / p99 ms'.padEnd(30)} ${'search p50 / p99 ms'.padEnd(30)} ${'/health p50 / p99 ms'.padEnd(30)} RSS peak MiB`);
    for (const phase of phases) {
      const fs = results[phase];
      const cell = (k: string) => `${spread(fs.map((f) => f.p50[k]!))} / ${spread(fs.map((f) => f.p99[k]!))}`.padEnd(30);
      console.log(`  ${phase.padEnd(9)} ${cell('tile')} ${cell('search')} ${cell('health')} ${spread(fs.map((f) => f.rssMiB))}`);
      const failed = Object.entries(fs.reduce<Record<string, number>>((a, f) => { for (const [k, n] of Object.entries(f.failed)) a[k] = (a[k] ?? 0) + n; return a; }, {})).filter(([, n]) => n > 0);
      if (failed.length > 0) console.log(`    probe answers other than 200: ${failed.map(([k, n]) => `${k} ${n}`).join(', ')}`);
    }
    console.log(`  targets while abused: p99 of tile, search and /health under ${TARGETS.p99} ms; RSS under ${TARGETS.rssMiB} MiB`);
    for (const phase of ['images', '+ logins'] as const) {
      const fs = results[phase];
      const worst = Math.max(...fs.flatMap((f) => Object.values(f.p99)));
      const rss = Math.max(...fs.map((f) => f.rssMiB));
      console.log(`    ${phase.padEnd(9)} worst p99 ${fmt(worst)} ms ${worst < TARGETS.p99 ? 'met' : 'MISSED'}; peak RSS ${rss.toFixed(0)} MiB ${rss < TARGETS.rssMiB ? 'met' : 'MISSED'}`);
    }
  } finally {
    service?.kill('SIGTERM');
    await sleep(300);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => process.argv.indexOf(`--${name}`);
  const client = arg('abuse-client');
  if (client !== -1) {
    const [kind, seconds, imageId] = process.argv.slice(client + 1);
    await abuseClient(kind === 'logins' ? 'logins' : 'images', Number(seconds), imageId!);
  } else {
    const value = (name: string, fallback: number) => (arg(name) === -1 ? fallback : Number(process.argv[arg(name) + 1]));
    await benchAbuse(value('rounds', 3), value('seconds', 5));
  }
}
