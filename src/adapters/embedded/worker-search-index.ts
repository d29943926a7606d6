/**
 * The embedded search index seen from the main thread: every call is a message to the index's
 * own thread (search-worker.ts), so the event loop keeps serving while a query runs.
 */
import { Worker } from 'node:worker_threads';
import type { SearchDocument, SearchIndex, SearchQuery, SearchResult } from '../../ports/search-index.js';
import type { WorkerRequest, WorkerResponse } from './search-worker.js';

/**
 * Compiled (npm start runs dist/), the worker is plain JavaScript beside this module; run from
 * TypeScript (tsx: tests, the command-line tools), it needs an entry that loads tsx first.
 */
const WORKER_ENTRY = import.meta.url.endsWith('.js') ? './search-worker.js' : './search-worker.mjs';

export class WorkerSearchIndex implements SearchIndex {
  readonly description: string;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(file: string) {
    this.worker = new Worker(new URL(WORKER_ENTRY, import.meta.url), { workerData: { file } });
    this.worker.on('message', (response: WorkerResponse) => {
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if (response.ok) waiting.resolve(response.value);
      else waiting.reject(Object.assign(new Error(response.error.message), { name: response.error.name, stack: response.error.stack }));
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the search worker exited (code ${code})`)));
    this.description = `SQLite FTS5 ${file} (worker thread)`;
  }

  private call<T>(method: WorkerRequest['method'], ...args: unknown[]): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args } satisfies WorkerRequest);
    });
  }

  upsert(documents: SearchDocument[], seq: number): Promise<void> {
    return this.call('upsert', documents, seq);
  }

  search(query: SearchQuery): Promise<SearchResult> {
    return this.call('search', query);
  }

  lastSeq(): Promise<number> {
    return this.call('lastSeq');
  }

  clear(): Promise<void> {
    return this.call('clear');
  }

  async close(): Promise<void> {
    await this.call('close');
    await this.worker.terminate();
  }
}
