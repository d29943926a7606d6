/**
 * OCR for vertical pages: our layout step cuts the columns and the characters (layout.ts), each
 * column's characters are laid upright side by side in one horizontal line, PaddleOCR's PP-OCRv4
 * recognition model reads the line, and each character read is tied back to the cell under its
 * time steps — so every character carries a box and a confidence. Simplified readings become
 * traditional where the mapping is one to one.
 *
 * Why not the model's own detector: it finds vertical lines, which the recogniser can only read
 * turned on their side (26 % character errors on book1 against 10.1 % here; 30 % against 24 % on
 * book5's woodblock master; npm run bench -- ocr).
 *
 * Cost: a page is decoded once to grey of at most 2400 px on its long side (3.8 MB) and brought
 * to its columns' scale (page-image.ts; book1 ~1160 × 1560, book5's master 1386 × 2080), then
 * three planes of that size for the layout (ink, lines, the near-ink plane of the rule search)
 * and the component list, ~20–30 MB in flight; each column goes to the model alone (48 × width
 * floats, < 1 MB, and its activations). Pages run at most `concurrency` at a time; the models
 * are shared. Peak RSS measured by npm run bench -- ocr: 284 MB for book1's ten pages (one at a
 * time, then two at a time), 268 MB for book5's 3446 × 5171 master.
 */
import { availableParallelism } from 'node:os';
import type { PageText, TextChar, TextColumn } from '../../domain/page-text.js';
import type { DecodedImage, TextRecognizer } from '../../ports/text-recognizer.js';
import { layOut, type Grey, type Rect } from './layout.js';
import { toBox, workingPage } from './page-image.js';
import { LINE_HEIGHT, likeliestIn, paddleModels, recogniseLines, type LineReading, toTraditional, type PaddleModels } from './paddle-models.js';

/**
 * Height a character of the column's pitch takes in the line (of 48), and the white between two
 * characters: set close, as in the printed lines the model learnt from. Measured on book1 with
 * 32–44 px and 0–12 px: 8 px apart read worst (12–14 % CER), 0–4 px best (11 %).
 */
const CHAR_HEIGHT = 40;
/** Shortest line given to the model: a lone character padded out reads better. */
const MIN_WIDTH = 160;
/** A passed-over cell is filled only if its likeliest character reaches this probability. */
const FILL_MIN = 0.02;
const GAP = 2;

export interface PaddleColumnsOptions {
  /** Pages decoded at once; each runs the model on one thread. Default: the cores. */
  concurrency?: number;
  /** Masters with more pixels are refused. */
  pixelLimit?: number;
}

/** A slot gate: at most `size` holders at a time, the rest wait in order. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = size;
  }
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/**
 * Box-filter resampling of a rectangle of `grey` by `scale` into `out` (row stride `outWidth`)
 * at (ox, oy); pixels marked in `erase` read as paper.
 */
function paste(grey: Grey, erase: Uint8Array, r: Rect, scale: number, out: Uint8Array, outWidth: number, ox: number, oy: number, tw: number, th: number) {
  for (let v = 0; v < th; v++) {
    const sy0 = r.y + Math.floor(v / scale);
    const sy1 = Math.max(sy0 + 1, Math.min(r.y + r.h, r.y + Math.floor((v + 1) / scale)));
    for (let u = 0; u < tw; u++) {
      const sx0 = r.x + Math.floor(u / scale);
      const sx1 = Math.max(sx0 + 1, Math.min(r.x + r.w, r.x + Math.floor((u + 1) / scale)));
      let sum = 0;
      let n = 0;
      for (let y = sy0; y < sy1; y++)
        for (let x = sx0; x < sx1; x++) {
          const i = y * grey.width + x;
          sum += erase[i] ? 255 : grey.data[i]!;
          n++;
        }
      out[(oy + v) * outWidth + ox + u] = n ? Math.round(sum / n) : 255;
    }
  }
}

interface Line {
  /** Each cell's span along the line, in line pixels. */
  spans: [number, number][];
  width: number;
  place: { r: Rect; scale: number; x: number; y: number; w: number; h: number }[];
}

