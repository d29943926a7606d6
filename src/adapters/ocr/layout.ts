/**
 * The layout step in front of the recogniser, for vertical pages written in columns between ruled
 * lines (界行) inside a frame (版框): binarise, erase the frame and the rules, cut the columns
 * (right to left) and, in each column, the characters — from the ink profiles alone, on a grey
 * page already scaled to the working size. Synchronous and allocation-light: a page of 1600 ×
 * 1200 holds three byte planes (grey, ink, lines) of 2 MB each.
 */
import type { ColumnKind } from '../../domain/page-text.js';

export interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LaidColumn {
  kind: ColumnKind;
  rect: Rect;
  /** Expected character size in this column (a note's characters are half size). */
  pitch: number;
  /** Character cells, top to bottom. */
  chars: Rect[];
}

export interface Layout {
  /** Ink (1) and paper (0), with the frame and the rules erased. */
  ink: Uint8Array;
  /** Pixels erased as frame or rule lines (1), to be whitened in the grey crops too. */
  lines: Uint8Array;
  /** Expected character size (the median width of the columns' ink). */
  pitch: number;
  columns: LaidColumn[];
}

/** Otsu's threshold: the grey level that best splits the histogram into ink and paper. */
export function otsuThreshold(grey: Grey): number {
  const histogram = new Float64Array(256);
  for (const v of grey.data) histogram[v]!++;
  const total = grey.data.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * histogram[i]!;
  let sumBelow = 0;
  let countBelow = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    countBelow += histogram[t]!;
    if (countBelow === 0) continue;
    const countAbove = total - countBelow;
    if (countAbove === 0) break;
    sumBelow += t * histogram[t]!;
    const meanBelow = sumBelow / countBelow;
    const meanAbove = (sumAll - sumBelow) / countAbove;
    const between = countBelow * countAbove * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

export function binarise(grey: Grey): Uint8Array {
  const t = otsuThreshold(grey);
  const ink = new Uint8Array(grey.data.length);
  for (let i = 0; i < ink.length; i++) ink[i] = grey.data[i]! <= t ? 1 : 0;
  return ink;
}

/**
 * Marks straight ink runs at least `minLength` long, vertical (`vertical`) or horizontal. A run
 * may drift one pixel sideways (the neighbours count) and cross gaps of two pixels, because
 * rules are drawn by hand and worn; a character's longest stroke is shorter than `minLength`.
 */
function markRuns(ink: Uint8Array, width: number, height: number, minLength: number, vertical: boolean, out: Uint8Array): void {
  // Ink or a side neighbour ink, precomputed once: the loops below are the layout's hot path.
  const near = new Uint8Array(ink.length);
  const side = vertical ? 1 : width;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const first = vertical ? x === 0 : y === 0;
      const last = vertical ? x === width - 1 : y === height - 1;
      near[i] = ink[i]! | (first ? 0 : ink[i - side]!) | (last ? 0 : ink[i + side]!);
    }
  const lines = vertical ? width : height;
  const along = vertical ? height : width;
  const step = vertical ? width : 1;
  for (let line = 0; line < lines; line++) {
    const base = vertical ? line : line * width;
    let start = -1;
    let lastInk = -10;
    const fill = (from: number, to: number) => {
      // The neighbours counted as the line go with it (a wavy rule leaves no ghost).
      for (let k = from; k <= to; k++) {
        const i = base + k * step;
        if (ink[i]) out[i] = 1;
        if (line > 0 && ink[i - side]) out[i - side] = 1;
        if (line < lines - 1 && ink[i + side]) out[i + side] = 1;
      }
    };
    for (let k = 0; k < along; k++) {
      if (!near[base + k * step]) continue;
      if (start < 0 || k - lastInk > 3) {
        if (start >= 0 && lastInk - start + 1 >= minLength) fill(start, lastInk);
        start = k;
      }
      lastInk = k;
    }
    if (start >= 0 && lastInk - start + 1 >= minLength) fill(start, lastInk);
  }
}

export interface Component {
  rect: Rect;
  /** Pixel indices (y · width + x). */
  pixels: number[];
}

