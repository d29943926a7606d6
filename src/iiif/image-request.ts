/**
 * IIIF Image API 3.0 request syntax, pure: `{region}/{size}/{rotation}/{quality}.{format}`
 * parsed against an image's size into what to cut, how big, how to turn it, and the canonical
 * form (https://iiif.io/api/image/3.0/#4-image-requests, #4.7 canonical URI syntax).
 */
import { ImageFormatNotServedError, ImageRequestError } from '../domain/errors.js';

export type Quality = 'default' | 'color' | 'gray' | 'bitonal';
export type Format = 'jpg' | 'png' | 'webp';
export const FORMATS: readonly Format[] = ['jpg', 'png', 'webp'];
/** Every format value of the Image API (§4.5): a request for one of the others is valid but not implemented here. */
const IIIF_FORMATS = new Set<string>(['jpg', 'tif', 'png', 'gif', 'jp2', 'pdf', 'webp']);

export interface ImageLimits {
  maxWidth: number;
  maxHeight: number;
  maxArea: number;
}

export interface ImageRequest {
  /** The region in full-resolution pixels. */
  region: { x: number; y: number; w: number; h: number };
  /** The size of the region once scaled, before rotation. */
  size: { w: number; h: number };
  /**
   * The size of the image returned: the scaled region once turned, the bounding box of the
   * rotated region (§4.3), at most one pixel larger than libvips makes it. Within the limits.
   */
  output: { w: number; h: number };
  /** Mirror horizontally first (`!`), then rotate clockwise by `degrees`. */
  mirror: boolean;
  degrees: number;
  quality: Quality;
  format: Format;
  /** `{region}/{size}/{rotation}/{quality}.{format}` in canonical form (§4.7). */
  canonical: string;
}

const NUMBER = /^\d+(\.\d+)?$/;
const INTEGER = /^\d+$/;

function parseRegion(text: string, width: number, height: number): ImageRequest['region'] {
  if (text === 'full') return { x: 0, y: 0, w: width, h: height };
  if (text === 'square') {
    const side = Math.min(width, height);
    return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), w: side, h: side };
  }
  const pct = text.startsWith('pct:');
  const parts = (pct ? text.slice(4) : text).split(',');
  if (parts.length !== 4 || !parts.every((p) => (pct ? NUMBER : INTEGER).test(p))) {
    throw new ImageRequestError(`region "${text}" must be full, square, x,y,w,h or pct:x,y,w,h`);
  }
  let [x, y, w, h] = parts.map(Number) as [number, number, number, number];
  if (pct) {
    [x, y, w, h] = [Math.round((x * width) / 100), Math.round((y * height) / 100), Math.round((w * width) / 100), Math.round((h * height) / 100)];
  }
  if (w <= 0 || h <= 0) throw new ImageRequestError(`region "${text}" has no width or height`);
  if (x >= width || y >= height) throw new ImageRequestError(`region "${text}" lies outside the ${width}×${height} image`);
  // §4.1: a region extending beyond the image is cropped to it.
  return { x, y, w: Math.min(w, width - x), h: Math.min(h, height - y) };
}

/** The exact extent of a w×h image turned clockwise by `degrees`. */
function turnedExtent(size: { w: number; h: number }, degrees: number): { w: number; h: number } {
  const radians = (degrees * Math.PI) / 180;
  const c = Math.abs(Math.cos(radians));
  const s = Math.abs(Math.sin(radians));
  return { w: size.w * c + size.h * s, h: size.w * s + size.h * c };
}

/**
 * The bounding box of a w×h image turned clockwise by `degrees` (§4.3: "there SHOULD be no
 * additional space between the corners of the rotated image contents and the bounding box"),
 * rounded up; a hair of slack keeps 90° (cos 6e-17) and exact fits from gaining a pixel.
 */
export function turnedSize(size: { w: number; h: number }, degrees: number): { w: number; h: number } {
  const e = turnedExtent(size, degrees);
  return { w: Math.max(1, Math.ceil(e.w - 1e-6)), h: Math.max(1, Math.ceil(e.h - 1e-6)) };
}

