/**
 * The OCR engine in its own process (src/adapters/ocr/process-recognizer.ts) reads what the
 * engine reads in the calling thread, carries its refusals back as they are, ends when idle and
 * gives its memory back, starts again for the next page, and outlives a fault of its process.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PaddleColumnsRecognizer } from '../../src/adapters/ocr/paddle-columns.js';
import { ProcessTextRecognizer } from '../../src/adapters/ocr/process-recognizer.js';
import { UnreadableImageError } from '../../src/domain/errors.js';
import { bookPage } from '../support/texts.js';
import { until } from '../support/wait.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;


describe('OCR in a process of its own', function () {
  this.timeout(60_000);
  let engine: ProcessTextRecognizer;
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-ocr-process-'));

  before(async () => {
    engine = await ProcessTextRecognizer.create({ concurrency: 1, pixelLimit: 100_000_000 });
  });
  after(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a page as the engine does in this thread, engine named alike', async () => {
    const here = await PaddleColumnsRecognizer.create({ concurrency: 1 });
    const [there, local] = await Promise.all([engine.recognise(bookPage(6)), here.recognise(bookPage(6))]);
    expect(engine.engine).to.deep.equal(here.engine);
    expect(there.columns.length).to.be.greaterThan(3);
    expect(there).to.deep.equal(local);
  });

  it('carries an unreadable image back as UnreadableImageError, and goes on reading', async () => {
    const file = path.join(dir, 'not-an-image.png');
    writeFileSync(file, 'not an image at all');
    const error = await engine.recognise(file).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(UnreadableImageError);
    expect((await engine.recognise(bookPage(7))).columns.length).to.be.greaterThan(3);
  });

  it('ends its process when idle, holding the models\' memory until then, and starts another for the next page', async () => {
    const idle = await ProcessTextRecognizer.create({ concurrency: 1, pixelLimit: 100_000_000, idleMs: 1500 });
    try {
      const first = idle.pid!;
      const before = await idle.recognise(bookPage(6));
      // The memory the service no longer holds between batches.
      const held = rssMiB(first);
      console.log(`      the OCR process held ${held.toFixed(0)} MiB after a page`);
      expect(held).to.be.above(100);
      // A page asked for within idleMs keeps it.
      await sleep(800);
      await idle.recognise(bookPage(7));
      await sleep(800);
      expect(alive(first), 'still there 0.8 s after the last page').to.equal(true);
      expect(await until(() => !alive(first), 5000), 'ended after 1.5 s idle').to.equal(true);
      expect(idle.pid).to.equal(null);
      expect(await idle.recognise(bookPage(6))).to.deep.equal(before);
      expect(idle.pid).to.be.a('number').and.not.equal(first);
    } finally {
      await idle.close();
    }
  });

  it('fails the pages a killed process held, and reads the next page in a new one', async () => {
    const reading = engine.recognise(bookPage(6));
    // The page is in hand (a process is started for it if the last one has ended idle).
    const pid = engine.pid!;
    await sleep(100);
    process.kill(pid, 'SIGKILL');
    // A page sent to the process as it ends fails too, and nothing is thrown at the service.
    const late = engine.recognise(bookPage(7));
    const error = (await reading.then(() => null, (e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(Error);
    expect(error.message).to.equal('the OCR process ended (SIGKILL)');
    expect(await late.then(() => null, (e: unknown) => e)).to.be.instanceOf(Error);
    expect((await engine.recognise(bookPage(7))).columns.length).to.be.greaterThan(3);
    expect(engine.pid).not.to.equal(pid);
  });

  it('says why when its process cannot start reading', async () => {
    const error = (await ProcessTextRecognizer.create({ concurrency: 0, pixelLimit: 100_000_000 }).then(() => null, (e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(Error);
    expect(error.message).to.equal('the OCR process ended (code 1): RangeError: OCR options must give concurrency (an integer from 1) and pixelLimit (above 0), not {"concurrency":0,"pixelLimit":100000000}');
  });

  it('refuses pages once closed, and its process is gone', async () => {
    const short = await ProcessTextRecognizer.create({ concurrency: 1, pixelLimit: 100_000_000 });
    const pid = short.pid!;
    await short.close();
    expect(alive(pid)).to.equal(false);
    const error = await short.recognise(bookPage(7)).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
  });
});