/** The 8-connected components of the set pixels of `mask`. */
export function components(mask: Uint8Array, width: number, height: number): Component[] {
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  const found: Component[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    const pixels: number[] = [];
    let [x0, y0, x1, y1] = [width, height, -1, -1];
    while (top > 0) {
      const i = stack[--top]!;
      pixels.push(i);
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(height - 1, y + 1); yy++)
        for (let xx = Math.max(0, x - 1); xx <= Math.min(width - 1, x + 1); xx++) {
          const j = yy * width + xx;
          if (mask[j] && !seen[j]) {
            seen[j] = 1;
            stack[top++] = j;
          }
        }
    }
    found.push({ rect: { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 }, pixels });
  }
  return found;
}

/**
 * Erases connected ink of fewer than `minArea` pixels: dust, and the crumbs a worn rule leaves
 * beside its line, which would otherwise join the characters above and below.
 */
export function removeSpecks(ink: Uint8Array, width: number, height: number, minArea: number): void {
  for (const c of components(ink, width, height)) if (c.pixels.length < minArea) for (const i of c.pixels) ink[i] = 0;
}

/** Runs of indices whose value passes `test`, as [first, last] pairs. */
export function runs(length: number, test: (i: number) => boolean): [number, number][] {
  const found: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= length; i++) {
    const on = i < length && test(i);
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      found.push([start, i - 1]);
      start = -1;
    }
  }
  return found;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The period of a profile (ink counts along a line of the page): the lag in [min, max] where
 * its autocorrelation (local mean removed, 1 at lag 0) peaks highest — or the first peak nearly as
 * high (a peak at twice the period is a repeat of it). Null when nothing in the range repeats (a peak under `least`).
 */
export function period(profile: ArrayLike<number>, min: number, max: number, least = 0.2): { lag: number; strength: number } | null {
  const n = profile.length;
  // Less the mean around each point (over the longest period sought), not the page's: the ink
  // of a text block among white margins would otherwise pull every peak toward short lags.
  const half = Math.max(1, Math.round(max / 2));
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + profile[i]!;
  const centred = Float64Array.from({ length: n }, (_, i) => {
    const a = Math.max(0, i - half);
    const b = Math.min(n, i + half + 1);
    return profile[i]! - (prefix[b]! - prefix[a]!) / (b - a);
  });
  let energy = 0;
  for (const v of centred) energy += v * v;
  if (energy === 0) return null;
  const hi = Math.min(Math.floor(max), n - 2);
  const lo = Math.max(1, Math.ceil(min));
  if (hi <= lo) return null;
  const r = new Float64Array(hi + 2);
  for (let lag = lo - 1; lag <= hi + 1; lag++) {
    let sum = 0;
    for (let i = 0; i + lag < n; i++) sum += centred[i]! * centred[i + lag]!;
    r[lag] = sum / energy;
  }
  const peak = (lag: number) => r[lag]! >= r[lag - 1]! && r[lag]! >= r[lag + 1]!;
  let best = -1;
  for (let lag = lo; lag <= hi; lag++) if (peak(lag) && (best < 0 || r[lag]! > r[best]!)) best = lag;
  if (best < 0 || r[best]! < least) return null;
  // The first peak nearly as high is the true period (best is one of its repeats).
  for (let lag = lo; lag < best; lag++) if (peak(lag) && r[lag]! >= 0.7 * r[best]!) return { lag, strength: r[lag]! };
  return { lag: best, strength: r[best]! };
}

/**
 * The distance between columns on a page of vertical text, in its pixels: the period of its ink
 * counted down each pixel column (rules and characters alike repeat at it), between 3 % and 25 %
 * of the width — 4 to 30 columns across. Null when the ink does not repeat (no columns).
 */
export function columnPitch(grey: Grey): number | null {
  const ink = binarise(grey);
  const count = new Int32Array(grey.width);
  for (let y = 0; y < grey.height; y++) for (let x = 0; x < grey.width; x++) count[x]! += ink[y * grey.width + x]!;
  return period(count, 0.03 * grey.width, 0.25 * grey.width)?.lag ?? null;
}

/**
 * Character cells from a column's row profile: the inked row runs are grouped so each group is
 * about one character high. Dynamic programming over the runs: a group shorter than the pitch
 * costs a little (一 and 二 are flat), one taller costs a lot, and the gaps inside a group
 * cost by their size (the strokes of 三 lie close; two characters stand apart).
 */
