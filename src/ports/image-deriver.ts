/** What the scan pipeline needs from an image library: read a master's facts, make derivatives. */
import type { ImageFacts } from '../domain/page.js';

export type { ImageFacts } from '../domain/page.js';

export interface ImageDeriver {
  /** Reads the header only. Throws UnusableImageError (src/domain/errors.ts). */
  inspect(file: string): Promise<ImageFacts>;
  /**
   * Decodes the master once (orientation applied, converted to sRGB once) into a tiled pyramid
   * `full.tif`, and makes from it the pre-rendered IIIF tiles (`tiles/`), an access copy and a
   * thumbnail. Throws UnusableImageError when decoding fails.
   */
  derive(master: string, folder: string): Promise<void>;
}

/** Tile size of the pre-rendered IIIF tiles (info.json announces it). */
export const TILE_SIZE = 512;
/** Longest side of the access copy and of the thumbnail. */
export const ACCESS_SIZE = 1000;
export const THUMBNAIL_SIZE = 200;
