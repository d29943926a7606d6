/**
 * The OCR engine on real pages with the real model (PP-OCRv4 via onnxruntime-node, on the CPU).
 * Speed is not asserted here (npm run bench -- ocr).
 */
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { PaddleColumnsRecognizer } from '../../src/adapters/ocr/paddle-columns.js';
import { characterErrorRate, countErrors, type ErrorCount } from '../../src/domain/character-error-rate.js';
import { mainText, type PageText } from '../../src/domain/page-text.js';
import { UnreadableImageError } from '../../src/domain/errors.js';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data');
const page = (n: number) => path.join(DATA, 'open-guji-cv-pages', 'book1', `${n}.png`);
const reference = (n: number) => readFileSync(path.join(DATA, 'transcriptions', 'book1', `${n}.txt`), 'utf8');

/**
 * Measured 10.1 % over the 10 pages (per page 0–14 %; npm run bench -- ocr); issue 15 asks for no
 * more than 11 %. A lost column of page 2 alone adds 6 points, columns cut in the wrong order
 * some 60.
 */
const CER_LIMIT = 0.11;
/**
 * book5/1, a 3446 × 5171 woodblock master: measured 24.0 % (11 of its 146 characters are variant
 * forms the model cannot write, 7.5 points). 30 % leaves room for onnxruntime's arithmetic on
 * another CPU and still fails as the engine read it before its character pitch came from the
 * block's grid (37.7 %: characters that touch were read in pairs).
 */
const WOODBLOCK_CER_LIMIT = 0.3;
const woodblock = path.join(DATA, 'open-guji-cv-pages', 'book5', '1.png');
const woodblockText = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'transcriptions', 'book5', '1.txt');

