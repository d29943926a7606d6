/**
 * The NLC template's structure sheets (分册表, 目次表) for a digitized record, in and out. In: the
 * sheets become an arrangement of the record's pages, checked whole — every problem named by
 * sheet, row and column, nothing changed unless all is well — then set as PUT …/structure sets
 * it (If-Match: the record's ETag). Out: the record's structure as the same two sheets, so that a
 * structure can be exported, corrected in Excel and imported again.
 */
import type { Writable } from 'node:stream';
import { ValidationError } from '../domain/errors.js';
import { applyStructureSheets, openingsOf, type ArrangedPage, type StructureRows } from '../domain/structure-sheet.js';
import type { Actor } from '../domain/workflow.js';
import type { SheetFiles, SheetFormat } from '../ports/sheets.js';
import type { ScanService } from './scan-service.js';

export type StructureSheet = 'volumes' | 'contents';
export interface StructureSheetFile {
  path: string;
  format: SheetFormat;
}

export const VOLUME_HEADINGS = ['册次', '册名', '文件'];
export const CONTENTS_HEADINGS = ['层级', '题名', '著者', '册次', '起始叶'];

export class StructureService {
  constructor(
    private readonly scans: ScanService,
    private readonly sheets: SheetFiles,
  ) {}

  /** `expectedVersion` null: a dry run, which checks and answers without changing anything. */
  async apply(
    actor: Actor, censusNumber: string, files: Partial<Record<StructureSheet, StructureSheetFile>>, expectedVersion: number | null,
  ): Promise<ArrangedPage[]> {
    await this.scans.authorize(actor, censusNumber, 'editStructure');
    const read = async (file: StructureSheetFile | undefined): Promise<StructureRows | undefined> => {
      if (!file) return undefined;
      const rows: StructureRows['rows'] = [];
      for await (const row of this.sheets.rows(file.path, file.format)) rows.push(row);
      return { rows };
    };
    const pages = await this.scans.pages(actor, censusNumber);
    const { pages: arranged, problems } = applyStructureSheets(pages, { volumes: await read(files.volumes), contents: await read(files.contents) });
    if (problems.length > 0) throw new ValidationError(problems, 'The structure sheets have problems; nothing was changed.');
    if (expectedVersion === null) return arranged;
    await this.scans.arrange(actor, censusNumber, { pages: arranged }, expectedVersion);
    return arranged;
  }

  /** The record's structure as a volume sheet or a table-of-contents sheet, streamed. */
  async export(actor: Actor | null, censusNumber: string, sheet: StructureSheet, format: SheetFormat, out: Writable): Promise<void> {
    const pages = await this.scans.pages(actor, censusNumber);
    const volumes = [...new Set(pages.map((p) => p.volume))];
    const rows = sheet === 'volumes'
      ? volumes.map((v, i) => {
        const files = pages.filter((p) => p.volume === v).map((p) => p.filename);
        return [i + 1, v ?? '', files.length > 1 ? `${files[0]}~${files.at(-1)}` : files[0]!];
      })
      : openingsOf(pages).flatMap((openings, i) => openings.flatMap((h) =>
        (h.title === null ? [] : [[h.level, h.title, h.author ?? '', volumes.indexOf(pages[i]!.volume) + 1, pages[i]!.filename]])));
    async function* each() {
      yield* rows;
    }
    await this.sheets.write(format, sheet === 'volumes' ? VOLUME_HEADINGS : CONTENTS_HEADINGS, each(), out);
  }
}
