/**
 * What a person's correction of a page's text does to its columns and characters, and the
 * whole book's text in reading order. Pure: the text service (src/services/text-service.ts)
 * reads and writes.
 */
import type { Box, ColumnKind, PageText, TextChar, TextColumn } from './page-text.js';

/** A column as a proofreader sends it: its text, and its box and characters when they are known. */
export interface ColumnInput {
  kind?: ColumnKind;
  box?: Box;
  text: string;
  chars?: { char: string; box: Box; confidence?: number }[];
}

/** Characters as a reader counts them: a character and the variation selectors that follow it. */
export function charactersOf(text: string): string[] {
  // A mark with nothing before it stands alone rather than being lost: the text stays as written.
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: the class lists marks only, on purpose.
  return text.match(/\P{M}[\p{M}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]*|[\p{M}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]+/gu) ?? [];
}

/**
 * The column after a correction. Characters sent with their boxes are kept as sent. Otherwise,
 * from the text alone: when it has as many characters as before, each keeps its box, and one
 * that changed is a person's reading (confidence 1); when characters were added or removed,
 * the column's box is shared evenly among them, top to bottom — all of them a person's reading.
 */
export function correctedColumn(input: ColumnInput, before: TextColumn | undefined): TextColumn {
  const box = input.box ?? before!.box;
  const kind = input.kind ?? before?.kind ?? 'main';
  if (input.chars) {
    const chars = input.chars.map((c) => ({ char: c.char, box: c.box, confidence: c.confidence ?? 1 }));
    return { kind, box, text: chars.map((c) => c.char).join(''), chars };
  }
  const wanted = charactersOf(input.text);
  let chars: TextChar[];
  if (before && wanted.length === before.chars.length) {
    chars = wanted.map((char, i) => {
      const old = before.chars[i]!;
      return old.char === char ? old : { char, box: old.box, confidence: 1 };
    });
  } else {
    const [x, y, w, h] = box;
    const step = h / Math.max(1, wanted.length);
    chars = wanted.map((char, i) => ({ char, box: [x, Math.round(y + i * step), w, Math.max(1, Math.round(step))] as Box, confidence: 1 }));
  }
  return { kind, box, text: chars.map((c) => c.char).join(''), chars };
}

/** The columns whose text changed, as `columns.i` before → after (history entries). */
export function columnChanges(before: PageText | null, after: PageText): { field: string; before: string | null; after: string | null }[] {
  const old = before?.columns ?? [];
  const changes = [];
  for (let i = 0; i < Math.max(old.length, after.columns.length); i++) {
    const a = old[i];
    const b = after.columns[i];
    if (a?.text !== b?.text || a?.kind !== b?.kind || JSON.stringify(a?.box) !== JSON.stringify(b?.box)) {
      changes.push({ field: `columns.${i}`, before: a ? a.text : null, after: b ? b.text : null });
    }
  }
  return changes;
}

/**
 * The page's reading text: each main column on its line, a run of 雙行小注 columns (right one
 * first) on one line in （）, the 版心 left out (its title, 卷 and leaf number are the page's
 * marker in the book text).
 */
export function readingLines(page: PageText): string[] {
  const lines: string[] = [];
  let notes: string[] = [];
  const flush = () => {
    if (notes.length) lines.push(`（${notes.join('')}）`);
    notes = [];
  };
  for (const column of page.columns) {
    if (column.kind === 'note') notes.push(column.text);
    else {
      flush();
      if (column.kind === 'main') lines.push(column.text);
    }
  }
  flush();
  return lines;
}

export interface BookPage {
  sequence: number;
  juan: string | null;
  /** The page's label as the manifest gives it (卷一 葉三a, or 第 3 半叶). */
  label: string;
  /** Null when the reader may not see this page's text, or it has none yet. */
  text: PageText | null;
  /** Why the text is missing, in the marker (`no text yet`, `not yet verified`). */
  missing?: string;
}

/**
 * The whole book in reading order: `【卷一】` where a 卷 begins, `〈n 卷一 葉三a〉` before each
 * page, then its reading lines. Markers are in 【】 and 〈〉, which the reading lines never use.
 */
export function bookText(title: string, censusNumber: string, pages: readonly BookPage[]): string {
  const out = [`${title}`, `${censusNumber}`, ''];
  let juan: string | null = null;
  for (const page of pages) {
    if (page.juan && page.juan !== juan) out.push(`【${page.juan}】`);
    juan = page.juan ?? juan;
    out.push(`〈${page.sequence} ${page.label}${page.text ? '' : `: ${page.missing ?? 'no text'}`}〉`);
    if (page.text) out.push(...readingLines(page.text));
  }
  return `${out.join('\n')}\n`;
}
