/**
 * Where scans live: masters kept byte for byte under their SHA-256, and the derivatives made
 * from them. Everything is moved into place by rename, so a reader (or a crash) never sees a
 * half-written file.
 */
export interface ScanFileStore {
  /** Moves a received file into the master store under its checksum; keeps an existing copy. */
  keepMaster(receivedFile: string, sha256: string, extension: string): Promise<string>;
  /** The master's path, or null when it is missing. */
  masterPath(sha256: string): Promise<string | null>;
  /** Every master kept, for fixity checks: [sha256, path]. */
  masters(): AsyncIterable<[string, string]>;
  /** A file's SHA-256 in hex, read as a stream: a master's identity, and what fixity checks it against. */
  sha256(file: string): Promise<string>;
  /** True when the image's derivatives are complete. */
  hasDerivatives(imageId: string): Promise<boolean>;
  /** Makes derivatives in a fresh staging folder, then publishes them in one rename. */
  writeDerivatives(imageId: string, make: (folder: string) => Promise<void>): Promise<void>;
  /** The folder of an image's published derivatives (the renderer reads its pyramid there). */
  derivativesPath(imageId: string): string;
  /** The IIIF tile sets pre-rendered for an image: info.json's `tiles`. */
  tileSets(imageId: string): Promise<{ width: number; scaleFactors: number[] }[]>;
  /** The pre-rendered copies of the whole image (thumbnail, access copy): files to measure and serve. */
  wholeImageCopies(imageId: string): string[];
  /**
   * The pre-rendered JPEG tile of this region (`full`: the whole image) at exactly this size,
   * or null when none was made.
   */
  tile(imageId: string, region: { x: number; y: number; w: number; h: number } | 'full', size: { w: number; h: number }): string | null;
  /** A fresh path for receiving an upload or a copy, inside the data directory. */
  receivingPath(name: string): string;
  /** Removes staging left by a crash. */
  sweep(): Promise<void>;
  /**
   * Empties the receiving folder: uploads of a process that stopped, which no job will read.
   * Only the service receives uploads, so it calls this at start, before it takes any.
   * Returns how many files it removed.
   */
  sweepReceiving(): Promise<number>;
}
