/**
 * Downscaling 8-bit interleaved pixels by area averaging (each output pixel the mean of the source
 * area it covers, partial pixels weighed by their share: OpenCV's INTER_AREA, Pillow's "box"
 * reduction), columns then rows, in 14-bit fixed point, in WebAssembly (SIMD for the columns).
 *
 * It exists for speed. libvips 8.18's reduce — any sharp .resize — costs about 1.1 ms of a core
 * for a 256-px output whatever the kernel (nearest costs as much as lanczos3) or the ratio, more
 * than extracting and encoding the region (0.9 ms); the rest of its cost is set-up, allocation
 * and locking around the filter (perf: reduceh and reducev are a quarter of it). This takes a
 * 350-px window to 256 px in about half of that, copying the window in included (0.6–0.8 ms
 * against 1.0–1.5 ms for the resize, measured side by side on a busy machine), and leaves sharp
 * only the encoding (test/integration/downscale.test.ts compares its pixels with lanczos3's). Area averaging is the filter
 * for reductions: every source pixel counts once, so fine strokes neither vanish nor alias, as
 * they do with sampling filters (IIPImage's bilinear takes four pixels whatever the ratio).
 *
 * The module is downscale.wat beside this file, assembled by `wat2wasm downscale.wat` (Debian's
 * wabt) and held here in base64, so that nothing is built at install.
 */
const WASM = 'AGFzbQEAAAABGgJgCX9/f39/f39/fwBgCn9/f39/f39/f38AAwQDAAEABQMBAAEHIwQGbWVtb3J5AgAHY29sdW1ucwAABHJvd3MAAQVyb3dzMwACCtQFA6UCAwV/BnsCfwNAIAYgCUECdGooAgAhDCAAIAUgCUECdGooAgAgAWxqIQ0gAyAJIAFsaiEUQQAhCgNAQYDAAP0RIRAgECERIBAhEiAQIRNBACELIAcgCSAIbEECdGohFQNAIBUgC0ECdGooAgD9ESEOIA0gCyABbGogCmr9AAQAIQ8gECAOIA/9iQH9qQH9tQH9rgEhECARIA4gD/2JAf2qAf21Af2uASERIBIgDiAP/YoB/akB/bUB/a4BIRIgEyAOIA/9igH9qgH9tQH9rgEhEyALQQFqIgsgDEkNAAsgFCAKaiAQQQ79rQEgEUEO/a0B/YYBIBJBDv2tASATQQ79rQH9hgH9Zv0LBAAgCkEQaiIKIAJJDQALIAlBAWoiCSAESQ0ACwvCAQELfyADIRMDQCAAIAogAWxqIRRBACELA0AgByALQQJ0aigCACEOIBQgBiALQQJ0aigCACAFbGohDyAIIAsgCWxBAnRqIRFBACEMA0BBgMAAIRIgDyAMaiEQQQAhDQNAIBIgEC0AACARIA1BAnRqKAIAbGohEiAQIAVqIRAgDUEBaiINIA5JDQALIBMgEkEOdjoAACATQQFqIRMgDEEBaiIMIAVJDQALIAtBAWoiCyAESQ0ACyAKQQFqIgogAkkNAAsL5gEBDH8gAyETA0AgACAJIAFsaiEUQQAhCgNAIAYgCkECdGooAgAhCyAUIAUgCkECdGooAgBBA2xqIQwgByAKIAhsQQJ0aiENIA0gC0ECdGohDkGAwAAhEEGAwAAhEUGAwAAhEgNAIA0oAgAhDyAQIAwtAAAgD2xqIRAgESAMLQABIA9saiERIBIgDC0AAiAPbGohEiAMQQNqIQwgDUEEaiINIA5JDQALIBMgEEEOdjoAACATIBFBDnY6AAEgEyASQQ52OgACIBNBA2ohEyAKQQFqIgogBEkNAAsgCUEBaiIJIAJJDQALCw==';

/** What this module uses of the WebAssembly API (the project's TypeScript libraries declare none of it). */
interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface Exports {
  memory: Memory;
  columns(src: number, stride: number, bytes: number, dst: number, rows: number, first: number, count: number, weights: number, taps: number): void;
  rows3(src: number, stride: number, rows: number, dst: number, width: number, first: number, count: number, weights: number, taps: number): void;
  rows(src: number, stride: number, rows: number, dst: number, width: number, channels: number, first: number, count: number, weights: number, taps: number): void;
}

