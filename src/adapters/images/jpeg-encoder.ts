/**
 * JPEG encoding of 8-bit pixels held in memory, straight through libjpeg-turbo's TurboJPEG API
 * (@julusian/jpeg-turbo: its prebuilt libjpeg-turbo 3.1, one call a picture, on the libuv
 * thread pool), for the IIIF regions rendered from a decoded pyramid level or averaged down by
 * downscale.ts — the hot path of a viewer panning and zooming.
 *
 * It exists for speed. sharp hands every picture to libvips, whose sink runs a pipeline of worker
 * threads that meet once per 16-line strip: encoding a 256×256 region took 0.9–1.1 ms of a core
 * and some 20 context switches, the JPEG coding itself a quarter of it; here it takes 0.25–0.38
 * ms and no switch beyond the thread pool's own hand-over (scratch measurement, two encodes at
 * once on two cores; docs/PERFORMANCE.md, note 7). A window of a level is encoded in place: the row stride
 * is the level's, so nothing is copied out first.
 *
 * The same kind of file as sharp's `.jpeg({ quality, optimiseCoding: false })`: baseline JPEG,
 * the IJG quality scale, standard Huffman tables, 4:2:0 chroma for colour and one channel for
 * grey. At quality 85 on the demo's scans it came 0.13–0.31 dB closer to the scan than sharp's,
 * at sizes within 0.2 % (test/integration/jpeg-encoder.test.ts compares them).
 */
import turbo from '@julusian/jpeg-turbo';

export interface Pixels {
  /** 8-bit interleaved pixels, `width` a row, `height` rows. */
  data: Uint8Array;
  width: number;
  height: number;
  /** 1 (grey) or 3 (sRGB): the channels a JPEG holds. */
  channels: number;
}

/** Whether encodeJpeg can take pixels of this many channels (alpha must be flattened first). */
export const encodable = (channels: number): boolean => channels === 1 || channels === 3;

/** The window (left, top, width, height) of `pixels` as a JPEG at `quality` (1–100). */
export function encodeJpeg(pixels: Pixels, window: { left: number; top: number; width: number; height: number }, quality: number): Promise<Buffer> {
  const { data, width: stride, height: rows, channels } = pixels;
  const { left, top, width, height } = window;
  if (!encodable(channels)) throw new RangeError(`encodeJpeg: ${channels} channels; a JPEG holds 1 or 3`);
  if (data.byteLength < stride * rows * channels || left < 0 || top < 0 || width < 1 || height < 1 || left + width > stride || top + height > rows) {
    throw new RangeError('encodeJpeg: the window must lie inside the pixels');
  }
  const start = (top * stride + left) * channels;
  // TurboJPEG's binding asks for stride × height pixels after the start, though the last row
  // needs only `width`: a window on the bottom rows and away from the left edge is copied out.
  const fits = data.byteLength - start >= stride * height * channels;
  const source = fits ? Buffer.from(data.buffer, data.byteOffset + start, data.byteLength - start) : compact(data, stride, channels, window);
  const subsampling = channels === 1 ? turbo.SAMP_GRAY : turbo.SAMP_420;
  const output = outputBuffer(turbo.bufferSize({ width, height, subsampling }));
  return turbo
    .compress(source, output, { format: channels === 1 ? turbo.FORMAT_GRAY : turbo.FORMAT_RGB, subsampling, width, height, stride: fits ? stride : width, quality })
    .then((jpeg) => Buffer.from(jpeg))
    .finally(() => {
      if (spare.length < SPARE_COUNT && output.byteLength <= SPARE_BYTES) spare.push(output);
    });
}

/**
 * TurboJPEG writes into a buffer of its worst case for the picture (tjBufSize: 194 KiB for
 * 256×256, 3 MiB for 1024×1024), of which a JPEG uses a few per cent. A few such buffers are kept
 * and reused rather than one allocated a request, and each JPEG is copied out at its own size, so
 * that an answer waiting to be sent holds its bytes, not the worst case.
 */
const SPARE_COUNT = 4;
const SPARE_BYTES = 4 * 2 ** 20;
const spare: Buffer[] = [];

function outputBuffer(bytes: number): Buffer {
  const i = spare.findIndex((b) => b.byteLength >= bytes);
  return i === -1 ? Buffer.allocUnsafe(bytes) : spare.splice(i, 1)[0]!;
}

/** The window's rows, one after another. */
function compact(data: Uint8Array, stride: number, channels: number, window: { left: number; top: number; width: number; height: number }): Buffer {
  const row = window.width * channels;
  const out = Buffer.allocUnsafe(row * window.height);
  for (let y = 0; y < window.height; y++) {
    const from = ((window.top + y) * stride + window.left) * channels;
    out.set(data.subarray(from, from + row), y * row);
  }
  return out;
}
