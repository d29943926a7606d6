/** A record registered and a scan uploaded to it through the API, the upload's job waited for. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestServer } from './http.js';

/** The four half-leaves of the demo book (src/demo/scans), real scans. */
export const demoScans = path.resolve(import.meta.dirname, '../../src/demo/scans');

/** `fields` replace or add to the record's (a unit's other than 0001 must be registered first). */
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
