/**
 * The rows of an .xlsx workbook's first worksheet, streamed: the zip is read by random access
 * (yauzl), the shared strings and the number formats first, then the worksheet's XML through a
 * streaming parser (saxes) fed by one UTF-8 decoder for the whole entry — so a Chinese character
 * cut by a chunk boundary is joined again, which exceljs' own streaming reader does not do
 * (exceljs issues 2063, 2084, 2316). Memory holds the shared strings and one row, not the sheet.
 *
 * Cells come as the census import expects them (ports/sheets.ts): text, numbers, booleans,
 * dates (a number under a date format, ECMA-376 §18.8.30) and formulas ({ formula }).
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Cell } from '../../domain/census-sheet.js';
import { UnreadableSheetError, type SheetRow } from '../../ports/sheets.js';

type Zip = yauzl.ZipFile;

async function entries(file: string): Promise<{ zip: Zip; byName: Map<string, yauzl.Entry> }> {
  let zip: Zip;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  } catch (e) {
    throw new UnreadableSheetError(`not an .xlsx workbook we can read (${(e as Error).message})`);
  }
  const byName = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      byName.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return { zip, byName };
}

/**
 * An entry's XML as batches of events, decoding UTF-8 across chunk boundaries; `onBytes` hears
 * how many bytes of the entry have been read.
 */
async function* xmlEvents(zip: Zip, entry: yauzl.Entry, onBytes?: (bytes: number) => void): AsyncGenerator<XmlEvent[]> {
  const stream: Readable = await zip.openReadStreamPromise(entry);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = new SaxesParser();
  let events: XmlEvent[] = [];
  let failure: Error | undefined;
  parser.on('error', (e) => {
    failure = e;
  });
  parser.on('opentag', (tag) => events.push({ open: tag as SaxesTagPlain }));
  parser.on('text', (text) => events.push({ text }));
  parser.on('closetag', (tag) => events.push({ close: tag.name }));
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    onBytes?.(bytes);
    parser.write(decoder.decode(chunk as Buffer, { stream: true }));
    if (failure) throw new UnreadableSheetError(`the worksheet is not well-formed XML (${failure.message})`);
    yield events;
    events = [];
  }
  parser.write(decoder.decode());
  parser.close();
  if (failure) throw new UnreadableSheetError(`the worksheet is not well-formed XML (${failure.message})`);
  yield events;
}

type XmlEvent = { open: SaxesTagPlain } | { text: string } | { close: string };

/** Shared strings (§18.4): each <si> is the text of its <t> elements (rich runs joined; phonetic runs left out). */
async function sharedStrings(zip: Zip, entry: yauzl.Entry | undefined): Promise<string[]> {
  const strings: string[] = [];
  if (!entry) return strings;
  let current: string[] | null = null;
  let inText = false;
  let phonetic = 0;
  for await (const events of xmlEvents(zip, entry)) {
    for (const e of events) {
      if ('open' in e) {
        if (e.open.name === 'si') current = [];
        else if (e.open.name === 'rPh') phonetic += 1;
        else if (e.open.name === 't' && phonetic === 0) inText = true;
      } else if ('text' in e) {
        if (inText && current) current.push(e.text);
      } else if (e.close === 't') inText = false;
      else if (e.close === 'rPh') phonetic -= 1;
      else if (e.close === 'si') {
        strings.push(current!.join(''));
        current = null;
      }
    }
  }
  return strings;
}

/** Built-in date formats (§18.8.30: 14–22, 45–47) and those of the zh-CN locale (27–36, 50–58). */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Which cell styles (the s attribute, an index into cellXfs) format numbers as dates. */
async function dateStyles(zip: Zip, entry: yauzl.Entry | undefined): Promise<Set<number>> {
  const dates = new Set<number>();
  if (!entry) return dates;
  const customDate = new Set<number>();
  let inCellXfs = false;
  let xf = 0;
  for await (const events of xmlEvents(zip, entry)) {
    for (const e of events) {
      if ('open' in e) {
        const a = e.open.attributes;
        if (e.open.name === 'numFmt') {
          // A custom format is a date when it has date or time codes outside quotes and brackets.
          const code = String(a.formatCode ?? '').replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
          if (/[ymdhs]/i.test(code)) customDate.add(Number(a.numFmtId));
        } else if (e.open.name === 'cellXfs') inCellXfs = true;
        else if (e.open.name === 'xf' && inCellXfs) {
          const id = Number(a.numFmtId ?? 0);
          if (BUILTIN_DATE_FORMATS.has(id) || customDate.has(id)) dates.add(xf);
          xf += 1;
        }
      } else if ('close' in e && e.close === 'cellXfs') inCellXfs = false;
    }
  }
  return dates;
}

