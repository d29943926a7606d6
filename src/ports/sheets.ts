/** Reading and writing census spreadsheets (CSV and XLSX), row by row, so large sheets stream. */
import type { Writable } from 'node:stream';
import type { Cell } from '../domain/census-sheet.js';

export type SheetFormat = 'csv' | 'xlsx';

export interface SheetRow {
  /** The row number as a spreadsheet program shows it (the heading row is 1). */
  row: number;
  cells: Cell[];
  /** How much of the file has been read, from 0 to 1, for progress bars. */
  read: number;
}

export interface SheetFiles {
  /** The rows of the first worksheet, the heading row first. Throws UnreadableSheetError, or SheetTooLargeError past a limit (both src/domain/errors.ts). */
  rows(file: string, format: SheetFormat): AsyncIterable<SheetRow>;
  /** Writes a heading row and then the rows to `out`, streaming. */
  write(format: SheetFormat, headings: readonly string[], rows: AsyncIterable<(string | number)[]>, out: Writable): Promise<void>;
}
