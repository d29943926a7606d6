/**
 * Lays a known text (a transcription, a Kanseki Repository or ctext file) onto the OCR drafts of
 * a book's pages: the text is aligned character by character against the drafts read in order,
 * so each page gets the part of the text it shows, each character the box of the OCR character
 * it stands on, and pages where the two disagree too much are flagged rather than overwritten
 * (issue 15: "where the two disagree beyond a threshold the page is flagged rather than forced").
 *
 * What counts: letters of any script (ideographs, 〇, kana …) are the characters of the page
 * image and each stands on one OCR character. Everything else in the known text is kept as
 * written but stands on nothing: punctuation a modern editor added (。，、「」), Latin letters and
 * digits (note numbers), symbols. Such a mark travels with the character before it — an opening
 * one (「《（ …) with the character after it — and takes a quarter of that character's box, where
 * a reader's 句讀 mark would be drawn. Line breaks and spaces are layout, not text: the page's
 * columns give each page its lines (a line break in the known text is used only to decide on
 * which side of a column or page break characters that the OCR missed belong). Headings (卷一,
 * 經部一 …) are text like any other: where the page shows them they align; where an editor added
 * them they stand in the OCR's gap, and lower the page's agreement. The 版心 (banxin columns) is
 * left out on both sides: transcriptions do not carry it, and the page keeps its draft there.
 *
 * Characters are compared through the search folding (text-fold.ts), so 説/說 or 为/為 agree, and
 * are stored as written. OCR characters that are not letters (a stray ，or ？) are skipped.
 *
 * The alignment is Levenshtein's (match 0, substitution 1, insertion or deletion 1) and bounded:
 *  1. anchors — 4-grams of folded characters that occur exactly once in the known text and once
 *     in the drafts — are chained by the longest increasing subsequence (O(a log a));
 *  2. between consecutive anchors the gap is aligned exactly (a full table) while the table is
 *     small (≤ FULL_TABLE_CELLS) and the run's budget of full-table cells lasts; otherwise within
 *     a band around the gap's diagonal whose width shrinks with the gap's length so that the
 *     traceback never takes more than TRACEBACK_BYTES;
 *  3. before the first anchor and after the last the drafts may run on (a 卷 sent against a whole
 *     volume): those ends are aligned with the far end of the drafts left free.
 * Time O((N + M) · band) in the worst case (N known letters, M OCR letters, band ≤ 257 cells
 * but never narrower than the gap's slope), memory O(N + M) plus TRACEBACK_BYTES (32 MiB);
 * inputs are bounded by MAX_KNOWN_CHARACTERS and MAX_DRAFT_CHARACTERS. Measured by
 * `npm run bench -- align`.
 */
import { AppError, ValidationError } from './errors.js';
import type { Box, PageText, TextChar, TextColumn } from './page-text.js';
import { fold } from './text-fold.js';

export interface AlignedPage {
  /** The known text assigned to this page, as written; columns joined by '\n'. */
  text: string;
  /** Known characters laid onto the OCR columns: each char's box from the OCR char it aligned with (interpolated within the column where the OCR had a gap). Column kinds/boxes from the draft. */
  columns: TextColumn[];
  /** Share of the page's characters where known text and OCR agree after folding variants (0–1). */
  agreement: number;
  /** True when agreement is below the threshold: the page must not be overwritten. */
  flagged: boolean;
  /** The counts behind `agreement`: letters that agree, differ, stand in an OCR gap, and OCR letters no known letter stands on. */
  counts: { agree: number; differ: number; known: number; ocr: number };
}

export interface AlignmentOptions {
  /**
   * Pages whose agreement is below this are flagged. Default DEFAULT_FLAG_BELOW (0.5), from
   * book1's 10 pages read by our engine (npm run bench -- ocr: 11 % error): the right text
   * agrees on 0.86–1.00 of each page's letters (0.90 overall; punctuated or simplified the
   * same), texts of another book (five chapters of the 周易) on 0.00–0.06, and book1's own
   * letters shuffled on 0.02–0.16 — the alignment pairs common letters (之, 書, 一) by chance.
   * 0.5 sits between, with room for pages the engine reads worse (a woodblock page read at 22 %
   * error would agree on some 0.78), and above a page half of whose text is missing (≈ 0.45).
   */
  flagBelow?: number;
}

