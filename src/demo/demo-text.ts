/**
 * The demo book's text as anyone reads and searches it (issues 15 and 16). OCR drafts are for
 * staff only, so on the drafts alone an anonymous visitor would find nothing in the demo's text.
 * The human transcription of its four half-leaves (./scans/text, NOTICE.md there) is laid onto
 * their drafts as a member of staff lays a known text (TextService.align: the characters take the
 * drafts' boxes, so search hits are drawn on the scans), and each aligned page is then verified
 * as a reviewer verifies one (TextService.correct, status verified). A page the text does not fit
 * is flagged by the alignment and stays a draft: the demo does not force it.
 */
import { readFileSync } from 'node:fs';
import type { Actor } from '../domain/workflow.js';
import type { CatalogueStore } from '../ports/catalogue-store.js';
import type { PageTextStore } from '../ports/page-text-store.js';
import type { Services } from '../services/services.js';
import { DEMO_LEAVES, DIGITIZED_RECORD } from './demo-catalogue.js';

export interface DemoTextOutcome {
  /** Page sequences whose transcription is now verified (public). */
  verified: number[];
  /** Pages the transcription did not fit (left as OCR drafts), with their agreement. */
  flagged: { page: number; agreement: number }[];
  /** Why nothing was done (OCR unavailable, failed or interrupted), or null. */
  failed: string | null;
}

/** The transcription of the demo's leaves in page order, as plain text. */
export const demoTranscription = (): string =>
  DEMO_LEAVES.map((leaf) => readFileSync(new URL(`./scans/text/${leaf}.txt`, import.meta.url), 'utf8')).join('');

/**
 * Waits for the demo book's OCR drafts, then aligns and verifies its text; says what it did in one
 * line. Meant to run in the background after the start (reading four pages takes seconds, more on
 * a busy machine): it never throws — when OCR is unavailable or fails it says so, and the demo
 * stays without text. `startOcr`: no OCR job was started when the scans were ingested (GUJI_OCR=0).
 */
export async function verifyDemoText(services: Services, admin: Actor, options: { startOcr: boolean; log: (message: string) => void }): Promise<DemoTextOutcome> {
  const cn = DIGITIZED_RECORD.censusNumber;
  const t = Date.now();
  const fail = (why: string): DemoTextOutcome => {
    options.log(`The demo book's text was not laid on its pages: ${why}. Its pages stay without public text for now: the next start looks again.`);
    return { verified: [], flagged: [], failed: why };
  };
  try {
    if (options.startOcr) await services.texts.startOcr(admin, cn);
    await services.texts.settled();
    const [job] = await services.texts.jobs(admin, cn);
    if (!job) return fail('no OCR job read its pages');
    if (job.status !== 'done') return fail(`its OCR job ${job.status}${job.reason ? ` (${job.reason})` : ''}`);
    const unread = job.pages.filter((p) => p.outcome === 'failed');
    if (unread.length === job.pages.length) return fail(`OCR could not read its pages (${unread[0]?.reason ?? 'no reason given'})`);

    const report = await services.texts.align(admin, cn, { text: demoTranscription(), format: 'plain' });
    const verified: number[] = [];
    for (const { page, outcome } of report.pages) {
      if (outcome !== 'aligned') continue;
      const { stored } = await services.texts.page(admin, cn, page);
      // The aligned text as it stands, sent back verified: the reviewer's save, nothing changed but the status.
      await services.texts.correct(admin, cn, page, { status: 'verified', columns: stored.page.columns }, stored.version);
      verified.push(page);
    }
    const flagged = report.pages.filter((p) => p.outcome === 'flagged').map(({ page, agreement }) => ({ page, agreement }));
    const agreements = report.pages.map((p) => `${p.page}: ${p.agreement}`).join(', ');
    options.log(`The demo book's transcription was laid on its OCR drafts and verified on pages ${verified.join(', ') || 'none'}`
      + `${flagged.length ? `; pages ${flagged.map((p) => p.page).join(', ')} did not fit it (flagged) and stay OCR drafts` : ''}`
      + ` (agreement ${agreements}; ${Math.round((Date.now() - t) / 1000)} s).`);
    return { verified, flagged, failed: null };
  } catch (e) {
    return fail((e as Error).message);
  }
}

/**
 * At a later start, the demo's text when the first start stopped before it was laid on (Ctrl-C
 * during the first seconds): the demo book is there with scans, and its pages hold OCR drafts at
 * most. The OCR job the start resumed is waited for, or one is started when none was made. Null,
 * doing nothing, once any page has more than a draft — the demo's text, or a person's.
 */
export async function resumeDemoText(
  services: Services,
  stores: { store: Pick<CatalogueStore, 'records' | 'pages'>; texts: Pick<PageTextStore, 'statuses'> },
  admin: Actor,
  log: (message: string) => void,
): Promise<DemoTextOutcome | null> {
  const cn = DIGITIZED_RECORD.censusNumber;
  if (!(await stores.store.records.get(cn)) || (await stores.store.pages.list(cn)).length === 0) return null;
  if ((await stores.texts.statuses(cn)).some((t) => t.status !== 'ocr')) return null;
  const jobs = await services.texts.jobs(admin, cn);
  return verifyDemoText(services, admin, { startOcr: jobs.length === 0, log });
}
