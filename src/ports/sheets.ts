/** Reading and writing census spreadsheets (CSV and XLSX), row by row, so large sheets stream. */
import type { Writable } from 'node:stream';
import type { Cell } from '../domain/census-sheet.js';
import { AppError } from '../domain/errors.js';

export type SheetFormat = 'csv' | 'xlsx';

export interface SheetRow {
  /** The row number as a spreadsheet program shows it (the heading row is 1). */
  row: number;
  cells: Cell[];
  /** How much of the file has been read, from 0 to 1, for progress bars. */
  read: number;
}

export interface SheetFiles {
  /** The rows of the first worksheet, the heading row first. Throws UnreadableSheetError (src/domain/errors.ts), or SheetTooLargeError past a limit. */
  rows(file: string, format: SheetFormat): AsyncIterable<SheetRow>;
  /** Writes a heading row and then the rows to `out`, streaming. */
  write(format: SheetFormat, headings: readonly string[], rows: AsyncIterable<(string | number)[]>, out: Writable): Promise<void>;
}

/**
 * The sheet passes one of the service's bounds on what a sheet may hold (rows, columns, characters,
 * decompressed size, reading time): 413 (RFC 9110 §15.5.14), naming the limit and its variable.
 */
export class SheetTooLargeError extends AppError {
  constructor(problem: string, variable: string) {
    super(413, 'sheet_too_large', `The sheet is larger than the service reads: ${problem} (${variable}); split it.`, [
      { field: 'file', problem: `${problem} (${variable})` },
    ]);
  }
}
