/**
 * Renders IIIF requests with sharp from the sRGB tiled pyramid made at ingest, opened by path
 * (random access: only the tiles a region needs are read) at the pyramid level closest above
 * the requested scale. No colour transform runs here: the pyramid is sRGB already.
 *
 * Decoding the pyramid's JPEG tiles is most of a region's cost (about 1.3 of 2.8 ms for a
 * 256-px region, against 0.8 ms for the whole request from decoded pixels), and a page that is
 * looked at is asked for many regions at the same few levels. So a level asked for twice is
 * decoded whole, in the background, and kept (least recently used out first, within a memory
 * budget): later requests for it skip both the TIFF and the JPEG decoding. IIPImage keeps
 * decoded tiles for the same reason. The pixels are the same either way.
 *
 * A region between two levels' scales (a 700-px region shown at 256 px: the halved level's 350
 * px to 256) is averaged down by downscale.ts rather than by sharp's resize, which cost 1.1 ms
 * of a core whatever the ratio: CPU per request of the serving benchmark's mix of 700, 1024 and
 * 2048-px regions went from about 2.5 to 2.1 ms, the 700-px ones from 3.3–4.1 to 2.2–2.4 ms
 * (busy machine, autocannon, 8 connections).
 *
 * A plain JPEG (no rotation, mirroring or quality change) whose pixels are in memory — averaged
 * down, or a window of a level at its own scale — is encoded by libjpeg-turbo directly
 * (jpeg-encoder.ts) rather than through sharp, whose fixed cost a picture was most of a small
 * region's: server CPU per region of the benchmark's mix went from about 1.45 to 0.7–0.8 ms, and
 * its throughput from parity with IIPImage to 1.6–1.8× it (README). Everything else is sharp's.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { ImageRequest } from '../../iiif/image-request.js';
import type { ImageRenderer } from '../../ports/image-renderer.js';
import { downscale } from './downscale.js';
import { encodable, encodeJpeg, type Pixels } from './jpeg-encoder.js';

interface Level {
  width: number;
  height: number;
}

/** A pyramid level decoded whole: 8-bit pixels, `channels` to a pixel. */
interface DecodedLevel extends Level {
  data: Buffer;
  channels: 1 | 2 | 3 | 4;
}

/**
 * A turned WebP larger than this (4 megapixels) keeps white corners rather than transparent
 * ones: libwebp encodes an alpha channel from the whole picture at three times the memory —
 * 1.28 GiB against 411 MiB peak for the largest allowed image (7071×7071, 45°, one libvips
 * thread), where PNG, written in strips, takes 175 MiB either way. Up to this size, which
 * covers what viewers ask for, the cost is some 100 MiB at most.
 */
const WEBP_ALPHA_PIXELS = 4_000_000;

/**
 * The largest window of a pyramid level (in pixels) averaged down by downscale.ts rather than by
 * sharp's resize: 1024×1024. It runs on the event loop, about 0.6 ms for the 350-px window of a
 * 700-px region shown at 256 px (some 5 ms for the largest); larger ones go to libvips, on the
 * thread pool, where they cost little more than this in proportion.
 */
const OWN_DOWNSCALE_PIXELS = 1024 * 1024;

/**
 * The largest window at its level's own scale (in pixels) encoded by libjpeg-turbo: 2048×2048.
 * The encoder takes the whole picture at once — read from the file into memory when the level is
 * not decoded, 12 MiB here, and an output buffer for the worst case, as much again — where sharp
 * writes a JPEG in strips: a full page at full size (`full/max`, up to 50 megapixels) stays with
 * sharp.
 */
const OWN_ENCODE_PIXELS = 2048 * 2048;

/** JPEG quality of rendered regions, on the IJG scale. */
const JPEG_QUALITY = 85;

/** Levels asked for, remembered to decide which to decode (the second ask decodes). */
const ASKED_LIMIT = 10_000;

export class SharpRenderer implements ImageRenderer {
  /** Pyramid levels by file and modification time (npm run rederive rewrites a pyramid). */
  private readonly pyramids = new Map<string, Level[]>();
  /** Decoded levels, least recently used first, and the bytes they hold. */
  private readonly decoded = new Map<string, DecodedLevel>();
  private decodedBytes = 0;
  private readonly decoding = new Set<string>();
  private readonly asked = new Set<string>();

  /** The modification time each pyramid was last seen with, by path. */
  private readonly seen = new Map<string, number>();

  /**
   * `cacheBytes`: the most memory decoded levels may hold; a level over a quarter of it is never
   * kept. `pixelLimit`: a pyramid with more pixels than ingest accepts (GUJI_PIXEL_LIMIT) is not
   * opened (sharp's limitInputPixels; its own default when not given).
   */
  constructor(
    private readonly cacheBytes = 256 * 2 ** 20,
    private readonly pixelLimit: number | true = true,
  ) {}

