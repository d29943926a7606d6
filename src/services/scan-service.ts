/**
 * Scan ingestion: the same pipeline for uploads and for folders (npm run ingest). For each
 * master, in page order: refuse what cannot be a page (empty, too large, not an image, truncated,
 * over the pixel limit, already on the record), checksum it, make the derivatives, keep the master
 * untouched under its checksum, and only then add the page. A run killed half-way leaves no page
 * entry and no half-written file visible; the next run skips what is done and finishes the batch.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  AlreadyExistsError, NotFoundError, ServiceStoppingError, UnusableImageError, ValidationError, VersionMismatchError, type FieldProblem,
} from '../domain/errors.js';
import { parseOrThrow } from '../domain/validation.js';
import { authorize } from '../domain/permissions.js';
import { PAGE_BEHAVIORS } from '../domain/page.js';
import type { Actor } from '../domain/workflow.js';
import type { CatalogueStore, IngestJob, IngestJobFile, Page } from '../ports/catalogue-store.js';
import type { ImageDeriver } from '../ports/image-deriver.js';
import type { ScanFileStore } from '../ports/scan-files.js';
import { RUNNER, runnerAlive, shownJob } from './job-runner.js';
import type { RecordService } from './record-service.js';

/** One file of a batch, already received into the data directory (or read in place, for folders). */
export interface IncomingScan {
  filename: string;
  path: string;
  bytes: number;
  /** The receiving layer stopped reading it at the size limit. */
  tooLarge?: boolean;
  volume?: string;
  juan?: string;
  label?: string;
}

const label = z.string().max(200).nullable().optional();
const HeadingSchema = z.object({
  level: z.number().int().min(1).max(5),
  title: z.string().min(1).max(500),
  author: z.string().max(500).nullable().default(null),
}).strict();
export const ArrangementSchema = z
  .object({
    pages: z
      .array(z.object({
        imageId: z.string().regex(/^[0-9a-f]{64}$/, 'must be a page\'s image id (SHA-256)'), volume: label, juan: label, label,
        headings: z.array(HeadingSchema).max(10).optional(),
        behavior: z.enum(PAGE_BEHAVIORS).optional(),
        start: z.literal(true).optional(),
      }).strict())
      .min(1),
  })
  .strict();

/** Natural order of file names: 2.png before 10.png, 卷一-002 before 卷一-010. */
const naturalOrder = new Intl.Collator('zh', { numeric: true, sensitivity: 'base' });
export const byFileName = (a: { filename: string }, b: { filename: string }) => naturalOrder.compare(a.filename, b.filename);

/** Who notes page counts recomputed at start, in the records' history (not a user name: those have no spaces). */
const STARTUP: Actor = { username: 'guji (start-up check)', role: 'admin', unit: null };

export class ScanService {
  /** Why the service is stopping (stop()), or null. */
  private stopping: string | null = null;
  private readonly running = new Map<string, { actor: Actor; job: IngestJob; done: Promise<IngestJob> }>();
  /** Told of the pages each batch ingested, once it is done (the OCR of new scans). */
  private readonly ingested: ((actor: Actor, censusNumber: string, imageIds: string[]) => void)[] = [];

  constructor(
    private readonly store: CatalogueStore,
    private readonly files: ScanFileStore,
    private readonly deriver: ImageDeriver,
    private readonly records: RecordService,
    private readonly maxBytes: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Whether the actor may change the record's scans (uploads) or structure (PUT …/structure and
   * the structure sheets): 404 when they may not read it, else src/domain/permissions.ts says who.
   */
  async authorize(actor: Actor, censusNumber: string, action: 'uploadScans' | 'editStructure' = 'uploadScans'): Promise<void> {
    authorize(actor, action, await this.records.readable(actor, censusNumber));
  }

  onIngested(listener: (actor: Actor, censusNumber: string, imageIds: string[]) => void): void {
    this.ingested.push(listener);
  }

