/**
 * The column OCR engine (paddle-columns.ts) in a process of its own (ocr-process.ts: why a
 * process), so that reading pages never holds up the service's event loop. Pages go to the
 * process at once; there at most `concurrency` are read at a time, sharing the models loaded once.
 *
 * The process is started at the first page and ends once no page has been asked for during
 * `idleMs` (10 s by default): OCR comes in batches — a book's scans, a job run again — whose
 * pages follow each other without a pause, and between batches the service holds none of the
 * engine's memory (some 200 MiB). A page asked for after that starts a new process: the models
 * load in about half a second, little beside the seconds a batch of pages takes. A process that
 * ends while reading (a fault in the native engine, or killed) fails the pages it held, and the
 * next page starts another.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { Socket } from 'node:net';
import { UnreadableImageError } from '../../domain/errors.js';
import type { PageText } from '../../domain/page-text.js';
import type { DecodedImage, TextRecognizer } from '../../ports/text-recognizer.js';
import type { OcrOptions, OcrRequest, OcrResponse } from './ocr-process.js';

/** Compiled (npm start runs dist/) the process is JavaScript beside this module; from TypeScript it needs an entry that loads tsx. */
const ENTRY = new URL(import.meta.url.endsWith('.js') ? './ocr-process.js' : './ocr-process.mjs', import.meta.url);

/** What is kept of the process's standard error, to say why it ended: its last 4 KiB. */
const STDERR_TAIL = 4096;

/** How long the process waits for another page before it ends. */
export const OCR_IDLE_MS = 10_000;

interface Running {
  child: ChildProcess;
  ready: Promise<{ name: string; version: string }>;
  pending: Map<number, { resolve: (v: PageText) => void; reject: (e: Error) => void }>;
}

export class ProcessTextRecognizer implements TextRecognizer {
  private running: Running | null = null;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private started: { name: string; version: string } | null = null;

  private constructor(private readonly options: OcrOptions & { idleMs: number }) {}

  /** Starts the process and waits until its models are loaded: a start that fails says why here. */
  static async create(options: OcrOptions & { idleMs?: number }): Promise<ProcessTextRecognizer> {
    const recognizer = new ProcessTextRecognizer({ ...options, idleMs: options.idleMs ?? OCR_IDLE_MS });
    recognizer.started = await recognizer.launch().ready;
    recognizer.idle();
    return recognizer;
  }

  get engine(): { name: string; version: string } {
    return this.started!;
  }

  /** The process id while one runs (tests and benchmarks watch it). */
  get pid(): number | null {
    return this.running?.child.pid ?? null;
  }

  async recognise(image: string | DecodedImage): Promise<PageText> {
    if (this.closed) throw new Error('the OCR engine is closed');
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const running = this.running ?? this.launch();
    await running.ready;
    const id = this.nextId++;
    return new Promise<PageText>((resolve, reject) => {
      running.pending.set(id, { resolve, reject });
      running.child.send({ id, image } satisfies OcrRequest);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.stop();
  }

  /** A new process, its `ready` settled when its models are loaded or it has ended. */
  private launch(): Running {
    const child = fork(ENTRY, [JSON.stringify({ concurrency: this.options.concurrency, pixelLimit: this.options.pixelLimit })], {
      // Pixels of a decoded page travel as a typed array, not as JSON.
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    // The process holds nothing the service should wait for: an exit is not kept back by it.
    child.unref();
    child.channel?.unref();
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    (child.stderr as Socket).unref();
    const pending: Running['pending'] = new Map();
    const ready = new Promise<{ name: string; version: string }>((resolve, reject) => {
      child.on('message', (response: OcrResponse) => {
        if ('ready' in response) return resolve(response.ready);
        const waiting = pending.get(response.id);
        if (!waiting) return;
        pending.delete(response.id);
        if (response.ok) waiting.resolve(response.value as PageText);
        else {
          const { error } = response;
          waiting.reject(error.unreadable ? new UnreadableImageError(error.message) : Object.assign(new Error(error.message), { name: error.name }));
        }
        if (pending.size === 0 && this.running === running) this.idle();
      });
      // Not started at all, or a page sent as the process ends (the exit that follows fails the
      // pages in hand): every 'error' is taken, for an unheard one would end the service.
      child.on('error', reject);
      child.once('exit', (code, signal) => {
        if (this.running === running) this.running = null;
        const error = new Error(`the OCR process ended (${signal ?? `code ${code}`})${stderr ? `: ${lastLine(stderr)}` : ''}`);
        reject(error);
        for (const waiting of pending.values()) waiting.reject(error);
        pending.clear();
      });
    });
    // Nobody may be waiting on a start that fails while idle.
    ready.catch(() => {});
    const running: Running = { child, ready, pending };
    this.running = running;
    return running;
  }

  /** Ends the process after idleMs without a page. */
  private idle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.running?.pending.size === 0) void this.stop();
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  private async stop(): Promise<void> {
    const running = this.running;
    this.running = null;
    if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return;
    const ended = new Promise((resolve) => running.child.once('exit', resolve));
    running.child.kill();
    await ended;
  }
}

/** The last line of what the process wrote that says something: the error, not the stack below it. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^[\w.]*Error: /.test(l)) ?? lines.at(-1) ?? '';
}
