/**
 * Open sharing of the catalogue (issue 17): MARC 21 (ISO 2709 and MARCXML) and UNIMARC (ISO 2709
 * and MarcXchange) exports, MODS of one
 * record, and BagIt bags of a digitized book. The crosswalks are pure (src/exports/); this
 * reads what they need and streams what they write. Who sees what follows the other exports:
 * anonymous readers the published catalogue, staff what they may read.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import yazl from 'yazl';
import { parseCensusNumber } from '../domain/census-number.js';
import type { CensusRecord } from '../domain/census-record.js';
import { AlreadyExistsError, NotFoundError } from '../domain/errors.js';
import { authorize } from '../domain/permissions.js';
import type { Actor } from '../domain/workflow.js';
import { BAGIT_TXT, bagInfoText, manifestText, masterName, type BagEntry } from '../exports/bagit.js';
import type { CrosswalkContext } from '../exports/crosswalk.js';
import { iso2709, marcRecord, marcXmlOf, MARCXML_COLLECTION_END, MARCXML_COLLECTION_START } from '../exports/marc.js';
import { modsDocument, modsInCollection, MODS_COLLECTION_END, MODS_COLLECTION_START } from '../exports/mods.js';
import { MARCXCHANGE_COLLECTION_END, MARCXCHANGE_COLLECTION_START, marcXchangeOf, unimarcIso2709, unimarcRecord } from '../exports/unimarc.js';
import type { CatalogueStore } from '../ports/catalogue-store.js';
import type { ScanFileStore } from '../ports/scan-files.js';
import type { ManifestService } from './manifest-service.js';
import type { RecordService } from './record-service.js';
import type { SearchIndexer, SearchService } from './search-service.js';

/** MARC 21 as ISO 2709 and a MARCXML collection, a MODS collection, UNIMARC as ISO 2709 and a MarcXchange collection. */
export type ExportFormat = 'mrc' | 'marcxml' | 'mods' | 'unimarc' | 'unimarcxml';

/** What surrounds the records of each format. */
const ENVELOPE: Record<ExportFormat, [string, string]> = {
  mrc: ['', ''], unimarc: ['', ''],
  marcxml: [MARCXML_COLLECTION_START, MARCXML_COLLECTION_END],
  mods: [MODS_COLLECTION_START, MODS_COLLECTION_END],
  unimarcxml: [MARCXCHANGE_COLLECTION_START, MARCXCHANGE_COLLECTION_END],
};

/** One record in each format. */
const WRITE: Record<ExportFormat, (record: CensusRecord, context: CrosswalkContext) => string | Buffer> = {
  mrc: (r, c) => iso2709(marcRecord(r, c)),
  marcxml: (r, c) => `${marcXmlOf(marcRecord(r, c))}\n`,
  mods: (r, c) => `${modsInCollection(r, c)}\n`,
  unimarc: (r, c) => unimarcIso2709(unimarcRecord(r, c)),
  unimarcxml: (r, c) => `${marcXchangeOf(unimarcRecord(r, c))}\n`,
};

