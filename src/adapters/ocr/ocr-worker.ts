/**
 * The thread OCR runs in. Our layout step (binarise, rules, columns, characters) and the line
 * pasting are synchronous JavaScript, 0.1–0.3 s a page: on the main thread six pages of book1
 * held the event loop up to a second at a time (measured with monitorEventLoopDelay), stalling
 * every request meanwhile. Here the engine has a loop of its own; the service talks to it by
 * messages (worker-recognizer.ts). The models are loaded once, in this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UnreadableImageError } from '../../domain/errors.js';
import type { DecodedImage } from '../../ports/text-recognizer.js';
import { PaddleColumnsRecognizer } from './paddle-columns.js';

export interface OcrRequest {
  id: number;
  image: string | DecodedImage;
}
export type OcrResponse =
  | { id: 0; ready: { name: string; version: string } }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; unreadable: boolean } };

const port = parentPort!;
const engine = await PaddleColumnsRecognizer.create(workerData as { concurrency: number; pixelLimit: number });
port.postMessage({ id: 0, ready: engine.engine } satisfies OcrResponse);

port.on('message', async (request: OcrRequest) => {
  let response: OcrResponse;
  try {
    response = { id: request.id, ok: true, value: await engine.recognise(request.image) };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    response = { id: request.id, ok: false, error: { name: error.name, message: error.message, unreadable: e instanceof UnreadableImageError } };
  }
  port.postMessage(response);
});
