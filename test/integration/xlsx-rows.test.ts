/**
 * The streaming XLSX reader on real workbooks written by exceljs (as Excel writes them: shared
 * strings, rich text, styles): Chinese text exact across the parser's chunk boundaries, sparse
 * rows, dates under custom formats, booleans and formulas.
 */
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SheetFileAdapter } from '../../src/adapters/sheets/sheet-files.js';
import { DEFAULT_INPUT_LIMITS } from '../../src/config.js';
import { xlsxRows } from '../../src/adapters/sheets/xlsx-rows.js';
import { UnreadableSheetError } from '../../src/domain/errors.js';

describe('reading XLSX as a stream', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-xlsx-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const rows = async (file: string) => {
    const out = [];
    for await (const row of xlsxRows(file, DEFAULT_INPUT_LIMITS.sheet)) out.push(row);
    return out;
  };

  it('keeps every Chinese character of 20,000 rows exactly — Extension B too — whatever the chunk boundaries', async () => {
    const file = path.join(dir, 'big.xlsx');
    // Characters outside the BMP (𠀋 U+2000B), as rare names have them. Written by the exporter's
    // own streaming writer: exceljs' in-memory writer (JSZip) splits such characters at its chunk
    // boundaries and writes U+FFFD instead — twice in a file like this one.
    const text = (i: number) => `欽定四庫全書簡明目錄${i}卷　（清）永瑢等撰　𠀋𡈽𡌛${'資治通鑑'.repeat(i % 7)}`;
    async function* lines() {
      for (let i = 0; i < 20_000; i++) yield [`430000-0001-${String(i + 1).padStart(7, '0')}`, text(i)];
    }
    const out = createWriteStream(file);
    await new SheetFileAdapter(DEFAULT_INPUT_LIMITS.sheet).write('xlsx', ['普查编号', '题名卷数'], lines(), out);
    await new Promise<void>((resolve) => out.on('close', () => resolve()));
    const read = await rows(file);
    expect(read).to.have.length(20_001);
    const wrong = read.slice(1).filter((r, i) => r.cells[1] !== text(i) || r.row !== i + 2);
    expect(wrong, JSON.stringify(wrong.slice(0, 2))).to.deep.equal([]);
  });

  it('reads rich text, sparse rows, dates under custom formats, booleans and formulas', async () => {
    const file = path.join(dir, 'kinds.xlsx');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('一');
    sheet.getCell('A1').value = { richText: [{ text: '題名' }, { font: { bold: true }, text: '卷數' }] };
    sheet.getCell('C1').value = '版本';
    sheet.getCell('A3').value = new Date(Date.UTC(1912, 0, 1));
    sheet.getCell('A3').numFmt = 'yyyy"年"m"月"d"日"';
    sheet.getCell('B3').value = true;
    sheet.getCell('C3').value = { formula: 'A3+1', result: 0 } as ExcelJS.CellFormulaValue;
    sheet.getCell('D3').value = 12;
    await book.xlsx.writeFile(file);
    const read = await rows(file);
    expect(read.map((r) => r.row)).to.deep.equal([1, 3]);
    expect(read[0]!.cells).to.deep.equal(['題名卷數', null, '版本']);
    expect(read[1]!.cells).to.deep.equal([new Date(Date.UTC(1912, 0, 1)), true, { formula: 'A3+1' }, 12]);
  });

  it('refuses a file that is not a workbook', async () => {
    const file = path.join(dir, 'not.xlsx');
    writeFileSync(file, '普查编号,题名卷数\n');
    let error: unknown;
    try {
      await rows(file);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(UnreadableSheetError);
  });
});
