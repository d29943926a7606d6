/**
 * A page image decoded to grey at the working scale, with sharp. The layout step and the models
 * are tuned on book1's half-leaves: columns some 104 px apart, characters some 60 px high. A
 * master is brought to that scale first — its column pitch measured (layout.ts columnPitch) and
 * the page resampled so its columns stand 104 px apart: a 3446 × 5171 woodblock master (book5,
 * columns 265 px apart) comes down 2.6 times, book1's pages stay as they are — and every box is
 * scaled back up.
 */
import sharp from 'sharp';
import { UnreadableImageError } from '../../domain/errors.js';
import type { DecodedImage } from '../../ports/text-recognizer.js';
import type { Box } from '../../domain/page-text.js';
import { columnPitch, type Grey, type Rect } from './layout.js';

/** Long side of the working image when the page has no columns to measure. */
export const WORKING_SIZE = 1600;
/** Distance between columns the layout is tuned for (book1: 103–104 px). */
export const COLUMN_PITCH = 104;
/**
 * Bounds of the working image's long side, whatever the columns say: memory (three byte planes
 * of this size for the layout) above, and a page misread as having a few huge columns below.
 */
export const MAX_WORKING_SIZE = 2400;
export const MIN_WORKING_SIZE = 800;

export interface WorkingPage extends Grey {
  /** Master pixels per working pixel (≥ 1: pages are never enlarged). */
  scale: number;
  masterWidth: number;
  masterHeight: number;
}

export interface WorkingScale {
  /** Long side when the columns are not measured (or not found). */
  size?: number;
  /** Resample so the columns stand this far apart; null: keep to `size` (the whole-page mode). */
  columnPitch?: number | null;
}

/**
 * Decodes `image` (a path or decoded pixels) to grey at the working scale. `pixelLimit` bounds
 * what is decoded (a decompression-bomb guard); a truncated or unreadable file is an
 * UnreadableImageError. The master is decoded once, to at most MAX_WORKING_SIZE on its long
 * side; its columns are measured there, and that grey image is resampled to their scale.
 */
export async function workingPage(image: string | DecodedImage, pixelLimit: number, options: WorkingScale = {}): Promise<WorkingPage> {
  const size = options.size ?? WORKING_SIZE;
  const pitch = options.columnPitch === undefined ? COLUMN_PITCH : options.columnPitch;
  const what = typeof image === 'string' ? image : `a ${image.width}×${image.height} image`;
  let first: WorkingPage;
  try {
    first = await decode(image, pixelLimit, pitch === null ? size : MAX_WORKING_SIZE);
  } catch (error) {
    throw new UnreadableImageError(`cannot read ${what} as an image: ${(error as Error).message}`, { cause: error });
  }
  const long = Math.max(first.masterWidth, first.masterHeight);
  if (pitch === null) return first;
  const measured = columnPitch(first);
  // Master pixels per working pixel: the columns' own scale, within the bounds; never enlarged.
  const wanted = measured ? (first.scale * measured) / pitch : long / size;
  const scale = Math.max(1, long / MAX_WORKING_SIZE, Math.min(wanted, long / MIN_WORKING_SIZE));
  // Within 2 % of the first decoding (book1's pages, read at their own size): keep it.
  if (Math.abs(scale / first.scale - 1) < 0.02) return first;
  const { data, info } = await sharp(first.data, { raw: { width: first.width, height: first.height, channels: 1 } })
    .resize({ width: Math.round(first.masterWidth / scale), height: Math.round(first.masterHeight / scale), fit: 'fill', kernel: 'lanczos3' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected one channel, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, scale: first.masterWidth / info.width, masterWidth: first.masterWidth, masterHeight: first.masterHeight };
}

/** Grey, brought down (never up) to `size` on the long side. */
async function decode(image: string | DecodedImage, pixelLimit: number, size: number): Promise<WorkingPage> {
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
}

/** A working-scale rectangle in master pixels; corners are rounded, so a box inside another stays inside. */
export function toBox(r: Rect, scale: number): Box {
  const x = Math.round(r.x * scale);
  const y = Math.round(r.y * scale);
  return [x, y, Math.round((r.x + r.w) * scale) - x, Math.round((r.y + r.h) * scale) - y];
}