export function groupRuns(spans: [number, number][], pitch: number): [number, number][] {
  const n = spans.length;
  const best = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1);
  best[0] = 0;
  for (let i = 1; i <= n; i++) {
    let gaps = 0;
    for (let j = i - 1; j >= 0; j--) {
      if (j < i - 1) gaps += ((spans[j + 1]![0] - spans[j]![1] - 1) / pitch) ** 2;
      const h = spans[i - 1]![1] - spans[j]![0] + 1;
      if (h > 1.6 * pitch && j < i - 1) break;
      const under = Math.max(0, 0.85 * pitch - h) / pitch;
      const over = Math.max(0, h - 1.1 * pitch) / pitch;
      const cost = best[j]! + under ** 2 + 10 * over ** 2 + 4 * gaps;
      if (cost < best[i]!) {
        best[i] = cost;
        from[i] = j;
      }
    }
  }
  const groups: [number, number][] = [];
  for (let i = n; i > 0; i = from[i]!) groups.unshift([spans[from[i]!]![0], spans[i - 1]![1]]);
  return groups;
}

/** Ink columns of a region as x runs, with gaps narrower than `bridge` closed. */
function inkRuns(ink: Uint8Array, width: number, x0: number, x1: number, y0: number, y1: number, minCount: number, bridge: number) {
  const count = new Int32Array(x1 - x0 + 1);
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) count[x - x0]! += ink[y * width + x]!;
  const found = runs(count.length, (i) => count[i]! >= minCount).map(([a, b]) => [a + x0, b + x0] as [number, number]);
  return closeGaps(found, bridge);
}

/** Runs (in order) joined across gaps narrower than `gap`. */
function closeGaps(list: [number, number][], gap: number): [number, number][] {
  const merged: [number, number][] = [];
  for (const r of list) {
    const last = merged.at(-1);
    if (last && r[0] - last[1] - 1 < gap) last[1] = r[1];
    else merged.push([...r]);
  }
  return merged;
}

/** Inked row runs of a column (x0..x1) between rows y0..y1. */
function rowRuns(ink: Uint8Array, width: number, x0: number, x1: number, y0: number, y1: number): [number, number][] {
  const inked = (y: number) => {
    for (let x = x0; x <= x1; x++) if (ink[y * width + x]) return true;
    return false;
  };
  return runs(y1 - y0 + 1, (i) => inked(y0 + i)).map(([a, b]) => [a + y0, b + y0] as [number, number]);
}

/**
 * A run taller than 1.3 pitches is characters touching (a long stroke of 庫 reaching 全): split
 * it into as many pieces as pitches fit, each cut at the thinnest row near its expected place.
 */
function splitTall(ink: Uint8Array, width: number, x0: number, x1: number, [a, b]: [number, number], pitch: number): [number, number][] {
  const h = b - a + 1;
  if (h <= 1.3 * pitch) return [[a, b]];
  const parts = Math.round(h / pitch);
  const rowInk = (y: number) => {
    let n = 0;
    for (let x = x0; x <= x1; x++) n += ink[y * width + x]!;
    return n;
  };
  const out: [number, number][] = [];
  let from = a;
  for (let k = 1; k < parts; k++) {
    const expected = Math.round(a + (k * h) / parts);
    let cut = expected;
    let least = Infinity;
    for (let y = Math.max(from + 1, expected - Math.round(0.25 * pitch)); y <= Math.min(b - 1, expected + Math.round(0.25 * pitch)); y++) {
      const n = rowInk(y);
      if (n < least) [least, cut] = [n, y];
    }
    out.push([from, cut - 1]);
    from = cut;
  }
  out.push([from, b]);
  return out;
}