/**
 * The limits hold for the image returned, after size, upscaling and rotation. §4.2: "For all
 * requests the pixel dimensions of the scaled region MUST NOT be less than 1 pixel or greater
 * than the server-imposed limits. Requests that would generate images of these sizes are errors
 * that SHOULD result in a 400 (Bad Request) status code." §5.2: "Clients MUST NOT expect
 * requests with a width*height greater than this value [maxArea] to be supported." A rotation
 * makes the image larger than its scaled region (the bounding box of the turned region, §4.3:
 * 10,000×10,000 turned by 45° is 14,142×14,142), and what the server must render and hold is
 * that image, so it is the one measured: what info.json announces is what we will make.
 */
function withinLimits(output: { w: number; h: number }, limits: ImageLimits): string | null {
  if (output.w > limits.maxWidth) return `${output.w} px wide, over maxWidth ${limits.maxWidth}`;
  if (output.h > limits.maxHeight) return `${output.h} px high, over maxHeight ${limits.maxHeight}`;
  if (output.w * output.h > limits.maxArea) return `${output.w}×${output.h} px, over maxArea ${limits.maxArea}`;
  return null;
}

/**
 * The largest scale of a region that, turned by `degrees`, fits the limits: what `max`, `^max`
 * and `!w,h` give, "as large as possible but not larger than … server-imposed limits" (§4.2).
 */
function fitScale(region: { w: number; h: number }, degrees: number, limits: ImageLimits): number {
  const e = turnedExtent(region, degrees);
  // Turned by other than a right angle, the bounding box is rounded up: up to a pixel more on
  // each side, which the scale leaves room for ((s·w + 1)(s·h + 1) ≤ maxArea, solved for s).
  const slack = degrees % 90 === 0 ? 0 : 1;
  const area = slack === 0
    ? Math.sqrt(limits.maxArea / (e.w * e.h))
    : (-(e.w + e.h) + Math.sqrt((e.w + e.h) ** 2 + 4 * e.w * e.h * (limits.maxArea - 1))) / (2 * e.w * e.h);
  return Math.min((limits.maxWidth - slack) / e.w, (limits.maxHeight - slack) / e.h, area);
}

/** The region scaled by `scale`, rounded down, at least a pixel each way. */
function scaledRegion(region: { w: number; h: number }, scale: number): { w: number; h: number } {
  return { w: Math.max(1, Math.floor(region.w * scale)), h: Math.max(1, Math.floor(region.h * scale)) };
}

/**
 * What `max` and `^max` give: §4.2, max is "the maximum size available for this region …
 * without upscaling", smaller to respect maxWidth/maxHeight/maxArea; ^max is as large as those
 * limits allow.
 */
function largest(region: { w: number; h: number }, degrees: number, limits: ImageLimits, upscale: boolean): { w: number; h: number } {
  const fit = fitScale(region, degrees, limits);
  return scaledRegion(region, upscale ? fit : Math.min(1, fit));
}

function parseSize(text: string, region: { w: number; h: number }, degrees: number, limits: ImageLimits): { w: number; h: number } {
  const upscale = text.startsWith('^');
  const body = upscale ? text.slice(1) : text;
  let w: number;
  let h: number;
  const ratio = region.w / region.h;
  const scaled = (scale: number) => scaledRegion(region, scale);
  if (body === 'max') {
    ({ w, h } = largest(region, degrees, limits, upscale));
  } else if (body.startsWith('pct:')) {
    const n = body.slice(4);
    if (!NUMBER.test(n) || Number(n) <= 0) throw new ImageRequestError(`size "${text}": pct:n needs n > 0`);
    w = Math.round((region.w * Number(n)) / 100);
    h = Math.round((region.h * Number(n)) / 100);
  } else {
    const confined = body.startsWith('!');
    const parts = (confined ? body.slice(1) : body).split(',');
    if (parts.length !== 2) throw new ImageRequestError(`size "${text}" is not a IIIF size`);
    const [a, b] = parts as [string, string];
    if ((a && !INTEGER.test(a)) || (b && !INTEGER.test(b)) || (!a && !b)) throw new ImageRequestError(`size "${text}" is not a IIIF size`);
    if (confined) {
      if (!a || !b) throw new ImageRequestError(`size "${text}": !w,h needs both`);
      // §4.2 !w,h: "The returned image MUST be as large as possible but not larger than the
      // extracted region, w or h, or server-imposed limits" — so !2000,2000 on a smaller region
      // is the region at its size, not an error; only ^!w,h may be larger than the region.
      const within = Math.min(Number(a) / region.w, Number(b) / region.h, fitScale(region, degrees, limits));
      ({ w, h } = scaled(upscale ? within : Math.min(1, within)));
    } else if (a && b) {
      [w, h] = [Number(a), Number(b)];
    } else if (a) {
      w = Number(a);
      h = Math.round(w / ratio);
    } else {
      h = Number(b);
      w = Math.round(h * ratio);
    }
  }
  if (w <= 0 || h <= 0) throw new ImageRequestError(`size "${text}" gives an empty image`);
  if (!upscale && (w > region.w || h > region.h)) {
    throw new ImageRequestError(`size "${text}" is larger than the region (${region.w}×${region.h}); write ^ to upscale`);
  }
  return { w, h };
}