/** Code points of known text taken at once: a large 卷 is some 50,000; 史記 whole is 530,000. */
export const MAX_KNOWN_CHARACTERS = 1_000_000;
/** OCR letters over all the pages aligned at once (some 1,500 leaves). */
export const MAX_DRAFT_CHARACTERS = 1_000_000;
export const DEFAULT_FLAG_BELOW = 0.5;

const ANCHOR_LENGTH = 4;
const FULL_TABLE_CELLS = 4_000_000;
/** Full-table cells for one alignment, all gaps together: bounds the time when anchors are sparse. */
const FULL_TABLE_BUDGET = 100_000_000;
const TRACEBACK_BYTES = 32 << 20;
const MIN_BAND = 8;
const MAX_BAND = 128;

/** A letter of the page image: any script's letters (ideographs, 〇, kana), not Latin. */
const LETTER = /^[\p{L}\p{Nl}]/u;
const LATIN = /^[A-Za-z\uff21-\uff3a\uff41-\uff5a]/;
const MARK = /^\p{M}/u;
const OPENING = /^[\p{Ps}\p{Pi}]/u;
const SPACE = /^\s/u;
/** A Kanseki Repository entity for a character Unicode lacks (&KR0123;): one letter. */
const ENTITY = /&[A-Za-z]+\d*;/y;

const isLetter = (c: string) => LETTER.test(c) && !LATIN.test(c);

/** One letter of the known text with the marks that travel with it. */
interface Unit {
  char: string;
  before: string;
  after: string;
  /** A line break stood before this letter in the known text. */
  lineBefore: boolean;
}

function tooLong(): ValidationError {
  return new ValidationError(
    [{ field: 'text', problem: `is longer than ${MAX_KNOWN_CHARACTERS.toLocaleString('en-US')} characters; send a volume or 卷 at a time` }],
    'The text is too long to align at once.',
  );
}

/** Splits the known text into letters carrying their marks. */
function units(known: string): Unit[] {
  if (known.length > 2 * MAX_KNOWN_CHARACTERS) throw tooLong();
  // Counted before anything is built: a refused text costs one pass, no memory.
  let codePoints = 0;
  for (let i = 0; i < known.length; i++) if ((known.charCodeAt(i) & 0xfc00) !== 0xdc00) codePoints++;
  if (codePoints > MAX_KNOWN_CHARACTERS) throw tooLong();
  const out: Unit[] = [];
  let prefix = '';
  let line = false;
  for (let i = 0; i < known.length; ) {
    ENTITY.lastIndex = i;
    const entity = known[i] === '&' ? ENTITY.exec(known) : null;
    const c = entity ? entity[0] : String.fromCodePoint(known.codePointAt(i)!);
    i += c.length;
    const last = out[out.length - 1];
    if (SPACE.test(c)) {
      if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') line = true;
    } else if (entity || isLetter(c)) {
      out.push({ char: c, before: prefix, after: '', lineBefore: line });
      prefix = '';
      line = false;
    } else if (MARK.test(c) && last && !last.after && !prefix) {
      // A variation selector or combining mark belongs to its letter.
      last.char += c;
    } else if (OPENING.test(c) || !last || prefix) {
      prefix += c;
    } else {
      last.after += c;
    }
  }
  const last = out[out.length - 1];
  if (!last) throw new ValidationError([{ field: 'text', problem: 'has no characters to align (only punctuation, digits or spaces)' }], 'The text has nothing to align.');
  last.after += prefix;
  return out;
}

/** Folded letters as small integers, one table for both sides. */
class Alphabet {
  private readonly ids = new Map<string, number>();
  id(c: string): number {
    // A letter is compared without the variation selector or mark that may follow it.
    const f = c.startsWith('&') ? c : fold(String.fromCodePoint(c.codePointAt(0)!));
    let id = this.ids.get(f);
    if (id === undefined) this.ids.set(f, (id = this.ids.size));
    return id;
  }
}

