/**
 * Derivatives with sharp (libvips). The master is decoded once, oriented by its EXIF tag and
 * converted to sRGB once, into a tiled pyramidal TIFF; every other derivative is made from that
 * pyramid, so no colour transform runs again — at ingest or when serving (docs/PERFORMANCE.md:
 * the per-request ICC transform was 40 % of tile CPU).
 */
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { withAllCores } from './libvips.js';
import { UnusableImageError } from '../../domain/errors.js';
import { ACCESS_SIZE, THUMBNAIL_SIZE, TILE_SIZE, type ImageDeriver, type ImageFacts } from '../../ports/image-deriver.js';

const BITS: Record<string, number> = { uchar: 8, char: 8, ushort: 16, short: 16, uint: 32, int: 32, float: 32, double: 64 };

export class SharpDeriver implements ImageDeriver {
  /** `pixelLimit`: masters with more pixels are refused (a decompression bomb guard). */
  constructor(private readonly pixelLimit: number) {}

  private open(file: string) {
    return sharp(file, { limitInputPixels: this.pixelLimit, failOn: 'truncated', sequentialRead: false });
  }

  async inspect(file: string): Promise<ImageFacts> {
    let meta: Metadata;
    try {
      // The header only, without the pixel limit, so that a bomb is named as one below.
      meta = await sharp(file, { limitInputPixels: false }).metadata();
    } catch (e) {
      throw new UnusableImageError(`not an image we can read (${(e as Error).message})`);
    }
    if (!meta.width || !meta.height || !meta.format) throw new UnusableImageError('not an image we can read');
    if (meta.width * meta.height > this.pixelLimit) {
      throw new UnusableImageError(`${meta.width}×${meta.height} pixels exceed the limit of ${this.pixelLimit.toLocaleString('en-US')}`);
    }
    const oriented = (meta.orientation ?? 1) >= 5;
    return {
      format: meta.format,
      width: oriented ? meta.height : meta.width,
      height: oriented ? meta.width : meta.height,
      bitDepth: meta.bitsPerSample ?? BITS[meta.depth ?? 'uchar'] ?? 8,
      colorSpace: meta.space ?? 'unknown',
      iccProfile: Boolean(meta.hasProfile),
    };
  }

  derive(master: string, folder: string): Promise<void> {
    return withAllCores(() => this.deriveAll(master, folder));
  }

  private async deriveAll(master: string, folder: string): Promise<void> {
    const full = path.join(folder, 'full.tif');
    try {
      await this.open(master)
        .rotate()
        .toColourspace('srgb')
        // 128-px tiles: a region at any offset decodes less around it than with 256-px tiles
        // (regions rendered 1.4× as fast on a 6000×8500 page; written as fast, the same size).
        .tiff({ tile: true, pyramid: true, compression: 'jpeg', quality: 90, tileWidth: 128, tileHeight: 128 })
        .toFile(full);
    } catch (e) {
      throw new UnusableImageError(`the image could not be decoded (${(e as Error).message})`);
    }
    // The pyramid is sRGB and oriented already: no more colour transforms from here on. The
    // tiles need the full resolution; the access copy and the thumbnail are made from the
    // smallest level of the pyramid at least their size, as vipsthumbnail does, instead of
    // decoding the full page again for each.
    const { width = 0, height = 0, pages = 1 } = await sharp(full).metadata();
    const level = (size: number) => {
      let page = 0;
      while (page + 1 < pages && Math.floor(Math.max(width, height) / 2 ** (page + 1)) >= size) page += 1;
      return sharp(full, { limitInputPixels: this.pixelLimit, page });
    };
    await sharp(full, { limitInputPixels: this.pixelLimit }).jpeg({ quality: 80 }).tile({ size: TILE_SIZE, layout: 'iiif3', id: 'x' }).toFile(path.join(folder, 'tiles'));
    await Promise.all([
      level(ACCESS_SIZE).resize(ACCESS_SIZE, ACCESS_SIZE, { fit: 'inside' }).jpeg({ quality: 85 }).toFile(path.join(folder, 'access.jpg')),
      level(THUMBNAIL_SIZE).resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside' }).jpeg({ quality: 80 }).toFile(path.join(folder, 'thumbnail.jpg')),
    ]);
  }
}