let instance: Exports | undefined;
const module = () => (instance ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(WASM, 'base64'))).exports as unknown as Exports);

/** Weights sum to ONE: 14 bits, so that 255 · ONE · taps stays within 32 bits. */
const ONE = 1 << 14;

/** Bytes of the tables of an axis of `to` outputs: first source index, count, then `taps` weights each. */
const tableBytes = (to: number, taps: number) => to * 4 * (2 + taps);

/** Most source pixels one output pixel averages along an axis reduced from `from` to `to`. */
const tapsFor = (from: number, to: number) => Math.ceil(from / to) + 1;

/** Writes an axis's area-averaging tables at `at` (bytes) in `memory`. */
function writeTaps(memory: Memory, at: number, from: number, to: number, taps: number): void {
  const scale = from / to;
  const first = new Int32Array(memory.buffer, at, to);
  const count = new Int32Array(memory.buffer, at + to * 4, to);
  const weights = new Int32Array(memory.buffer, at + to * 8, to * taps);
  for (let x = 0; x < to; x++) {
    const start = x * scale;
    const end = (x + 1) * scale;
    const lo = Math.floor(start);
    const hi = Math.min(from, Math.ceil(end));
    first[x] = lo;
    count[x] = hi - lo;
    // Integer weights summing to ONE exactly: the rounding's remainder goes to the heaviest.
    let total = 0;
    let heaviest = 0;
    for (let i = lo; i < hi; i++) {
      const w = Math.round(((Math.min(end, i + 1) - Math.max(start, i)) / scale) * ONE);
      weights[x * taps + i - lo] = w;
      total += w;
      if (w > weights[x * taps + heaviest]!) heaviest = i - lo;
    }
    weights[x * taps + heaviest]! += ONE - total;
  }
}

/**
 * The window (left, top, width, height) of `source` — sourceWidth pixels a row, `channels`
 * bytes a pixel — averaged down to outWidth × outHeight, neither larger than the window's.
 */
export function downscale(
  source: Uint8Array,
  sourceWidth: number,
  channels: number,
  window: { left: number; top: number; width: number; height: number },
  outWidth: number,
  outHeight: number,
): Buffer {
  const { left, top, width, height } = window;
  if (outWidth > width || outHeight > height || outWidth < 1 || outHeight < 1) throw new RangeError('downscale: the output must be 1 pixel or more and no larger than the window');
  const wasm = module();
  const rowBytes = width * channels;
  // Rows padded to 16 bytes: the columns are averaged 16 bytes at a time.
  const stride = Math.ceil(rowBytes / 16) * 16;
  const hTaps = tapsFor(width, outWidth);
  const vTaps = tapsFor(height, outHeight);
  const hTable = 0;
  const vTable = hTable + tableBytes(outWidth, hTaps);
  const src = Math.ceil((vTable + tableBytes(outHeight, vTaps)) / 16) * 16;
  const tmp = src + height * stride;
  const out = tmp + outHeight * stride;
  const end = out + outWidth * outHeight * channels;
  const pages = Math.ceil(end / 65536) - wasm.memory.buffer.byteLength / 65536;
  if (pages > 0) wasm.memory.grow(pages);
  const memory = new Uint8Array(wasm.memory.buffer);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * sourceWidth + left) * channels;
    memory.set(source.subarray(from, from + rowBytes), src + y * stride);
  }
  writeTaps(wasm.memory, hTable, width, outWidth, hTaps);
  writeTaps(wasm.memory, vTable, height, outHeight, vTaps);
  wasm.columns(src, stride, rowBytes, tmp, outHeight, vTable, vTable + outHeight * 4, vTable + outHeight * 8, vTaps);
  if (channels === 3) wasm.rows3(tmp, stride, outHeight, out, outWidth, hTable, hTable + outWidth * 4, hTable + outWidth * 8, hTaps);
  else wasm.rows(tmp, stride, outHeight, out, outWidth, channels, hTable, hTable + outWidth * 4, hTable + outWidth * 8, hTaps);
  return Buffer.from(memory.subarray(out, end));
}