/** Excel's serial day number (1900 date system) as a Date. */
const fromSerial = (serial: number) => new Date(Math.round((serial - 25569) * 86_400_000));

/** The worksheet the workbook lists first (§18.2.20), by its relationship. */
async function firstSheetPath(zip: Zip, byName: Map<string, yauzl.Entry>): Promise<string | null> {
  const book = byName.get('xl/workbook.xml');
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  if (!book || !rels) return byName.has('xl/worksheets/sheet1.xml') ? 'xl/worksheets/sheet1.xml' : null;
  let rid: string | null = null;
  for await (const events of xmlEvents(zip, book)) {
    for (const e of events) if (!rid && 'open' in e && e.open.name === 'sheet') rid = String(e.open.attributes['r:id']);
  }
  let target: string | null = null;
  for await (const events of xmlEvents(zip, rels)) {
    for (const e of events) if ('open' in e && e.open.name === 'Relationship' && e.open.attributes.Id === rid) target = String(e.open.attributes.Target);
  }
  if (!target) return null;
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

/** A1 → 0-based column index. */
function columnOf(reference: string): number {
  let n = 0;
  for (const c of reference) {
    if (c < 'A' || c > 'Z') break;
    n = n * 26 + (c.charCodeAt(0) - 64);
  }
  return n - 1;
}

export async function* xlsxRows(file: string): AsyncGenerator<SheetRow> {
  const { zip, byName } = await entries(file);
  try {
    const path = await firstSheetPath(zip, byName);
    const sheet = path ? byName.get(path) : undefined;
    if (!sheet) throw new UnreadableSheetError('the workbook has no worksheet');
    const strings = await sharedStrings(zip, byName.get('xl/sharedStrings.xml'));
    const dates = await dateStyles(zip, byName.get('xl/styles.xml'));
    let row: { number: number; cells: Cell[] } | null = null;
    let cell: { index: number; type: string; style: number; value: string; formula: string | null; inline: string[] } | null = null;
    let reading: 'v' | 'f' | 't' | null = null;
    let nextRow = 1;
    let read = 0;
    for await (const events of xmlEvents(zip, sheet, (bytes) => (read = bytes / (sheet.uncompressedSize || 1)))) {
      for (const e of events) {
        if ('open' in e) {
          const a = e.open.attributes;
          if (e.open.name === 'row') {
            const number = a.r ? Number(a.r) : nextRow;
            row = { number, cells: [] };
            nextRow = number + 1;
          } else if (e.open.name === 'c' && row) {
            cell = { index: a.r ? columnOf(String(a.r)) : row.cells.length, type: String(a.t ?? 'n'), style: Number(a.s ?? 0), value: '', formula: null, inline: [] };
          } else if (cell && (e.open.name === 'v' || e.open.name === 'f' || e.open.name === 't')) {
            reading = e.open.name;
            if (reading === 'f') cell.formula = '';
          }
        } else if ('text' in e) {
          if (!cell || !reading) continue;
          if (reading === 'v') cell.value += e.text;
          else if (reading === 'f') cell.formula += e.text;
          else cell.inline.push(e.text);
        } else if (e.close === 'v' || e.close === 'f' || e.close === 't') {
          reading = null;
        } else if (e.close === 'c' && row && cell) {
          while (row.cells.length < cell.index) row.cells.push(null);
          row.cells[cell.index] = cellValue(cell, strings, dates);
          cell = null;
        } else if (e.close === 'row' && row) {
          if (row.cells.some((c) => c !== null && c !== '')) yield { row: row.number, cells: row.cells, read: Math.min(read, 1) };
          row = null;
        }
      }
    }
  } finally {
    zip.close();
  }
}

function cellValue(cell: { type: string; style: number; value: string; formula: string | null; inline: string[] }, strings: string[], dates: Set<number>): Cell {
  if (cell.formula !== null) return { formula: cell.formula };
  switch (cell.type) {
    case 's': return strings[Number(cell.value)] ?? null;
    case 'inlineStr': return cell.inline.join('');
    case 'str': return cell.value;
    case 'b': return cell.value === '1';
    case 'e': return cell.value;
    case 'd': return new Date(cell.value);
    default: {
      if (cell.value === '') return null;
      const n = Number(cell.value);
      return dates.has(cell.style) ? fromSerial(n) : n;
    }
  }
}
