/**
 * Finding a phrase in a page's text for search inside the books (issue 16): pure, shared by the
 * text search adapters, which only narrow the pages to look at.
 *
 * A page's characters become one search key each: the first code point of the character folded
 * (src/domain/text-fold.ts, the catalogue search's folding, one code point per code point). A
 * character's combining marks and variation selector are left out of the key, so 黃 with or
 * without a selector finds the other; offsets among keys are offsets among the characters, which
 * is what maps a match back onto the text as written and onto its boxes.
 */
import { fold } from './text-fold.js';

/** The search key of one character as written (a code point with its marks). */
export function searchKey(char: string): string {
  return String.fromCodePoint(fold(char).codePointAt(0) ?? 0x20);
}

/** The characters of a typed phrase: each code point with the combining marks after it. */
export function phraseChars(q: string): string[] {
  return q.match(/\P{M}\p{M}*/gu) ?? [];
}

/** A page's (or a phrase's) keys, one code point per character, as one string. */
export function keysOf(chars: readonly string[]): string {
  return chars.map(searchKey).join('');
}

/** Whether a key is one a word index keeps (letters, digits, ideographs): punctuation is not. */
export const indexable = (key: string): boolean => /[\p{L}\p{N}\p{Co}]/u.test(key);

const SURROGATE = /[\uD800-\uDFFF]/;

export interface FoundMatch {
  /** Offset among the page's characters, and whether no character was substituted. */
  start: number;
  exact: boolean;
}

/**
 * Every place of `phrase` (keys) in `page` (keys): exact ones, and, when `approximate`, places
 * where one character differs that overlap no exact match and no earlier approximate one.
 * Exact matches may overlap (啊啊 twice in 啊啊啊), as a scan would count them.
 */
export function findMatches(page: string, phrase: string, approximate: boolean): FoundMatch[] {
  // The common case, all in the Basic Multilingual Plane: UTF-16 offsets are character offsets,
  // and indexOf is many times faster than comparing arrays of code points. A window with one
  // character changed keeps one half of the phrase intact, so only the windows where a half
  // stands are compared; taken in order, they give what the scan below gives.
  if (!SURROGATE.test(page) && !SURROGATE.test(phrase)) {
    const n = phrase.length;
    const out: FoundMatch[] = [];
    if (n === 0) return out;
    const at = (part: string) => {
      const found: number[] = [];
      for (let i = page.indexOf(part); i >= 0; i = page.indexOf(part, i + 1)) found.push(i);
      return found;
    };
    const exact = at(phrase);
    for (const start of exact) out.push({ start, exact: true });
    if (!approximate) return out;
    const covered = new Uint8Array(page.length);
    for (const start of exact) covered.fill(1, start, start + n);
    const half = Math.floor(n / 2);
    const starts = [...new Set([...at(phrase.slice(0, half)), ...at(phrase.slice(half)).map((i) => i - half)])].filter((s) => s >= 0 && s + n <= page.length).sort((a, b) => a - b);
    for (const start of starts) {
      if (covered.subarray(start, start + n).some((c) => c === 1)) continue;
      let miss = 0;
      for (let k = 0; k < n && miss <= 1; k++) if (page[start + k] !== phrase[k]) miss++;
      if (miss === 1) {
        out.push({ start, exact: false });
        covered.fill(1, start, start + n);
      }
    }
    return out.sort((a, b) => a.start - b.start);
  }
  const p = [...page];
  const q = [...phrase];
  const n = q.length;
  if (n === 0 || n > p.length) return [];
  const out: FoundMatch[] = [];
  const covered = new Uint8Array(p.length);
  for (let i = 0; i + n <= p.length; i++) {
    let k = 0;
    while (k < n && p[i + k] === q[k]) k++;
    if (k === n) {
      out.push({ start: i, exact: true });
      covered.fill(1, i, i + n);
    }
  }
  if (!approximate) return out;
  for (let i = 0; i + n <= p.length; i++) {
    if (covered.subarray(i, i + n).some((c) => c === 1)) continue;
    let miss = 0;
    for (let k = 0; k < n && miss <= 1; k++) if (p[i + k] !== q[k]) miss++;
    if (miss === 1) {
      out.push({ start: i, exact: false });
      covered.fill(1, i, i + n);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
