/**
 * The IIIF Image API under hostile requests (issue 12), through real HTTP with real sharp on a
 * real scan: the limits info.json announces hold for the image returned, after upscaling and
 * rotation; dynamic renders take a turn in a bounded queue that answers 503 + Retry-After when
 * full or when the wait is too long, while pre-rendered tiles, info.json and /health are
 * answered beside it; a pyramid over the pixel limit is not opened.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { SharpRenderer } from '../../src/adapters/images/sharp-renderer.js';
import { parseImageRequest } from '../../src/iiif/image-request.js';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { demoScans, recordWithScan } from '../support/scans.js';
import { publish } from '../support/texts.js';
import { until } from '../support/wait.js';

const IMAGE = 'b7f90b9fbd3ca8d5d5293898c3e999aa73836c3a791055231a3ebe6a7431d4dc';

/** A published record whose one page is src/demo/scans/1.png, uploaded through the API. */
async function publishedPage(server: TestServer): Promise<void> {
  const admin = await withLibrary(server);
  const cn = '430000-0001-0000001';
  await recordWithScan(server, admin, cn, path.join(demoScans, '1.png'), '聖諭-1.png');
  await publish(server, cn, admin, admin);
}

/** What a render queue of the image service holds: running and waiting. */
const load = (server: TestServer, queue: 'renders' | 'largeRenders') => (server.services.images[queue] as { load: { running: number; waiting: number } }).load;

/** Waits until `done` holds (the queues change as requests arrive and renders end). */
const settled = async (done: () => boolean) => expect(await until(done)).to.equal(true);