/** One file of a bag: written from memory (tag files, metadata) or copied from a master. */
export interface BagFile extends BagEntry {
  data?: Buffer;
  source?: string;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const fromText = (p: string, text: string): BagFile => {
  const data = Buffer.from(text, 'utf8');
  return { path: p, data, bytes: data.length, sha256: sha256(data) };
};

/** Writes a chunk, waiting for the reader when the stream's buffer is full (bounded memory). */
async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (out.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

export class SharingService {
  constructor(
    private readonly store: CatalogueStore,
    private readonly files: ScanFileStore,
    private readonly records: RecordService,
    private readonly search: SearchService,
    private readonly indexer: SearchIndexer,
    private readonly manifests: ManifestService,
    private readonly options: { baseUrl: string; rights: string },
  ) {}

  /** What the crosswalks need beside the record: the holder's name, links, rights. */
  private contextFor(units: Map<string, Promise<string>>) {
    return async (record: CensusRecord): Promise<CrosswalkContext> => {
      const parts = parseCensusNumber(record.fields.censusNumber);
      const key = parts?.unitKey ?? record.fields.holdingUnit;
      if (!units.has(key)) {
        units.set(key, parts ? this.store.units.get(parts.province, parts.unit).then((u) => u?.name ?? key) : Promise.resolve(key));
      }
      return { baseUrl: this.options.baseUrl, unitName: await units.get(key)!, rights: record.fields.presentation?.rights ?? this.options.rights };
    };
  }

  /** The crosswalk context of one record (for OAI-PMH and the like). */
  context(record: CensusRecord): Promise<CrosswalkContext> {
    return this.contextFor(new Map())(record);
  }

  /** The MODS document of a record the reader may read. */
  async mods(actor: Actor | null, censusNumber: string): Promise<{ xml: string; record: CensusRecord }> {
    const record = await this.records.readable(actor, censusNumber);
    return { xml: modsDocument(record, await this.context(record)), record };
  }

  /**
   * Streams every record the search filters select (as GET /api/exports/records.csv does:
   * the published catalogue for anonymous readers, what staff may read for staff), in
   * census-number order, in one of the ExportFormats. One record is
   * in memory at a time.
   */
  async exportRecords(actor: Actor | null, params: Record<string, unknown>, format: ExportFormat, out: Writable): Promise<number> {
    await this.indexer.catchUp();
    const context = this.contextFor(new Map());
    const [start, end] = ENVELOPE[format];
    let written = 0;
    await write(out, start);
    for (const censusNumber of await this.search.censusNumbers(actor, { sort: 'censusNumber', ...params })) {
      if (out.destroyed) return written;
      const record = await this.store.records.get(censusNumber);
      if (!record) continue;
      await write(out, WRITE[format](record, await context(record)));
      written += 1;
    }
    await write(out, end);
    out.end();
    return written;
  }

  /**
   * The files of a digitized record's bag (RFC 8493): the masters as kept, under their stored
   * SHA-256 (not hashed again: fixity — npm run fixity — is what checks them), the record as
   * JSON, MODS and MARCXML, the IIIF manifest; then the tag files. Staff only.
   */
  async bag(actor: Actor | null, censusNumber: string, now = new Date()): Promise<BagFile[]> {
    authorize(actor, 'exportBag', { censusNumber });
    const record = await this.records.readable(actor, censusNumber);
    const pages = await this.store.pages.list(censusNumber);
    if (pages.length === 0) throw new NotFoundError(`A bag of ${censusNumber} (the record has no scanned pages)`);
    const context = await this.context(record);
    const payload: BagFile[] = [];
    for (const page of pages) {
      const source = await this.files.masterPath(page.imageId);
      if (!source) throw new NotFoundError(`The master of page ${page.sequence} of ${censusNumber} (${page.imageId}); run npm run fixity`);
      payload.push({ path: masterName(page.sequence, page.filename), source, sha256: page.imageId, bytes: (await stat(source)).size });
    }
    const { manifest } = await this.manifests.manifest(actor, censusNumber);
    payload.push(
      fromText('data/record.json', `${JSON.stringify({ ...record, pages: pages.map(({ ingestedBy: _by, ...p }) => p) }, null, 2)}\n`),
      fromText('data/record.mods.xml', modsDocument(record, context)),
      fromText('data/record.marcxml', `${MARCXML_COLLECTION_START}${marcXmlOf(marcRecord(record, context))}\n${MARCXML_COLLECTION_END}`),
      fromText('data/manifest.json', `${JSON.stringify(manifest, null, 2)}\n`),
    );
    const tags = [
      fromText('bagit.txt', BAGIT_TXT),
      fromText('bag-info.txt', bagInfoText({
        baggingDate: now.toISOString().slice(0, 10), payload, sourceOrganization: context.unitName, externalIdentifier: censusNumber,
        description: record.fields.titleStatement,
      })),
      fromText('manifest-sha256.txt', manifestText(payload)),
    ];
    return [...payload, ...tags, fromText('tagmanifest-sha256.txt', manifestText(tags))];
  }

  /** Streams a bag as a zip (stored, not deflated: masters are compressed images), file by file. */
  async writeBagZip(files: readonly BagFile[], top: string, out: Writable): Promise<void> {
    const zip = new yazl.ZipFile();
    for (const f of files) {
      const name = `${top}/${f.path}`;
      if (f.source) zip.addFile(f.source, name, { compress: false });
      else zip.addBuffer(f.data!, name, { compress: false });
    }
    zip.end();
    const done = new Promise<void>((resolve, reject) => {
      zip.outputStream.on('error', reject);
      out.on('error', reject);
      out.on('finish', resolve);
      // A client that goes away mid-bag: stop reading masters (yazl holds the one in hand open).
      out.on('close', () => {
        zip.outputStream.unpipe(out);
        (zip.outputStream as unknown as Readable).destroy();
        resolve();
      });
    });
    zip.outputStream.pipe(out);
    await done;
  }

  /**
   * Writes a bag into `folder` (which must not exist, or be empty): into a sibling staging
   * folder first, renamed into place at the end, so that a bag is there whole or not at all.
   */
  async writeBagFolder(files: readonly BagFile[], folder: string): Promise<void> {
    const existing = await readdir(folder).catch(() => null);
    if (existing && existing.length > 0) throw new AlreadyExistsError(`A non-empty folder ${folder}`, 'folder');
    const staging = `${folder.replace(/[\\/]+$/, '')}.part-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    try {
      for (const f of files) {
        const target = path.join(staging, ...f.path.split('/'));
        await mkdir(path.dirname(target), { recursive: true });
        if (f.source) await copyFile(f.source, target);
        else await writeFile(target, f.data!);
      }
      if (existing) await rm(folder, { recursive: true });
      await rename(staging, folder);
    } catch (e) {
      await rm(staging, { recursive: true, force: true });
      throw e;
    }
  }
}