  /** Registers a batch in page order (as given, or by file name) and returns its job. */
  async createJob(actor: Actor, censusNumber: string, incoming: IncomingScan[], ordered = false): Promise<{ job: IngestJob; batch: IncomingScan[] }> {
    await this.authorize(actor, censusNumber);
    if (this.stopping !== null) throw new ServiceStoppingError('The service is stopping: send the scans again in a minute.');
    const batch = ordered ? incoming : [...incoming].sort(byFileName);
    const at = this.now().toISOString();
    const job: IngestJob = {
      id: randomUUID(),
      censusNumber,
      createdBy: actor.username,
      createdAt: at,
      updatedAt: at,
      status: 'queued',
      reason: null,
      runner: RUNNER,
      files: batch.map((f) => ({ filename: f.filename, outcome: 'pending', reason: null, imageId: null, sequence: null })),
    };
    await this.store.jobs.save(job);
    return { job, batch };
  }

  /**
   * Sets the order and the 册/卷/leaf labels of a record's pages after ingest: `body.pages`
   * lists every page of the record once, by image id, in reading order.
   */
  async arrange(actor: Actor, censusNumber: string, body: unknown, expectedVersion: number): Promise<Page[]> {
    await this.authorize(actor, censusNumber, 'editStructure');
    const { pages: wanted } = parseOrThrow(ArrangementSchema, body);
    const current = await this.store.pages.list(censusNumber);
    const byId = new Map(current.map((p) => [p.imageId, p]));
    const problems: FieldProblem[] = [];
    const seen = new Set<string>();
    wanted.forEach((w, i) => {
      if (!byId.has(w.imageId)) problems.push({ field: `pages.${i}.imageId`, problem: `is not a page of ${censusNumber}` });
      if (seen.has(w.imageId)) problems.push({ field: `pages.${i}.imageId`, problem: 'is listed twice' });
      seen.add(w.imageId);
      w.headings?.forEach((h, j) => {
        if (j > 0 && h.level <= w.headings![j - 1]!.level) problems.push({ field: `pages.${i}.headings.${j}.level`, problem: 'must be deeper than the heading before it on the same page (outermost first)' });
      });
    });
    // The manifest has one `start` (Presentation 3.0 §3.3.4).
    wanted.forEach((w, i) => {
      if (w.start && wanted.findIndex((o) => o.start) !== i) problems.push({ field: `pages.${i}.start`, problem: 'only one page is where the book opens' });
    });
    const left = current.filter((p) => !seen.has(p.imageId));
    if (left.length > 0) problems.push({ field: 'pages', problem: `must list every page; missing ${left.map((p) => `page ${p.sequence}`).join(', ')}` });
    if (problems.length > 0) throw new ValidationError(problems);
    const arranged = wanted.map((w, i): Page => {
      const { headings: _, behavior: _b, start: _s, ...page } = byId.get(w.imageId)!;
      return {
        ...page, sequence: i + 1, volume: w.volume ?? null, juan: w.juan ?? null, label: w.label ?? null,
        ...(w.headings?.length ? { headings: w.headings } : {}),
        ...(w.behavior ? { behavior: w.behavior } : {}), ...(w.start ? { start: true as const } : {}),
      };
    });
    const outline = (pages: Page[]) => pages.map((p) =>
      [p.sequence, p.imageId.slice(0, 12), p.volume, p.juan, p.label, p.behavior, p.start && 'start', ...(p.headings ?? []).map((h) => `${'#'.repeat(h.level)}${h.title}`)]
        .filter((x) => x !== undefined).join(' '));
    const [before, after] = [outline(current), outline(arranged)];
    const changes = JSON.stringify(before) === JSON.stringify(after) ? [] : [{ field: 'structure', before, after }];
    // The version check first: a stale arrangement must not land even in part.
    await this.records.notePages(actor, censusNumber, 'structure', [], current, expectedVersion);
    await this.store.pages.arrange(censusNumber, arranged);
    await this.records.notePages(actor, censusNumber, 'structure', changes, arranged);
    return arranged;
  }

