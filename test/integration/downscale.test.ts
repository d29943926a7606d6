/**
 * The area-averaging downscale (src/adapters/images/downscale.ts) on real scans with real sharp:
 * exact output sizes, pixels close to libvips's lanczos3, the averages of a 2:1 reduction exact,
 * and the renderer's answers through it the size asked for and close to sharp's own resize.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { downscale } from '../../src/adapters/images/downscale.js';
import { SharpDeriver } from '../../src/adapters/images/sharp-deriver.js';
import { SharpRenderer } from '../../src/adapters/images/sharp-renderer.js';
import { parseImageRequest } from '../../src/iiif/image-request.js';
import { demoScans, psnr } from '../support/scans.js';


describe('downscaling by area averaging', () => {
  it('runs the module its WebAssembly text says: downscale.wat assembled (wabt) is byte for byte the module held in downscale.ts', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guji-wasm-'));
    try {
      const source = path.resolve(import.meta.dirname, '../../src/adapters/images/downscale.wat');
      execFileSync('wat2wasm', [source, '-o', path.join(dir, 'downscale.wasm')]);
      const held = /^const WASM = '([A-Za-z0-9+/=]+)';$/m.exec(readFileSync(source.replace(/\.wat$/, '.ts'), 'utf8'))?.[1];
      expect(held, 'the base64 module in downscale.ts').to.be.a('string');
      expect(readFileSync(path.join(dir, 'downscale.wasm')).toString('base64')).to.equal(held);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });


  let scan: { data: Buffer; width: number; height: number; channels: number };

  before(async () => {
    const { data, info } = await sharp(path.join(demoScans, '1.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    scan = { data, width: info.width, height: info.height, channels: info.channels };
  });

  it('makes exactly the size asked for, close to lanczos3, at the ratios left between pyramid levels and beyond', async () => {
    // 700-px regions from the level halved (350 → 256), near 2, uneven ratios, one axis unchanged.
    // [window width, height, output width, height, least PSNR against lanczos3 in dB]
    const cases = [[350, 350, 256, 256, 32], [511, 300, 256, 151, 32], [400, 257, 400, 256, 32], [257, 257, 256, 256, 32], [300, 700, 256, 100, 26]] as const;
    for (const [width, height, outWidth, outHeight, least] of cases) {
      const window = { left: 120, top: 200, width, height };
      const ours = downscale(scan.data, scan.width, scan.channels, window, outWidth, outHeight);
      expect(ours.length, `${width}×${height} → ${outWidth}×${outHeight}`).to.equal(outWidth * outHeight * scan.channels);
      const lanczos = await sharp(scan.data, { raw: { width: scan.width, height: scan.height, channels: scan.channels as 3 } })
        .extract(window)
        .resize(outWidth, outHeight, { fit: 'fill' })
        .raw()
        .toBuffer();
      // Measured on the open-guji scans at 350 → 256: 34–39 dB (libvips's own linear kernel 31–36,
      // plain bilinear as IIPImage does it 34–38, and 28–31 near 2:1). At 7:1 (a 1-px ideogram
      // stroke is a seventh of a pixel) lanczos3's sharpening, which averaging lacks, shows more.
      expect(psnr(lanczos, ours), `${width}×${height} → ${outWidth}×${outHeight}`).to.be.above(least);
    }
  });

  it('averages each 2×2 block of a 2:1 reduction exactly, and keeps a flat colour flat, in 1, 3 or 4 channels', () => {
    const width = 6;
    const height = 4;
    for (const channels of [1, 3, 4]) {
      const source = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 37 + 11) % 256);
      const out = downscale(source, width, channels, { left: 0, top: 0, width, height }, 3, 2);
      for (let y = 0; y < 2; y++) {
        for (let x = 0; x < 3; x++) {
          for (let c = 0; c < channels; c++) {
            const at = (xx: number, yy: number) => source[(yy * width + xx) * channels + c]!;
            const mean = (at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) + at(2 * x + 1, 2 * y + 1)) / 4;
            // Columns then rows, each rounded to 8 bits: within one level of the exact mean.
            expect(Math.abs(out[(y * 3 + x) * channels + c]! - mean), `channels ${channels} (${x}, ${y}) ${c}`).to.be.at.most(1);
          }
        }
      }
      const flat = downscale(new Uint8Array(37 * 23 * channels).fill(201), 37, channels, { left: 3, top: 2, width: 31, height: 19 }, 17, 11);
      expect([...new Set(flat)]).to.deep.equal([201]);
    }
  });

  it('refuses to enlarge', () => {
    expect(() => downscale(scan.data, scan.width, scan.channels, { left: 0, top: 0, width: 100, height: 100 }, 101, 50)).to.throw(RangeError);
  });

  describe('in the renderer', () => {
    let dir: string;
    const page = { folder: '', width: 0, height: 0 };
    const limits = { maxWidth: 10_000, maxHeight: 10_000, maxArea: 100_000_000 };

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'guji-downscale-'));
      const deriver = new SharpDeriver(200_000_000);
      await deriver.derive(path.join(demoScans, '1.png'), dir);
      Object.assign(page, { folder: dir }, await deriver.inspect(path.join(demoScans, '1.png')));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('answers regions between pyramid levels at the size asked for, close to what lanczos3 would make of the same pyramid level', async () => {
      const renderer = new SharpRenderer();
      for (const [region, size] of [['100,200,700,700', '256,'], ['0,0,1000,600', '!300,300'], ['300,500,511,512', '400,256']] as const) {
        const request = parseImageRequest({ region, size, rotation: '0', qualityFormat: 'default.png' }, page, limits);
        // Twice from the file, then from the decoded level.
        for (let round = 0; round < 3; round++) {
          const png = await renderer.render(page.folder, request, page);
          const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
          expect([info.width, info.height], region).to.deep.equal([request.size.w, request.size.h]);
          // What sharp's lanczos3 makes of the same window of the same pyramid level.
          const { x, y, w, h } = request.region;
          const level = Math.floor(Math.log2(Math.min(w / request.size.w, h / request.size.h)));
          const tiff = sharp(path.join(page.folder, 'full.tif'), { page: level });
          const { width: levelWidth, height: levelHeight } = await tiff.metadata();
          const left = Math.floor((x * levelWidth!) / page.width);
          const top = Math.floor((y * levelHeight!) / page.height);
          const window = { left, top, width: Math.min(levelWidth! - left, Math.round((w * levelWidth!) / page.width)), height: Math.min(levelHeight! - top, Math.round((h * levelHeight!) / page.height)) };
          const reference = await tiff.extract(window).resize(request.size.w, request.size.h, { fit: 'fill' }).raw().toBuffer();
          expect(psnr(reference, data), `${region}/${size}, round ${round + 1}`).to.be.above(30);
          for (let i = 0; i < 200 && renderer['decoding'].size > 0; i++) await new Promise((r) => setTimeout(r, 10));
        }
      }
    });
  });
});