describe('IIIF images under hostile requests', function () {
  this.timeout(120_000);

  describe('limits on the image returned', () => {
    let server: TestServer;
    let info: { width: number; height: number; maxWidth: number; maxHeight: number; maxArea: number };
    const get = (p: string) => fetch(`${server.url}/iiif/3/${IMAGE}/${p}`);

    before(async () => {
      server = await startTestServer();
      await publishedPage(server);
      info = (await (await get('info.json')).json()) as typeof info;
    });
    after(() => server.close());

    it('refuses, anonymously, upscaled and turned requests whose image would pass maxArea, naming the limit', async () => {
      // 7000×7000 is within maxArea; turned by 45° it is 9900×9900, twice maxArea.
      for (const request of ['0,0,1,1/^7000,7000/45/default.webp', 'full/^7000,/45/gray.png']) {
        const res = await get(request);
        const body = (await res.json()) as any;
        expect(res.status, request).to.equal(400);
        expect(body.error.code, request).to.equal('bad_image_request');
        expect(body.error.message, request).to.match(/max(Area|Width|Height) \d+/);
      }
    });

    it('answers ^max turned by 45° with the largest image the announced limits allow, not more', async () => {
      for (const request of ['0,0,1,1/^max/45/default.png', 'full/^max/30/bitonal.png']) {
        const res = await get(request);
        expect(res.status, request).to.equal(200);
        const { width = 0, height = 0 } = await sharp(Buffer.from(await res.arrayBuffer()), { limitInputPixels: false }).metadata();
        expect(width, request).to.be.at.most(info.maxWidth);
        expect(height, request).to.be.at.most(info.maxHeight);
        expect(width * height, request).to.be.at.most(info.maxArea);
        // As large as allowed, but for the pixels lost to rounding.
        expect(width * height, request).to.be.above(info.maxArea * 0.999);
        // The canonical link names a size that, turned, makes this image (the estimate the
        // limits are checked on is at most a pixel larger than what libvips makes).
        const canonical = /<[^>]*\/iiif\/3\/[0-9a-f]+\/([^>]+)>;rel="canonical"/.exec(res.headers.get('link')!)![1]!;
        const [region, size, rotation, qualityFormat] = canonical.split('/') as [string, string, string, string];
        // §4.8: the maximum upscaled size is ^max in the canonical form, not its pixel size.
        expect(size, request).to.equal('^max');
        const { output } = parseImageRequest({ region, size, rotation, qualityFormat }, info, info);
        expect([output.w - width, output.h - height].every((d) => d === 0 || d === 1), `${canonical}: ${output.w}×${output.h}`).to.equal(true);
      }
    });
  });

  describe('a bounded queue of dynamic renders', () => {
    let server: TestServer;
    const get = (p: string, signal?: AbortSignal) => fetch(`${server.url}/iiif/3/${IMAGE}/${p}`, { signal });
    const renders = () => load(server, 'renders');

    before(async () => {
      // One render at a time, one waiting, for at most a fifth of a second: far less than the
      // seconds a 50-megapixel render takes, so the queue is seen full and a wait seen expire.
      server = await startTestServer({ imageRenders: { concurrent: 1, queued: 1, waitSeconds: 0.2 } });
      await publishedPage(server);
    });
    after(() => server.close());

    it('answers 503 with Retry-After when full or after the longest wait, while tiles, info.json and /health are answered', async () => {
      const heavy = get('full/^max/45/gray.png');
      await settled(() => renders().running === 1);

      const waiting = get('full/120,/0/default.png');
      await settled(() => renders().waiting === 1);
      const refused = await get('full/130,/0/default.png');
      expect(refused.status).to.equal(503);
      expect(Number(refused.headers.get('retry-after'))).to.be.at.least(1);
      expect(refused.headers.get('access-control-allow-origin')).to.equal('*');
      expect(((await refused.json()) as any).error.code).to.equal('overloaded');

      // Not queued: a pre-rendered tile, the access copy, info.json, /health.
      const tile = await get('0,0,512,512/512,/0/default.jpg');
      expect(tile.status).to.equal(200);
      const file = readFileSync(path.join(server.dataDir, 'derivatives', IMAGE, 'tiles', '0,0,512,512', '512,512', '0', 'default.jpg'));
      expect(Buffer.from(await tile.arrayBuffer()).equals(file)).to.equal(true);
      const access = await sharp(path.join(server.dataDir, 'derivatives', IMAGE, 'access.jpg')).metadata();
      expect((await get(`full/${access.width},${access.height}/0/default.jpg`)).status).to.equal(200);
      expect((await get('info.json')).status).to.equal(200);
      expect((await fetch(`${server.url}/health`)).status).to.equal(200);
      expect(renders().running, 'the heavy render was still running').to.equal(1);

      const waited = await waiting;
      expect(waited.status).to.equal(503);
      expect(((await waited.json()) as any).error.message).to.match(/within 0.2 s/);

      const done = await heavy;
      expect(done.status).to.equal(200);
      // Gray, and transparent where turning by 45° uncovered the corners (§4.3).
      expect((await sharp(Buffer.from(await done.arrayBuffer()), { limitInputPixels: false }).metadata()).channels).to.equal(2);
      await settled(() => renders().running === 0);
      expect((await get('full/140,/0/default.png')).status).to.equal(200);
    });

    it('drops a waiting render whose client has gone away', async () => {
      const heavy = get('full/^max/45/gray.png');
      await settled(() => renders().running === 1);
      const gone = new AbortController();
      const abandoned = get('full/150,/0/default.png', gone.signal).catch((e: Error) => e);
      await settled(() => renders().waiting === 1);
      gone.abort();
      await settled(() => renders().waiting === 0);
      expect(renders().running).to.equal(1);
      expect(await abandoned).to.be.instanceOf(Error);
      expect((await heavy).status).to.equal(200);
    });
  });

  describe('a lane of its own for large renders', () => {
    let server: TestServer;
    const get = (p: string) => fetch(`${server.url}/iiif/3/${IMAGE}/${p}`);

    before(async () => {
      server = await startTestServer({ imageRenders: { concurrent: 2, queued: 4, waitSeconds: 60 } });
      await publishedPage(server);
    });
    after(() => server.close());

    it('renders large images one fewer at a time than small ones, so that a small render never waits behind them', async () => {
      const first = get('full/^max/45/gray.png');
      await settled(() => load(server, 'renders').running === 1);
      const second = get('full/^max/30/default.png');
      await settled(() => load(server, 'largeRenders').waiting === 1);
      // The second large render waits without holding the slot the small ones use.
      expect(load(server, 'renders')).to.deep.equal({ running: 1, waiting: 0 });
      const small = await get('pct:20,20,30,30/300,/10/default.png');
      expect(small.status).to.equal(200);
      expect(load(server, 'largeRenders')).to.deep.equal({ running: 1, waiting: 1 });
      expect((await first).status).to.equal(200);
      expect((await second).status).to.equal(200);
    });
  });

  it('does not open a pyramid with more pixels than the pixel limit (sharp limitInputPixels)', async () => {
    const server = await startTestServer();
    try {
      await publishedPage(server);
      const folder = path.join(server.dataDir, 'derivatives', IMAGE);
      const page = (await sharp(path.join(folder, 'full.tif')).metadata()) as { width: number; height: number };
      // Full size: read from the pyramid's full-resolution level.
      const request = parseImageRequest({ region: 'full', size: 'max', rotation: '0', qualityFormat: 'default.png' }, page, { maxWidth: 10_000, maxHeight: 10_000, maxArea: 50_000_000 });
      expect((await sharp(await new SharpRenderer(0, page.width * page.height).render(folder, request, page)).metadata()).width).to.equal(page.width);
      let error: unknown;
      await new SharpRenderer(0, page.width * page.height - 1).render(folder, request, page).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/pixel limit/i);
    } finally {
      await server.close();
    }
  });
});