  /**
   * The pyramid's identity: its path and modification time. libvips's own operation cache knows
   * a loaded file by its path alone, so once npm run rederive has put a new pyramid at a path,
   * libvips would go on answering from the old one (test/integration/sharp-renderer.test.ts):
   * that cache is emptied when a pyramid is seen to have changed.
   */
  private identify(file: string): string {
    const modified = statSync(file).mtimeMs;
    const before = this.seen.get(file);
    if (before !== undefined && before !== modified) {
      sharp.cache(false);
      sharp.cache(true);
    }
    this.seen.set(file, modified);
    return `${file}@${modified}`;
  }

  /** Width and height of every level of a pyramid (each about half the one before). */
  private async levels(file: string, key: string): Promise<Level[]> {
    let levels = this.pyramids.get(key);
    if (!levels) {
      const pages = (await sharp(file).metadata()).pages ?? 1;
      levels = await Promise.all(
        Array.from({ length: pages }, async (_, page) => {
          const m = await sharp(file, { page }).metadata();
          return { width: m.width!, height: m.height! };
        }),
      );
      this.pyramids.set(key, levels);
    }
    return levels;
  }

  /** The level decoded, if it is kept; else remembers the ask and decodes it on the second. */
  private decodedLevel(file: string, key: string, level: Level): DecodedLevel | undefined {
    const kept = this.decoded.get(key);
    if (kept) {
      this.decoded.delete(key);
      this.decoded.set(key, kept);
      return kept;
    }
    // Pyramids are 8-bit sRGB: three bytes a pixel.
    // One level decoded at a time: the decoding runs beside the renders the image service lets
    // through, so it must not multiply with them (at most cacheBytes / 4 of pixels in flight).
    if (level.width * level.height * 3 > this.cacheBytes / 4 || this.decoding.size > 0) return undefined;
    if (!this.asked.has(key)) {
      if (this.asked.size >= ASKED_LIMIT) this.asked.clear();
      this.asked.add(key);
      return undefined;
    }
    this.asked.delete(key);
    this.decoding.add(key);
    const page = Number(key.slice(key.lastIndexOf('#') + 1));
    sharp(file, { page, limitInputPixels: this.pixelLimit })
      .raw()
      .toBuffer({ resolveWithObject: true })
      .then(({ data, info }) => {
        // 8-bit pixels only (a raw input is taken as 8-bit): one byte a channel.
        if (data.byteLength !== info.width * info.height * info.channels || data.byteLength > this.cacheBytes / 4) return;
        for (const [oldest, entry] of this.decoded) {
          if (this.decodedBytes + data.byteLength <= this.cacheBytes) break;
          this.decoded.delete(oldest);
          this.decodedBytes -= entry.data.byteLength;
        }
        this.decoded.set(key, { data, width: info.width, height: info.height, channels: info.channels });
        this.decodedBytes += data.byteLength;
      })
      // A level that cannot be decoded whole is still rendered from the file, tile by tile.
      .catch(() => {})
      .finally(() => this.decoding.delete(key));
    return undefined;
  }

