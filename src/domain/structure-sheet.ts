/**
 * The structure sheets of the NLC digitization template, attached to a digitized record:
 *
 * - the volume sheet (分册表): 册次, 册名, 文件 — which page files make each 册, in order;
 * - the table-of-contents sheet (目次表): 层级, 题名, 著者, 册次, 起始叶 — where each 卷 (level
 *   1), 篇 (level 2) … begins.
 *
 * A page is named by its file name as uploaded (with or without the extension), by its place in
 * the book (a number), or — in the table of contents, within the 册 its row names — by its leaf
 * label (葉三a). The volume sheet's 文件 cell lists pages (separated by 、 ； ; | or line breaks)
 * and ranges (`0001.tif~0086.tif`, `1-86`, `1至86`). Pure: rows in, the record's pages
 * rearranged out, or every problem by row and column.
 */
import { LIST_SEPARATOR, type Cell } from './census-sheet.js';
import type { Heading, Page } from './page.js';

export interface SheetProblem {
  /** Which sheet: `volumes` or `contents`. */
  field: string;
  /** The row as a spreadsheet program numbers it (the heading row is 1); absent for the whole sheet. */
  row?: number;
  column?: string;
  problem: string;
}

export interface StructureRows {
  /** The sheet's rows, the heading row first. */
  rows: { row: number; cells: Cell[] }[];
}

/** What a page becomes: its place, 册, 卷 and headings (the fields PUT …/structure takes). */
export interface ArrangedPage {
  imageId: string;
  volume: string | null;
  juan: string | null;
  label: string | null;
  headings?: Heading[];
  behavior?: Page['behavior'];
  start?: true;
}

/** A heading that opens at a page; `title` null closes the headings of its level and deeper. */
export type Opening = Omit<Heading, 'title'> & { title: string | null };

/**
 * The headings that open at each page: those the table of contents gives, or else one per change
 * of 卷 (a page with no 卷 after one that had closes it).
 */
export function openingsOf(pages: readonly Page[]): Opening[][] {
  if (pages.some((p) => p.headings?.length)) return pages.map((p) => p.headings ?? []);
  return pages.map((p, i) => ((i === 0 ? null : pages[i - 1]!.juan) === p.juan ? [] : [{ level: 1, title: p.juan, author: null }]));
}

type Columns<K extends string> = Record<K, readonly string[]>;
const VOLUME_COLUMNS: Columns<'number' | 'name' | 'files'> = {
  number: ['册次', '冊次', '册号', '冊號', '序号', '序號', 'volume'],
  name: ['册名', '冊名', '分册名', '分冊名', 'name'],
  files: ['文件', '影像文件', '文件名', '起止文件', '影像', 'files'],
};
const CONTENTS_COLUMNS: Columns<'level' | 'title' | 'author' | 'volume' | 'start'> = {
  level: ['层级', '層級', '级别', '級別', 'level'],
  title: ['题名', '題名', '篇名', '卷名', '标题', '標題', 'title'],
  author: ['著者', '责任者', '責任者', 'author'],
  volume: ['册次', '冊次', '所在册', '所在冊', 'volume'],
  start: ['起始叶', '起始葉', '起始页', '起始頁', '叶', '葉', '页码', '頁碼', '起始文件', '文件', 'leaf', 'page'],
};

const text = (cell: Cell | undefined): string => (cell === null || cell === undefined ? '' : cell instanceof Date ? cell.toISOString() : typeof cell === 'object' ? '' : String(cell).trim());

/** Which column holds each key; the keys in `required` missing from the headings are problems. */
function layout<K extends string>(field: string, headings: Cell[], columns: Columns<K>, required: NoInfer<K>[], problems: SheetProblem[]): Partial<Record<K, number>> {
  const found: Partial<Record<K, number>> = {};
  headings.forEach((h, i) => {
    const heading = text(h).replace(/^\uFEFF/, '');
    for (const key of Object.keys(columns) as K[]) if (found[key] === undefined && columns[key].includes(heading)) found[key] = i;
  });
  for (const key of required) {
    if (found[key] === undefined) problems.push({ field, row: 1, column: columns[key][0], problem: 'required heading missing' });
  }
  return found;
}

