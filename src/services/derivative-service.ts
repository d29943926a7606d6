/**
 * Derivatives made again from the masters (npm run rederive): after a change of tile size or
 * quality, or to repair them. Each image's new derivatives replace the old ones in one rename.
 */
import type { ImageDeriver } from '../ports/image-deriver.js';
import type { ScanFileStore } from '../ports/scan-files.js';

export interface RederiveImagesReport {
  /** Images whose derivatives were made again. */
  made: number;
  /** One entry per image that failed, with why. */
  failed: { imageId: string; reason: string }[];
}

export class DerivativeService {
  constructor(
    private readonly files: ScanFileStore,
    private readonly deriver: ImageDeriver,
  ) {}

  /** The kept masters, all or those named: [imageId, path]. */
  async masters(wanted: ReadonlySet<string> = new Set()): Promise<[string, string][]> {
    const masters: [string, string][] = [];
    for await (const master of this.files.masters()) if (wanted.size === 0 || wanted.has(master[0])) masters.push(master);
    return masters;
  }

  /** Makes the derivatives of these masters again, one at a time; `onImage` hears each one done. */
  async rederive(masters: readonly [string, string][], onImage?: (imageId: string, failure: string | null) => void): Promise<RederiveImagesReport> {
    const report: RederiveImagesReport = { made: 0, failed: [] };
    for (const [sha, file] of masters) {
      let failure: string | null = null;
      try {
        await this.files.writeDerivatives(sha, (folder) => this.deriver.derive(file, folder));
        report.made += 1;
      } catch (e) {
        failure = (e as Error).message;
        report.failed.push({ imageId: sha, reason: failure });
      }
      onImage?.(sha, failure);
    }
    await this.files.sweep();
    return report;
  }
}
