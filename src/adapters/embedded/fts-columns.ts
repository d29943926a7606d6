/**
 * The per-document values the embedded index keeps in memory, in typed arrays indexed by row id —
 * facet codes, years, census-number order, title-proper length: about 30 bytes a document — and
 * their snapshot, so that a start reads a few blobs instead of every row of the docs table.
 */
import type { HotPhrases } from './fts-hot-phrases.js';

/** A year that is not there (Int16Array holds no null). */
export const NO_YEAR = -32768;

/** The census number as a number (PP UUUU NNNNNNN, 13 digits): its order is the census order. */
export const censusKey = (cn: string) => Number(cn.slice(0, 2) + cn.slice(7, 11) + cn.slice(12));

/** The census number a key was made from (censusKey). */
export function censusNumberOfKey(key: number): string {
  const digits = String(key).padStart(13, '0');
  return `${digits.slice(0, 2)}0000-${digits.slice(2, 6)}-${digits.slice(6)}`;
}

type Column = Uint8Array | Int16Array | Uint16Array | Float64Array;

/** What a snapshot records besides the arrays, to tell whether it still fits the file. */
export interface SnapshotInfo {
  epoch: string;
  generation: number;
  size: number;
  facets: number;
}

export class Columns {
  /** What of the file this memory reflects: its epoch (changed by clear) and last generation read. */
  epoch = '';
  generation = 0;
  size = 0;
  present = new Uint8Array(0);
  key = new Float64Array(0);
  properLength = new Uint8Array(0);
  yearFrom = new Int16Array(0);
  yearTo = new Int16Array(0);
  baseYearFrom = new Int16Array(0);
  baseYearTo = new Int16Array(0);
  codes: Uint16Array[];
  private work = new Uint8Array(0);
  /** Per facet: code → value (code 0 is null) and value → code. */
  values: string[][];
  codeOf: Map<string, number>[];

  /**
   * @param facets how many facets (column f<i> of the docs table holds facet i)
   * @param hot the hot phrases, remembered as of this memory and forgotten with it
   */
  constructor(
    readonly facets: number,
    readonly hot: HotPhrases,
  ) {
    this.codes = Array.from({ length: facets }, () => new Uint16Array(0));
    this.values = Array.from({ length: facets }, () => ['']);
    this.codeOf = Array.from({ length: facets }, () => new Map());
  }

  /** The typed arrays, by name, as a snapshot stores them. */
  arrays(): [string, Column][] {
    return [
      ['present', this.present], ['key', this.key], ['properLength', this.properLength], ['yearFrom', this.yearFrom], ['yearTo', this.yearTo],
      ['baseYearFrom', this.baseYearFrom], ['baseYearTo', this.baseYearTo],
      ...this.codes.map((c, f) => [`f${f}`, c] as [string, Uint16Array]),
    ];
  }

  /** Whether a snapshot was taken of this file, as it is now, with this facet set. */
  fits(taken: SnapshotInfo | null): taken is SnapshotInfo {
    return taken !== null && taken.epoch === this.epoch && taken.facets === this.facets;
  }

  snapshotInfo(): SnapshotInfo {
    return { epoch: this.epoch, generation: this.generation, size: this.size, facets: this.facets };
  }

  /** Takes the arrays of a snapshot of `size` documents (as arrays() named them). */
  restore(size: number, blobs: Map<string, Buffer>): void {
    const take = <T extends Column>(name: string, make: (n: number) => T): T => {
      const blob = blobs.get(name)!;
      const array = make(size);
      new Uint8Array(array.buffer).set(blob);
      return array;
    };
    this.size = size;
    this.present = take('present', (n) => new Uint8Array(n));
    this.key = take('key', (n) => new Float64Array(n));
    this.properLength = take('properLength', (n) => new Uint8Array(n));
    this.yearFrom = take('yearFrom', (n) => new Int16Array(n));
    this.yearTo = take('yearTo', (n) => new Int16Array(n));
    this.baseYearFrom = take('baseYearFrom', (n) => new Int16Array(n));
    this.baseYearTo = take('baseYearTo', (n) => new Int16Array(n));
    this.codes = this.codes.map((_, f) => take(`f${f}`, (n) => new Uint16Array(n)));
  }

  ensure(id: number): void {
    if (id < this.size) return;
    let size = Math.max(1024, this.size);
    while (size <= id) size *= 2;
    const grow = <T extends Column>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.present = grow(this.present, (n) => new Uint8Array(n));
    this.key = grow(this.key, (n) => new Float64Array(n));
    this.properLength = grow(this.properLength, (n) => new Uint8Array(n));
    this.yearFrom = grow(this.yearFrom, (n) => new Int16Array(n).fill(NO_YEAR));
    this.yearTo = grow(this.yearTo, (n) => new Int16Array(n).fill(NO_YEAR));
    this.baseYearFrom = grow(this.baseYearFrom, (n) => new Int16Array(n).fill(NO_YEAR));
    this.baseYearTo = grow(this.baseYearTo, (n) => new Int16Array(n).fill(NO_YEAR));
    this.codes = this.codes.map((c) => grow(c, (n) => new Uint16Array(n)));
    this.size = size;
  }

  /** A zeroed byte per document for a search to mark with; the search zeroes what it marked. */
  scratch(): Uint8Array {
    if (this.work.length !== this.size) this.work = new Uint8Array(this.size);
    return this.work;
  }

  /** The code of a facet value; a value seen for the first time gets the next code. */
  code(facet: number, value: string | null, onNew: (code: number) => void): number {
    if (value === null) return 0;
    let code = this.codeOf[facet]!.get(value);
    if (code === undefined) {
      code = this.values[facet]!.length;
      this.define(facet, code, value);
      onNew(code);
    }
    return code;
  }

  define(facet: number, code: number, value: string): void {
    this.values[facet]![code] = value;
    this.codeOf[facet]!.set(value, code);
  }

  /** row: [id, key, properLength, f0 … f(n-1), yearFrom, yearTo, baseYearFrom, baseYearTo] as stored. */
  set(row: (number | null)[]): void {
    const id = row[0]!;
    const n = this.facets;
    this.ensure(id);
    this.present[id] = 1;
    this.key[id] = row[1]!;
    this.properLength[id] = Math.min(255, row[2]!);
    for (let f = 0; f < n; f++) this.codes[f]![id] = row[3 + f] ?? 0;
    this.yearFrom[id] = row[3 + n] ?? NO_YEAR;
    this.yearTo[id] = row[4 + n] ?? NO_YEAR;
    this.baseYearFrom[id] = row[5 + n] ?? NO_YEAR;
    this.baseYearTo[id] = row[6 + n] ?? NO_YEAR;
  }
}
