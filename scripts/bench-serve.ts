/**
 * Image-serving benchmark (npm run bench -- serve): our IIIF Image API against IIPImage (Debian's
 * iipimage-server behind nginx, FastCGI: one process, as Debian deploys it — its Apache
 * configuration says FcgidMaxProcessesPerClass 1 and its systemd unit starts one; `--iip-processes
 * 2` runs one a core) and the npm package iiif-processor, all on the same
 * 6000×8500 page — the pyramidal TIFF our ingest made from it — and our pre-rendered tiles
 * against nginx serving the same files. Load from autocannon at 8 and 32 connections, rounds
 * interleaved with the order rotated: medians of requests per second and p99 with their spread
 * (least–most over the rounds), and the ratios ours ÷ IIPImage taken round by round (each pair
 * ran a few seconds apart, so a busy neighbour moves both); the machine's load average is printed
 * beside them. Then a full-region 1000-px request one at a time, median latency. Both image
 * servers keep decoded pixels between requests (IIPImage its tiles, ours whole pyramid levels);
 * with GUJI_IMAGE_CACHE_MB=0 in the environment ours keeps none. Our service runs as deployed,
 * its abuse limits in force (render queue, GUJI_IMAGE_RENDERS, maxArea), but without OCR of new
 * scans (GUJI_OCR=0): the page ingested here would otherwise be read during the first rounds.
 *
 *   apt-get install iipimage-server nginx-light spawn-fcgi
 *   npm run bench -- serve [--seconds 5] [--rounds 5] [--iip-processes 1]
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeMaster } from './bench-ingest.js';

const root = path.resolve(import.meta.dirname, '..');
const IIPSRV = '/usr/lib/iipimage-server/iipsrv.fcgi';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[], digits = 0) => `${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)}`;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function waitFor(url: string, seconds = 60): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

function run(url: string, paths: string[], connections: number, seconds: number): Promise<{ rps: number; p99: number; errors: number; timeouts: number }> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, timeout: 30, requests: paths.map((p) => ({ method: 'GET', path: p })) }, (error, result) => {
      if (error) return reject(error);
      resolve({ rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx - result.timeouts, timeouts: result.timeouts });
    });
  });
}

export async function benchServe(seconds: number, rounds: number, iipProcesses = 1): Promise<void> {
  const missing = [[IIPSRV, 'iipimage-server'], ['/usr/sbin/nginx', 'nginx-light'], ['/usr/bin/spawn-fcgi', 'spawn-fcgi']].filter(([f]) => !existsSync(f!));
  if (missing.length > 0) {
    console.log(`serving benchmark skipped: apt-get install ${missing.map(([, p]) => p).join(' ')}`);
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-bench-serve-'));
  const children: ChildProcess[] = [];
  try {
    console.log('\nServing: making a 6000×8500 master and ingesting it through the service …');
    const master = path.join(dir, 'page.jpg');
    await makeMaster(master, 6000, 8500, 7);
    const data = path.join(dir, 'data');
    const ours = 'http://127.0.0.1:18201';
    const service = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
      env: { ...process.env, PORT: '18201', DATA_DIR: data, GUJI_DEMO: '0', GUJI_OCR: '0', GUJI_ADMIN_PASSWORD: 'bench-password-1', PUBLIC_BASE_URL: ours },
      stdio: 'ignore',
    });
    children.push(service);
    await waitFor(`${ours}/health`);
    const call = async (method: string, p: string, token: string | null, body?: unknown) => {
      const res = await fetch(ours + p, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return res.json() as Promise<any>;
    };
    const token = (await call('POST', '/api/session', null, { username: 'admin', password: 'bench-password-1' })).token as string;
    await call('POST', '/api/units', token, { province: '430000', code: '0001', name: '资阳区图书馆' });
    const cn = '430000-0001-0000001';
    await call('POST', '/api/records', token, {
      censusNumber: cn, callNumber: 'b', titleStatement: '測試一卷', editionStatement: '清刻本', volumeCount: 1, holdingUnit: '0001', grade: '普通古籍', damage: { grade: '轻度', types: [] },
    });
    const form = new FormData();
    form.append('files', new Blob([readFileSync(master)]), 'page.jpg');
    const job = (await (await fetch(`${ours}/api/records/${cn}/scans`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).json() as any).job;
    while ((await call('GET', `/api/jobs/${job.id}`, token)).status !== 'done') await new Promise((r) => setTimeout(r, 200));
    for (const action of ['submit', 'approve', 'publish']) await call('POST', `/api/records/${cn}/transitions`, token, { action });
    const sha = (await call('GET', `/api/records/${cn}`, token)).pages[0].sha256 as string;
    const derivatives = path.join(data, 'derivatives');

    // IIPImage: FastCGI processes on the pyramid our ingest made; nginx in front, and serving the
    // tiles. One spawn-fcgi a process: with -n (stay in the foreground, so that it can be
    // stopped) spawn-fcgi execs its one child and ignores -F.
    const iipPorts = Array.from({ length: iipProcesses }, (_, i) => 18220 + i);
    for (const port of iipPorts) {
      children.push(spawn('spawn-fcgi', ['-n', '-a', '127.0.0.1', '-p', String(port), '--', IIPSRV], {
        env: { ...process.env, FILESYSTEM_PREFIX: `${derivatives}/`, JPEG_QUALITY: '85', MAX_CVT: '10000', VERBOSITY: '0' }, stdio: 'ignore',
      }));
    }
    mkdirSync(path.join(dir, 'nginx'));
    const conf = path.join(dir, 'nginx', 'nginx.conf');
    writeFileSync(conf, `user root; worker_processes 2; pid ${dir}/nginx/pid; error_log ${dir}/nginx/error.log;
events { worker_connections 1024; }
http {
  upstream iipsrv { ${iipPorts.map((port) => `server 127.0.0.1:${port};`).join(' ')} }
  access_log off; sendfile on; keepalive_requests 100000;
  client_body_temp_path ${dir}/nginx; proxy_temp_path ${dir}/nginx; fastcgi_temp_path ${dir}/nginx; uwsgi_temp_path ${dir}/nginx; scgi_temp_path ${dir}/nginx;
  types { image/jpeg jpg; }
  server {
    listen 127.0.0.1:18203;
    location /fcgi-bin/iipsrv.fcgi { include /etc/nginx/fastcgi_params; fastcgi_pass iipsrv; }
    location /tiles/ { alias ${derivatives}/${sha}/tiles/; }
  }
}`);
    const nginx = spawn('/usr/sbin/nginx', ['-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' });
    children.push(nginx);

    // iiif-processor: its own small server, as its TinyIIIF example does, on the same pyramid.
    const script = path.join(dir, 'iiif-processor.mjs');
    writeFileSync(script, `import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { Processor } from '${root}/node_modules/iiif-processor/dist/index.mjs';
createServer(async (req, res) => {
  try {
    const processor = new Processor('http://127.0.0.1:18204' + req.url, async ({ id }) => createReadStream('${derivatives}/' + id + '/full.tif'));
    const result = await processor.execute();
    res.writeHead(200, { 'content-type': result.contentType }).end(result.body);
  } catch (e) { res.writeHead(500).end(String(e)); }
}).listen(18204, '127.0.0.1');`);
    // Started afresh after each of its runs: it goes on rendering what it was asked after the
    // clients have gone (at 32 connections, seconds a request), and that backlog took the cores
    // from whichever server the rotation measured next — ours, two rounds in three.
    let processor: ChildProcess | undefined;
    const startProcessor = async () => {
      if (processor) {
        const exited = new Promise((r) => processor!.once('exit', r));
        processor.kill('SIGKILL');
        await exited;
        children.splice(children.indexOf(processor), 1);
      }
      processor = spawn(process.execPath, [script], { stdio: 'ignore' });
      children.push(processor);
      await waitFor(`http://127.0.0.1:18204/iiif/3/${sha}/info.json`);
    };
    await startProcessor();
    const iipBase = 'http://127.0.0.1:18203';
    await waitFor(`${iipBase}/fcgi-bin/iipsrv.fcgi?IIIF=${sha}/full.tif/info.json`);

    // The same requests everywhere: regions that no pre-rendered tile answers, at several scales,
    // so many that no server answers them from a cache of its answers.
    const regions: string[] = [];
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 3000; i++) {
      const w = [1024, 2048, 700][i % 3]!;
      const x = Math.floor(rnd() * (6000 - w));
      const y = Math.floor(rnd() * (8500 - w));
      regions.push(`${x},${y},${w},${w}/256,/0/default.jpg`);
    }
    const dynamic = {
      ours: { url: ours, paths: regions.map((r) => `/iiif/3/${sha}/${r}`) },
      iipimage: { url: iipBase, paths: regions.map((r) => `/fcgi-bin/iipsrv.fcgi?IIIF=${sha}/full.tif/${r}`) },
      'iiif-processor': { url: 'http://127.0.0.1:18204', paths: regions.map((r) => `/iiif/3/${sha}/${r}`) },
    };
    const tiles = readdirSync(path.join(derivatives, sha, 'tiles')).filter((d) => /^\d+,\d+,\d+,\d+$/.test(d)).slice(0, 200)
      .flatMap((region) => readdirSync(path.join(derivatives, sha, 'tiles', region)).map((size) => `${region}/${size}/0/default.jpg`));
    const prerendered = {
      ours: { url: ours, paths: tiles.map((t) => `/iiif/3/${sha}/${t}`) },
      nginx: { url: iipBase, paths: tiles.map((t) => `/tiles/${t}`) },
    };
    // Every answer must be an image: a benchmark of error pages measures nothing.
    for (const target of [...Object.values(dynamic), ...Object.values(prerendered)]) {
      const res = await fetch(target.url + target.paths[0]);
      if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('image/')) throw new Error(`${target.url}${target.paths[0]} answered ${res.status}`);
    }

    const results: Record<string, { rps: number[]; p99: number[] }> = {};
    const loads = [load()];
    const record = (key: string, r: { rps: number; p99: number; errors: number }) => {
      // Answers slower than 30 s count as what they are (no requests); errors end the benchmark.
      if (r.errors > 0) throw new Error(`${key}: ${r.errors} failed requests`);
      (results[key] ??= { rps: [], p99: [] }).rps.push(r.rps);
      results[key].p99.push(r.p99);
    };
    for (let round = 0; round < rounds; round++) {
      for (const connections of [8, 32]) {
        const names = Object.keys(dynamic) as (keyof typeof dynamic)[];
        for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
          record(`dynamic ${connections} ${name}`, await run(dynamic[name].url, dynamic[name].paths, connections, seconds));
          if (name === 'iiif-processor') await startProcessor();
        }
        for (const name of (round % 2 === 0 ? ['ours', 'nginx'] : ['nginx', 'ours']) as (keyof typeof prerendered)[]) {
          record(`tiles ${connections} ${name}`, await run(prerendered[name].url, prerendered[name].paths, connections, seconds));
        }
      }
      loads.push(load());
      process.stdout.write(`  round ${round + 1}/${rounds} done (load average ${loads.at(-1)})\n`);
    }
    const full: Record<string, number[]> = { ours: [], iipimage: [] };
    for (let i = 0; i < 15; i++) {
      for (const [name, url] of [['ours', `${ours}/iiif/3/${sha}/full/1000,/0/default.jpg`], ['iipimage', `${iipBase}/fcgi-bin/iipsrv.fcgi?IIIF=${sha}/full.tif/full/1000,/0/default.jpg`]] as const) {
        const t = performance.now();
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${name} full region: ${res.status}`);
        full[name]!.push(performance.now() - t);
      }
    }

    const m = (key: string) => ({ rps: median(results[key]!.rps), p99: median(results[key]!.p99) });
    const s = (key: string) => `${fmt(m(key).rps)} req/s (${spread(results[key]!.rps)}) p99 ${m(key).p99} ms (${spread(results[key]!.p99)})`;
    /** Ours ÷ theirs round by round: median and spread. */
    const ratio = (what: 'rps' | 'p99', a: string, b: string) => {
      const rs = results[a]![what].map((x, k) => x / results[b]![what][k]!);
      return `${median(rs).toFixed(2)} (${spread(rs, 2)})`;
    };
    console.log(`\nServing one 6000×8500 page (${rounds} interleaved rounds of ${seconds} s; medians, least–most in brackets; autocannon; IIPImage ${iipProcesses} process${iipProcesses > 1 ? 'es' : ''})`);
    console.log(`  load average (1, 5, 15 min) before and after each round: ${loads.join(' | ')} on ${availableParallelism()} cores`);
    for (const c of [8, 32]) {
      const p = m(`dynamic ${c} iiif-processor`);
      console.log(`  regions, ${c} connections   ours ${s(`dynamic ${c} ours`)}   IIPImage ${s(`dynamic ${c} iipimage`)}   iiif-processor ${fmt(p.rps)} req/s p99 ${p.p99} ms`);
      console.log(`    ours ÷ IIPImage, round by round: req/s ${ratio('rps', `dynamic ${c} ours`, `dynamic ${c} iipimage`)} (target ≥ 1.1), p99 ${ratio('p99', `dynamic ${c} ours`, `dynamic ${c} iipimage`)} (≤ 1.0); req/s ÷ iiif-processor ${p.rps > 0 ? (m(`dynamic ${c} ours`).rps / p.rps).toFixed(1) : '∞ (it answered nothing within 30 s)'} (≥ 4)`);
      const t = m(`tiles ${c} ours`);
      const n = m(`tiles ${c} nginx`);
      console.log(`  pre-rendered tiles, ${c} connections   ours ${fmt(t.rps)} req/s   nginx ${fmt(n.rps)} req/s   ratio ${(t.rps / n.rps).toFixed(2)} (target ≥ 0.25)`);
    }
    console.log(`  full region at 1000 px, one at a time   ours ${fmt(median(full.ours!), 1)} ms   IIPImage ${fmt(median(full.iipimage!), 1)} ms   ratio ${(median(full.ours!) / median(full.iipimage!)).toFixed(2)} (target ≤ 1)`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? fallback : Number(process.argv[i + 1]);
  };
  await benchServe(arg('seconds', 5), arg('rounds', 5), arg('iip-processes', 1));
}