/** The characters of one column (x0..x1) between rows y0..y1. */
function cutCharacters(ink: Uint8Array, width: number, x0: number, x1: number, y0: number, y1: number, pitch: number): Rect[] {
  const rows = rowRuns(ink, width, x0, x1, y0, y1).flatMap((run) => splitTall(ink, width, x0, x1, run, pitch));
  const cells: Rect[] = [];
  for (const [top, bottom] of groupRuns(rows, pitch)) {
    let left = x1;
    let right = x0;
    let mass = 0;
    let widest = 0;
    for (let y = top; y <= bottom; y++) {
      let run = 0;
      for (let x = x0; x <= x1; x++)
        if (ink[y * width + x]) {
          mass++;
          if (x < left) left = x;
          if (x > right) right = x;
          if (++run > widest) widest = run;
        } else run = 0;
    }
    // Ink with no stroke wider than a rule is a piece of one (a worn rule's stubs).
    if (widest <= Math.max(4, 0.1 * pitch)) continue;
    // Specks of dust and the tips of a worn rule are not characters.
    const h = bottom - top + 1;
    if (mass < 0.01 * pitch * pitch || (h < 0.25 * pitch && right - left + 1 < 0.25 * pitch)) continue;
    // What is left of the frame's inner line, flat against the top or bottom of the text.
    if (h < 0.2 * pitch && (top - y0 < 0.15 * pitch || y1 - bottom < 0.15 * pitch)) continue;
    cells.push({ x: left, y: top, w: right - left + 1, h: bottom - top + 1 });
  }
  return cells;
}

function bounds(cells: Rect[]): Rect {
  const x = Math.min(...cells.map((c) => c.x));
  const y = Math.min(...cells.map((c) => c.y));
  const right = Math.max(...cells.map((c) => c.x + c.w));
  const bottom = Math.max(...cells.map((c) => c.y + c.h));
  return { x, y, w: right - x, h: bottom - y };
}

/**
 * Lays out a grey page scaled so a character is some 40–120 px high: frame and rules found and
 * erased, columns cut right to left between the rules (or, on a page without rules, at the
 * gaps of the ink), each column split into character cells. A column holding two narrow ink
 * strips side by side is a 雙行小注 (two `note` columns, right first); ink outside the frame on
 * a page with one is the 版心 side (`banxin`).
 */
