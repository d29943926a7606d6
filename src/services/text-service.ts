/**
 * The text of the books (全文): OCR drafts as jobs, reading and proofreading each page's text
 * with its history, the whole book as plain text. A person's text is never overwritten by a
 * machine: OCR writes only pages with no text or an OCR draft, and an aligned transcription
 * (saveAlignedPage) only pages no person has proofread or verified.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CensusRecord } from '../domain/census-record.js';
import { ForbiddenError, NotFoundError, ServiceStoppingError, UnauthenticatedError, UnreadableImageError, ValidationError, VersionMismatchError, type FieldProblem } from '../domain/errors.js';
import type { Box, PageText } from '../domain/page-text.js';
import { bookText, columnChanges, correctedColumn, type BookPage } from '../domain/page-text-edit.js';
import { parseKnownText, type KnownTextFormat } from '../domain/known-text.js';
import { alignToPages } from '../domain/text-alignment.js';
import { parseOrThrow } from '../domain/validation.js';
import { authorize, can } from '../domain/permissions.js';
import type { Actor } from '../domain/workflow.js';
import { pageLabel } from '../iiif/manifest.js';
import type { CatalogueStore, Page } from '../ports/catalogue-store.js';
import { TEXT_STATUSES, type OcrJob, type OcrJobPage, type PageTextHistoryEntry, type PageTextStore, type StoredPageText, type TextStatus } from '../ports/page-text-store.js';
import type { ScanFileStore } from '../ports/scan-files.js';
import type { TextRecognizer } from '../ports/text-recognizer.js';
import { RUNNER, runnerAlive, shownJob } from './job-runner.js';
import type { RecordService } from './record-service.js';

/** POST …/text/align: the text, and its format when it is not to be guessed. */
const AlignInputSchema = z.object({
  text: z.string().min(1, 'must not be empty'),
  format: z.enum(['auto', 'plain', 'mandoku', 'ctext']).default('auto'),
}).strict();

/** What became of each page: aligned, flagged (the text does not fit it), or kept (a person's). */
export interface AlignmentReport {
  censusNumber: string;
  format: KnownTextFormat;
  title: string | null;
  pages: { page: number; outcome: 'aligned' | 'flagged' | 'kept'; agreement: number; status?: TextStatus }[];
}

/** Bounds on one page's text as a client sends it (GUJI_TEXT_MAX_COLUMNS, GUJI_TEXT_MAX_CHARS). */
export interface TextLimits {
  maxColumns: number;
  maxChars: number;
}
export const DEFAULT_TEXT_LIMITS: TextLimits = { maxColumns: 200, maxChars: 10_000 };

/** Who writes OCR drafts in the pages' history (not a user name: those have no spaces). */
const OCR_ACTOR = 'guji (OCR)';
/** The "engine" of a page's text typed by a person where there was none. */
const TYPED = { name: 'typed', version: '1' };
/** The "engine" of a page whose text is a known transcription laid on its draft. */
const ALIGNED = { name: 'known text aligned', version: '1' };
/** Statuses a machine may write over. */
const MACHINE: readonly TextStatus[] = ['ocr', 'aligned'];

// Who may do what with page text is src/domain/permissions.ts's (readPageDrafts, correctText,
// verifyText); one rule is the text's own:
/** A page's text is public when a reviewer verified it and the record is published. */
const isPublic = (record: CensusRecord, text: Pick<StoredPageText, 'status'>) => record.status === 'published' && text.status === 'verified';
/** Staff who may read the record see every page's text, drafts included. */
const seesDrafts = (actor: Actor | null, record: CensusRecord): actor is Actor => actor !== null && can(actor, 'readPageDrafts', record);


const BoxSchema = z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(1), z.number().int().min(1)]);
const CharSchema = z.object({
  // One character as written: a code point with its combining marks or variation selector.
  char: z.string().min(1).max(8),
  box: BoxSchema,
  confidence: z.number().min(0).max(1).optional(),
}).strict();