describe('OCR engine (paddle-columns, real model)', function () {
  this.timeout(120_000);
  let ocr: PaddleColumnsRecognizer;
  let dir: string;
  const pages = new Map<number, PageText>();

  before(async () => {
    ocr = await PaddleColumnsRecognizer.create();
    dir = await mkdtemp(path.join(tmpdir(), 'guji-ocr-'));
    // Pages side by side, as the engine allows up to the cores.
    const read = await Promise.all(Array.from({ length: 10 }, (_, i) => ocr.recognise(page(i + 1))));
    read.forEach((p, i) => pages.set(i + 1, p));
  });
  after(async () => {
    await ocr.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`reads the 10 half-leaves of book1 under ${CER_LIMIT * 100} % character error rate`, () => {
    const counts: ErrorCount[] = [...pages].map(([n, p]) => countErrors(mainText(p), reference(n)));
    expect(counts.reduce((s, c) => s + c.length, 0)).to.be.greaterThan(600);
    expect(characterErrorRate(counts)).to.be.below(CER_LIMIT);
  });

  it(`reads the woodblock master book5/1 under ${WOODBLOCK_CER_LIMIT * 100} % character error rate, boxes in master pixels`, async () => {
    const read = await ocr.recognise(woodblock);
    const count = countErrors(mainText(read), readFileSync(woodblockText, 'utf8'));
    expect(count.length).to.equal(146);
    expect(characterErrorRate([count])).to.be.at.most(WOODBLOCK_CER_LIMIT);
    // The nine columns of the master, right to left.
    const main = read.columns.filter((c) => c.kind === 'main');
    expect(main).to.have.length(9);
    const centres = main.map((c) => c.box[0] + c.box[2] / 2);
    expect(centres).to.deep.equal([...centres].sort((a, b) => b - a));
    expect([read.width, read.height]).to.deep.equal([3446, 5171]);
    expect(Math.max(...main.map((c) => c.box[1] + c.box[3]))).to.be.within(4000, 5171);
  });

  it('gives every character a box inside its column and a confidence in [0, 1], in master pixels', () => {
    for (const p of pages.values()) {
      expect(p.engine.name).to.equal('paddle-columns');
      expect(p.engine.version).to.match(/PP-OCRv4.*onnxruntime-node 1\.30/);
      for (const column of p.columns) {
        const [x, y, w, h] = column.box;
        expect(column.text).to.equal(column.chars.map((c) => c.char).join(''));
        for (const c of column.chars) {
          const [cx, cy, cw, ch] = c.box;
          expect(cw).to.be.greaterThan(0);
          expect(ch).to.be.greaterThan(0);
          expect(cx).to.be.at.least(x);
          expect(cy).to.be.at.least(y);
          expect(cx + cw).to.be.at.most(x + w);
          expect(cy + ch).to.be.at.most(y + h);
          expect(c.confidence).to.be.within(0, 1);
        }
        expect(x + w).to.be.at.most(p.width);
        expect(y + h).to.be.at.most(p.height);
      }
    }
  });

  it('gives the columns right to left, and 乾隆 where the transcription has it', () => {
    for (const p of pages.values()) {
      const centres = p.columns.filter((c) => c.kind === 'main').map((c) => c.box[0] + c.box[2] / 2);
      expect(centres.length).to.be.at.least(2);
      expect(centres).to.deep.equal([...centres].sort((a, b) => b - a));
    }
    // Page 1, third column: 乾隆三十九年七月二十五日大學士于敏中等, read top to bottom.
    const third = pages.get(1)!.columns.filter((c) => c.kind === 'main')[2]!;
    expect(third.text.startsWith('乾隆三十九年')).to.equal(true);
    const ys = third.chars.map((c) => c.box[1]);
    expect(ys).to.deep.equal([...ys].sort((a, b) => a - b));
  });

  it('reads a decoded image as it reads the file, and scales boxes to a larger master', async () => {
    const { data, info } = await sharp(page(7)).raw().toBuffer({ resolveWithObject: true });
    const decoded = await ocr.recognise({ data, width: info.width, height: info.height, channels: info.channels as 3 });
    expect(mainText(decoded)).to.equal(mainText(pages.get(7)!));
    // The same page at twice the size (3,200 px long: brought down to the working scale).
    const big = path.join(dir, 'big.png');
    await sharp(page(7)).resize({ width: info.width * 2 }).toFile(big);
    const read = await ocr.recognise(big);
    expect(read.width).to.equal(info.width * 2);
    // Its columns measured and brought back to the original's scale: read as the original is.
    expect(mainText(read)).to.equal(mainText(pages.get(7)!));
    const widest = Math.max(...read.columns.map((c) => c.box[0] + c.box[2]));
    expect(widest).to.be.greaterThan(info.width);
  });

  it('finds no columns on a white page', async () => {
    const white = path.join(dir, 'white.png');
    await sharp({ create: { width: 1100, height: 1500, channels: 3, background: '#ffffff' } }).png().toFile(white);
    expect((await ocr.recognise(white)).columns).to.deep.equal([]);
  });

  it('reads no confident text on a photo-like noise image', async () => {
    const width = 900;
    const height = 1200;
    const noise = Buffer.alloc(width * height * 3);
    let s = 12345;
    for (let i = 0; i < noise.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      noise[i] = s >>> 24;
    }
    for (const sigma of [0, 4]) {
      const img = sigma ? sharp(noise, { raw: { width, height, channels: 3 } }).blur(sigma) : sharp(noise, { raw: { width, height, channels: 3 } });
      const file = path.join(dir, `noise-${sigma}.png`);
      await img.png().toFile(file);
      const read = await ocr.recognise(file);
      const chars = read.columns.flatMap((c) => c.chars);
      // A speck of the noise may be read — as a low-confidence guess, for a proofreader to drop.
      expect(chars.length).to.be.at.most(3);
      expect(chars.filter((c) => c.confidence >= 0.5)).to.deep.equal([]);
    }
  });

  it('refuses a truncated file with a clear error', async () => {
    const bytes = readFileSync(page(1));
    const truncated = path.join(dir, 'truncated.png');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await ocr.recognise(truncated).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(UnreadableImageError);
    expect((error as Error).message).to.contain('truncated.png');
    const text = path.join(dir, 'not-an-image.png');
    writeFileSync(text, '欽定四庫全書');
    await ocr.recognise(text).then(
      () => expect.fail('read text as an image'),
      (e: unknown) => expect(e).to.be.instanceOf(UnreadableImageError),
    );
  });
});
