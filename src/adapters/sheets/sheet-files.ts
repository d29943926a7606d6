/**
 * CSV through csv-parse / csv-stringify; XLSX read by xlsx-rows.ts and written by exceljs'
 * streaming writer. Both stream: a sheet of 100,000 rows is never held whole.
 * CSV files from the field come as UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030
 * (Excel on a Chinese Windows saves "CSV" in the ANSI code page): the encoding is detected
 * from the bytes — UTF-8 when they decode as UTF-8, GB18030 otherwise.
 *
 * Reading is bounded by SheetLimits (config.ts): rows, columns, characters a record (csv-parse's
 * max_record_size, which also bounds one field), and reading time.
 *
 * CSV cells that a spreadsheet program would run as a formula are written with a leading `'`
 * (OWASP, "CSV Injection": cells beginning with = + - @ tab or carriage return), and read back
 * without it, so export → import still changes nothing. `-` is escaped too, although census text
 * may begin with one (a `-` placeholder, say): Excel and WPS read `-1+1` or `-A1` as a formula,
 * and the quote costs only its display in a spreadsheet. XLSX needs none of this: exceljs writes
 * text as string cells (shared strings), which Excel shows and never evaluates.
 */
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SheetLimits } from '../../config.js';
import { SheetTooLargeError, UnreadableSheetError } from '../../domain/errors.js';
import type { SheetFiles, SheetFormat, SheetRow } from '../../ports/sheets.js';
import { ReadBudget } from './read-budget.js';
import { xlsxRows } from './xlsx-rows.js';

/**
 * Begins as a formula would (OWASP's list), after any quotes already there: `'=x` is written
 * `''=x`, so that reading drops exactly the one quote writing added, and a cell that truly
 * begins with a quote keeps it.
 */
const FORMULA_LED = /^'*[=+\-@\t\r]/;
const LEADING_QUOTE = /^'+[=+\-@\t\r]/;

/** A text cell as written to CSV: defused when a spreadsheet program would run it. */
export const formulaSafe = (text: string): string => (FORMULA_LED.test(text) ? `'${text}` : text);

/** A CSV cell as read: the quote formulaSafe added taken off again. */
export const fromFormulaSafe = (text: string): string => (LEADING_QUOTE.test(text) ? text.slice(1) : text);

async function detectEncoding(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(1 << 16), 0, 1 << 16, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
    if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
    try {
      // `stream: true` forgives a character cut at the end of the sample.
      new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
      return 'utf8';
    } catch {
      return 'gb18030';
    }
  } finally {
    await handle.close();
  }
}


export class SheetFileAdapter implements SheetFiles {
  constructor(private readonly limits: SheetLimits) {}

  async *rows(file: string, format: SheetFormat): AsyncIterable<SheetRow> {
    if (format === 'xlsx') {
      yield* xlsxRows(file, this.limits);
      return;
    }
    const budget = new ReadBudget(this.limits);
    const encoding = await detectEncoding(file);
    const source = createReadStream(file);
    const size = (await stat(file)).size || 1;
    const parser = source
      .pipe(iconv.decodeStream(encoding))
      .pipe(parse({ bom: true, relax_column_count: true, max_record_size: this.limits.maxRowChars }));
    // Rows as Excel numbers them: one a record (a quoted cell may span lines), empty lines counted.
    let row = 0;
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        row += 1;
        budget.row();
        budget.column(record.length - 1);
        budget.pause();
        yield { row, cells: record.map(fromFormulaSafe), read: source.bytesRead / size };
        budget.resume();
      }
    } catch (e) {
      if (e instanceof SheetTooLargeError) throw e;
      if ((e as { code?: string }).code === 'CSV_MAX_RECORD_SIZE') budget.rowChars(Infinity);
      throw new UnreadableSheetError(`not a CSV file we can read (${(e as Error).message})`);
    } finally {
      source.destroy();
    }
  }

  async write(format: SheetFormat, headings: readonly string[], rows: AsyncIterable<(string | number)[]>, out: Writable): Promise<void> {
    if (format === 'csv') {
      // A BOM, so that Excel opens the UTF-8 file as UTF-8.
      out.write('\uFEFF');
      const csv = stringify({ header: true, columns: [...headings], cast: { string: formulaSafe } });
      await pipeline(
        (async function* () {
          for await (const row of rows) yield row;
        })(),
        csv,
        out,
      );
      return;
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: true });
    const sheet = workbook.addWorksheet('普查登记');
    sheet.addRow([...headings]).commit();
    for await (const row of rows) sheet.addRow(row).commit();
    sheet.commit();
    await workbook.commit();
  }
}
