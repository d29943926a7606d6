/**
 * The text read from one page image: columns in reading order (right to left for vertical
 * Chinese), each with its box and its characters, every box in the master's pixel space
 * (`[x, y, w, h]`, origin top left) so a viewer can draw it over the IIIF image of the leaf.
 */

/** `[x, y, w, h]` in the master's pixels. */
export type Box = [x: number, y: number, w: number, h: number];

/**
 * `main` — a column of the body text; `note` — one of the two half-width columns of a
 * 雙行小注 (interlinear note), right one first; `banxin` — text outside the frame (版框) on the
 * side of the fold, where the 版心 (title, 卷 and leaf number) stands.
 */
export type ColumnKind = 'main' | 'note' | 'banxin';

export interface TextChar {
  char: string;
  box: Box;
  /** The engine's probability for this reading, 0–1. */
  confidence: number;
}

export interface TextColumn {
  kind: ColumnKind;
  box: Box;
  /** The characters' readings joined, as written (no separators). */
  text: string;
  chars: TextChar[];
}

export interface PageText {
  /** Which engine read the page, e.g. `paddle-columns PP-OCRv4-rec onnxruntime 1.30.0`. */
  engine: { name: string; version: string };
  /** The master's size, for which the boxes are given. */
  width: number;
  height: number;
  columns: TextColumn[];
}

/** The page's body text in reading order, one line per column (notes and 版心 left out). */
export function mainText(page: PageText): string {
  return page.columns
    .filter((c) => c.kind === 'main')
    .map((c) => c.text)
    .join('\n');
}
