/**
 * The IIIF Image API 3.0 through real HTTP on an image that went in through the upload path,
 * rendered by real sharp (https://iiif.io/api/image/3.0/).
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import { startTestServer, withLibrary, type TestServer } from '../support/http.js';
import { parseImageRequest } from '../../src/iiif/image-request.js';
import { openSeadragonRequests } from '../support/openseadragon.js';
import { recordWithScan } from '../support/scans.js';
import { publish } from '../support/texts.js';

const fixtures = path.resolve(import.meta.dirname, '../../src/demo/scans');
const IMAGE = 'b7f90b9fbd3ca8d5d5293898c3e999aa73836c3a791055231a3ebe6a7431d4dc';

describe('IIIF Image API', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: string;
  let size: { width: number; height: number };
  const cn = '430000-0001-0000001';
  const get = (p: string, token?: string) => fetch(`${server.url}/iiif/3/${IMAGE}/${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: 'manual' });
  const pixels = async (res: Response) => sharp(Buffer.from(await res.arrayBuffer())).metadata();

  before(async () => {
    server = await startTestServer();
    admin = await withLibrary(server);
    await recordWithScan(server, admin, cn, path.join(fixtures, '1.png'), '聖諭-1.png');
    size = (await sharp(path.join(fixtures, '1.png')).metadata()) as { width: number; height: number };
  });
  after(() => server.close());

  it('keeps the images of unpublished records from anonymous clients (401, test/integration/iiif-auth.test.ts), with CORS even then', async () => {
    const res = await get('info.json');
    expect(res.status).to.equal(401);
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    expect((await get('info.json', admin)).status).to.equal(200);
    await publish(server, cn, admin, admin);
    expect((await get('info.json')).status).to.equal(200);
  });

  it('describes the image in info.json: level 2, sizes and tiles, as JSON-LD on request', async () => {
    const res = await fetch(`${server.url}/iiif/3/${IMAGE}/info.json`, { headers: { accept: 'application/ld+json' } });
    expect(res.headers.get('content-type')).to.equal('application/ld+json;profile="http://iiif.io/api/image/3/context.json"');
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    expect(res.headers.get('cache-control')).to.contain('max-age=31536000');
    const info = (await res.json()) as any;
    expect(info).to.deep.include({
      '@context': 'http://iiif.io/api/image/3/context.json', id: `http://guji.test/iiif/3/${IMAGE}`, type: 'ImageService3',
      protocol: 'http://iiif.io/api/image', profile: 'level2', width: size.width, height: size.height,
    });
    expect(info.tiles).to.deep.equal([{ type: 'Tile', width: 512, scaleFactors: [1, 2, 4] }]);
    // §5.5 the format of the pre-rendered tiles; §5.6, §5.7 the record's licence and manifest.
    expect(info.preferredFormats).to.deep.equal(['jpg']);
    expect(info.rights).to.equal('http://creativecommons.org/publicdomain/mark/1.0/');
    expect(info.partOf).to.deep.equal([{ id: `http://guji.test/iiif/${cn}/manifest`, type: 'Manifest', label: { 'zh-Hant': ['欽定四庫全書簡明目錄二十卷'] } }]);
    // The sizes are the pyramid's levels (§5.3, §5.4), not the access copy and the thumbnail.
    expect(info.sizes).to.deep.equal([4, 2].map((f) => ({ type: 'Size', width: Math.ceil(size.width / f), height: Math.ceil(size.height / f) })));
    // §5.1: JSON-LD without an Accept header (or with */*), plain JSON when that is preferred;
    // the answer varies with Accept.
    const LD = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"';
    const accepting: [string | null, string][] = [
      [null, LD], ['*/*', LD], ['application/json', 'application/json'], ['application/json, application/ld+json;q=0.5', 'application/json'],
      [`application/ld+json;profile="http://iiif.io/api/image/3/context.json"`, LD], ['application/ld+json, application/json;q=0.9', LD], ['image/png', LD],
    ];
    for (const [accept, type] of accepting) {
      // undici's fetch sends Accept: */* unless told otherwise: node:http sends what it is given.
      const answer = await new Promise<{ type: string; vary: string }>((resolve, reject) => {
        http.get(`${server.url}/iiif/3/${IMAGE}/info.json`, { headers: accept === null ? {} : { accept } }, (r) => {
          r.resume();
          r.on('end', () => resolve({ type: r.headers['content-type']!.replace(/; charset=utf-8$/, ''), vary: String(r.headers.vary) }));
        }).on('error', reject);
      });
      expect(answer, String(accept)).to.deep.equal({ type, vary: 'Accept, Accept-Encoding' });
    }
  });

  /** Every tile OpenSeadragon asks for, from info.json: 200, the size asked, from a pre-rendered tile. */
  async function viewerTiles(imageId: string, info: any) {
    const requests = openSeadragonRequests(info);
    expect(requests.length).to.be.above(info.tiles[0].scaleFactors.length);
    for (const request of requests) {
      const res = await fetch(`${server.url}/iiif/3/${imageId}/${request}`);
      expect(res.status, request).to.equal(200);
      const [region, size, rotation, qualityFormat] = request.split('/') as [string, string, string, string];
      const r = parseImageRequest({ region, size, rotation, qualityFormat }, info, info);
      const body = Buffer.from(await res.arrayBuffer());
      const m = await sharp(body).metadata();
      expect([m.width, m.height], request).to.deep.equal([r.size.w, r.size.h]);
      const tile = path.join(server.dataDir, 'derivatives', imageId, 'tiles', region === 'full' ? 'full' : `${r.region.x},${r.region.y},${r.region.w},${r.region.h}`, `${r.size.w},${r.size.h}`, '0', 'default.jpg');
      expect(existsSync(tile) && body.equals(readFileSync(tile)), `${request}: the pre-rendered tile`).to.equal(true);
    }
  }

  it('answers every tile OpenSeadragon (Mirador, the Universal Viewer) asks for from info.json', async () => {
    const info = (await (await get('info.json')).json()) as any;
    await viewerTiles(IMAGE, info);
    // With the access copy and the thumbnail announced as sizes, as before, it asked for regions
    // it could not have: the right edge of the middle level came out larger than its region.
    const access = await sharp(path.join(server.dataDir, 'derivatives', IMAGE, 'access.jpg')).metadata();
    const thumbnail = await sharp(path.join(server.dataDir, 'derivatives', IMAGE, 'thumbnail.jpg')).metadata();
    const before = openSeadragonRequests({ ...info, sizes: [thumbnail, access].map((m) => ({ width: m.width!, height: m.height! })) });
    const refused = [];
    for (const request of before) if ((await get(request)).status === 400) refused.push(request);
    expect(refused).to.include(`1024,0,${size.width - 1024},1024/${access.width! - 512},512/0/default.jpg`);
  });

  it('still answers the access copy and the thumbnail from their files', async () => {
    for (const file of ['access.jpg', 'thumbnail.jpg']) {
      const made = path.join(server.dataDir, 'derivatives', IMAGE, file);
      const { width, height } = await sharp(made).metadata();
      const res = await get(`full/${width},${height}/0/default.jpg`);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(made)), file).to.equal(true);
    }
  });

  it('answers CORS preflights and exposes Link, ETag and Content-Range to other sites (§7.1)', async () => {
    for (const p of [`/iiif/3/${IMAGE}/info.json`, `/iiif/3/${IMAGE}/0,0,512,512/512,/0/default.jpg`, `/iiif/${cn}/manifest`]) {
      const preflight = await fetch(`${server.url}${p}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://viewer.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,range,if-none-match' },
      });
      expect(preflight.status, p).to.equal(204);
      expect(preflight.headers.get('access-control-allow-origin'), p).to.equal('*');
      expect(preflight.headers.get('access-control-allow-methods'), p).to.equal('GET, HEAD, OPTIONS');
      const allowed = preflight.headers.get('access-control-allow-headers')!.toLowerCase().split(/,\s*/);
      expect(allowed, p).to.include.members(['accept', 'authorization', 'range', 'if-none-match']);
    }
    const tile = await fetch(`${server.url}/iiif/3/${IMAGE}/0,0,512,512/512,/0/default.jpg`, { headers: { origin: 'https://viewer.example', range: 'bytes=0-99' } });
    expect(tile.status).to.equal(206);
    expect(tile.headers.get('content-range')).to.match(/^bytes 0-99\/\d+$/);
    for (const res of [tile, await get('info.json'), await get('full/max/0/default.png'), await get('full/max/0/sepia.png')]) {
      expect(res.headers.get('access-control-expose-headers')).to.equal('Link, ETag, Content-Range');
    }
  });

  it('redirects the base URI to info.json', async () => {
    const res = await fetch(`${server.url}/iiif/3/${IMAGE}`, { redirect: 'manual' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal(`http://guji.test/iiif/3/${IMAGE}/info.json`);
  });

  it('serves a tile from the pre-rendered file, with canonical and profile links, ETag and 304', async () => {
    const res = await get('0,0,512,512/512,/0/default.jpg');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('image/jpeg');
    expect(res.headers.get('link')).to.equal(
      `<http://guji.test/iiif/3/${IMAGE}/0,0,512,512/max/0/default.jpg>;rel="canonical", <http://iiif.io/api/image/3/level2.json>;rel="profile"`,
    );
    const body = Buffer.from(await res.arrayBuffer());
    const file = readFileSync(path.join(server.dataDir, 'derivatives', IMAGE, 'tiles', '0,0,512,512', '512,512', '0', 'default.jpg'));
    expect(body.equals(file)).to.equal(true);
    const again = await fetch(`${server.url}/iiif/3/${IMAGE}/0,0,512,512/512,/0/default.jpg`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).to.equal(304);
  });

  // request → width, height, format, channels (1 for gray and bitonal)
  const renders: [string, number | ((s: { width: number; height: number }) => number), number | ((s: { width: number; height: number }) => number), string, number][] = [
    ['full/max/0/default.jpg', (s) => s.width, (s) => s.height, 'jpeg', 3],
    ['full/max/0/default.png', (s) => s.width, (s) => s.height, 'png', 3],
    ['full/max/0/default.webp', (s) => s.width, (s) => s.height, 'webp', 3],
    ['full/300,/0/default.jpg', 300, (s) => Math.round((300 * s.height) / s.width), 'jpeg', 3],
    ['full/,300/0/default.jpg', (s) => Math.round((300 * s.width) / s.height), 300, 'jpeg', 3],
    ['full/!300,300/0/default.jpg', (s) => Math.floor((300 * s.width) / s.height), 300, 'jpeg', 3],
    // §4.2: !w,h larger than the page gives the page at its size (it was a 400).
    ['full/!5000,5000/0/default.jpg', (s) => s.width, (s) => s.height, 'jpeg', 3],
    ['full/pct:10/0/default.jpg', (s) => Math.round(s.width / 10), (s) => Math.round(s.height / 10), 'jpeg', 3],
    ['100,200,300,400/max/0/default.png', 300, 400, 'png', 3],
    ['pct:0,0,50,50/150,200/0/default.png', 150, 200, 'png', 3],
    ['square/100,100/0/default.png', 100, 100, 'png', 3],
    ['full/^2000,/0/default.jpg', 2000, (s) => Math.round((2000 * s.height) / s.width), 'jpeg', 3],
    ['full/!200,200/90/default.png', 200, (s) => Math.floor((200 * s.width) / s.height), 'png', 3],
    ['full/!200,200/180/gray.png', (s) => Math.floor((200 * s.width) / s.height), 200, 'png', 1],
    ['full/!200,200/!0/bitonal.png', (s) => Math.floor((200 * s.width) / s.height), 200, 'png', 1],
    // §4.3: a turned image is the bounding box of the rotated region (100√2).
    ['0,0,100,100/100,/45/default.png', 141, 141, 'png', 4],
  ];
  for (const [request, w, h, format, channels] of renders) {
    it(`renders ${request}`, async () => {
      const res = await get(request);
      expect(res.status, request).to.equal(200);
      const m = await pixels(res);
      const expected = [typeof w === 'number' ? w : w(size), typeof h === 'number' ? h : h(size)];
      expect([m.width, m.height, m.format, m.channels]).to.deep.equal([...expected, format, channels]);
    });
  }

  it('leaves the corners of a turned PNG or WebP transparent, of a JPEG white (§4.3)', async () => {
    /** The pixel at x,y; at the centre when they are not given. */
    const at = async (request: string, x?: number, y?: number) => {
      const { data, info } = await sharp(Buffer.from(await (await get(request)).arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
      const i = ((y ?? info.height >> 1) * info.width + (x ?? info.width >> 1)) * info.channels;
      return [...data.subarray(i, i + info.channels)];
    };
    for (const request of ['0,0,100,100/100,/45/default.png', 'pct:20,20,40,40/200,/30/gray.png', '0,0,100,100/100,/45/default.webp', 'full/!300,300/10/bitonal.webp']) {
      expect((await at(request, 0, 0)).at(-1), `${request}: corner`).to.equal(0);
      expect((await at(request)).at(-1), `${request}: inside`).to.equal(255);
    }
    // JPEG has no alpha, nor a WebP of more than 4 megapixels (libwebp would take three times
    // the memory): the corners are white (within the compression).
    expect((await at('0,0,100,100/100,/45/default.jpg', 0, 0)).every((v) => v > 240)).to.equal(true);
    const large = await at('full/^2000,/45/default.webp', 0, 0);
    expect([large.length, large.every((v) => v > 240)]).to.deep.equal([3, true]);
    // At right angles nothing is uncovered: no alpha is added.
    expect((await pixels(await get('0,0,100,100/100,/90/default.png'))).channels).to.equal(3);
  });

  it('lists color among the extra qualities of colour masters only, and answers it for gray ones (§4.4)', async () => {
    expect(((await (await get('info.json')).json()) as any).extraQualities).to.deep.equal(['color', 'gray', 'bitonal']);
    const dir = mkdtempSync(path.join(tmpdir(), 'guji-gray-'));
    try {
      const gray = path.join(dir, 'gray.png');
      await sharp(path.join(fixtures, '2.png')).toColourspace('b-w').png().toFile(gray);
      await recordWithScan(server, admin, '430000-0001-0000009', gray, '灰-1.png');
      const id = createHash('sha256').update(readFileSync(gray)).digest('hex');
      const at = (p: string) => fetch(`${server.url}/iiif/3/${id}/${p}`, { headers: { authorization: `Bearer ${admin}` } });
      const grayInfo = (await (await at('info.json')).json()) as any;
      expect(grayInfo.extraQualities).to.deep.equal(['gray', 'bitonal']);
      // Of an unpublished record, even to staff, info.json names no manifest or licence.
      expect(grayInfo).not.to.have.any.keys('partOf', 'rights');
      const color = await at('full/200,/0/color.png');
      expect(color.status).to.equal(200);
      expect((await pixels(color)).width).to.equal(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('mirrors before rotating (!90 differs from 90)', async () => {
    // A region with text in it: a blank one looks the same mirrored.
    const plain = await sharp(Buffer.from(await (await get('pct:30,30,40,20/200,/90/default.png')).arrayBuffer())).raw().toBuffer();
    const mirrored = await sharp(Buffer.from(await (await get('pct:30,30,40,20/200,/!90/default.png')).arrayBuffer())).raw().toBuffer();
    expect(plain.length).to.equal(mirrored.length);
    expect(plain.equals(mirrored)).to.equal(false);
  });

  // The large real masters of ../shared/data (book5, 3446×5171), through the upload path too.
  const book5 = path.resolve(import.meta.dirname, '../../../shared/data/open-guji-cv-pages/book5/1.png');
  (existsSync(book5) ? it : it.skip)('tiles a 3446×5171 master from ../shared/data uploaded through the API', async () => {
    const form = new FormData();
    form.append('files', new Blob([readFileSync(book5)]), '欽定四庫全書總目-卷一-001.png');
    const res = await fetch(`${server.url}/api/records/${cn}/scans`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    const { job } = (await res.json()) as any;
    let done: any;
    for (let i = 0; i < 600 && done?.status !== 'done'; i++) {
      done = (await server.call('GET', `/api/jobs/${job.id}`, { token: admin })).body;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(done.files[0]).to.deep.include({ outcome: 'ingested', imageId: '4338ca18871fc4bde95eb1a8c0a054b3f7547875df05a091141b15c1831d89d9', sequence: 2 });
    const info = (await (await fetch(`${server.url}/iiif/3/${done.files[0].imageId}/info.json`)).json()) as any;
    expect([info.width, info.height, info.tiles[0].scaleFactors]).to.deep.equal([3446, 5171, [1, 2, 4, 8, 16]]);
    await viewerTiles(done.files[0].imageId, info);
    const tile = await fetch(`${server.url}/iiif/3/${done.files[0].imageId}/2048,4096,1024,1024/512,/0/default.jpg`);
    expect(tile.status).to.equal(200);
    expect((await pixels(tile)).width).to.equal(512);
  });

  it('answers bad syntax with 400, a valid format it does not make with 501, and unknown images with 404 (§7.1)', async () => {
    for (const format of ['tif', 'gif', 'jp2', 'pdf']) {
      const res = await get(`full/max/0/default.${format}`);
      expect(res.status, format).to.equal(501);
      expect(((await res.json()) as any).error.code).to.equal('image_format_not_served');
      expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    }
    for (const bad of ['full/max/0/default.bmp', 'full/0,/0/default.jpg', 'nonsense/max/0/default.jpg', 'full/max/361/default.jpg', 'full/max/0/sepia.jpg', `full/${size.width + 1},/0/default.jpg`]) {
      const res = await get(bad);
      expect(res.status, bad).to.equal(400);
      expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    }
    expect((await fetch(`${server.url}/iiif/3/${'0'.repeat(64)}/info.json`)).status).to.equal(404);
    expect((await fetch(`${server.url}/iiif/3/..%2F..%2Fetc/info.json`)).status).to.equal(404);
  });
});