/** The body of PUT …/pages/{n}/text: a GET answer, corrected, is one (its other keys are left aside). */
function textInputSchema(limits: TextLimits) {
  return z.object({
    // A person's save makes the page proofread, or verified when a reviewer says so; a GET
    // answer sent back as it is (status `ocr` or `aligned`) is a person's save like any other.
    status: z.enum(TEXT_STATUSES).default('proofread').transform((s): 'proofread' | 'verified' => (s === 'verified' ? 'verified' : 'proofread')),
    comment: z.string().max(4000).optional(),
    columns: z.array(z.object({
      kind: z.enum(['main', 'note', 'banxin']).optional(),
      box: BoxSchema.optional(),
      text: z.string().min(1, 'must not be empty: leave an empty column out').max(limits.maxChars * 8),
      chars: z.array(CharSchema).max(limits.maxChars).optional(),
    }).strip()).max(limits.maxColumns, `at most ${limits.maxColumns} columns a page (GUJI_TEXT_MAX_COLUMNS)`),
  }).strip();
}

/** A job as its reader sees it, with how many of its pages have each outcome. */
export type OcrJobView = Omit<OcrJob, 'runner'> & { progress: Record<OcrJobPage['outcome'], number> & { total: number } };

function jobView(job: OcrJob): OcrJobView {
  const progress = { total: job.pages.length, pending: 0, read: 0, kept: 0, failed: 0 };
  for (const p of job.pages) progress[p.outcome] += 1;
  // A copy: the running job goes on changing its pages.
  return { ...shownJob(job), pages: job.pages.map((p) => ({ ...p })), progress };
}

export interface PageTextView {
  censusNumber: string;
  sequence: number;
  imageId: string;
  /** The master's file name as uploaded (given where a page is read, for exports). */
  filename?: string;
  stored: StoredPageText;
}

export class TextService {
  private stopping: string | null = null;
  private readonly running = new Map<string, Promise<OcrJob>>();
  /** Jobs asked for and not registered yet (startOcr before launch): settled() waits for them too. */
  private readonly opening = new Set<Promise<unknown>>();
  private readonly written: ((text: StoredPageText) => void)[] = [];