  /** The record's pages in reading order, for whoever may read the record. */
  async pages(actor: Actor | null, censusNumber: string): Promise<Page[]> {
    await this.records.readable(actor, censusNumber);
    return this.store.pages.list(censusNumber);
  }

  async job(actor: Actor, id: string): Promise<IngestJob> {
    const job = await this.store.jobs.get(id);
    if (!job) throw new NotFoundError(`Job ${id}`);
    await this.records.readable(actor, job.censusNumber);
    return shownJob(job);
  }

  /**
   * Ingests the batch file by file, saving the job after each; reports progress to `onFile`.
   * When the service stops (stop()), the batch ends after the file in hand: the job says it was
   * interrupted and why, and the record's page count is noted.
   */
  async run(actor: Actor, job: IngestJob, batch: IncomingScan[], onFile?: (file: IngestJobFile, index: number) => void): Promise<IngestJob> {
    const done = this.runBatch(actor, job, batch, onFile);
    this.running.set(job.id, { actor, job, done });
    try {
      return await done;
    } finally {
      this.running.delete(job.id);
    }
  }

  private async runBatch(actor: Actor, job: IngestJob, batch: IncomingScan[], onFile?: (file: IngestJobFile, index: number) => void): Promise<IngestJob> {
    job.status = 'running';
    await this.save(job);
    const pages = await this.store.pages.list(job.censusNumber);
    const bySha = new Map(pages.map((p) => [p.imageId, p]));
    for (const [index, incoming] of batch.entries()) {
      if (this.stopping !== null) return this.interrupt(actor, job, this.stopping);
      const report = job.files[index]!;
      try {
        Object.assign(report, await this.ingestOne(actor, job.censusNumber, incoming, bySha));
      } catch (e) {
        Object.assign(report, { outcome: 'failed', reason: (e as Error).message });
      }
      await this.save(job);
      onFile?.(report, index);
    }
    await this.notePageCount(actor, job.censusNumber);
    job.status = 'done';
    await this.save(job);
    const added = job.files.filter((f) => f.outcome === 'ingested').map((f) => f.imageId!);
    if (added.length > 0) for (const listener of this.ingested) listener(actor, job.censusNumber, added);
    return job;
  }

