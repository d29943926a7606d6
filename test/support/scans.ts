/** Records with real scans (src/demo/scans): uploaded through the API, or ingested as an upload's job does. */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEMO_LEAVES } from '../../src/demo/demo-catalogue.js';
import type { TestServer } from './http.js';

/** The four half-leaves of the demo book (src/demo/scans), real scans. */
export const demoScans = path.resolve(import.meta.dirname, '../../src/demo/scans');

/** Peak signal-to-noise ratio of b against a, in dB (8-bit pixels, as many of each). */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`psnr: ${a.length} bytes against ${b.length}`);
  let squares = 0;
  for (let i = 0; i < a.length; i++) squares += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (squares / a.length));
}

/**
 * A record registered and a scan uploaded to it through the API, the upload's job waited for.
 * `fields` replace or add to the record's (a unit's other than 0001 must be registered first).
 */
export async function recordWithScan(server: TestServer, admin: string, censusNumber: string, file: string, name: string, fields: Record<string, unknown> = {}): Promise<void> {
  await server.call('POST', '/api/records', {
    token: admin,
    body: { censusNumber, callNumber: '1', titleStatement: '欽定四庫全書簡明目錄二十卷', editionStatement: '清乾隆間刻本', volumeCount: 1, holdingUnit: '0001', grade: '普通古籍', damage: { grade: '轻度', types: [] }, ...fields },
  });
  const form = new FormData();
  form.append('files', new Blob([readFileSync(file)]), name);
  const res = await fetch(`${server.url}/api/records/${censusNumber}/scans`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
  const { job } = (await res.json()) as any;
  for (let i = 0; i < 400; i++) {
    if ((await server.call('GET', `/api/jobs/${job.id}`, { token: admin })).body.status === 'done') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the upload of ${name} did not finish`);
}

/** The demo book's half-leaves' files in reading order (src/demo/demo-catalogue.ts): 葉一a, 葉一b, 葉二a, 葉二b. */
export const DEMO_LEAF_FILES = DEMO_LEAVES.map((leaf) => `${leaf}.png`);
/** The demo half-leaves as scans of one 卷, each labelled as a reader names it. */
export const demoLeaves = (juan: string) => DEMO_LEAF_FILES.map((name, i) => ({ name, juan, label: `葉${'一二'[i >> 1]}${'ab'[i % 2]}` }));

/**
 * Registers 欽定四庫全書簡明目錄 (a string-bound book unless `binding` says otherwise) and
 * ingests the four demo half-leaves into it with their 卷 and 葉 labels, through the scan
 * service as an upload's job does. What the viewer tests start from.
 */
export async function recordWithDemoLeaves(server: TestServer, admin: string, censusNumber: string, binding = '線裝'): Promise<void> {
  const res = await server.call('POST', '/api/records', {
    token: admin,
    body: {
      censusNumber, callNumber: '善001', titleStatement: '欽定四庫全書簡明目錄二十卷', creatorStatement: '（清）永瑢等撰',
      editionStatement: '清乾隆間刻本', volumeCount: 2, holdingUnit: '0001', binding, grade: '三级乙等', damage: { grade: '轻度', types: [] },
    },
  });
  if (res.status !== 201) throw new Error(`record: ${res.status} ${JSON.stringify(res.body)}`);
  await ingestDemoScans(server, censusNumber, demoLeaves('卷一'));
}

/**
 * Ingests demo scans (by file name, with their 卷 and label if given) into a record as one
 * batch, through the scan service as an upload's job does, the admin acting.
 */
export async function ingestDemoScans(server: TestServer, censusNumber: string, scans: { name: string; juan?: string; label?: string }[]): Promise<void> {
  const actor = { username: 'admin', role: 'admin' as const, unit: null };
  const files = scans.map(({ name, ...labels }) => ({ filename: name, path: path.join(demoScans, name), bytes: statSync(path.join(demoScans, name)).size, ...labels }));
  const { job, batch } = await server.services.scans.createJob(actor, censusNumber, files, true);
  await server.services.scans.run(actor, job, batch);
}
