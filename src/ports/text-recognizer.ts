/** What the text services need from an OCR engine: the text of one page image, with boxes. */
import type { PageText } from '../domain/page-text.js';

/** A decoded image: interleaved 8-bit pixels, 1 (grey), 3 (RGB) or 4 (RGBA) channels. */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

export interface TextRecognizer {
  /** `name` and `version` of the engine and its model, recorded with every page it reads. */
  readonly engine: { name: string; version: string };
  /**
   * Reads one page (a file path or a decoded image). Columns come in reading order, right to
   * left; boxes are in the given image's pixels. A page without text gives no columns. Throws
   * UnreadableImageError (src/domain/errors.ts) when the image cannot be decoded.
   */
  recognise(image: string | DecodedImage): Promise<PageText>;
  /** Frees the models. */
  close(): Promise<void>;
}
