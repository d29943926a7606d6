/**
 * Backups of a running service's data (npm run backup) and restores into an empty data
 * directory (npm run restore); README, Backup and restore. A backup directory holds:
 *
 *   manifest.json               the latest complete backup: what it holds, with checksums
 *   snapshots/<time>/           each backup's catalogue (catalogue.sqlite) and manifest.json
 *   masters/ab/<sha256>.<ext>   the masters, shared by the snapshots: each is copied once
 *   derivatives/<sha256>/       with --with-derivatives, likewise
 *
 * The top manifest.json is replaced last, by a rename: until then the previous one, its snapshot
 * and the masters it lists are untouched, so a backup killed half-way leaves the previous backup
 * whole (what it left half-written is swept by the next one). The search index is not copied:
 * it is made from the catalogue alone, so a restore rebuilds it — a copy would have to be taken
 * at the same moment as the catalogue's, and would be as large again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { z } from 'zod';
import type { CatalogueStore } from '../ports/catalogue-store.js';
import type { ImageDeriver } from '../ports/image-deriver.js';
import type { ScanFileStore } from '../ports/scan-files.js';
import type { TextSearchIndex } from '../ports/text-search-index.js';
import { canSnapshot } from '../ports/store-snapshot.js';
import type { SearchIndexer } from './search-service.js';

/** A backup or restore that cannot be done: the command line prints the message and exits 1. */
export class BackupError extends Error {
  override name = 'BackupError';
}

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/);
/** Paths inside a backup directory, as the manifest gives them: relative, never leaving it. */
const INSIDE = z.string().regex(/^(snapshots|masters|derivatives)\/[A-Za-z0-9._/-]+$/).refine((p) => !p.split('/').includes('..'), 'must stay inside the backup');

const ManifestSchema = z.object({
  format: z.literal('guji-backup/1'),
  createdAt: z.string(),
  snapshot: INSIDE,
  catalogue: z
    .object({
      file: INSIDE, sha256: SHA256, bytes: z.number().int().nonnegative(),
      schemaVersion: z.number().int().nonnegative(), records: z.number().int().nonnegative(), seq: z.number().int().nonnegative(),
    })
    .nullable(),
  masters: z.array(z.object({ sha256: SHA256, file: INSIDE, bytes: z.number().int().nonnegative() })),
  derivatives: z
    .array(z.object({ imageId: SHA256, dir: INSIDE, files: z.number().int().nonnegative(), bytes: z.number().int().nonnegative(), sha256: SHA256 }))
    .nullable(),
});
export type BackupManifest = z.infer<typeof ManifestSchema>;
type DerivativesEntry = NonNullable<BackupManifest['derivatives']>[number];

export interface BackupReport {
  manifest: BackupManifest;
  mastersCopied: number;
  mastersKept: number;
  bytesCopied: number;
  derivativesCopied: number;
  /** Masters that no longer hash to their name (left out, with the reason), and the like. */
  problems: string[];
  seconds: number;
}

export interface RestoreReport {
  records: number | null;
  masters: number;
  derivativesCopied: number;
  derivativesMade: number;
  indexed: number;
  problems: string[];
  seconds: number;
}

const MANIFEST = 'manifest.json';
const partial = (target: string) => `${target}.partial-${randomBytes(4).toString('hex')}`;
const PARTIAL = /\.partial-[0-9a-f]{8}$/;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Flushes a file (or a directory's entries) to the disk, so that a rename after it is durable. */
async function sync(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Copies a file, hashing what it reads, beside the target and then into place by rename; with
 * `expected`, a copy that does not hash to it is removed and refused.
 */
async function copyHashed(source: string, target: string, expected?: string): Promise<{ sha256: string; bytes: number }> {
  await mkdir(path.dirname(target), { recursive: true });
  const staging = partial(target);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await pipeline(
      createReadStream(source),
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          bytes += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(staging),
    );
    const sha256 = hash.digest('hex');
    if (expected && sha256 !== expected) throw new BackupError(`${source} hashes to ${sha256}, not ${expected}`);
    await sync(staging);
    await rename(staging, target);
    return { sha256, bytes };
  } finally {
    await rm(staging, { force: true });
  }
}

/** Every file under a folder, by relative path with '/', sorted. */
async function filesUnder(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, prefix: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), rel);
      else if (entry.isFile()) found.push(rel);
    }
  };
  await walk(root, '');
  return found.sort();
}

/**
 * Copies a folder of derivatives, file by file, into `target` and returns its entry: the
 * checksum of the list of its files' paths and checksums (a tile pyramid has thousands of files;
 * one checksum per image keeps the manifest small and still covers every byte).
 */