/** Plans one column's line: its cells scaled alike (so 一 stays flat), centred, GAP apart. */
function planLine(cells: Rect[], pitch: number, grey: Grey): Line {
  const scale = CHAR_HEIGHT / pitch;
  let x = GAP;
  const spans: [number, number][] = [];
  const place: Line['place'] = [];
  for (const cell of cells) {
    // A pad of a few pixels keeps strokes off the cell's edge.
    const pad = Math.round(0.05 * pitch);
    const r = { x: Math.max(0, cell.x - pad), y: Math.max(0, cell.y - pad), w: 0, h: 0 };
    r.w = Math.min(grey.width, cell.x + cell.w + pad) - r.x;
    r.h = Math.min(grey.height, cell.y + cell.h + pad) - r.y;
    // A cell taller than the line (two characters the cut missed) is shrunk to fit.
    const s = Math.min(scale, (LINE_HEIGHT - 4) / r.h);
    const w = Math.max(1, Math.round(r.w * s));
    const h = Math.max(1, Math.round(r.h * s));
    place.push({ r, scale: s, x, y: Math.floor((LINE_HEIGHT - h) / 2), w, h });
    spans.push([x, x + w]);
    x += w + GAP;
  }
  return { spans, width: x, place };
}

export class PaddleColumnsRecognizer implements TextRecognizer {
  readonly engine: { name: string; version: string };
  private readonly slots: Slots;

  private constructor(
    private readonly models: PaddleModels,
    private readonly pixelLimit: number,
    concurrency: number,
  ) {
    this.engine = { name: 'paddle-columns', version: models.version };
    this.slots = new Slots(concurrency);
  }

  static async create(options: PaddleColumnsOptions = {}): Promise<PaddleColumnsRecognizer> {
    const models = await paddleModels();
    return new PaddleColumnsRecognizer(models, options.pixelLimit ?? 100_000_000, Math.max(1, options.concurrency ?? availableParallelism()));
  }

  recognise(image: string | DecodedImage): Promise<PageText> {
    return this.slots.run(() => this.read(image));
  }

  private async read(image: string | DecodedImage): Promise<PageText> {
    const page = await workingPage(image, this.pixelLimit);
    const layout = layOut(page);
    const result: PageText = { engine: this.engine, width: page.masterWidth, height: page.masterHeight, columns: [] };
    if (layout.columns.length === 0) return result;

    const plans = layout.columns.map((c) => planLine(c.chars, c.pitch, page));
    // Each line on its own, at its own width (a multiple of 8, the model's stride): padding a
    // short column to the longest costs time and makes a lone character read worse.
    const readings: LineReading[] = [];
    for (const plan of plans) {
      const width = Math.max(MIN_WIDTH, Math.ceil(plan.width / 8) * 8);
      const line = new Uint8Array(LINE_HEIGHT * width).fill(255);
      for (const p of plan.place) paste(page, layout.lines, p.r, p.scale, line, width, p.x, p.y, p.w, p.h);
      readings.push((await recogniseLines(this.models, [line], width))[0]!);
    }

    layout.columns.forEach((column, i) => {
      const plan = plans[i]!;
      // Tie each character read to the cell under its time steps (the nearest, between cells).
      const perCell: { char: string; confidence: number }[][] = column.chars.map(() => []);
      const reading = readings[i]!;
      for (const d of reading.chars) {
        let best = 0;
        let distance = Infinity;
        plan.spans.forEach(([a, b], k) => {
          const dist = d.x < a ? a - d.x : d.x > b ? d.x - b : 0;
          if (dist < distance) [distance, best] = [dist, k];
        });
        perCell[best]!.push({ char: toTraditional(d.char), confidence: d.confidence });
      }
      // A cell the greedy decoding passed over (blank won each of its time steps) still holds a
      // character — the layout found ink there: its likeliest reading, at its own probability.
      perCell.forEach((read, k) => {
        if (read.length) return;
        const found = likeliestIn(reading, plan.spans[k]![0], plan.spans[k]![1], this.models.alphabet);
        if (found && found.confidence >= FILL_MIN) read.push({ char: toTraditional(found.char), confidence: found.confidence });
      });
      const chars: TextChar[] = [];
      column.chars.forEach((cell, k) => {
        const read = perCell[k]!;
        // Two characters read in one cell share it, top to bottom.
        read.forEach((c, j) => {
          const h = cell.h / read.length;
          const sub = { x: cell.x, y: cell.y + j * h, w: cell.w, h };
          chars.push({ char: c.char, box: toBox(sub, page.scale), confidence: Math.min(1, Math.max(0, c.confidence)) });
        });
      });
      if (chars.length === 0) return;
      const box = toBox(column.rect, page.scale);
      result.columns.push({ kind: column.kind, box, text: chars.map((c) => c.char).join(''), chars } satisfies TextColumn);
    });
    return result;
  }

  async close(): Promise<void> {
    // The models are shared by the process (loaded once); nothing is held per recogniser.
  }
}