/** Finds pages by file name (with or without extension) or by place (1-based). */
class PageFinder {
  private readonly byName = new Map<string, Page>();
  constructor(readonly pages: readonly Page[]) {
    for (const p of pages) {
      this.byName.set(p.filename, p);
      this.byName.set(p.filename.replace(/\.[^.]+$/, ''), p);
    }
  }

  one(ref: string): Page | string {
    const named = this.byName.get(ref);
    if (named) return named;
    if (/^\d+$/.test(ref)) {
      const n = Number(ref);
      return this.pages[n - 1] ?? `names page ${n}, but the record has ${this.pages.length} pages`;
    }
    return `names no page of the record: ${ref}`;
  }

  /** A list of pages and ranges, in the order written. */
  many(cell: string): Page[] | string {
    const out: Page[] = [];
    for (const part of cell.split(LIST_SEPARATOR).map((s) => s.trim()).filter(Boolean)) {
      // A range: a~b, a～b, a至b; a-b only between numbers or names that are both pages (file names may hold hyphens).
      const m = /^(.+?)\s*(?:[~～至—]|-(?=[^-]+$))\s*(.+)$/.exec(part);
      const whole = this.one(part);
      if (typeof whole !== 'string' || !m) {
        if (typeof whole === 'string') return whole;
        out.push(whole);
        continue;
      }
      const [from, to] = [this.one(m[1]!), this.one(m[2]!)];
      if (typeof from === 'string') return from;
      if (typeof to === 'string') return to;
      const [a, b] = [this.pages.indexOf(from), this.pages.indexOf(to)];
      if (b < a) return `the range ${part} runs backwards`;
      out.push(...this.pages.slice(a, b + 1));
    }
    return out;
  }
}

/**
 * Applies the volume sheet and/or the table of contents to the record's pages (in their present
 * order). The volume sheet sets each page's 册 and the order (by 册次, then as listed); the
 * table of contents sets the headings and each page's 卷 (the level-1 heading in force).
 */
export function applyStructureSheets(
  pages: readonly Page[],
  sheets: { volumes?: StructureRows; contents?: StructureRows },
): { pages: ArrangedPage[]; problems: SheetProblem[] } {
  const problems: SheetProblem[] = [];
  let arranged: ArrangedPage[] = pages.map((p) => ({
    imageId: p.imageId, volume: p.volume, juan: p.juan, label: p.label, ...(p.headings ? { headings: p.headings } : {}),
    // Kept through the sheets, which say nothing of them.
    ...(p.behavior ? { behavior: p.behavior } : {}), ...(p.start ? { start: p.start } : {}),
  }));
  if (sheets.volumes) arranged = applyVolumes(pages, arranged, sheets.volumes, problems);
  if (sheets.contents && problems.length === 0) applyContents(pages, arranged, sheets.contents, problems);
  return { pages: arranged, problems };
}

function applyVolumes(pages: readonly Page[], arranged: ArrangedPage[], sheet: StructureRows, problems: SheetProblem[]): ArrangedPage[] {
  const field = 'volumes';
  const [head, ...rows] = sheet.rows;
  if (!head) {
    problems.push({ field, problem: 'the sheet is empty' });
    return arranged;
  }
  const at = layout(field, head.cells, VOLUME_COLUMNS, ['files'], problems);
  if (problems.length > 0) return arranged;
  const finder = new PageFinder(pages);
  const volumes: { number: number; name: string; pages: Page[] }[] = [];
  const placed = new Map<string, number>();
  for (const { row, cells } of rows) {
    if (cells.every((c) => text(c) === '')) continue;
    const numberText = at.number === undefined ? String(volumes.length + 1) : text(cells[at.number]);
    const number = Number(numberText);
    if (!/^\d+$/.test(numberText) || number < 1) {
      problems.push({ field, row, column: text(head.cells[at.number!]), problem: `must be a whole number from 1, not ${JSON.stringify(numberText)}` });
      continue;
    }
    if (volumes.some((v) => v.number === number)) {
      problems.push({ field, row, column: text(head.cells[at.number!]), problem: `repeats 册次 ${number}` });
      continue;
    }
    const found = finder.many(text(cells[at.files!]));
    if (typeof found === 'string' || found.length === 0) {
      problems.push({ field, row, column: text(head.cells[at.files!]), problem: typeof found === 'string' ? found : 'lists no pages' });
      continue;
    }
    for (const p of found) {
      const other = placed.get(p.imageId);
      if (other !== undefined) problems.push({ field, row, column: text(head.cells[at.files!]), problem: `${p.filename} is already in the 册 of row ${other}` });
      placed.set(p.imageId, row);
    }
    const name = at.name === undefined ? '' : text(cells[at.name]);
    volumes.push({ number, name: name || `第${number}册`, pages: found });
  }
  const left = pages.filter((p) => !placed.has(p.imageId));
  if (left.length > 0) problems.push({ field, problem: `every page must be in a 册; not in any: ${left.map((p) => p.filename).join(', ')}` });
  if (problems.length > 0) return arranged;
  const byId = new Map(arranged.map((a) => [a.imageId, a]));
  return volumes
    .sort((a, b) => a.number - b.number)
    .flatMap((v) => v.pages.map((p) => ({ ...byId.get(p.imageId)!, volume: v.name })));
}

