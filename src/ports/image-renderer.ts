import type { ImageRequest } from '../iiif/image-request.js';

/** Renders a IIIF image request from an image's derivatives folder (its full.tif pyramid). */
export interface ImageRenderer {
  render(derivatives: string, request: ImageRequest, image: { width: number; height: number }): Promise<Buffer>;
  /** Width and height of a derivative file (access copy, thumbnail). */
  dimensions(file: string): Promise<{ width: number; height: number }>;
}
