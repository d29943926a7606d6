/** A record with real pages of book1, a surveyor of its unit and a reviewer: what the text tests start from. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestServer } from './http.js';

export const BOOK1 = path.resolve(import.meta.dirname, '../../../shared/data/open-guji-cv-pages/book1');
export const bookPage = (n: number) => path.join(BOOK1, `${n}.png`);
export const transcription = (n: number) => readFileSync(path.resolve(BOOK1, '../../transcriptions/book1', `${n}.txt`), 'utf8');

export const SURVEYOR = { username: 'liwen', password: 'river-stone-bridge-9' };
export const REVIEWER = { username: 'zhaoyun', password: 'moon-gate-river-7' };
const OTHER_SURVEYOR = { username: 'wuqing', password: 'far-hill-lantern-3' };

export async function textTeam(server: TestServer, admin: string): Promise<{ surveyor: string; reviewer: string }> {
  for (const [user, role, unit] of [[SURVEYOR, 'surveyor', '430000-0001'], [REVIEWER, 'reviewer', undefined]] as const) {
    const res = await server.call('POST', '/api/users', { token: admin, body: { ...user, role, ...(unit ? { unit } : {}) } });
    if (res.status !== 201) throw new Error(`user ${user.username}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { surveyor: await server.login(SURVEYOR.username, SURVEYOR.password), reviewer: await server.login(REVIEWER.username, REVIEWER.password) };
}

/** A surveyor of another unit (资阳区档案馆, 430000-0002, made here): a stranger to the text team's records. */
export async function otherUnitSurveyor(server: TestServer, admin: string): Promise<string> {
  const unit = await server.call('POST', '/api/units', { token: admin, body: { province: '430000', code: '0002', name: '资阳区档案馆' } });
  if (unit.status !== 201) throw new Error(`unit 430000-0002: ${unit.status} ${JSON.stringify(unit.body)}`);
  const user = await server.call('POST', '/api/users', { token: admin, body: { ...OTHER_SURVEYOR, role: 'surveyor', unit: '430000-0002' } });
  if (user.status !== 201) throw new Error(`user ${OTHER_SURVEYOR.username}: ${user.status} ${JSON.stringify(user.body)}`);
  return server.login(OTHER_SURVEYOR.username, OTHER_SURVEYOR.password);
}

export async function registerBook(server: TestServer, token: string, censusNumber: string): Promise<void> {
  const res = await server.call('POST', '/api/records', {
    token,
    body: {
      censusNumber, callNumber: '善001', titleStatement: '欽定四庫全書簡明目錄二十卷', editionStatement: '清乾隆間刻本', volumeCount: 1, holdingUnit: '0001',
      grade: '普通古籍', damage: { grade: '轻度', types: [] },
    },
  });
  if (res.status !== 201) throw new Error(`record: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Uploads the files (path, name) as one batch and waits for its job. */
export async function upload(server: TestServer, token: string, censusNumber: string, files: [string, string][]): Promise<void> {
  const form = new FormData();
  for (const [file, name] of files) form.append('files', new Blob([readFileSync(file)]), name);
  const res = await fetch(`${server.url}/api/records/${censusNumber}/scans`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const { job } = (await res.json()) as { job: { id: string } };
  for (let i = 0; i < 600; i++) {
    if ((await server.call('GET', `/api/jobs/${job.id}`, { token })).body.status === 'done') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the upload did not finish');
}

/** Waits until the OCR jobs running in the server have ended. */
export async function ocrSettled(server: TestServer, censusNumber: string, token: string, pages: number[]): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const statuses = await Promise.all(pages.map((n) => server.call('GET', `/api/records/${censusNumber}/pages/${n}/text`, { token }).then((r) => r.status)));
    if (statuses.every((s) => s === 200)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('OCR did not write the pages');
}

export async function waitForJob(server: TestServer, censusNumber: string, token: string, id: string): Promise<any> {
  for (let i = 0; i < 1200; i++) {
    const job = (await server.call('GET', `/api/records/${censusNumber}/text/ocr/${id}`, { token })).body;
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`OCR job ${id} did not end`);
}

/** Runs a record through review to published. */
export async function publish(server: TestServer, censusNumber: string, surveyor: string, reviewer: string): Promise<void> {
  for (const [token, action] of [[surveyor, 'submit'], [reviewer, 'approve'], [reviewer, 'publish']] as const) {
    const res = await server.call('POST', `/api/records/${censusNumber}/transitions`, { token, body: { action } });
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
