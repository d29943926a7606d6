/**
 * The bounds one sheet is read within (config.ts, SheetLimits), shared by the CSV and XLSX
 * readers: rows, columns, characters of a row, and the time spent reading. Time counts only
 * while the reader works — not while the import writes a row it yielded — so that a slow store
 * does not fail a legitimate sheet, and a sheet that is slow to parse still stops.
 */
import { performance } from 'node:perf_hooks';
import type { SheetLimits } from '../../config.js';
import { SheetTooLargeError } from '../../domain/errors.js';

export class ReadBudget {
  private spent = 0;
  private since = performance.now();
  private rows = 0;

  constructor(readonly limits: SheetLimits) {}

  /** Call often while reading: refuses the sheet once reading has taken too long. */
  tick(): void {
    if (this.spent + performance.now() - this.since > this.limits.maxSeconds * 1000) {
      throw new SheetTooLargeError(`reading it took more than ${this.limits.maxSeconds} s`, 'GUJI_SHEET_MAX_SECONDS');
    }
  }

  /** Before handing a row to the consumer: the clock stops until `resume`. */
  pause(): void {
    this.tick();
    this.spent += performance.now() - this.since;
  }

  resume(): void {
    this.since = performance.now();
  }

  /** One more row (empty ones count: they cost reading too). */
  row(): void {
    this.rows += 1;
    if (this.rows > this.limits.maxRows) throw new SheetTooLargeError(`more than ${this.limits.maxRows} rows`, 'GUJI_SHEET_MAX_ROWS');
  }

  /** A cell at this 0-based column index. */
  column(index: number): void {
    if (!(index < this.limits.maxColumns)) throw new SheetTooLargeError(`a cell beyond column ${this.limits.maxColumns}`, 'GUJI_SHEET_MAX_COLUMNS');
  }

  /** The characters of one row so far. */
  rowChars(chars: number): void {
    if (chars > this.limits.maxRowChars) throw new SheetTooLargeError(`a row of more than ${this.limits.maxRowChars} characters`, 'GUJI_SHEET_MAX_ROW_CHARS');
  }
}
