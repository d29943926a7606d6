/**
 * The rows of an .xlsx workbook's first worksheet, streamed: the zip is read by random access
 * (yauzl), the shared strings and the number formats first, then the worksheet's XML through a
 * streaming parser (saxes) fed by one UTF-8 decoder for the whole entry — so a Chinese character
 * cut by a chunk boundary is joined again, which exceljs' own streaming reader does not do
 * (exceljs issues 2063, 2084, 2316). Memory holds the shared strings and one row, not the sheet.
 *
 * Cells come as the census import expects them (ports/sheets.ts): text, numbers, booleans,
 * dates (a number under a date format, ECMA-376 §18.8.30) and formulas ({ formula }).
 *
 * Bounded (config.ts, SheetLimits), because a few hundred bytes of zip can describe gigabytes:
 * each part's declared size, the parts' total and their compression ratio are checked before a
 * part is opened (yauzl then holds the part to its declared size), shared strings by count and
 * characters, the sheet by rows, columns and characters a row, and the whole by reading time.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { SheetLimits } from '../../config.js';
import type { Cell } from '../../domain/census-sheet.js';
import { AppError, SheetTooLargeError, UnreadableSheetError } from '../../domain/errors.js';
import type { SheetRow } from '../../ports/sheets.js';
import { ReadBudget } from './read-budget.js';

type Zip = yauzl.ZipFile;

/** A workbook has a few dozen parts; a zip of millions of entries is not one. */
const MAX_PARTS = 10_000;
/** Below this size a part's compression ratio is not looked at (tiny parts compress oddly). */
const RATIO_FLOOR = 2 ** 20;

/** The reading of one workbook: its limits, and the decompressed bytes of the parts opened so far. */
class Reading extends ReadBudget {
  private unzipped = 0;

  /** Before a part is opened: its declared size, the total so far and the ratio (a zip bomb's tell). */
  open(entry: yauzl.Entry): void {
    const { maxUnzippedBytes, maxRatio } = this.limits;
    const mib = `${+(maxUnzippedBytes / 2 ** 20).toFixed(2)} MiB`;
    if (entry.uncompressedSize > maxUnzippedBytes) throw new SheetTooLargeError(`${entry.fileName} decompresses to more than ${mib}`, 'GUJI_SHEET_MAX_UNZIPPED_MB');
    this.unzipped += entry.uncompressedSize;
    if (this.unzipped > maxUnzippedBytes) throw new SheetTooLargeError(`the workbook's parts decompress to more than ${mib}`, 'GUJI_SHEET_MAX_UNZIPPED_MB');
    if (entry.uncompressedSize > RATIO_FLOOR && entry.uncompressedSize > maxRatio * Math.max(entry.compressedSize, 1)) {
      throw new SheetTooLargeError(`${entry.fileName} is compressed more than ${maxRatio} to 1`, 'GUJI_SHEET_MAX_RATIO');
    }
  }
}

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
      if (byName.size > MAX_PARTS) reject(new UnreadableSheetError(`not an .xlsx workbook: more than ${MAX_PARTS} parts`));
      else zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', (e: Error) => reject(new UnreadableSheetError(`not an .xlsx workbook we can read (${e.message})`)));
    zip.readEntry();
  }).catch((e: unknown) => {
    zip.close();
    throw e;
  });
  return { zip, byName };
}

/** SpreadsheetML nests a handful of elements deep, with a handful of attributes a tag. */
const MAX_XML_DEPTH = 64;
const MAX_ATTRIBUTES = 256;

/**
 * What saxes holds between events — the text, name or entity it is reading, the open tags, a
 * tag's attributes — which a part of a gigabyte with no markup, or of nothing but open tags,
 * would grow without end. Its fields are private: read, never written. Returns the characters
 * held; refuses a structure no workbook has.
 */