  constructor(
    private readonly store: CatalogueStore,
    private readonly texts: PageTextStore,
    private readonly files: ScanFileStore,
    private readonly records: RecordService,
    private readonly recognizer: { get(): Promise<TextRecognizer>; close(): Promise<void> },
    private readonly options: { concurrency: number; limits: TextLimits; log?: (message: string, error?: unknown) => void },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Told after every page text saved (the text search index follows). */
  onWritten(listener: (text: StoredPageText) => void): void {
    this.written.push(listener);
  }

  /** Page `n` of a record the actor may read, with its text as the actor may see it (404 otherwise). */
  async page(actor: Actor | null, censusNumber: string, n: number): Promise<PageTextView & { record: CensusRecord }> {
    const { record, page } = await this.leaf(actor, censusNumber, n);
    const stored = await this.texts.get(censusNumber, page.imageId);
    if (!stored) throw new NotFoundError(`Text of page ${n} of ${censusNumber} (none yet: POST …/text/ocr drafts it)`);
    if (!isPublic(record, stored) && !seesDrafts(actor, record)) {
      throw new NotFoundError(`Published text of page ${n} of ${censusNumber} (it is not verified yet)`);
    }
    return { record, censusNumber, sequence: n, imageId: page.imageId, filename: page.filename, stored };
  }

  /** Every page's text the actor may see, by page sequence (for the book's text). */
  async visibleTexts(actor: Actor | null, record: CensusRecord, pages: readonly Page[]): Promise<Map<number, StoredPageText>> {
    const byImage = new Map((await this.texts.list(record.fields.censusNumber)).map((t) => [t.imageId, t]));
    const out = new Map<number, StoredPageText>();
    for (const page of pages) {
      const text = byImage.get(page.imageId);
      if (text && (isPublic(record, text) || seesDrafts(actor, record))) out.set(page.sequence, text);
    }
    return out;
  }

  /**
   * The sequences of the pages whose text the actor may see, from the texts' statuses alone:
   * what a manifest needs (its canvases' annotations), without reading every page's columns.
   */
  async visiblePages(actor: Actor | null, record: CensusRecord, pages: readonly Page[]): Promise<Set<number>> {
    const drafts = seesDrafts(actor, record);
    const shown = new Set((await this.texts.statuses(record.fields.censusNumber)).filter((t) => drafts || isPublic(record, t)).map((t) => t.imageId));
    return new Set(pages.filter((p) => shown.has(p.imageId)).map((p) => p.sequence));
  }

  /** The whole book in reading order, with 卷 and page markers (GET …/text.txt). */
  async book(actor: Actor | null, censusNumber: string): Promise<{ text: string; record: CensusRecord }> {
    const record = await this.records.readable(actor, censusNumber);
    const pages = await this.store.pages.list(censusNumber);
    if (pages.length === 0) throw new NotFoundError(`The text of ${censusNumber} (the record has no scanned pages)`);
    const visible = await this.visibleTexts(actor, record, pages);
    const drafts = seesDrafts(actor, record);
    const book: BookPage[] = pages.map((p) => ({
      sequence: p.sequence, juan: p.juan, label: pageLabel(p), text: visible.get(p.sequence)?.page ?? null,
      missing: drafts ? 'no text yet' : 'no verified text yet',
    }));
    return { text: bookText(record.fields.titleStatement, censusNumber, book), record };
  }

  /**
   * A person's correction (PUT …/pages/{n}/text with If-Match): `status` proofread, or verified
   * by a reviewer. `expectedVersion` 0 (If-None-Match: *) types the text of a page that has none
   * (OCR off, or a page it cannot read). Returns the page as saved (unchanged when nothing changed).
   */
  async correct(actor: Actor, censusNumber: string, n: number, body: unknown, expectedVersion: number): Promise<PageTextView> {
    const { record, page } = await this.leaf(actor, censusNumber, n);
    authorize(actor, 'correctText', record);
    const input = parseOrThrow(textInputSchema(this.options.limits), body);
    const stored = await this.texts.get(censusNumber, page.imageId);
    if ((stored?.version ?? 0) !== expectedVersion) throw new VersionMismatchError(stored ? `"v${stored.version}"` : undefined);
    // A page without text yet starts empty, at its master's size.
    const current = stored ?? {
      censusNumber, imageId: page.imageId, status: 'proofread' as const, version: 0, updatedAt: '', updatedBy: '',
      page: { engine: TYPED, width: page.width, height: page.height, columns: [] },
    };
    if (input.status === 'verified' || stored?.status === 'verified') authorize(actor, 'verifyText', record);

    const problems: FieldProblem[] = [];
    const columns = input.columns.map((c, i) => {
      // The column it corrects: the one with the same box, or, when no box is sent, the one at its place.
      const before = c.box ? current.page.columns.find((o) => o.box.join() === c.box!.join()) : current.page.columns[i];
      if (!c.box && !before) problems.push({ field: `columns.${i}.box`, problem: 'is required for a column the page did not have' });
      if (c.chars && c.chars.map((ch) => ch.char).join('') !== c.text) problems.push({ field: `columns.${i}.text`, problem: 'must be its characters joined' });
      return problems.length ? null : correctedColumn(c as Parameters<typeof correctedColumn>[0], before);
    });
    const total = columns.reduce((s, c) => s + (c?.chars.length ?? 0), 0);
    if (total > this.options.limits.maxChars) problems.push({ field: 'columns', problem: `at most ${this.options.limits.maxChars} characters a page (GUJI_TEXT_MAX_CHARS)` });
    const inside = (b: Box) => b[0] + b[2] <= current.page.width && b[1] + b[3] <= current.page.height;
    columns.forEach((c, i) => {
      if (c && !inside(c.box)) problems.push({ field: `columns.${i}.box`, problem: `must lie inside the page (${current.page.width} × ${current.page.height})` });
      c?.chars.forEach((ch, j) => {
        if (!inside(ch.box)) problems.push({ field: `columns.${i}.chars.${j}.box`, problem: `must lie inside the page (${current.page.width} × ${current.page.height})` });
      });
    });
    if (problems.length > 0) throw new ValidationError(problems.slice(0, 50));

    const next: PageText = { ...current.page, columns: columns as PageText['columns'] };
    const changes = columnChanges(current.page, next);
    if (current.status !== input.status || !stored) changes.push({ field: 'status', before: stored?.status ?? null, after: input.status });
    if (stored && changes.length === 0) return { censusNumber, sequence: n, imageId: page.imageId, stored };
    const saved = await this.write(current, stored, next, input.status, actor.username, input.status === 'verified' ? 'verify' : 'proofread', changes, input.comment ?? null);
    return { censusNumber, sequence: n, imageId: page.imageId, stored: saved };
  }

  /**
   * A known transcription laid onto page `n` (status `aligned`), for the alignment of known
   * texts. Refuses to overwrite a page a person has proofread or verified (a
   * ForbiddenError with code `text_proofread`).
   */
  async saveAlignedPage(censusNumber: string, n: number, pageText: PageText, by: Actor): Promise<StoredPageText> {
    const { record, page } = await this.leaf(by, censusNumber, n);
    authorize(by, 'correctText', record);
    const current = await this.texts.get(censusNumber, page.imageId);
    if (current && !MACHINE.includes(current.status)) {
      throw new ForbiddenError(`Page ${n} of ${censusNumber} is ${current.status}: a person's text is not overwritten by an alignment.`, 'text_proofread');
    }
    return this.write({ censusNumber, imageId: page.imageId }, current, pageText, 'aligned', by.username, 'align', columnChanges(current?.page ?? null, pageText), null);
  }

  /**
   * A known text (a volume or 卷: plain text, a Kanseki Repository file or ctext's text) split
   * across the record's pages by aligning it with their current text (src/domain/text-alignment.ts).
   * Each page the text fits becomes `aligned`, with the known characters on the draft's boxes; a
   * page where the two disagree beyond the threshold is flagged and left as it was, and a page a
   * person proofread or verified is kept. Says what became of every page.
   */
  async align(actor: Actor, censusNumber: string, body: unknown): Promise<AlignmentReport> {
    const record = await this.records.readable(actor, censusNumber);
    authorize(actor, 'correctText', record);
    const input = parseOrThrow(AlignInputSchema, body);
    const known = parseKnownText(input.text, input.format);
    const pages = await this.store.pages.list(censusNumber);
    if (pages.length === 0) throw new ValidationError([{ field: 'censusNumber', problem: 'the record has no scanned pages to align a text with' }], `${censusNumber} has no scanned pages.`);
    const current = await Promise.all(pages.map((p) => this.texts.get(censusNumber, p.imageId)));
    // A page with no text yet takes part as an empty draft: the text meant for it spills onto its
    // neighbours, which are then flagged rather than forced (and none at all is 409 ocr_draft_missing).
    const drafts = pages.map((p, i) => current[i]?.page ?? { engine: ALIGNED, width: p.width, height: p.height, columns: [] });
    const aligned = alignToPages(known.text, drafts);
    const outcomes: AlignmentReport['pages'] = [];
    for (const [i, page] of pages.entries()) {
      const result = aligned[i]!;
      const stored = current[i] ?? null;
      const outcome = result.flagged ? 'flagged' : stored && !MACHINE.includes(stored.status) ? 'kept' : 'aligned';
      if (outcome === 'aligned') {
        const text: PageText = { engine: ALIGNED, width: drafts[i]!.width, height: drafts[i]!.height, columns: result.columns };
        await this.write({ censusNumber, imageId: page.imageId }, stored, text, 'aligned', actor.username, 'align', columnChanges(stored?.page ?? null, text), null);
      }
      outcomes.push({ page: page.sequence, outcome, agreement: Math.round(result.agreement * 1000) / 1000, ...(stored ? { status: stored.status } : {}) });
    }
    return { censusNumber, format: known.format, title: known.title, pages: outcomes };
  }

  async history(actor: Actor | null, censusNumber: string, n: number): Promise<Omit<PageTextHistoryEntry, 'page'>[]> {
    if (!actor) throw new UnauthenticatedError('The history of a page\'s text is for staff; sign in first.');
    const { page } = await this.leaf(actor, censusNumber, n);
    return (await this.texts.history(censusNumber, page.imageId)).map(({ page: _, ...entry }) => entry);
  }

  // ---- OCR jobs ----

  /**
   * Registers an OCR job over the record's pages (all, or those whose image ids are given) and
   * starts it; the job's pages say what became of each.
   */
  startOcr(actor: Actor, censusNumber: string, imageIds?: readonly string[]): Promise<OcrJobView> {
    // Counted from the call on: whoever starts OCR (or ingests scans with GUJI_OCR=1) and then
    // waits on settled() must not find it settled while the job is still being registered.
    const opening = this.openJob(actor, censusNumber, imageIds);
    this.opening.add(opening);
    const done = () => this.opening.delete(opening);
    opening.then(done, done);
    return opening;
  }

  private async openJob(actor: Actor, censusNumber: string, imageIds?: readonly string[]): Promise<OcrJobView> {
    const record = await this.records.readable(actor, censusNumber);
    authorize(actor, 'correctText', record);
    if (this.stopping !== null) throw new ServiceStoppingError('The service is stopping: ask again in a minute.');
    const pages = (await this.store.pages.list(censusNumber)).filter((p) => !imageIds || imageIds.includes(p.imageId));
    if (pages.length === 0) throw new ValidationError([{ field: 'censusNumber', problem: 'the record has no scanned pages to read' }], `${censusNumber} has no scanned pages.`);
    const at = this.now().toISOString();
    const job: OcrJob = {
      id: randomUUID(), censusNumber, createdBy: actor.username, createdAt: at, updatedAt: at, status: 'queued', reason: null, runner: RUNNER,
      pages: pages.map((p) => ({ sequence: p.sequence, imageId: p.imageId, outcome: 'pending', reason: null, chars: null })),
    };
    await this.texts.saveJob(job);
    const view = jobView(job);
    this.launch(job);
    return view;
  }

  async job(actor: Actor, censusNumber: string, id: string): Promise<OcrJobView> {
    await this.records.readable(actor, censusNumber);
    const job = await this.texts.getJob(id);
    if (!job || job.censusNumber !== censusNumber) throw new NotFoundError(`OCR job ${id}`);
    return jobView(job);
  }

  /** The record's latest OCR jobs, newest first (those new scans started too). */
  async jobs(actor: Actor, censusNumber: string): Promise<OcrJobView[]> {
    await this.records.readable(actor, censusNumber);
    return (await this.texts.jobsOf(censusNumber, 20)).map(jobView);
  }

  /** Resolves when every job running here has ended (npm run ingest waits for the OCR it started). */
  async settled(): Promise<void> {
    while (this.running.size + this.opening.size > 0) await Promise.allSettled([...this.opening, ...this.running.values()]);
  }

  /**
   * At start: resumes the OCR jobs a stopped process left, from their pages still pending (the
   * pages read are saved already). Returns how many.
   */
  async recover(): Promise<number> {
    let resumed = 0;
    for (const job of await this.texts.unfinishedJobs()) {
      if (runnerAlive(job.runner)) continue;
      job.runner = RUNNER;
      job.reason = null;
      this.launch(job);
      resumed += 1;
    }
    return resumed;
  }

  /**
   * Graceful stop: no new job; running ones finish the pages in hand and are kept as
   * interrupted; then the engine's thread ends.
   */
  async stop(reason: string): Promise<void> {
    this.stopping = reason;
    await Promise.allSettled([...this.running.values()]);
    await this.recognizer.close();
  }

  private launch(job: OcrJob): void {
    const done = this.runJob(job)
      .catch(async (e: unknown) => {
        this.options.log?.(`OCR job ${job.id} failed`, e);
        job.status = 'failed';
        job.reason = (e as Error).message;
        await this.saveJob(job).catch(() => {});
        return job;
      })
      .finally(() => this.running.delete(job.id));
    this.running.set(job.id, done);
  }

  private async runJob(job: OcrJob): Promise<OcrJob> {
    job.status = 'running';
    await this.saveJob(job);
    const engine = await this.recognizer.get();
    const pending = job.pages.filter((p) => p.outcome === 'pending');
    // Pages side by side up to the bound (the engine's own gate holds it to the cores as well).
    let next = 0;
    const worker = async () => {
      while (next < pending.length && this.stopping === null) {
        const entry = pending[next++]!;
        try {
          Object.assign(entry, await this.readPage(engine, job.censusNumber, entry));
        } catch (e) {
          Object.assign(entry, { outcome: 'failed', reason: e instanceof UnreadableImageError ? e.message : `could not be read: ${(e as Error).message}` });
        }
        await this.saveJob(job);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.options.concurrency, pending.length)) }, worker));
    if (this.stopping !== null && job.pages.some((p) => p.outcome === 'pending')) {
      job.status = 'interrupted';
      job.reason = `${this.stopping}; the pages not read yet are read when the service starts again`;
    } else {
      job.status = 'done';
    }
    await this.saveJob(job);
    return job;
  }

  /** Reads one page and saves its draft, unless a person's text is there (kept). */
  private async readPage(engine: TextRecognizer, censusNumber: string, entry: OcrJobPage): Promise<Pick<OcrJobPage, 'outcome' | 'reason' | 'chars'>> {
    const kept = (status: TextStatus) => ({ outcome: 'kept' as const, reason: `the page's text is ${status}: OCR writes only pages with no text or an OCR draft`, chars: null });
    const before = await this.texts.get(censusNumber, entry.imageId);
    if (before && before.status !== 'ocr') return kept(before.status);
    const master = await this.files.masterPath(entry.imageId);
    if (!master) return { outcome: 'failed', reason: 'the master image is missing (npm run fixity)', chars: null };
    const read = await engine.recognise(master);
    const chars = read.columns.reduce((s, c) => s + c.chars.length, 0);
    // The text may have been corrected while the page was being read: read again, keep a person's.
    const current = await this.texts.get(censusNumber, entry.imageId);
    if (current && current.status !== 'ocr') return kept(current.status);
    const changes = columnChanges(current?.page ?? null, read);
    if (current && changes.length === 0) return { outcome: 'read', reason: 'the same text as before', chars };
    try {
      await this.write({ censusNumber, imageId: entry.imageId }, current, read, 'ocr', OCR_ACTOR, 'ocr', changes, null);
    } catch (e) {
      if (e instanceof VersionMismatchError) return { outcome: 'kept', reason: 'the text was changed by someone while the page was read', chars: null };
      throw e;
    }
    return { outcome: 'read', reason: null, chars };
  }

  /** Saves a new version of the page's text (the first when `current` is null) with its history entry. */
  private async write(
    key: { censusNumber: string; imageId: string }, current: StoredPageText | null, page: PageText, status: TextStatus, by: string,
    action: PageTextHistoryEntry['action'], changes: PageTextHistoryEntry['changes'], comment: string | null,
  ): Promise<StoredPageText> {
    const at = this.now().toISOString();
    const stored: StoredPageText = { censusNumber: key.censusNumber, imageId: key.imageId, status, page, version: (current?.version ?? 0) + 1, updatedAt: at, updatedBy: by };
    await this.texts.save(stored, current?.version ?? 0, {
      censusNumber: stored.censusNumber, imageId: stored.imageId, at, actor: by, action, status, version: stored.version, changes, comment, page,
    });
    for (const listener of this.written) listener(stored);
    return stored;
  }

  /** The record (readable by the actor) and its page `n`; 404 when either is not there. */
  private async leaf(actor: Actor | null, censusNumber: string, n: number): Promise<{ record: CensusRecord; page: Page }> {
    const record = await this.records.readable(actor, censusNumber);
    const page = (await this.store.pages.list(censusNumber)).find((p) => p.sequence === n);
    if (!page) throw new NotFoundError(`Page ${n} of ${censusNumber}`);
    return { record, page };
  }

  private async saveJob(job: OcrJob): Promise<void> {
    job.updatedAt = this.now().toISOString();
    await this.texts.saveJob(job);
  }
}
