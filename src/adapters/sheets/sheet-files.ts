/**
 * CSV through csv-parse / csv-stringify; XLSX read by xlsx-rows.ts and written by exceljs'
 * streaming writer. Both stream: a sheet of 100,000 rows is never held whole.
 * CSV files from the field come as UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030
 * (Excel on a Chinese Windows saves "CSV" in the ANSI code page): the encoding is detected
 * from the bytes — UTF-8 when they decode as UTF-8, GB18030 otherwise.
 */
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Cell } from '../../domain/census-sheet.js';
import { UnreadableSheetError, type SheetFiles, type SheetFormat, type SheetRow } from '../../ports/sheets.js';
import { xlsxRows } from './xlsx-rows.js';

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
  async *rows(file: string, format: SheetFormat): AsyncIterable<SheetRow> {
    if (format === 'csv') {
      const encoding = await detectEncoding(file);
      const source = createReadStream(file);
      const size = (await stat(file)).size || 1;
      const parser = source
        .pipe(iconv.decodeStream(encoding))
        .pipe(parse({ bom: true, relax_column_count: true }));
      // Rows as Excel numbers them: one a record (a quoted cell may span lines), empty lines counted.
      let row = 0;
      try {
        for await (const record of parser as AsyncIterable<string[]>) {
          row += 1;
          yield { row, cells: record, read: source.bytesRead / size };
        }
      } catch (e) {
        throw new UnreadableSheetError(`not a CSV file we can read (${(e as Error).message})`);
      }
      return;
    }
    yield* xlsxRows(file);
  }

  async write(format: SheetFormat, headings: readonly string[], rows: AsyncIterable<(string | number)[]>, out: Writable): Promise<void> {
    if (format === 'csv') {
      // A BOM, so that Excel opens the UTF-8 file as UTF-8.
      out.write('\uFEFF');
      const csv = stringify({ header: true, columns: [...headings] });
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
