/**
 * The image renderer keeps pyramid levels it is asked for twice decoded in memory. What it
 * renders from them must be exactly what it renders from the pyramid file: real scans, real
 * pyramids made by the deriver, every kind of request compared byte for byte.
 */
import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SharpDeriver } from '../../src/adapters/images/sharp-deriver.js';
import { SharpRenderer } from '../../src/adapters/images/sharp-renderer.js';
import { parseImageRequest } from '../../src/iiif/image-request.js';
import sharp from 'sharp';

const scans = path.resolve(import.meta.dirname, '../../src/demo/scans');
const limits = { maxWidth: 10_000, maxHeight: 10_000, maxArea: 100_000_000 };

describe('rendering from decoded pyramid levels', () => {
  let dir: string;
  const pages: Record<string, { folder: string; width: number; height: number }> = {};

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'guji-renderer-'));
    const deriver = new SharpDeriver(200_000_000);
    for (const name of ['1', '2', '3', '10']) {
      const folder = path.join(dir, name);
      mkdirSync(folder);
      await deriver.derive(path.join(scans, `${name}.png`), folder);
      const facts = await deriver.inspect(path.join(scans, `${name}.png`));
      pages[name] = { folder, width: facts.width, height: facts.height };
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const requests = [
    ['full', '500,', '0', 'default.jpg'],
    ['100,200,700,600', '256,', '0', 'default.jpg'],
    ['pct:10,10,50,50', '!300,300', '!90', 'gray.png'],
    ['0,0,1155,800', '^1200,', '180', 'default.webp'],
    ['400,400,300,300', '300,', '0', 'bitonal.png'],
    // At a level's own scale, encoded by libjpeg-turbo: in the level's middle, and at its
    // bottom-right corner (the window copied out).
    ['0,0,512,512', '256,', '0', 'default.jpg'],
    ['899,1303,256,256', '256,', '0', 'color.jpg'],
  ] as const;

  const decodedLevels = (renderer: SharpRenderer) => renderer['decoded'].size;
  const settle = async (renderer: SharpRenderer) => {
    for (let i = 0; i < 200 && renderer['decoding'].size > 0; i++) await new Promise((r) => setTimeout(r, 10));
  };

  it('renders every kind of request to the same bytes as from the file', async () => {
    const plain = new SharpRenderer(0);
    const caching = new SharpRenderer();
    const page = pages['1']!;
    for (const [region, size, rotation, qualityFormat] of requests) {
      const request = parseImageRequest({ region, size, rotation, qualityFormat }, page, limits);
      const expected = await plain.render(page.folder, request, page);
      // The first ask reads the file; the second decodes the level in the background; then from memory.
      for (let round = 0; round < 3; round++) {
        expect(await caching.render(page.folder, request, page), `${region}/${size}/${rotation}/${qualityFormat}, round ${round + 1}`).to.deep.equal(expected);
        await settle(caching);
      }
    }
    expect(decodedLevels(caching)).to.be.above(0);
    expect(decodedLevels(plain)).to.equal(0);
  });

  it('keeps within its memory, forgetting the least recently used level, and never keeps a level over a quarter of it', async () => {
    const levelZero = (name: string) => pages[name]!.width * pages[name]!.height * 3;
    const twice = async (renderer: SharpRenderer, name: string, region: string, size: string) => {
      const page = pages[name]!;
      const request = parseImageRequest({ region, size, rotation: '0', qualityFormat: 'default.jpg' }, page, limits);
      for (let i = 0; i < 3; i++) {
        await renderer.render(page.folder, request, page);
        await settle(renderer);
      }
    };
    // A budget just under four full-resolution levels of page 1: none of them is kept.
    const small = new SharpRenderer(levelZero('1') * 4 - 1);
    await twice(small, '1', '0,0,300,300', '300,');
    expect(decodedLevels(small)).to.equal(0);

    // Room for the four pages' full-resolution levels, just: one level more pushes out the
    // least recently used (page 1's, unless it was used since).
    const budget = Math.max(...Object.keys(pages).map(levelZero)) * 4;
    const renderer = new SharpRenderer(budget);
    for (const name of ['1', '2', '3', '10']) await twice(renderer, name, '0,0,300,300', '300,');
    expect(decodedLevels(renderer)).to.equal(4);
    await twice(renderer, '2', '0,0,300,300', '300,');
    await twice(renderer, '1', '0,0,1000,1000', '500,');
    const kept = [...renderer['decoded'].keys()];
    expect(kept).to.have.length(4);
    expect(kept.some((k) => k.startsWith(path.join(pages['1']!.folder, 'full.tif')) && k.endsWith('#0'))).to.equal(false);
    expect(kept.some((k) => k.startsWith(path.join(pages['1']!.folder, 'full.tif')) && k.endsWith('#1'))).to.equal(true);
    expect(renderer['decodedBytes']).to.be.at.most(budget);
  });

  it('encodes plain JPEG regions of up to 2048×2048 pixels with libjpeg-turbo, and the rest through sharp', async () => {
    // TurboJPEG writes a JFIF APP0 segment after the start of image; libvips writes none.
    const byTurbo = (jpeg: Buffer) => jpeg.readUInt16BE(2) === 0xffe0;
    const renderer = new SharpRenderer();
    const render = async (page: { folder: string; width: number; height: number }, region: string, size: string, rotation = '0', qualityFormat = 'default.jpg') =>
      renderer.render(page.folder, parseImageRequest({ region, size, rotation, qualityFormat }, page, limits), page);
    const page = pages['1']!;
    expect(byTurbo(await render(page, '0,0,512,512', '256,')), 'at a level’s scale').to.equal(true);
    expect(byTurbo(await render(page, '100,200,700,600', '256,')), 'averaged down').to.equal(true);
    expect(byTurbo(await render(page, '0,0,512,512', '256,', '90')), 'turned').to.equal(false);
    expect(byTurbo(await render(page, '0,0,512,512', '256,', '!0')), 'mirrored').to.equal(false);
    expect(byTurbo(await render(page, '0,0,512,512', '256,', '0', 'gray.jpg')), 'grey').to.equal(false);
    expect(byTurbo(await render(page, '0,0,512,512', '^600,')), 'enlarged').to.equal(false);
    // A 2200×2200 page: a whole 2100-px window at full size is written in strips by sharp.
    const folder = mkdtempSync(path.join(dir, 'large-'));
    const master = path.join(folder, 'master.png');
    await sharp({ create: { width: 2200, height: 2200, channels: 3, background: '#d8c8a8' } }).png().toFile(master);
    await new SharpDeriver(200_000_000).derive(master, folder);
    const large = { folder, width: 2200, height: 2200 };
    expect(byTurbo(await render(large, '0,0,2048,2048', 'max'))).to.equal(true);
    const stripped = await render(large, '0,0,2100,2100', 'max');
    expect(byTurbo(stripped)).to.equal(false);
    expect((await sharp(stripped).metadata()).width).to.equal(2100);
  });

  it('does not answer from a level decoded before the pyramid was made again (npm run rederive)', async () => {
    const renderer = new SharpRenderer();
    const a = pages['1']!;
    const b = pages['2']!;
    const folder = mkdtempSync(path.join(dir, 'rederived-'));
    copyFileSync(path.join(a.folder, 'full.tif'), path.join(folder, 'full.tif'));
    const request = parseImageRequest({ region: '0,0,800,800', size: '200,', rotation: '0', qualityFormat: 'default.jpg' }, a, limits);
    for (let i = 0; i < 3; i++) {
      await renderer.render(folder, request, a);
      await settle(renderer);
    }
    expect(decodedLevels(renderer)).to.equal(1);
    const before = await renderer.render(folder, request, a);
    // Made again as scan-files.ts does it: built beside, the old folder moved aside, the new one
    // renamed into place (here another page's pyramid, so that the difference shows).
    const staging = `${folder}.staging`;
    mkdirSync(staging);
    copyFileSync(path.join(b.folder, 'full.tif'), path.join(staging, 'full.tif'));
    utimesSync(path.join(staging, 'full.tif'), new Date(), new Date(Date.now() + 5000));
    renameSync(folder, `${folder}.old`);
    renameSync(staging, folder);
    const after = await renderer.render(folder, request, a);
    expect(after).to.deep.equal(await new SharpRenderer(0).render(b.folder, request, a));
    expect(after).not.to.deep.equal(before);
  });
});

describe('libvips threads', () => {
  it('uses every core while a page is derived, and one thread a request otherwise', async () => {
    const sharp = (await import('sharp')).default;
    const { availableParallelism } = await import('node:os');
    const { withAllCores } = await import('../../src/adapters/images/libvips.js');
    const during = await withAllCores(async () => {
      const nested = await withAllCores(async () => sharp.concurrency());
      return [nested, sharp.concurrency()];
    });
    expect(during).to.deep.equal([availableParallelism(), availableParallelism()]);
    expect(sharp.concurrency()).to.equal(1);
    await withAllCores(async () => {
      throw new Error('a failed derivation');
    }).catch(() => {});
    expect(sharp.concurrency()).to.equal(1);
  });
});
