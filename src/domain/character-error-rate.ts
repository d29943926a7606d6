/**
 * Character error rate (CER) of an OCR reading against a reference text: the Levenshtein distance
 * (insertions, deletions and substitutions, each costing 1) between the two, divided by the
 * reference's length. Only CJK ideographs are compared (../shared/data/transcriptions/README.md:
 * "character error rate on CJK characters only"): whitespace, line breaks, punctuation, Latin
 * letters and digits are dropped from both sides first, so column breaks and the 、 。 marks a
 * reader added do not count. Characters are compared exactly as written — 録 and 錄 differ —
 * because the text is stored as written.
 */

/** CJK Unified Ideographs with extensions A–H, and the compatibility ideographs. */
const IDEOGRAPH = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{323af}]/u;

/** The ideographs of `text`, one code point each. */
export function ideographs(text: string): string[] {
  return [...text].filter((c) => IDEOGRAPH.test(c));
}

/** Levenshtein distance between two sequences, in O(min(n, m)) memory. */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  if (a.length < b.length) [a, b] = [b, a];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

export interface ErrorCount {
  /** Edits needed to turn the reading into the reference. */
  errors: number;
  /** Ideographs in the reference. */
  length: number;
}

export function countErrors(reading: string, reference: string): ErrorCount {
  const ref = ideographs(reference);
  return { errors: editDistance(ideographs(reading), ref), length: ref.length };
}

/** Errors over reference length, summed over pages first (pages weigh by their length). */
export function characterErrorRate(counts: readonly ErrorCount[]): number {
  const length = counts.reduce((n, c) => n + c.length, 0);
  const errors = counts.reduce((n, c) => n + c.errors, 0);
  // Against an empty reference every character read is an error, and no finite rate says so.
  if (length === 0) return errors === 0 ? 0 : Infinity;
  return errors / length;
}