export function layOut(grey: Grey): Layout {
  const { width, height } = grey;
  const ink = binarise(grey);
  const lines = new Uint8Array(ink.length);
  // A rule runs most of the page; the longest stroke of a character is about 1.5 characters.
  markRuns(ink, width, height, Math.max(40, Math.round(0.08 * height)), true, lines);
  markRuns(ink, width, height, Math.max(40, Math.round(0.1 * width)), false, lines);
  const vCount = new Int32Array(width);
  const hCount = new Int32Array(height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (lines[y * width + x]) {
        vCount[x]!++;
        hCount[y]!++;
      }
  for (let i = 0; i < ink.length; i++) if (lines[i]) ink[i] = 0;
  // Some 20 pixels on a page 1,600 high: a 、 or the dot of 主 is five times that.
  removeSpecks(ink, width, height, Math.max(4, Math.round(20 * (height / 1600) ** 2)));

  // Horizontal frame lines bound the text rows; without them the ink does.
  const hRules = runs(height, (y) => hCount[y]! >= 0.25 * width);
  let top = 0;
  let bottom = height - 1;
  if (hRules.length >= 2 && hRules.at(-1)![0] - hRules[0]![1] > 0.4 * height) {
    // The inner line of a double frame: the last rule in the top third, the first in the bottom.
    const upper = hRules.filter(([, b]) => b < height / 3);
    const lower = hRules.filter(([a]) => a > (2 * height) / 3);
    top = (upper.at(-1) ?? hRules[0]!)[1] + 1;
    bottom = (lower[0] ?? hRules.at(-1)!)[0] - 1;
    // A worn inner line, dashed (book5): no long run, but a few rows inked across the page hard
    // by the outer line (within 3 % of the height). A thin band only: the tops of a row of
    // characters inked as much are thicker than 0.4 % of the height. The text starts below it,
    // past its ragged edge.
    // (Its ink: a quarter of the page's width, spread over half of it at least.)
    const lineLike = (y: number) => {
      let n = 0;
      let first = -1;
      let last = -1;
      for (let x = 0; x < width; x++)
        if (ink[y * width + x]) {
          n++;
          if (first < 0) first = x;
          last = x;
        }
      return n >= 0.25 * width && last - first >= 0.5 * width;
    };
    const near = Math.round(0.03 * height);
    const thin = Math.max(2, Math.round(0.004 * height));
    const edge = Math.round(0.005 * height);
    const band = (from: number, to: number) => {
      const inked = runs(to - from + 1, (i) => lineLike(from + i)).filter(([a, b]) => b - a + 1 <= thin);
      return inked.map(([a, b]) => [from + a, from + b] as [number, number]);
    };
    const upperLine = band(top, Math.min(bottom, top + near)).at(-1);
    if (upperLine) top = upperLine[1] + 1 + edge;
    const lowerLine = band(Math.max(top, bottom - near), bottom)[0];
    if (lowerLine) bottom = lowerLine[0] - 1 - edge;
  }
  const vRules = runs(width, (x) => vCount[x]! >= 0.25 * (bottom - top + 1)).filter(([a, b]) => b - a < 0.02 * width + 4);
  // A rule drawn by hand wanders: what is left of it within a few pixels, in short horizontal
  // runs, goes too (a character's stroke crossing it is a long run and stays).
  const reach = Math.max(2, Math.round(0.003 * width));
  for (const [a, b] of vRules) {
    const from = Math.max(0, a - reach);
    const to = Math.min(width - 1, b + reach);
    for (let y = top; y <= bottom; y++) {
      const row = y * width;
      for (const [s, e] of runs(to - from + 1, (i) => ink[row + from + i] === 1)) {
        let left = from + s;
        let right = from + e;
        while (left > 0 && ink[row + left - 1]) left--;
        while (right < width - 1 && ink[row + right + 1]) right++;
        if (right - left + 1 <= b - a + 1 + 2 * reach) for (let x = left; x <= right; x++) [ink[row + x], lines[row + x]] = [0, 1];
      }
    }
  }

  // Regions between consecutive rules (right to left); none framed → the whole page.
  let regions: { x0: number; x1: number; kind: ColumnKind }[] = [];
  const framed = vRules.length >= 2 && vRules.at(-1)![0] - vRules[0]![1] > 0.4 * width;
  if (framed) {
    for (let i = vRules.length - 1; i > 0; i--) regions.push({ x0: vRules[i - 1]![1] + 1, x1: vRules[i]![0] - 1, kind: 'main' });
    regions.unshift({ x0: vRules.at(-1)![1] + 1, x1: width - 1, kind: 'banxin' });
    regions.push({ x0: 0, x1: vRules[0]![0] - 1, kind: 'banxin' });
  } else {
    regions = [{ x0: 0, x1: width - 1, kind: 'main' }];
  }
  regions = regions.filter((r) => r.x1 - r.x0 >= 4);

  // Ink strips per region, without the slivers a broken rule leaves (a few pixels wide).
  const minCount = Math.max(2, Math.round(0.004 * (bottom - top + 1)));
  const sliver = Math.max(4, Math.round(0.006 * width));
  const raw = regions.map((r) => inkRuns(ink, width, r.x0, r.x1, top, bottom, minCount, 3).filter(([a, b]) => b - a + 1 >= sliver));
  // Gaps inside a character (川, 小) are narrower than a quarter of a column; between columns, wider.
  const rough = median(raw.flat().map(([a, b]) => b - a + 1));
  const strips = raw.map((list) => closeGaps(list, 0.25 * rough));
  // (Strips that ran together where rules are missing are no measure of a column.)
  const columnWidth = Math.max(8, Math.min(1.3 * rough, median(strips.flat().map(([a, b]) => b - a + 1))));
  // The pitch from the characters' heights: the row runs at least 0.4 of a column wide are whole
  // characters (the strokes of 三 are not), and a character fills some 85 % of its pitch.
  const heights = strips
    .filter((_, i) => regions[i]!.kind === 'main')
    .flat()
    .flatMap(([a, b]) => rowRuns(ink, width, a, b, top, bottom))
    .map(([a, b]) => b - a + 1)
    .filter((h) => h >= 0.4 * columnWidth && h <= 1.2 * columnWidth);
  const fromHeights = heights.length >= 5 ? median(heights) / 0.85 : columnWidth;
  // On a page cut on a grid (a woodblock, a ruled manuscript) the characters of all columns
  // stand at the same heights, so the ink summed across the columns repeats at the pitch —
  // found among 0.4–1.1 column pitches, a character being about as wide as its column. It wins
  // where the grid is plain (autocorrelation ≥ 0.5): where characters touch (book5's woodblock)
  // the heights of the inked runs measure pairs of them, not one.
  const rowCount = new Int32Array(bottom - top + 1);
  const colCount = new Int32Array(width);
  strips.forEach((list, i) => {
    if (regions[i]!.kind !== 'main') return;
    for (const [a, b] of list)
      for (let y = top; y <= bottom; y++)
        for (let x = a; x <= b; x++) {
          rowCount[y - top]! += ink[y * width + x]!;
          colCount[x]! += ink[y * width + x]!;
        }
  });
  const across = period(colCount, 0.03 * width, 0.25 * width);
  const grid = across ? period(rowCount, 0.4 * across.lag, 1.5 * across.lag) : null;
  const pitch = grid && grid.strength >= 0.5 ? grid.lag : fromHeights;

  const columns: LaidColumn[] = [];
  const add = (kind: ColumnKind, x0: number, x1: number, cellPitch: number) => {
    const chars = cutCharacters(ink, width, x0, x1, top, bottom, cellPitch);
    if (chars.length) columns.push({ kind, rect: bounds(chars), pitch: cellPitch, chars });
  };
  regions.forEach((region, i) => {
    const list = strips[i]!;
    if (list.length === 0) return;
    const x0 = list[0]![0];
    const x1 = list.at(-1)![1];
    if (region.kind === 'banxin') {
      if (x1 - x0 + 1 >= 0.3 * columnWidth) add('banxin', x0, x1, pitch);
      return;
    }
    // One column between two rules — or two half-width ones, a 雙行小注.
    if (framed && region.x1 - region.x0 + 1 <= 1.6 * columnWidth) {
      const halves = raw[i]!.length >= 2 ? splitNote(raw[i]!, columnWidth) : null;
      // A note's pitch from its width, on the smaller measure: the grid of the main text need not
      // hold for notes set close between its characters.
      if (halves) for (const [a, b] of [halves[1], halves[0]]) add('note', a, b, (Math.min(pitch, fromHeights) * (b - a + 1)) / columnWidth);
      else add('main', x0, x1, pitch);
      return;
    }
    // No rules here (a page without them, or rules too faint to find): the gaps cut the columns,
    // and a strip too wide for one column (characters close to the next column's) is cut where
    // its ink is thinnest near each column's expected place.
    const count = new Int32Array(region.x1 - region.x0 + 1);
    for (let y = top; y <= bottom; y++) for (let x = region.x0; x <= region.x1; x++) count[x - region.x0]! += ink[y * width + x]!;
    const ruled = new Set<number>();
    for (const [a, b] of raw[i]!) for (let x = a; x <= b; x++) ruled.add(x);
    const at = (x: number) => (ruled.has(x) ? count[x - region.x0]! : 0);
    for (const [a, b] of [...list].reverse()) {
      const parts = Math.max(1, Math.round((b - a + 1) / (1.15 * rough)));
      const cuts = [a];
      for (let k = 1; k < parts; k++) {
        const expected = Math.round(a + (k * (b - a + 1)) / parts);
        let cut = expected;
        for (let x = expected - Math.round(0.3 * rough); x <= expected + Math.round(0.3 * rough); x++) if (x > cuts.at(-1)! && x < b && at(x) < at(cut)) cut = x;
        cuts.push(cut);
      }
      cuts.push(b + 1);
      for (let k = cuts.length - 1; k > 0; k--) add('main', cuts[k - 1]!, cuts[k]! - 1, pitch);
    }
  });
  return { ink, lines, pitch, columns };
}

/** Two strips each under half a column wide, apart by a clear gap: the halves of a 雙行小注. */
function splitNote(strips: [number, number][], pitch: number): [[number, number], [number, number]] | null {
  let widest = 0;
  let at = 0;
  for (let i = 1; i < strips.length; i++) {
    const gap = strips[i]![0] - strips[i - 1]![1] - 1;
    if (gap > widest) [widest, at] = [gap, i];
  }
  const left: [number, number] = [strips[0]![0], strips[at - 1]![1]];
  const right: [number, number] = [strips[at]![0], strips.at(-1)![1]];
  const narrow = (s: [number, number]) => s[1] - s[0] + 1 <= 0.55 * pitch && s[1] - s[0] + 1 >= 0.25 * pitch;
  return widest >= 0.08 * pitch && narrow(left) && narrow(right) ? [left, right] : null;
}
