/**
 * Scans on the local file system, under DATA_DIR:
 *   masters/ab/<sha256>.<ext>   the masters, untouched (content-addressed; ab = first two hex digits)
 *   derivatives/<sha256>/       full.tif (tiled pyramid, sRGB), tiles/, access.jpg, thumbnail.jpg
 *     tiles/info.json             libvips's IIIF layout: tiles/{x,y,w,h | full}/{w,h}/0/default.jpg
 *   receiving/                  uploads and copies on their way in
 * Names come from checksums the service computed, never from user input.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ScanFileStore } from '../../ports/scan-files.js';

const SHA256 = /^[0-9a-f]{64}$/;
/** A kept master's file name: its checksum and extension, nothing else. */
const MASTER_NAME = /^([0-9a-f]{64})\.[a-z0-9]{1,5}$/;
const EXTENSION = /^[a-z0-9]{1,5}$/;

/**
 * A suffix for what a process writes beside its target before renaming it into place: the
 * process's id, so that a sweep can tell what a live process is writing from what a stopped one
 * left (a command-line tool starting beside the service must not remove the service's work).
 */
const inProgress = (kind: 'staging' | 'part') => `.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`;
const IN_PROGRESS = /\.(?:staging|part)-(?:(\d+)-)?[0-9a-f]+$/;

/** Whether what a name says is in progress was left by a process that is gone (or names none). */
function abandoned(name: string): boolean {
  const pid = IN_PROGRESS.exec(name)?.[1];
  if (pid === undefined) return true;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    // EPERM: the process exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function checked(sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
  return sha256;
}

export class FileScanStore implements ScanFileStore {
  private readonly masterRoot: string;
  private readonly derivativeRoot: string;
  private readonly receivingRoot: string;

  constructor(dataDir: string) {
    this.masterRoot = path.join(dataDir, 'masters');
    this.derivativeRoot = path.join(dataDir, 'derivatives');
    this.receivingRoot = path.join(dataDir, 'receiving');
  }

  async keepMaster(receivedFile: string, sha256: string, extension: string): Promise<string> {
    const ext = EXTENSION.test(extension) ? extension : 'bin';
    const folder = path.join(this.masterRoot, checked(sha256).slice(0, 2));
    await mkdir(folder, { recursive: true });
    const target = path.join(folder, `${sha256}.${ext}`);
    const existing = await this.masterPath(sha256);
    if (existing) return existing;
    // Copy beside the target, then rename: the master appears whole or not at all.
    const staging = `${target}${inProgress('part')}`;
    await copyFile(receivedFile, staging);
    await rename(staging, target);
    return target;
  }

  async masterPath(sha256: string): Promise<string | null> {
    const folder = path.join(this.masterRoot, checked(sha256).slice(0, 2));
    const names = existsSync(folder) ? await readdir(folder) : [];
    const name = names.find((n) => MASTER_NAME.exec(n)?.[1] === sha256);
    return name ? path.join(folder, name) : null;
  }

  async *masters(): AsyncIterable<[string, string]> {
    if (!existsSync(this.masterRoot)) return;
    for (const prefix of (await readdir(this.masterRoot)).sort()) {
      for (const name of (await readdir(path.join(this.masterRoot, prefix))).sort()) {
        const m = MASTER_NAME.exec(name);
        if (m) yield [m[1]!, path.join(this.masterRoot, prefix, name)];
      }
    }
  }

  async sha256(file: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  derivativesPath(imageId: string): string {
    return path.join(this.derivativeRoot, checked(imageId));
  }

  async tileSets(imageId: string): Promise<{ width: number; scaleFactors: number[] }[]> {
    const info = JSON.parse(await readFile(path.join(this.derivativesPath(imageId), 'tiles', 'info.json'), 'utf8')) as {
      tiles: { width: number; scaleFactors: number[] }[];
    };
    return info.tiles.map((t) => ({ width: t.width, scaleFactors: t.scaleFactors }));
  }

  wholeImageCopies(imageId: string): string[] {
    return ['thumbnail.jpg', 'access.jpg'].map((name) => path.join(this.derivativesPath(imageId), name));
  }

  tile(imageId: string, region: { x: number; y: number; w: number; h: number } | 'full', size: { w: number; h: number }): string | null {
    // libvips names the one tile of a level that fits in a tile by the region `full`.
    const name = region === 'full' ? 'full' : `${region.x},${region.y},${region.w},${region.h}`;
    const file = path.join(this.derivativesPath(imageId), 'tiles', name, `${size.w},${size.h}`, '0', 'default.jpg');
    return existsSync(file) ? file : null;
  }

  async hasDerivatives(imageId: string): Promise<boolean> {
    return existsSync(this.derivativesPath(imageId));
  }

  async writeDerivatives(imageId: string, make: (folder: string) => Promise<void>): Promise<void> {
    const target = this.derivativesPath(imageId);
    const staging = `${target}${inProgress('staging')}`;
    await mkdir(staging, { recursive: true });
    try {
      await make(staging);
      // Rebuilding (npm run rederive) replaces the old folder: move it aside first.
      if (existsSync(target)) await rename(target, `${target}.old-${randomBytes(4).toString('hex')}`);
      await rename(staging, target);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  receivingPath(name: string): string {
    return path.join(this.receivingRoot, `${Date.now()}-${randomBytes(6).toString('hex')}-${name.replace(/[^A-Za-z0-9.]/g, '_').slice(-40)}`);
  }

  /**
   * Removes what stopped processes left: derivatives being made, masters being copied, and the
   * derivatives a rebuild moved aside (`.old-`). What a live process is writing stays — the
   * service's uploads while `npm run fixity` starts, or a rebuild's while the service starts.
   */
  async sweep(): Promise<void> {
    for (const root of [this.derivativeRoot, this.masterRoot]) {
      if (!existsSync(root)) continue;
      for (const name of await readdir(root)) {
        if (/\.old-/.test(name) || (/\.staging-/.test(name) && abandoned(name))) await rm(path.join(root, name), { recursive: true, force: true });
        else if ((await stat(path.join(root, name))).isDirectory() && root === this.masterRoot) {
          for (const part of await readdir(path.join(root, name))) {
            if (part.includes('.part-') && abandoned(part)) await rm(path.join(root, name, part), { force: true });
          }
        }
      }
    }
    await mkdir(this.receivingRoot, { recursive: true });
  }

  async sweepReceiving(): Promise<number> {
    if (!existsSync(this.receivingRoot)) return 0;
    const names = await readdir(this.receivingRoot);
    await Promise.all(names.map((name) => rm(path.join(this.receivingRoot, name), { recursive: true, force: true })));
    return names.length;
  }
}