  /**
   * Graceful shutdown: takes no new batch, and lets each running batch finish the file in hand
   * and checkpoint itself (interrupted, with `reason`). Resolves when every batch has.
   */
  async stop(reason: string): Promise<void> {
    this.stopping = reason;
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  /** Past the shutdown deadline: checkpoints the batches still in a file, which the exit then ends. */
  async abandon(reason: string): Promise<void> {
    await Promise.allSettled([...this.running.values()].map(({ actor, job }) => this.interrupt(actor, job, reason)));
  }

  /**
   * At start, before any batch runs here: ends the jobs of processes that are gone (failed, with
   * the reason; the files they had not reached are named), and makes every record's page count
   * and cover true to its pages (a process killed between a page and its note leaves them stale).
   */
  async recover(): Promise<{ failed: number; recounted: number }> {
    let failed = 0;
    for (const job of (await this.store.jobs.unfinished()).ingests) {
      if (runnerAlive(job.runner)) continue;
      for (const file of job.files) {
        if (file.outcome === 'pending') Object.assign(file, { outcome: 'failed', reason: 'not ingested: the service stopped before this file; send it again' });
      }
      job.reason = job.status === 'interrupted' && job.reason ? job.reason : 'the service stopped while the job ran; files not reached were not ingested';
      job.status = 'failed';
      await this.save(job);
      failed += 1;
    }
    let recounted = 0;
    for (const { censusNumber, pages, cover } of await this.store.pages.tally()) {
      const record = await this.store.records.get(censusNumber);
      if (record && (record.pageCount !== pages || record.cover !== cover) && (await this.notePageCount(STARTUP, censusNumber))) recounted += 1;
    }
    return { failed, recounted };
  }

  private async interrupt(actor: Actor, job: IngestJob, reason: string): Promise<IngestJob> {
    const left = job.files.filter((f) => f.outcome === 'pending').length;
    job.status = 'interrupted';
    job.reason = `${reason}; ${left} of ${job.files.length} files were not ingested (pages already ingested stay)`;
    try {
      await this.notePageCount(actor, job.censusNumber);
    } finally {
      await this.save(job);
    }
    return job;
  }

  /**
   * Notes the record's page count when its pages changed: a new version and a history entry
   * (RecordService.notePages). Batches on one record may finish together: a version that moved
   * meanwhile is read again. True when a note was written.
   */
  private async notePageCount(actor: Actor, censusNumber: string): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      const record = await this.store.records.get(censusNumber);
      const pages = await this.store.pages.list(censusNumber);
      const before = record?.pageCount ?? 0;
      if (!record || (before === pages.length && record.cover === pages[0]?.imageId)) return false;
      try {
        await this.records.notePages(actor, censusNumber, 'scan', [{ field: 'pageCount', before, after: pages.length }], pages);
        return true;
      } catch (e) {
        if (!(e instanceof VersionMismatchError) || attempt === 10) throw e;
      }
    }
  }

  private async ingestOne(
    actor: Actor, censusNumber: string, incoming: IncomingScan, bySha: Map<string, Page>,
  ): Promise<Pick<IngestJobFile, 'outcome' | 'reason' | 'imageId' | 'sequence'>> {
    const refuse = (reason: string) => ({ outcome: 'refused' as const, reason, imageId: null, sequence: null });
    if (incoming.tooLarge || incoming.bytes > this.maxBytes) {
      return refuse(`larger than the limit of ${Math.round(this.maxBytes / 2 ** 20)} MiB`);
    }
    if (incoming.bytes === 0) return refuse('the file is empty (0 bytes)');
    const sha = await this.files.sha256(incoming.path);
    const existing = bySha.get(sha);
    if (existing) {
      // The same file again (a re-run) is done already; the same image under another name is a duplicate.
      return existing.filename === incoming.filename
        ? { outcome: 'skipped', reason: `already page ${existing.sequence}`, imageId: sha, sequence: existing.sequence }
        : refuse(`the same image as page ${existing.sequence} (${existing.filename})`);
    }
    let facts;
    try {
      facts = await this.deriver.inspect(incoming.path);
      if (!(await this.files.hasDerivatives(sha))) {
        await this.files.writeDerivatives(sha, (folder) => this.deriver.derive(incoming.path, folder));
      }
    } catch (e) {
      if (e instanceof UnusableImageError) return refuse(e.message);
      throw e;
    }
    const extension = facts.format === 'jpeg' ? 'jpg' : facts.format;
    await this.files.keepMaster(incoming.path, sha, extension);
    let page: Page;
    try {
      // The store gives the place: batches running at once on one record never share one.
      page = await this.store.pages.append({
        censusNumber,
        imageId: sha,
        volume: incoming.volume ?? null,
        juan: incoming.juan ?? null,
        label: incoming.label ?? null,
        filename: incoming.filename,
        bytes: incoming.bytes,
        ...facts,
        ingestedAt: this.now().toISOString(),
        ingestedBy: actor.username,
      });
    } catch (e) {
      if (e instanceof AlreadyExistsError) return refuse('the same image is already on the record (another batch added it)');
      throw e;
    }
    bySha.set(sha, page);
    return { outcome: 'ingested', reason: null, imageId: sha, sequence: page.sequence };
  }

  private async save(job: IngestJob): Promise<void> {
    job.updatedAt = this.now().toISOString();
    await this.store.jobs.save(job);
  }
}