function applyContents(pages: readonly Page[], arranged: ArrangedPage[], sheet: StructureRows, problems: SheetProblem[]): void {
  const field = 'contents';
  const [head, ...rows] = sheet.rows;
  if (!head) {
    problems.push({ field, problem: 'the sheet is empty' });
    return;
  }
  const at = layout(field, head.cells, CONTENTS_COLUMNS, ['title', 'start'], problems);
  if (problems.length > 0) return;
  const column = (key: keyof typeof CONTENTS_COLUMNS) => text(head.cells[at[key]!]);
  // Pages in their new order (the volume sheet may have moved them), with the 册 each is in.
  const byId = new Map(pages.map((p) => [p.imageId, p]));
  const ordered = arranged.map((a) => byId.get(a.imageId)!);
  const finder = new PageFinder(ordered);
  const volumeNames = [...new Set(arranged.map((a) => a.volume))];
  const headings = new Map<number, Heading[]>();
  let last: { index: number; row: number; level: number } | null = null;
  for (const { row, cells } of rows) {
    if (cells.every((c) => text(c) === '')) continue;
    const levelText = at.level === undefined ? '1' : text(cells[at.level]) || '1';
    const level = Number(levelText);
    if (!/^[1-5]$/.test(levelText)) {
      problems.push({ field, row, column: column('level'), problem: `must be a level from 1 to 5, not ${JSON.stringify(levelText)}` });
      continue;
    }
    const title = text(cells[at.title!]);
    if (!title) {
      problems.push({ field, row, column: column('title'), problem: 'is required' });
      continue;
    }
    const start = text(cells[at.start!]);
    const volume = at.volume === undefined ? '' : text(cells[at.volume]);
    let page: Page | string = finder.one(start);
    // 葉三a within the 册 the row names (its 册次, or its 册名).
    if (typeof page === 'string' && start) {
      const inVolume = volume ? (/^\d+$/.test(volume) ? volumeNames[Number(volume) - 1] : volume) : undefined;
      const matches = arranged.flatMap((a, i) => (a.label === start && (inVolume === undefined || a.volume === inVolume) ? [ordered[i]!] : []));
      if (matches.length === 1) page = matches[0]!;
      else if (matches.length > 1) page = `names ${matches.length} pages labelled ${start}; give the 册 too`;
    }
    if (typeof page === 'string') {
      problems.push({ field, row, column: column('start'), problem: start ? page : 'is required' });
      continue;
    }
    const index = ordered.indexOf(page);
    if (last && (index < last.index || (index === last.index && level <= last.level))) {
      problems.push({ field, row, column: column('start'), problem: `begins before the entry of row ${last.row} ends (entries go in reading order, outermost first)` });
      continue;
    }
    last = { index, row, level };
    const author = at.author === undefined ? '' : text(cells[at.author]);
    headings.set(index, [...(headings.get(index) ?? []), { level, title, author: author || null }]);
  }
  if (problems.length > 0) return;
  // Each page's 卷 is the level-1 heading in force, so that canvases are labelled 卷一 葉三a.
  let juan: string | null = null;
  arranged.forEach((a, i) => {
    const here = headings.get(i);
    delete a.headings;
    if (here) {
      a.headings = here;
      const top = here.find((h) => h.level === 1);
      if (top) juan = top.title;
    }
    a.juan = juan;
  });
}