function heldBySaxes(parser: SaxesParser): number {
  const held = parser as unknown as { text?: string; name?: string; entity?: string; piTarget?: string; tags?: unknown[]; attribList?: unknown[] };
  if ((held.tags?.length ?? 0) > MAX_XML_DEPTH) throw new UnreadableSheetError(`not a workbook: elements nested more than ${MAX_XML_DEPTH} deep`);
  if ((held.attribList?.length ?? 0) > MAX_ATTRIBUTES) throw new UnreadableSheetError(`not a workbook: a tag with more than ${MAX_ATTRIBUTES} attributes`);
  return (held.text?.length ?? 0) + (held.name?.length ?? 0) + (held.entity?.length ?? 0) + (held.piTarget?.length ?? 0);
}

/**
 * An entry's XML as batches of events, decoding UTF-8 across chunk boundaries; `onBytes` hears
 * how many bytes of the entry have been read. What the zip or the XML gets wrong is an
 * UnreadableSheetError; a limit passed, a SheetTooLargeError. `held` checks what saxes holds
 * between events (a row's characters, unless the part says otherwise).
 */
async function* xmlEvents(
  zip: Zip, entry: yauzl.Entry, reading: Reading, onBytes?: (bytes: number) => void, held: (chars: number) => void = (chars) => reading.rowChars(chars),
): AsyncGenerator<XmlEvent[]> {
  reading.open(entry);
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (e) {
    throw new UnreadableSheetError(`${entry.fileName} cannot be unzipped (${(e as Error).message})`);
  }
  try {
    yield* parsedEvents(stream, reading, held, onBytes);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new UnreadableSheetError(`${entry.fileName} cannot be read (${(e as Error).message})`);
  } finally {
    stream.destroy();
  }
}

