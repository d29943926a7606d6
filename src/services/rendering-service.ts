/**
 * Renderings of a digitized book (IIIF Presentation 3.0 §3.3.1 `rendering`: "an alternative,
 * non-IIIF representation of the resource"): a PDF of its access copies, made on the first
 * request and kept. The JPEGs are copied into the PDF as they are, read through one buffer
 * (src/exports/pdf.ts), so a book of any length takes the same memory. A PDF is named by what
 * it is made of (the record, its title and its pages in order): a change to any of them makes
 * a new one, and the record's older PDFs are removed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CensusRecord } from '../domain/census-record.js';
import { NotFoundError } from '../domain/errors.js';
import type { Actor } from '../domain/workflow.js';
import { imagePdf, jpegFrame, type PdfImagePage } from '../exports/pdf.js';
import type { CatalogueStore } from '../ports/catalogue-store.js';
import type { ScanFileStore } from '../ports/scan-files.js';
import type { RecordService } from './record-service.js';

export class RenderingService {
  /** PDFs being made, by file: a second request waits for the first rather than making it again. */
  private readonly making = new Map<string, Promise<void>>();

  constructor(
    private readonly store: CatalogueStore,
    private readonly files: ScanFileStore,
    private readonly records: RecordService,
    /** Where the PDFs are kept. */
    private readonly dir: string,
  ) {}

  /** The PDF of a book the actor may read (the public: published books), made if need be. */
  async pdf(actor: Actor | null, censusNumber: string): Promise<{ file: string; etag: string; record: CensusRecord }> {
    const record = await this.records.readable(actor, censusNumber);
    const pages = await this.store.pages.list(censusNumber);
    if (pages.length === 0) throw new NotFoundError(`The PDF of ${censusNumber} (the record has no scanned pages)`);
    const title = record.fields.titleStatement;
    const key = createHash('sha256').update(JSON.stringify([censusNumber, title, pages.map((p) => p.imageId)])).digest('hex').slice(0, 32);
    const file = path.join(this.dir, `${censusNumber}.${key}.pdf`);
    if (!existsSync(file)) {
      let made = this.making.get(file);
      if (!made) {
        made = this.make(file, censusNumber, title, pages.map((p) => p.imageId)).finally(() => this.making.delete(file));
        this.making.set(file, made);
      }
      await made;
    }
    return { file, etag: `"${key}"`, record };
  }

  private async make(file: string, censusNumber: string, title: string, imageIds: readonly string[]) {
    await mkdir(this.dir, { recursive: true });
    const pages: PdfImagePage[] = [];
    for (const imageId of imageIds) pages.push(await this.accessCopy(imageId));
    const staging = `${file}.${process.pid}.${Date.now()}.part`;
    try {
      await pipeline(imagePdf(title, pages), createWriteStream(staging));
      await rename(staging, file);
    } catch (e) {
      await rm(staging, { force: true });
      throw e;
    }
    // The record's PDFs of an earlier title or order are of no more use.
    const mine = `${censusNumber}.`;
    for (const name of await readdir(this.dir)) {
      if (name.startsWith(mine) && name.endsWith('.pdf') && path.join(this.dir, name) !== file) await rm(path.join(this.dir, name), { force: true });
    }
  }

  /** The largest pre-rendered copy of the whole image (the access copy), as a PDF page. */
  private async accessCopy(imageId: string): Promise<PdfImagePage> {
    let best: PdfImagePage | null = null;
    for (const copy of this.files.wholeImageCopies(imageId)) {
      const handle = await open(copy, 'r').catch(() => null);
      if (!handle) continue;
      try {
        const frame = await jpegFrame(async (offset, length) => {
          const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, offset);
          return buffer.subarray(0, bytesRead);
        });
        if (frame && (!best || frame.width > best.width)) {
          best = { ...frame, bytes: (await stat(copy)).size, body: () => createReadStream(copy, { highWaterMark: 1 << 20 }) };
        }
      } finally {
        await handle.close();
      }
    }
    if (!best) throw new NotFoundError(`The access copy of image ${imageId}`);
    return best;
  }
}