/** 90.0 → "90", 22.50 → "22.5" (§4.7: no trailing zeros). */
const canonicalNumber = (n: number) => String(Number(n.toFixed(6)));

export function parseImageRequest(
  parts: { region: string; size: string; rotation: string; qualityFormat: string },
  image: { width: number; height: number },
  limits: ImageLimits,
): ImageRequest {
  const region = parseRegion(decodeURIComponent(parts.region), image.width, image.height);

  const mirror = parts.rotation.startsWith('!');
  const degreesText = mirror ? parts.rotation.slice(1) : parts.rotation;
  if (!NUMBER.test(degreesText) || Number(degreesText) > 360) {
    throw new ImageRequestError(`rotation "${parts.rotation}" must be a number from 0 to 360, optionally after !`);
  }
  const degrees = Number(degreesText) % 360;

  const sizeText = decodeURIComponent(parts.size);
  const size = parseSize(sizeText, region, degrees, limits);
  const output = turnedSize(size, degrees);
  const over = withinLimits(output, limits);
  if (over) throw new ImageRequestError(`size "${sizeText}" at rotation ${parts.rotation} would make an image ${over}: this server's limits (info.json)`);

  const m = /^(default|color|gray|bitonal)\.([a-z0-9]+)$/.exec(parts.qualityFormat);
  if (!m) throw new ImageRequestError(`"${parts.qualityFormat}" must be {quality}.{format} with quality default, color, gray or bitonal`);
  const format = m[2] as Format;
  if (!FORMATS.includes(format)) {
    const message = `format "${m[2]}" is not served; ask for ${FORMATS.join(', ')}`;
    throw IIIF_FORMATS.has(format) ? new ImageFormatNotServedError(message) : new ImageRequestError(message);
  }
  const quality = m[1] as Quality;

  const full = region.x === 0 && region.y === 0 && region.w === image.width && region.h === image.height;
  const canonicalRegion = full ? 'full' : `${region.x},${region.y},${region.w},${region.h}`;
  // §4.8, size: "max if the maximum size without upscaling is requested, ^max if the maximum
  // upscaled size is requested, otherwise w,h if the size requested does not require
  // upscaling, or ^w,h if the request requires upscaling of the extracted region" — max when
  // the server's limits made it smaller than the region too.
  const same = (a: { w: number; h: number }, b: { w: number; h: number }) => a.w === b.w && a.h === b.h;
  const upscaled = size.w > region.w || size.h > region.h;
  const canonicalSize = same(size, largest(region, degrees, limits, false))
    ? 'max'
    : upscaled && same(size, largest(region, degrees, limits, true))
      ? '^max'
      : `${upscaled ? '^' : ''}${size.w},${size.h}`;
  const canonicalRotation = `${mirror ? '!' : ''}${canonicalNumber(degrees)}`;
  const canonicalQuality = quality;
  return {
    region,
    size,
    output,
    mirror,
    degrees,
    quality,
    format,
    canonical: `${canonicalRegion}/${canonicalSize}/${canonicalRotation}/${canonicalQuality}.${format}`,
  };
}
