/**
 * The thread the embedded search index runs in. A search is synchronous CPU inside SQLite; on
 * the main thread a slow one would stall image serving and writes (docs/SEARCH.md), so the
 * index lives here and the service talks to it by messages (worker-search-index.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FtsSearchIndex } from './fts-search-index.js';

export interface WorkerRequest {
  id: number;
  method: 'upsert' | 'search' | 'lastSeq' | 'clear' | 'close';
  args: unknown[];
}

export type WorkerResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string; stack?: string } };

const index = new FtsSearchIndex((workerData as { file: string }).file);
const port = parentPort!;
// Load the in-memory columns now; requests that arrive meanwhile wait in the port's queue.
index.warm();

port.on('message', async (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    const method = index[request.method] as (...args: unknown[]) => Promise<unknown>;
    response = { id: request.id, ok: true, value: await method.apply(index, request.args) };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    response = { id: request.id, ok: false, error: { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) } };
  }
  port.postMessage(response);
  if (request.method === 'close') port.close();
});
