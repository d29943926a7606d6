/**
 * A page image decoded to grey at the working scale, with sharp. The layout step and the models
 * are tuned for pages some 1,600 px on the long side (a character 60–100 px high); a woodblock
 * master of 3446 × 5171 is brought down to that first, and every box is scaled back up.
 */
import sharp from 'sharp';
import { UnreadableImageError } from '../../domain/errors.js';
import type { DecodedImage } from '../../ports/text-recognizer.js';
import type { Box } from '../../domain/page-text.js';
import type { Grey, Rect } from './layout.js';

/** Long side of the working image. */
export const WORKING_SIZE = 1600;

export interface WorkingPage extends Grey {
  /** Master pixels per working pixel (≥ 1: pages are never enlarged). */
  scale: number;
  masterWidth: number;
  masterHeight: number;
}

/**
 * Decodes `image` (a path or decoded pixels) to grey at the working scale. `pixelLimit` bounds
 * what is decoded (a decompression-bomb guard); a truncated or unreadable file is an
 * UnreadableImageError.
 */
export async function workingPage(image: string | DecodedImage, pixelLimit: number, size = WORKING_SIZE): Promise<WorkingPage> {
  try {
    const input =
      typeof image === 'string'
        ? sharp(image, { limitInputPixels: pixelLimit, failOn: 'truncated' })
        : sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels }, limitInputPixels: pixelLimit });
    const meta = await input.metadata();
    const masterWidth = meta.autoOrient?.width ?? meta.width;
    const masterHeight = meta.autoOrient?.height ?? meta.height;
    if (!masterWidth || !masterHeight) throw new Error('no size');
    const scale = Math.max(1, Math.max(masterWidth, masterHeight) / size);
    const { data, info } = await input
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .greyscale()
      .resize({ width: Math.round(masterWidth / scale), height: Math.round(masterHeight / scale), fit: 'fill', kernel: 'lanczos3' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected one channel, got ${info.channels}`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, scale, masterWidth, masterHeight };
  } catch (error) {
    const what = typeof image === 'string' ? image : `a ${image.width}×${image.height} image`;
    throw new UnreadableImageError(`cannot read ${what} as an image: ${(error as Error).message}`, { cause: error });
  }
}

/** A working-scale rectangle in master pixels; corners are rounded, so a box inside another stays inside. */
export function toBox(r: Rect, scale: number): Box {
  const x = Math.round(r.x * scale);
  const y = Math.round(r.y * scale);
  return [x, y, Math.round((r.x + r.w) * scale) - x, Math.round((r.y + r.h) * scale) - y];
}