async function copyTree(source: string, target: string): Promise<Omit<DerivativesEntry, 'imageId' | 'dir'>> {
  const tree = createHash('sha256');
  let bytes = 0;
  const files = await filesUnder(source);
  for (const rel of files) {
    const copied = await copyHashed(path.join(source, ...rel.split('/')), path.join(target, ...rel.split('/')));
    tree.update(`${rel}\t${copied.sha256}\n`);
    bytes += copied.bytes;
  }
  return { files: files.length, bytes, sha256: tree.digest('hex') };
}

async function treeChecksum(root: string, sha256: ScanFileStore['sha256']): Promise<string> {
  const tree = createHash('sha256');
  for (const rel of await filesUnder(root)) tree.update(`${rel}\t${await sha256(path.join(root, ...rel.split('/')))}\n`);
  return tree.digest('hex');
}

/** Reads and checks a backup directory's manifest (null when there is none). */
export async function readManifest(dir: string): Promise<BackupManifest | null> {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file)) return null;
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new BackupError(`${file} is not a backup manifest: ${(e as Error).message}`);
  }
  const parsed = ManifestSchema.safeParse(data);
  if (!parsed.success) {
    throw new BackupError(`${file} is not a guji backup manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export class BackupService {
  constructor(
    private readonly store: CatalogueStore,
    private readonly files: ScanFileStore,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** One backup into `dir` (made if missing), incremental over the backups already there. */
  async backup(dir: string, options: { withDerivatives: boolean; keep: number }): Promise<BackupReport> {
    const started = Date.now();
    await mkdir(path.join(dir, 'snapshots'), { recursive: true });
    const unlock = await this.lock(dir);
    try {
      await this.sweep(dir);
      const previous = await readManifest(dir);
      const problems: string[] = [];
      const name = new Date().toISOString().replace(/[:.]/g, '-');
      const snapshot = `snapshots/${name}`;
      const staging = partial(path.join(dir, 'snapshots', name));
      await mkdir(staging);

      // The catalogue first: masters are kept before the pages that refer to them, so every
      // master this snapshot's pages name is on disk by the time they are listed below.
      let catalogue: BackupManifest['catalogue'] = null;
      if (canSnapshot(this.store)) {
        const file = path.join(staging, 'catalogue.sqlite');
        const facts = await this.store.snapshotTo(file);
        await sync(file);
        const { size } = await stat(file);
        catalogue = { file: `${snapshot}/catalogue.sqlite`, sha256: await this.files.sha256(file), bytes: size, ...facts };
        this.log(`catalogue: ${facts.records} records (write ${facts.seq}, schema ${facts.schemaVersion}), ${mib(size)}`);
      } else {
        this.log(`catalogue: not included — ${this.store.description} is backed up with its own tools (mongodump; README, Backup and restore)`);
      }

      const masters: BackupManifest['masters'] = [];
      let copied = 0;
      let bytesCopied = 0;
      this.log('masters: copying those the backup does not hold yet');
      for await (const [sha256, source] of this.files.masters()) {
        const file = `masters/${sha256.slice(0, 2)}/${path.basename(source)}`;
        const target = path.join(dir, ...file.split('/'));
        const { size } = await stat(source);
        // Named by its checksum: a copy of the right size already there is this master.
        if (existsSync(target) && (await stat(target)).size === size) {
          masters.push({ sha256, file, bytes: size });
          continue;
        }
        try {
          await copyHashed(source, target, sha256);
        } catch (e) {
          if (!(e instanceof BackupError)) throw e;
          problems.push(`master ${sha256} left out: ${e.message} (npm run fixity)`);
          continue;
        }
        masters.push({ sha256, file, bytes: size });
        copied += 1;
        bytesCopied += size;
        if (copied % 500 === 0) this.log(`masters: ${copied} copied (${mib(bytesCopied)})`);
      }
      this.log(`masters: ${copied} copied (${mib(bytesCopied)}), ${masters.length - copied} already in the backup`);

      let derivatives: BackupManifest['derivatives'] = null;
      let derivativesCopied = 0;
      if (options.withDerivatives) {
        derivatives = [];
        const known = new Map((previous?.derivatives ?? []).map((d) => [d.imageId, d]));
        for (const { sha256: imageId } of masters) {
          if (!(await this.files.hasDerivatives(imageId))) continue;
          const rel = `derivatives/${imageId}`;
          const target = path.join(dir, 'derivatives', imageId);
          if (existsSync(target)) {
            derivatives.push(known.get(imageId) ?? { imageId, dir: rel, ...(await this.describeTree(target)) });
            continue;
          }
          const staged = partial(target);
          try {
            const entry = await copyTree(this.files.derivativesPath(imageId), staged);
            await rename(staged, target);
            derivatives.push({ imageId, dir: rel, ...entry });
            derivativesCopied += 1;
          } catch (e) {
            // npm run rederive replaced them while they were read: the restore makes them again.
            problems.push(`derivatives of ${imageId} left out (${(e as Error).message}); a restore makes them again`);
          } finally {
            await rm(staged, { recursive: true, force: true });
          }
        }
        this.log(`derivatives: ${derivativesCopied} images copied, ${derivatives.length - derivativesCopied} already in the backup`);
      }

      const manifest: BackupManifest = { format: 'guji-backup/1', createdAt: new Date().toISOString(), snapshot, catalogue, masters, derivatives };
      const text = `${JSON.stringify(manifest, null, 1)}\n`;
      await writeFile(path.join(staging, MANIFEST), text);
      await sync(path.join(staging, MANIFEST));
      await rename(staging, path.join(dir, snapshot));
      // The commit: until this rename, the previous manifest names the previous backup.
      const top = partial(path.join(dir, MANIFEST));
      await writeFile(top, text);
      await sync(top);
      await rename(top, path.join(dir, MANIFEST));
      await sync(dir);
      await this.prune(dir, options.keep);
      return { manifest, mastersCopied: copied, mastersKept: masters.length - copied, bytesCopied, derivativesCopied, problems, seconds: (Date.now() - started) / 1000 };
    } finally {
      await unlock();
    }
  }

  private async describeTree(root: string): Promise<Omit<DerivativesEntry, 'imageId' | 'dir'>> {
    let bytes = 0;
    const files = await filesUnder(root);
    for (const rel of files) bytes += (await stat(path.join(root, ...rel.split('/')))).size;
    return { files: files.length, bytes, sha256: await treeChecksum(root, (file) => this.files.sha256(file)) };
  }

  /**
   * One backup at a time per directory: a second would sweep the first's files in progress. A
   * lock left by a killed backup names a process that is gone, and is taken over.
   */
  private async lock(dir: string): Promise<() => Promise<void>> {
    const file = path.join(dir, 'backup.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(file, String(process.pid), { flag: 'wx' });
        return () => unlink(file).catch(() => {});
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const pid = Number(await readFile(file, 'utf8').catch(() => ''));
        if (pid > 0 && pid !== process.pid && alive(pid)) throw new BackupError(`another backup into ${dir} is running (process ${pid})`);
        await unlink(file).catch(() => {});
      }
    }
    throw new BackupError(`cannot lock ${dir} for the backup`);
  }

  /** Removes what a backup killed half-way left: staging folders and files, never a snapshot. */
  private async sweep(dir: string): Promise<void> {
    const clean = async (folder: string, depth: number): Promise<void> => {
      if (!existsSync(folder)) return;
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        if (PARTIAL.test(entry.name)) await rm(full, { recursive: true, force: true });
        else if (entry.isDirectory() && depth > 0) await clean(full, depth - 1);
      }
    };
    await clean(dir, 0);
    await clean(path.join(dir, 'snapshots'), 0);
    await clean(path.join(dir, 'masters'), 1);
    await clean(path.join(dir, 'derivatives'), 0);
  }

  /** Keeps the `keep` newest snapshots (the one just made among them); masters stay. */
  private async prune(dir: string, keep: number): Promise<void> {
    const names = (await readdir(path.join(dir, 'snapshots'))).filter((n) => !PARTIAL.test(n)).sort();
    for (const old of names.slice(0, Math.max(0, names.length - Math.max(1, keep)))) {
      await rm(path.join(dir, 'snapshots', old), { recursive: true, force: true });
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Refuses a data directory that holds anything: a restore never overwrites or merges. */
export async function assertEmptyDataDir(dataDir: string): Promise<void> {
  if (!existsSync(dataDir)) return;
  const entries = await readdir(dataDir);
  if (entries.length > 0) {
    throw new BackupError(
      `DATA_DIR ${dataDir} is not empty (it holds ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''}). ` +
        'A restore goes into an empty directory only, so that nothing is overwritten: choose a new DATA_DIR, or move this one aside.',
    );
  }
}

/** The data directory being restored into, opened once the catalogue is in place. */
export interface RestoreTarget {
  store: CatalogueStore;
  files: ScanFileStore;
  images: ImageDeriver;
  indexer: SearchIndexer;
  /** Emptied: a Meilisearch text index outlives the data directory and would still hold the pages of before. */
  textSearch: Pick<TextSearchIndex, 'clear'>;
}

/**
 * Restores the latest backup in `from` into an empty data directory: the catalogue (checked
 * against its checksum; `open` then brings its schema up to date), every master (each checked
 * against its name), the derivatives (copied and checked, or made again from the masters) and
 * the search index, rebuilt from the catalogue. On any failure the directory is emptied again.
 */
export async function restoreBackup(
  from: string,
  target: { dataDir: string; catalogueFile: string | null; open: () => Promise<RestoreTarget & { close(): Promise<void> }> },
  log: (line: string) => void = () => {},
): Promise<RestoreReport> {
  const started = Date.now();
  await assertEmptyDataDir(target.dataDir);
  const manifest = await readManifest(from);
  if (!manifest) throw new BackupError(`${from} holds no backup (no ${MANIFEST})`);
  if (manifest.catalogue && !target.catalogueFile) {
    throw new BackupError('this backup holds an embedded SQLite catalogue: restore it without MONGODB_URI');
  }
  if (!manifest.catalogue && target.catalogueFile) {
    throw new BackupError('this backup holds no catalogue (it was taken from MongoDB): restore the catalogue with mongorestore and run this with MONGODB_URI set');
  }
  log(`restoring the backup of ${manifest.createdAt} (${manifest.snapshot})`);
  const source = (rel: string) => path.join(from, ...rel.split('/'));
  await mkdir(target.dataDir, { recursive: true });
  const problems: string[] = [];
  let opened: (RestoreTarget & { close(): Promise<void> }) | null = null;
  try {
    if (manifest.catalogue && target.catalogueFile) {
      await copyHashed(source(manifest.catalogue.file), target.catalogueFile, manifest.catalogue.sha256);
      log(`catalogue: ${manifest.catalogue.records} records, checksum verified`);
    }
    opened = await target.open();
    let masters = 0;
    for (const m of manifest.masters) {
      const file = source(m.file);
      const actual = existsSync(file) ? await opened.files.sha256(file) : 'missing';
      if (actual !== m.sha256) throw new BackupError(`master ${m.file} of the backup is ${actual === 'missing' ? 'missing' : `damaged: it hashes to ${actual}`}`);
      await opened.files.keepMaster(file, m.sha256, path.extname(m.file).slice(1));
      masters += 1;
      if (masters % 500 === 0) log(`masters: ${masters}/${manifest.masters.length} verified and restored`);
    }
    log(`masters: ${masters} verified and restored`);

    const copies = new Map((manifest.derivatives ?? []).map((d) => [d.imageId, d]));
    let derivativesCopied = 0;
    let derivativesMade = 0;
    for (const m of manifest.masters) {
      const copy = copies.get(m.sha256);
      if (copy && existsSync(source(copy.dir)) && (await treeChecksum(source(copy.dir), (file) => opened!.files.sha256(file))) === copy.sha256) {
        await opened.files.writeDerivatives(m.sha256, async (folder) => {
          await copyTree(source(copy.dir), folder);
        });
        derivativesCopied += 1;
        continue;
      }
      if (copy) problems.push(`derivatives of ${m.sha256} in the backup are damaged: made again from the master`);
      const master = (await opened.files.masterPath(m.sha256))!;
      try {
        await opened.files.writeDerivatives(m.sha256, (folder) => opened!.images.derive(master, folder));
        derivativesMade += 1;
      } catch (e) {
        problems.push(`derivatives of ${m.sha256} could not be made: ${(e as Error).message}`);
      }
    }
    log(`derivatives: ${derivativesCopied} copied, ${derivativesMade} made from the masters`);

    let indexed = 0;
    if (manifest.catalogue) {
      await opened.indexer.rebuild((n) => (indexed = n));
      log(`search index: rebuilt, ${indexed} records`);
    } else {
      log('search index: not rebuilt — restore the catalogue with mongorestore, then run npm run reindex');
    }
    // The text index is made from the page text alone: emptied here, the service refills it from
    // the restored page text when it starts (TextSearchService: an empty index is rebuilt).
    await opened.textSearch.clear();
    log('text index: emptied, refilled from the page text when the service starts');
    await opened.close();
    opened = null;
    return {
      records: manifest.catalogue?.records ?? null, masters, derivativesCopied, derivativesMade, indexed, problems, seconds: (Date.now() - started) / 1000,
    };
  } catch (e) {
    await opened?.close().catch(() => {});
    for (const entry of await readdir(target.dataDir)) await rm(path.join(target.dataDir, entry), { recursive: true, force: true });
    throw e;
  }
}
