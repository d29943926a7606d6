/** The bounded queue in front of dynamic image renders, and its limits from the configuration. */
import { expect } from 'chai';
import { imageRenderLimits, loadConfig } from '../../src/config.js';
import { OverloadedError } from '../../src/domain/errors.js';
import { BoundedQueue } from '../../src/services/bounded-queue.js';

/** Work that ends when told to. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, work: async () => opened };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('bounded queue', () => {
  it('runs at most `concurrent` at once and the waiting in order', async () => {
    const q = new BoundedQueue({ concurrent: 2, queued: 5, waitSeconds: 60 }, 'renders');
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, gate);
    const runs = gates.map((g, i) => q.run(async () => {
      order.push(i);
      await g.work();
      return i;
    }));
    await tick();
    expect(order).to.deep.equal([0, 1]);
    expect(q.load).to.deep.equal({ running: 2, waiting: 3 });
    gates[1]!.open();
    await runs[1];
    await tick();
    expect(order).to.deep.equal([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(runs)).to.deep.equal([0, 1, 2, 3, 4]);
    expect(order).to.deep.equal([0, 1, 2, 3, 4]);
    expect(q.load).to.deep.equal({ running: 0, waiting: 0 });
  });

  it('refuses at once when the queue is full, with Retry-After, and frees the slot of failed work', async () => {
    const q = new BoundedQueue({ concurrent: 1, queued: 1, waitSeconds: 60 }, 'image renders');
    const g = gate();
    const first = q.run(g.work);
    const second = q.run(async () => 'second');
    let refused: unknown;
    await q.run(async () => 'third').catch((e: unknown) => (refused = e));
    expect(refused).to.be.instanceOf(OverloadedError);
    expect((refused as OverloadedError).status).to.equal(503);
    expect((refused as OverloadedError).retryAfterSeconds).to.be.at.least(1);
    expect((refused as Error).message).to.match(/Too many image renders/);
    g.open();
    await first;
    expect(await second).to.equal('second');
    await q.run(async () => {
      throw new Error('a render failed');
    }).catch(() => {});
    expect(q.load).to.deep.equal({ running: 0, waiting: 0 });
  });

  it('refuses work that waited longer than the longest wait, and drops work whose caller went away', async () => {
    const q = new BoundedQueue({ concurrent: 1, queued: 4, waitSeconds: 0.05 }, 'renders');
    const g = gate();
    const first = q.run(g.work);
    let waited: unknown;
    await q.run(async () => 'never').catch((e: unknown) => (waited = e));
    expect(waited).to.be.instanceOf(OverloadedError);
    expect((waited as OverloadedError).retryAfterSeconds).to.equal(1);

    const gone = new AbortController();
    let ran = false;
    const abandoned = q.run(async () => (ran = true), gone.signal).catch((e: unknown) => e);
    await tick();
    expect(q.load.waiting).to.equal(1);
    gone.abort(new Error('client gone'));
    expect(String(await abandoned)).to.match(/client gone/);
    expect(q.load).to.deep.equal({ running: 1, waiting: 0 });
    g.open();
    await first;
    expect(ran).to.equal(false);
    expect(q.load).to.deep.equal({ running: 0, waiting: 0 });
  });

  it('takes its limits from GUJI_IMAGE_RENDER*, by default from the cores and the libuv pool', () => {
    // cores, UV_THREADPOOL_SIZE → renders at once
    for (const [cores, pool, renders] of [[1, 4, 1], [2, 4, 2], [8, 4, 2], [8, 16, 8], [4, 3, 1]] as const) {
      expect(imageRenderLimits({}, cores, pool), `${cores} cores, pool ${pool}`).to.deep.equal({ concurrent: renders, queued: 32 * renders, waitSeconds: 10 });
    }
    expect(loadConfig({ GUJI_IMAGE_RENDERS: '3', GUJI_IMAGE_RENDER_QUEUE: '0', GUJI_IMAGE_RENDER_WAIT_SECONDS: '2.5' }).imageRenders).to.deep.equal({ concurrent: 3, queued: 0, waitSeconds: 2.5 });
    expect(loadConfig({ GUJI_IMAGE_RENDERS: '3' }).imageRenders.queued).to.equal(96);
    let problems: string[] = [];
    try {
      loadConfig({ GUJI_IMAGE_RENDERS: '0', GUJI_IMAGE_RENDER_QUEUE: 'many', GUJI_IMAGE_RENDER_WAIT_SECONDS: '-1', UV_THREADPOOL_SIZE: '0' });
    } catch (e) {
      problems = (e as { problems: string[] }).problems;
    }
    expect(problems.map((p) => p.split(':')[0])).to.have.members(['GUJI_IMAGE_RENDERS', 'GUJI_IMAGE_RENDER_QUEUE', 'GUJI_IMAGE_RENDER_WAIT_SECONDS', 'UV_THREADPOOL_SIZE']);
  });
});