async function* parsedEvents(stream: Readable, reading: Reading, held: (chars: number) => void, onBytes?: (bytes: number) => void): AsyncGenerator<XmlEvent[]> {
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
    reading.tick();
    held(heldBySaxes(parser));
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
async function sharedStrings(zip: Zip, entry: yauzl.Entry | undefined, reading: Reading): Promise<string[]> {
  const strings: string[] = [];
  if (!entry) return strings;
  const { maxStrings, maxStringChars } = reading.limits;
  let chars = 0;
  const tooMany = () => new SheetTooLargeError(`shared strings of more than ${maxStringChars} characters`, 'GUJI_SHEET_MAX_STRING_CHARS');
  let current: string[] | null = null;
  let inText = false;
  let phonetic = 0;
  const held = (pending: number) => {
    if (chars + pending > maxStringChars) throw tooMany();
  };
  for await (const events of xmlEvents(zip, entry, reading, undefined, held)) {
    for (const e of events) {
      if ('open' in e) {
        if (e.open.name === 'si') current = [];
        else if (e.open.name === 'rPh') phonetic += 1;
        else if (e.open.name === 't' && phonetic === 0) inText = true;
      } else if ('text' in e) {
        if (inText && current) {
          current.push(e.text);
          chars += e.text.length;
          if (chars > maxStringChars) throw tooMany();
        }
      } else if (e.close === 't') inText = false;
      else if (e.close === 'rPh') phonetic -= 1;
      else if (e.close === 'si') {
        strings.push((current ?? []).join(''));
        current = null;
        if (strings.length > maxStrings) throw new SheetTooLargeError(`more than ${maxStrings} shared strings`, 'GUJI_SHEET_MAX_STRINGS');
      }
    }
  }
  return strings;
}

/** Built-in date formats (§18.8.30: 14–22, 45–47) and those of the zh-CN locale (27–36, 50–58). */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Which cell styles (the s attribute, an index into cellXfs) format numbers as dates. */
async function dateStyles(zip: Zip, entry: yauzl.Entry | undefined, reading: Reading): Promise<Set<number>> {
  const dates = new Set<number>();
  if (!entry) return dates;
  const customDate = new Set<number>();
  let inCellXfs = false;
  let xf = 0;
  for await (const events of xmlEvents(zip, entry, reading)) {
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
async function firstSheetPath(zip: Zip, byName: Map<string, yauzl.Entry>, reading: Reading): Promise<string | null> {
  const book = byName.get('xl/workbook.xml');
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  if (!book || !rels) return byName.has('xl/worksheets/sheet1.xml') ? 'xl/worksheets/sheet1.xml' : null;
  let rid: string | null = null;
  for await (const events of xmlEvents(zip, book, reading)) {
    for (const e of events) if (!rid && 'open' in e && e.open.name === 'sheet') rid = String(e.open.attributes['r:id']);
  }
  let target: string | null = null;
  for await (const events of xmlEvents(zip, rels, reading)) {
    for (const e of events) if ('open' in e && e.open.name === 'Relationship' && e.open.attributes.Id === rid) target = String(e.open.attributes.Target);
  }
  if (!target) return null;
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

/** A1 → 0-based column index (past 7 letters it stops counting: no limit is that large). */
function columnOf(reference: string): number {
  let n = 0;
  for (const c of reference.slice(0, 8)) {
    if (c < 'A' || c > 'Z') break;
    n = n * 26 + (c.charCodeAt(0) - 64);
  }
  return n - 1;
}

export async function* xlsxRows(file: string, limits: SheetLimits): AsyncGenerator<SheetRow> {
  const reading = new Reading(limits);
  const { zip, byName } = await entries(file);
  try {
    const path = await firstSheetPath(zip, byName, reading);
    const sheet = path ? byName.get(path) : undefined;
    if (!sheet) throw new UnreadableSheetError('the workbook has no worksheet');
    const strings = await sharedStrings(zip, byName.get('xl/sharedStrings.xml'), reading);
    const dates = await dateStyles(zip, byName.get('xl/styles.xml'), reading);
    let row: { number: number; cells: Cell[]; chars: number } | null = null;
    let cell: { index: number; type: string; style: number; value: string; formula: string | null; inline: string[] } | null = null;
    let inside: 'v' | 'f' | 't' | null = null;
    let nextRow = 1;
    let read = 0;
    for await (const events of xmlEvents(zip, sheet, reading, (bytes) => (read = bytes / (sheet.uncompressedSize || 1)))) {
      for (const e of events) {
        if ('open' in e) {
          const a = e.open.attributes;
          if (e.open.name === 'row') {
            reading.row();
            const number = a.r ? Number(a.r) : nextRow;
            row = { number, cells: [], chars: 0 };
            nextRow = number + 1;
          } else if (e.open.name === 'c' && row) {
            const index = a.r ? columnOf(String(a.r)) : row.cells.length;
            reading.column(index);
            cell = { index, type: String(a.t ?? 'n'), style: Number(a.s ?? 0), value: '', formula: null, inline: [] };
          } else if (cell && (e.open.name === 'v' || e.open.name === 'f' || e.open.name === 't')) {
            inside = e.open.name;
            if (inside === 'f') cell.formula = '';
          }
        } else if ('text' in e) {
          if (!cell || !inside) continue;
          if (row) reading.rowChars((row.chars += e.text.length));
          if (inside === 'v') cell.value += e.text;
          else if (inside === 'f') cell.formula += e.text;
          else cell.inline.push(e.text);
        } else if (e.close === 'v' || e.close === 'f' || e.close === 't') {
          inside = null;
        } else if (e.close === 'c' && row && cell) {
          while (row.cells.length < cell.index) row.cells.push(null);
          const value = cellValue(cell, strings, dates);
          // A shared string counts where it is used: the consumer gets the text, not the index.
          if (cell.type === 's' && typeof value === 'string') reading.rowChars((row.chars += value.length));
          row.cells[cell.index] = value;
          cell = null;
        } else if (e.close === 'row' && row) {
          if (row.cells.some((c) => c !== null && c !== '')) {
            reading.pause();
            yield { row: row.number, cells: row.cells, read: Math.min(read, 1) };
            reading.resume();
          }
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
