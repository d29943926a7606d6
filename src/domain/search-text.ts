/**
 * How text is cut for the search index, the same way for documents and queries: folded
 * (text-fold.ts), then one token per CJK character, Latin letters and digits as words, and every
 * punctuation mark or symbol as a filler token. Without the filler a phrase `"九 卷"` would
 * match across `至九)。卷端` (docs/SEARCH.md). Engines then answer any run of characters
 * as a phrase query: Chinese substring search without a word dictionary.
 */
import { fold } from './text-fold.js';

/** Stands for any punctuation or symbol: a private-use character no one types. */
export const FILLER = '\uE000';
/** Written for an unreadable character in titles (通書類聚尅擇大全□□卷); searchable as itself. */
export const UNREADABLE = '□';

const WORD = /[\p{L}\p{N}]/u;
const HAN = /[\p{Script=Han}\u3007]/u;

/** Folded text cut into index tokens, separated by spaces. */
export function indexText(text: string): string {
  return tokens(fold(text)).join(' ');
}

function tokens(folded: string): string[] {
  const out: string[] = [];
  let word = '';
  const flush = () => {
    if (word) out.push(word);
    word = '';
  };
  for (const c of folded) {
    if (HAN.test(c) || c === UNREADABLE) {
      flush();
      out.push(c);
    } else if (WORD.test(c)) {
      word += c;
    } else if (/\s/u.test(c)) {
      // Spaces and line breaks separate fields and names: no phrase may run across them.
      flush();
      if (out[out.length - 1] !== FILLER) out.push(FILLER);
    } else {
      flush();
      out.push(FILLER);
    }
  }
  flush();
  return out;
}

/**
 * A query as phrases: each whitespace-separated part of the folded query is one phrase of
 * tokens, all of which must match. `prefix` is true when the part ends in a Latin word, which
 * then also matches longer words (call numbers, census numbers typed in part).
 */
export interface QueryPhrase {
  tokens: string[];
  prefix: boolean;
  /** The folded part, for ranking and highlighting. */
  folded: string;
}

export function queryPhrases(query: string): QueryPhrase[] {
  return fold(query)
    .split(/\s+/u)
    .filter(Boolean)
    .map((part) => {
      const t = tokens(part).filter((x, i, all) => !(x === FILLER && (i === 0 || i === all.length - 1)));
      const last = t[t.length - 1] ?? '';
      return { tokens: t, prefix: /^[\p{L}\p{N}]+$/u.test(last) && !HAN.test(last), folded: part };
    })
    .filter((p) => p.tokens.length > 0);
}

/**
 * Where the folded query parts occur in a text, as code-point ranges of the text as written
 * (folding keeps one code point for one, so positions carry over).
 */
export function matchRanges(text: string, phrases: readonly QueryPhrase[]): [number, number][] {
  const folded = [...fold(text)];
  const ranges: [number, number][] = [];
  for (const phrase of phrases) {
    const needle = [...phrase.folded];
    if (needle.length === 0) continue;
    for (let i = 0; i + needle.length <= folded.length; i++) {
      let j = 0;
      while (j < needle.length && folded[i + j] === needle[j]) j++;
      if (j === needle.length) ranges.push([i, i + needle.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text safe inside HTML text and quoted attributes. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The text as written, HTML-escaped, with matched spans in <mark>. */
export function highlight(text: string, ranges: readonly [number, number][]): string {
  const chars = [...text];
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += escapeHtml(chars.slice(at, start).join('')) + '<mark>' + escapeHtml(chars.slice(start, end).join('')) + '</mark>';
    at = end;
  }
  return out + escapeHtml(chars.slice(at).join(''));
}
