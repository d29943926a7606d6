/**
 * The column OCR engine (paddle-columns.ts) in a worker thread of its own (ocr-worker.ts), so
 * that reading pages never holds up the service's event loop. Pages go to the thread at once;
 * there at most `concurrency` are read at a time, sharing the models loaded once.
 */
import { Worker } from 'node:worker_threads';
import type { PageText } from '../../domain/page-text.js';
import { UnreadableImageError } from '../../domain/errors.js';
import type { DecodedImage, TextRecognizer } from '../../ports/text-recognizer.js';
import type { OcrRequest, OcrResponse } from './ocr-worker.js';

/** Compiled (npm start runs dist/) the worker is JavaScript beside this module; from TypeScript it needs an entry that loads tsx. */
const WORKER_ENTRY = import.meta.url.endsWith('.js') ? './ocr-worker.js' : './ocr-worker.mjs';

export class WorkerTextRecognizer implements TextRecognizer {
  private readonly pending = new Map<number, { resolve: (v: PageText) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker, readonly engine: { name: string; version: string }) {
    worker.on('message', (response: OcrResponse) => {
      const waiting = this.pending.get(response.id);
      if (!waiting || 'ready' in response) return;
      this.pending.delete(response.id);
      if (response.ok) waiting.resolve(response.value as PageText);
      else {
        const { error } = response;
        waiting.reject(error.unreadable ? new UnreadableImageError(error.message) : Object.assign(new Error(error.message), { name: error.name }));
      }
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the OCR worker exited (code ${code})`)));
  }

  /** Starts the thread and waits until its models are loaded. */
  static create(options: { concurrency: number; pixelLimit: number }): Promise<WorkerTextRecognizer> {
    const worker = new Worker(new URL(WORKER_ENTRY, import.meta.url), { workerData: options });
    // The thread holds no handle the process should wait for: an exit is not kept back by it.
    worker.unref();
    return new Promise((resolve, reject) => {
      const early = (e: unknown) => reject(e instanceof Error ? e : new Error(`the OCR worker exited (code ${e})`));
      worker.once('error', early);
      worker.once('exit', early);
      worker.once('message', (m: OcrResponse) => {
        worker.off('error', early);
        worker.off('exit', early);
        if ('ready' in m) resolve(new WorkerTextRecognizer(worker, m.ready));
        else reject(new Error('the OCR worker answered before it was ready'));
      });
    });
  }

  recognise(image: string | DecodedImage): Promise<PageText> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<PageText>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, image } satisfies OcrRequest);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