/** Anchors (i in a, j in b): 4-grams unique in both, the longest chain in order in both. */
function anchors(a: Int32Array, b: Int32Array): [number, number][] {
  // A 4-gram as a 30-bit hash (a small integer V8 keeps unboxed: quick tables, little garbage).
  // Two 4-grams with one hash count as repeated, losing an anchor at worst; a pair found across
  // the texts is checked letter by letter below.
  const key = (s: Int32Array, i: number) => {
    let h = 0x811c9dc5;
    for (let k = 0; k < ANCHOR_LENGTH; k++) h = Math.imul(h ^ s[i + k]!, 0x01000193);
    return (h ^ (h >>> 15)) & 0x3fffffff;
  };
  const count = (s: Int32Array) => {
    const seen = new Map<number, number>();
    for (let i = 0; i + ANCHOR_LENGTH <= s.length; i++) {
      const k = key(s, i);
      seen.set(k, seen.has(k) ? -1 : i);
    }
    return seen;
  };
  const inB = count(b);
  const inA = count(a);
  const candidates: [number, number][] = [];
  for (const [k, i] of inA) {
    const j = inB.get(k);
    if (i >= 0 && j !== undefined && j >= 0 && a.subarray(i, i + ANCHOR_LENGTH).every((x, k) => x === b[j + k])) candidates.push([i, j]);
  }
  inA.clear();
  inB.clear();
  candidates.sort((x, y) => x[0] - y[0]);
  // Longest chain increasing in both texts (patience sorting on j).
  const tails: number[] = [];
  const previous = new Int32Array(candidates.length).fill(-1);
  for (let c = 0; c < candidates.length; c++) {
    const j = candidates[c]![1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (candidates[tails[mid]!]![1] < j) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[c] = tails[lo - 1]!;
    tails[lo] = c;
  }
  const chain: [number, number][] = [];
  for (let c = tails.length ? tails[tails.length - 1]! : -1; c >= 0; c = previous[c]!) chain.push(candidates[c]!);
  return chain.reverse();
}

interface Budget {
  fullCells: number;
}

/**
 * Aligns a against b (Levenshtein). `freeEnd`: b may run on past a's end at no cost. Returns,
 * for each letter of a, the index in b it stands on or -1.
 */
function alignGap(a: Int32Array, b: Int32Array, freeEnd: boolean, budget: Budget): Int32Array {
  const n = a.length;
  const m = b.length;
  const pair = new Int32Array(n).fill(-1);
  if (n === 0 || m === 0) return pair;
  const lo = new Int32Array(n + 1);
  const hi = new Int32Array(n + 1);
  if (n * m <= FULL_TABLE_CELLS && n * m <= budget.fullCells) {
    budget.fullCells -= n * m;
    hi.fill(m);
  } else {
    // The band follows the gap's diagonal (or, with a free end, the 1:1 diagonal), and is at
    // least as wide as the diagonal's steps so that every row reaches the next.
    const slope = freeEnd ? Math.min(1, m / n) : m / n;
    const band = Math.max(Math.min(MAX_BAND, Math.max(MIN_BAND, Math.floor(TRACEBACK_BYTES / (2 * (n + 1))))), Math.ceil(slope) + 1);
    for (let i = 0; i <= n; i++) {
      const centre = Math.round(i * slope);
      lo[i] = Math.max(0, centre - band);
      hi[i] = Math.min(m, centre + band);
    }
    if (!freeEnd) hi[n] = m;
  }
  const start = new Float64Array(n + 2);
  let width = 0;
  for (let i = 0; i <= n; i++) {
    start[i + 1] = start[i]! + hi[i]! - lo[i]! + 1;
    width = Math.max(width, hi[i]! - lo[i]! + 1);
  }
  // 0 diagonal (match or substitution), 1 up (a letter of a in a gap), 2 left (b's letter unused).
  const trace = new Uint8Array(start[n + 1]!);
  const INF = 0x3fffffff;
  let prev = new Int32Array(width);
  let cur = new Int32Array(width);
  for (let j = 0; j <= hi[0]!; j++) {
    prev[j] = j;
    trace[j] = 2;
  }
  for (let i = 1; i <= n; i++) {
    const l = lo[i]!;
    const h = hi[i]!;
    const pl = lo[i - 1]!;
    const ph = hi[i - 1]!;
    const ai = a[i - 1]!;
    const row = start[i]!;
    for (let j = l; j <= h; j++) {
      let best = INF;
      let move = 0;
      if (j >= 1 && j - 1 >= pl && j - 1 <= ph) best = prev[j - 1 - pl]! + (ai === b[j - 1] ? 0 : 1);
      if (j >= pl && j <= ph && prev[j - pl]! + 1 < best) {
        best = prev[j - pl]! + 1;
        move = 1;
      }
      if (j > l && cur[j - 1 - l]! + 1 < best) {
        best = cur[j - 1 - l]! + 1;
        move = 2;
      }
      cur[j - l] = best;
      trace[row + j - l] = move;
    }
    [prev, cur] = [cur, prev];
  }
  let j = m;
  if (freeEnd) {
    let best = INF;
    for (let k = lo[n]!; k <= hi[n]!; k++) {
      if (prev[k - lo[n]!]! < best) {
        best = prev[k - lo[n]!]!;
        j = k;
      }
    }
  }
  for (let i = n; i > 0 || j > 0; ) {
    const move = i === 0 ? 2 : trace[start[i]! + j - lo[i]!]!;
    if (move === 0) pair[--i] = --j;
    else if (move === 1) pair[--i] = -1;
    else j--;
  }
  return pair;
}

/** Aligns the whole of a against b through anchors; see the module's comment. */
export function alignSequences(a: Int32Array, b: Int32Array): Int32Array {
  const pair = new Int32Array(a.length).fill(-1);
  const budget: Budget = { fullCells: FULL_TABLE_BUDGET };
  const place = (from: number, to: number, bFrom: number, bTo: number, mode: 'global' | 'head' | 'tail') => {
    if (mode === 'head') {
      // Free start: align the reversed gap with a free end.
      const ra = a.slice(from, to).reverse();
      const rb = b.slice(bFrom, bTo).reverse();
      const p = alignGap(ra, rb, true, budget);
      for (let k = 0; k < p.length; k++) pair[to - 1 - k] = p[k]! < 0 ? -1 : bTo - 1 - p[k]!;
    } else {
      const p = alignGap(a.subarray(from, to), b.subarray(bFrom, bTo), mode === 'tail', budget);
      for (let k = 0; k < p.length; k++) pair[from + k] = p[k]! < 0 ? -1 : bFrom + p[k]!;
    }
  };
  const chain = anchors(a, b);
  let ie = 0;
  let je = 0;
  let first = true;
  for (const [i, j] of chain) {
    if (i < ie || j < je) {
      // Overlaps the last anchor: take it only on the same diagonal.
      if (i - ie !== j - je || i + ANCHOR_LENGTH <= ie) continue;
    } else {
      place(ie, i, je, j, first ? 'head' : 'global');
    }
    first = false;
    for (let k = Math.max(i, ie); k < i + ANCHOR_LENGTH; k++) pair[k] = j + (k - i);
    ie = i + ANCHOR_LENGTH;
    je = j + ANCHOR_LENGTH;
  }
  place(ie, a.length, je, b.length, first ? 'global' : 'tail');
  return pair;
}

/** A draft column the known text may be laid on. */
interface Slot {
  page: number;
  column: TextColumn;
  /** How many letters the column has room for, from the page's character pitch. */
  capacity: number;
  /** Known letters laid on it so far. */
  laid: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length ? s[s.length >> 1]! : 0;
};

/** The page's character pitch: the median step from one character's top to the next's. */
function pitch(page: PageText): number {
  const steps: number[] = [];
  const heights: number[] = [];
  for (const column of page.columns) {
    column.chars.forEach((c, k) => {
      heights.push(c.box[3]);
      const next = column.chars[k + 1];
      if (next && next.box[1] > c.box[1]) steps.push(next.box[1] - c.box[1]);
    });
  }
  return median(steps) || median(heights) || 1;
}

function checkOptions(options: AlignmentOptions): number {
  const flagBelow = options.flagBelow ?? DEFAULT_FLAG_BELOW;
  if (!(typeof flagBelow === 'number' && flagBelow >= 0 && flagBelow <= 1)) {
    throw new ValidationError([{ field: 'flagBelow', problem: 'must be a number from 0 to 1' }]);
  }
  return flagBelow;
}

/**
 * Splits `known` across the pages of `drafts` (in page order) and lays it on their columns.
 * Returns one AlignedPage per draft, in the same order.
 */
export function alignToPages(known: string, drafts: PageText[], options: AlignmentOptions = {}): AlignedPage[] {
  const flagBelow = checkOptions(options);
  const letters = units(known);
  const alphabet = new Alphabet();

  // The drafts' letters in reading order, each with its slot and index in the column.
  const slots: Slot[] = [];
  const ocrSlot: number[] = [];
  const ocrChar: number[] = [];
  const ocrIds: number[] = [];
  drafts.forEach((page, p) => {
    const step = pitch(page);
    for (const column of page.columns) {
      if (column.kind === 'banxin') continue;
      const s = slots.length;
      slots.push({ page: p, column, capacity: Math.max(1, Math.round(column.box[3] / step)), laid: 0 });
      column.chars.forEach((c, k) => {
        if (!isLetter(c.char)) return;
        if (ocrIds.length >= MAX_DRAFT_CHARACTERS) {
          throw new AppError(413, 'volume_too_large', `The OCR drafts hold more than ${MAX_DRAFT_CHARACTERS.toLocaleString('en-US')} characters; align a volume or 卷 at a time, with its pages.`, [
            { field: 'pages', problem: `more than ${MAX_DRAFT_CHARACTERS} characters` },
          ]);
        }
        ocrSlot.push(s);
        ocrChar.push(k);
        ocrIds.push(alphabet.id(c.char));
      });
    }
  });
  if (ocrIds.length === 0) {
    throw new AppError(409, 'ocr_draft_missing', 'The pages have no OCR draft with text to align onto; run OCR on them first.', [
      { field: 'pages', problem: 'no OCR text' },
    ]);
  }
  const a = Int32Array.from(letters, (u) => alphabet.id(u.char));
  const b = Int32Array.from(ocrIds);
  const pair = alignSequences(a, b);

  // Each known letter's slot: where it stands on an OCR letter, that letter's column.
  const slotOf = new Int32Array(a.length).fill(-1);
  for (let k = 0; k < a.length; k++) {
    if (pair[k]! >= 0) {
      slotOf[k] = ocrSlot[pair[k]!]!;
      slots[slotOf[k]!]!.laid++;
    }
  }
  // Letters in OCR gaps: between the columns of their neighbours; see placeRun.
  for (let k = 0; k < a.length; ) {
    if (pair[k]! >= 0) {
      k++;
      continue;
    }
    let end = k;
    while (end < a.length && pair[end]! < 0) end++;
    placeRun(letters, k, end, k > 0 ? slotOf[k - 1]! : -1, end < a.length ? slotOf[end]! : -1, slots, slotOf);
    k = end;
  }

  // Columns: the known letters laid on each slot, with boxes.
  const bySlot: number[][] = slots.map(() => []);
  for (let k = 0; k < a.length; k++) bySlot[slotOf[k]!]!.push(k);
  const pages = drafts.map(() => ({ columns: [] as TextColumn[], agree: 0, differ: 0, known: 0, ocr: 0 }));
  const used = new Uint8Array(b.length);
  for (let k = 0; k < a.length; k++) if (pair[k]! >= 0) used[pair[k]!] = 1;
  for (let j = 0; j < b.length; j++) if (!used[j]) pages[slots[ocrSlot[j]!]!.page]!.ocr++;

  slots.forEach((slot, s) => {
    const ks = bySlot[s]!;
    if (ks.length === 0) return;
    const page = pages[slot.page]!;
    const boxes = columnBoxes(ks, pair, slot.column, ocrChar);
    const chars: TextChar[] = [];
    ks.forEach((k, t) => {
      const u = letters[k]!;
      const box = boxes[t]!;
      let confidence = 0.5;
      if (pair[k]! >= 0) {
        const read = slot.column.chars[ocrChar[pair[k]!]!]!;
        // Two readings that agree are sure; where they differ the OCR's doubt in its own reading.
        if (a[k] === b[pair[k]!]) {
          confidence = 1;
          page.agree++;
        } else {
          confidence = Math.min(1, Math.max(0, 1 - read.confidence));
          page.differ++;
        }
      } else {
        page.known++;
      }
      for (const c of u.before) chars.push({ char: c, box: markBox(box, 'before'), confidence });
      chars.push({ char: u.char, box, confidence });
      for (const c of u.after) chars.push({ char: c, box: markBox(box, 'after'), confidence });
    });
    page.columns.push({ kind: slot.column.kind, box: [...slot.column.box], text: chars.map((c) => c.char).join(''), chars });
  });

  return pages.map(({ columns, agree, differ, known: gaps, ocr }) => {
    const total = agree + differ + gaps + ocr;
    const agreement = total === 0 ? 1 : agree / total;
    return {
      text: columns.map((c) => c.text).join('\n'),
      columns,
      agreement,
      flagged: agreement < flagBelow,
      counts: { agree, differ, known: gaps, ocr },
    };
  });
}

/**
 * Letters [from, to) stand in an OCR gap between the slot of the letter before (-1: none) and
 * of the letter after. When both are one column they go there. Across a column or page break,
 * a line break of the known text inside the run decides; otherwise each side takes its share
 * of the run by the room it has left (capacity from the page's pitch, less the letters laid).
 */
function placeRun(letters: Unit[], from: number, to: number, before: number, after: number, slots: Slot[], slotOf: Int32Array): void {
  const r = to - from;
  let split: number;
  if (after < 0 || before === after) split = r;
  else if (before < 0) split = 0;
  else {
    const room = (s: number) => Math.max(0, slots[s]!.capacity - slots[s]!.laid);
    const r1 = room(before);
    const r2 = room(after);
    split = r1 + r2 === 0 ? r : Math.min(r, Math.round((r * r1) / (r1 + r2)));
    // Line breaks of the known text at t: before letter from + t (t = r: the letter after the run).
    let hint = -1;
    for (let t = 0; t <= r; t++) {
      const unit = letters[from + t];
      if (unit?.lineBefore && (hint < 0 || Math.abs(t - split) < Math.abs(hint - split))) hint = t;
    }
    if (hint >= 0) split = hint;
  }
  for (let t = 0; t < r; t++) {
    const s = t < split ? before : after;
    slotOf[from + t] = s;
    slots[s]!.laid++;
  }
}

/**
 * Boxes for the letters `ks` of one column: an aligned letter takes its OCR letter's box; letters
 * in a gap share the space between their neighbours (or the column's ends), evenly, and overlap
 * the neighbours when the OCR left no space. Columns are vertical (top to bottom).
 */
function columnBoxes(ks: number[], pair: Int32Array, column: TextColumn, ocrChar: number[]): Box[] {
  const [cx, cy, cw, ch] = column.box;
  const boxes: (Box | null)[] = ks.map((k) => (pair[k]! >= 0 ? ([...column.chars[ocrChar[pair[k]!]!]!.box] as Box) : null));
  for (let t = 0; t < ks.length; ) {
    if (boxes[t]) {
      t++;
      continue;
    }
    let end = t;
    while (end < ks.length && !boxes[end]) end++;
    const above = boxes[t - 1] ?? null;
    const below = boxes[end] ?? null;
    const n = end - t;
    let y0 = above ? above[1] + above[3] : cy;
    let y1 = below ? below[1] : cy + ch;
    if (y1 - y0 < n) {
      y0 = above ? above[1] : cy;
      y1 = below ? below[1] + below[3] : cy + ch;
    }
    if (y1 - y0 < n) {
      y0 = cy;
      y1 = cy + ch;
    }
    const step = (y1 - y0) / n;
    for (let q = 0; q < n; q++) {
      const y = Math.min(cy + ch - 1, Math.round(y0 + q * step));
      const h = Math.max(1, Math.min(cy + ch - y, Math.round(step)));
      boxes[t + q] = [cx, y, cw, h];
    }
    t = end;
  }
  return boxes as Box[];
}

/** A mark the page does not show: a quarter of its letter's box, at its right edge — top for an opening mark, bottom otherwise. */
function markBox([x, y, w, h]: Box, side: 'before' | 'after'): Box {
  const mw = Math.max(1, Math.floor(w / 2));
  const mh = Math.max(1, Math.floor(h / 4));
  return [x + w - mw, side === 'before' ? y : y + h - mh, mw, mh];
}
