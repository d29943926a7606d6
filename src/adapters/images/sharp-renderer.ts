/**
 * Renders IIIF requests with sharp from the sRGB tiled pyramid made at ingest, opened by path
 * (random access: only the tiles a region needs are read) at the pyramid level closest above
 * the requested scale. No colour transform runs here: the pyramid is sRGB already.
 */
import path from 'node:path';
import sharp from 'sharp';
import type { ImageRequest } from '../../iiif/image-request.js';
import type { ImageRenderer } from '../../ports/image-renderer.js';

export class SharpRenderer implements ImageRenderer {
  private readonly pyramids = new Map<string, { width: number; height: number }[]>();

  /** Width and height of every level of a pyramid (each about half the one before). */
  private async levels(file: string): Promise<{ width: number; height: number }[]> {
    let levels = this.pyramids.get(file);
    if (!levels) {
      const pages = (await sharp(file).metadata()).pages ?? 1;
      levels = await Promise.all(
        Array.from({ length: pages }, async (_, page) => {
          const m = await sharp(file, { page }).metadata();
          return { width: m.width!, height: m.height! };
        }),
      );
      this.pyramids.set(file, levels);
    }
    return levels;
  }

  async render(derivatives: string, request: ImageRequest, image: { width: number; height: number }): Promise<Buffer> {
    const file = path.join(derivatives, 'full.tif');
    const { region, size } = request;
    // Each pyramid level halves the one before; take the smallest that still has enough pixels.
    const shrink = Math.min(region.w / size.w, region.h / size.h);
    const levels = await this.levels(file);
    const level = Math.max(0, Math.min(levels.length - 1, Math.floor(Math.log2(shrink))));
    const { width: levelWidth, height: levelHeight } = levels[level]!;
    const fx = image.width / levelWidth;
    const fy = image.height / levelHeight;
    const left = Math.min(levelWidth - 1, Math.floor(region.x / fx));
    const top = Math.min(levelHeight - 1, Math.floor(region.y / fy));
    let pipeline = sharp(file, { page: level })
      .extract({
        left,
        top,
        width: Math.max(1, Math.min(levelWidth - left, Math.round(region.w / fx))),
        height: Math.max(1, Math.min(levelHeight - top, Math.round(region.h / fy))),
      })
      .resize(size.w, size.h, { fit: 'fill' });
    if (request.mirror) pipeline = pipeline.flop();
    if (request.degrees !== 0) pipeline = pipeline.rotate(request.degrees, { background: '#ffffff' });
    if (request.quality === 'gray') pipeline = pipeline.toColourspace('b-w');
    if (request.quality === 'bitonal') pipeline = pipeline.threshold(128).toColourspace('b-w');
    // optimiseCoding off: ~30 % of tile CPU for 6 % smaller files (PERFORMANCE.md, note 3).
    if (request.format === 'jpg') pipeline = pipeline.jpeg({ quality: 85, optimiseCoding: false });
    else if (request.format === 'png') pipeline = pipeline.png();
    else pipeline = pipeline.webp({ quality: 85 });
    return pipeline.toBuffer();
  }

  async dimensions(file: string): Promise<{ width: number; height: number }> {
    const m = await sharp(file).metadata();
    return { width: m.width!, height: m.height! };
  }
}
