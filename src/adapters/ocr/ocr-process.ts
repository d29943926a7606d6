/**
 * The process OCR runs in (process-recognizer.ts starts it). Our layout step (binarise, rules,
 * columns, characters) and the line pasting are synchronous JavaScript, 0.1–0.3 s a page: on the
 * service's main thread six pages of book1 held the event loop up to a second at a time
 * (measured with monitorEventLoopDelay), stalling every request meanwhile. In a process of its
 * own rather than a worker thread, for two reasons: the models and onnxruntime's buffers (some
 * 200 MiB once pages are read) are given back to the system whole when it ends, where a worker
 * thread's end left half of them in the service's heap (malloc keeps freed memory; scratch
 * measurement: 281 → 183 MiB after terminate, against the 75 before); and a fault in the native
 * engine ends this process, not the service. The models are loaded once per process.
 */
import { UnreadableImageError } from '../../domain/errors.js';
import type { DecodedImage } from '../../ports/text-recognizer.js';
import { PaddleColumnsRecognizer } from './paddle-columns.js';

export interface OcrOptions {
  concurrency: number;
  pixelLimit: number;
}
export interface OcrRequest {
  id: number;
  image: string | DecodedImage;
}
export type OcrResponse =
  | { id: 0; ready: { name: string; version: string } }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; unreadable: boolean } };

const send = (response: OcrResponse) => process.send!(response);
// The service gone (ended, or killed without a word), nothing is left to read for.
process.on('disconnect', () => process.exit(0));

// Options come as the first argument. A problem with them, or with loading the models, ends the
// process with its message on stderr, which the service quotes.
const options = JSON.parse(process.argv[2] ?? 'null') as OcrOptions | null;
if (!options || !Number.isInteger(options.concurrency) || options.concurrency < 1 || !(options.pixelLimit > 0)) {
  throw new RangeError(`OCR options must give concurrency (an integer from 1) and pixelLimit (above 0), not ${process.argv[2]}`);
}
const engine = await PaddleColumnsRecognizer.create(options);
send({ id: 0, ready: engine.engine });

process.on('message', async (request: OcrRequest) => {
  let response: OcrResponse;
  try {
    response = { id: request.id, ok: true, value: await engine.recognise(request.image) };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    response = { id: request.id, ok: false, error: { name: error.name, message: error.message, unreadable: e instanceof UnreadableImageError } };
  }
  send(response);
});