  /**
   * Memory of one render is bounded by the image returned (at most maxArea, 50 megapixels, after
   * rotation: src/iiif/image-request.ts) and by the pyramid (limitInputPixels), of which libvips
   * reads only the tiles a region needs. Measured on a 3446×5171 scan (scratch renders, one
   * libvips thread): the worst allowed request is a WebP of the full 50 megapixels — libwebp
   * encodes from the whole picture — about 310 MiB above the process and 15 s of a core
   * (`0,0,1,1/^max/45/default.webp`); PNG and JPEG are written in strips, 80–120 MiB and 2–7 s
   * (`full/^max/45/gray.png`). The image service's queues bound the whole: at most
   * GUJI_IMAGE_RENDERS − 1 (at least one) such large renders at once, about 310 MiB each, the
   * rest small (4 megapixels at most, some 25 MiB), plus the decoded levels kept (cacheBytes).
   * What libjpeg-turbo encodes is at most OWN_ENCODE_PIXELS: 12 MiB of pixels, 12 of output room.
   */
  async render(derivatives: string, request: ImageRequest, image: { width: number; height: number }): Promise<Buffer> {
    const file = path.join(derivatives, 'full.tif');
    const pyramid = this.identify(file);
    const { region, size } = request;
    // Each pyramid level halves the one before; take the smallest that still has enough pixels.
    const shrink = Math.min(region.w / size.w, region.h / size.h);
    const levels = await this.levels(file, pyramid);
    const level = Math.max(0, Math.min(levels.length - 1, Math.floor(Math.log2(shrink))));
    const { width: levelWidth, height: levelHeight } = levels[level]!;
    const fx = image.width / levelWidth;
    const fy = image.height / levelHeight;
    const left = Math.min(levelWidth - 1, Math.floor(region.x / fx));
    const top = Math.min(levelHeight - 1, Math.floor(region.y / fy));
    const window = {
      left,
      top,
      width: Math.max(1, Math.min(levelWidth - left, Math.round(region.w / fx))),
      height: Math.max(1, Math.min(levelHeight - top, Math.round(region.h / fy))),
    };
    const decoded = this.cacheBytes > 0 ? this.decodedLevel(file, `${pyramid}#${level}`, levels[level]!) : undefined;
    const source = () => (decoded ? sharp(decoded.data, { raw: { width: decoded.width, height: decoded.height, channels: decoded.channels } }) : sharp(file, { page: level, limitInputPixels: this.pixelLimit }));
    let pipeline: Sharp;
    // What libjpeg-turbo encodes from pixels in memory (jpeg-encoder.ts); the rest goes to sharp.
    // The choice depends on the request only, never on whether the level is decoded: a URL's
    // bytes are the same either way (its ETag is made from the request).
    const plainJpeg = request.format === 'jpg' && request.degrees === 0 && !request.mirror && (request.quality === 'default' || request.quality === 'color');
    const reduced = window.width >= size.w && window.height >= size.h && (window.width > size.w || window.height > size.h);
    const exact = window.width === size.w && window.height === size.h;
    /** The window's pixels: in the decoded level, or read from the file. */
    const pixels = async (): Promise<{ image: Pixels; at: typeof window }> =>
      decoded
        ? { image: decoded, at: window }
        : source().extract(window).raw().toBuffer({ resolveWithObject: true })
          .then(({ data, info }) => ({ image: { data, width: info.width, height: info.height, channels: info.channels }, at: { ...window, left: 0, top: 0 } }));
    if (reduced && window.width * window.height <= OWN_DOWNSCALE_PIXELS) {
      // Averaged down here rather than by sharp's resize (src/adapters/images/downscale.ts), from
      // the decoded level or from the window read from the file: the same pixels either way.
      const { image, at } = await pixels();
      const scaled = { data: downscale(image.data, image.width, image.channels, at, size.w, size.h), width: size.w, height: size.h, channels: image.channels };
      if (plainJpeg && encodable(scaled.channels)) return encodeJpeg(scaled, { left: 0, top: 0, width: size.w, height: size.h }, JPEG_QUALITY);
      pipeline = sharp(scaled.data, { raw: { width: size.w, height: size.h, channels: scaled.channels as 1 | 2 | 3 | 4 } });
    } else if (exact && plainJpeg && window.width * window.height <= OWN_ENCODE_PIXELS) {
      // A window at its level's own scale (a 1024-px region at 256 px from the level a quarter
      // the size): encoded where it lies in a decoded level.
      const { image, at } = await pixels();
      if (encodable(image.channels)) return encodeJpeg(image, at, JPEG_QUALITY);
      pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels as 1 | 2 | 3 | 4 } }).extract(at);
    } else {
      pipeline = source().extract(window).resize(size.w, size.h, { fit: 'fill' });
    }
    if (request.mirror) pipeline = pipeline.flop();
    if (request.degrees % 90 !== 0 && (request.format === 'png' || (request.format === 'webp' && request.output.w * request.output.h <= WEBP_ALPHA_PIXELS))) {
      // §4.3: "For rotations which are not multiples of 90 degrees, it is RECOMMENDED that the
      // client request the image in a format that supports transparency, such as png, and that
      // the server return the image with a transparent background." JPEG has no alpha: white.
      pipeline = pipeline.ensureAlpha().rotate(request.degrees, { background: { r: 255, g: 255, b: 255, alpha: 0 } });
    } else if (request.degrees !== 0) {
      pipeline = pipeline.rotate(request.degrees, { background: '#ffffff' });
    }
    if (request.quality === 'gray') pipeline = pipeline.toColourspace('b-w');
    if (request.quality === 'bitonal') pipeline = pipeline.threshold(128).toColourspace('b-w');
    // optimiseCoding off: ~30 % of tile CPU for 6 % smaller files (PERFORMANCE.md, note 3).
    if (request.format === 'jpg') pipeline = pipeline.jpeg({ quality: JPEG_QUALITY, optimiseCoding: false });
    else if (request.format === 'png') pipeline = pipeline.png();
    else pipeline = pipeline.webp({ quality: 85 });
    return pipeline.toBuffer();
  }

  async dimensions(file: string): Promise<{ width: number; height: number }> {
    const m = await sharp(file).metadata();
    return { width: m.width!, height: m.height! };
  }
}
