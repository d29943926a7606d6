/**
 * The OCR engine in its worker thread (src/adapters/ocr/worker-recognizer.ts) reads what the
 * engine reads in the calling thread, and carries its refusals back as they are.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PaddleColumnsRecognizer } from '../../src/adapters/ocr/paddle-columns.js';
import { WorkerTextRecognizer } from '../../src/adapters/ocr/worker-recognizer.js';
import { UnreadableImageError } from '../../src/domain/errors.js';
import { bookPage } from '../support/texts.js';

describe('OCR in a worker thread', function () {
  this.timeout(60_000);
  let worker: WorkerTextRecognizer;
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-ocr-worker-'));

  before(async () => {
    worker = await WorkerTextRecognizer.create({ concurrency: 1, pixelLimit: 100_000_000 });
  });
  after(async () => {
    await worker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a page as the engine does in this thread, engine named alike', async () => {
    const here = await PaddleColumnsRecognizer.create({ concurrency: 1 });
    const [there, local] = await Promise.all([worker.recognise(bookPage(6)), here.recognise(bookPage(6))]);
    expect(worker.engine).to.deep.equal(here.engine);
    expect(there.columns.length).to.be.greaterThan(3);
    expect(there).to.deep.equal(local);
  });

  it('carries an unreadable image back as UnreadableImageError, and goes on reading', async () => {
    const file = path.join(dir, 'not-an-image.png');
    writeFileSync(file, 'not an image at all');
    const error = await worker.recognise(file).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(UnreadableImageError);
    expect((await worker.recognise(bookPage(7))).columns.length).to.be.greaterThan(3);
  });

  it('refuses pages once closed', async () => {
    const short = await WorkerTextRecognizer.create({ concurrency: 1, pixelLimit: 100_000_000 });
    await short.close();
    const error = await short.recognise(bookPage(7)).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
  });
});
