/**
 * How the embedded index cuts text into FTS5 tokens and queries into FTS5 phrases, over the
 * one-character tokens of src/domain/search-text.ts.
 */
import type { QueryPhrase } from '../../domain/search-text.js';

/** Written after the last character of a run of Chinese characters (a private-use character). */
const RUN_END = '\uE001';
const CHINESE = /^[\p{Script=Han}\u3007□]$/u;

/**
 * The tokens this index stores for the text's tokens (search-text.ts cuts one a character):
 * each run of Chinese characters becomes its overlapping pairs — 通書類聚 → 通書 書類 類聚 — and
 * its last character marked as the end of the run (聚\uE001). A query of two characters then
 * reads one doclist instead of merging two long ones by position, and longer ones a phrase of
 * pairs; one character is a prefix query (通*), which the one-character prefix index answers
 * from a single doclist. In a query, a run that other tokens follow must end there (the mark);
 * a run that ends the query may go on in the text.
 */
export function pairTokens(tokens: readonly string[], query: boolean): { tokens: string[]; prefix: boolean } {
  const out: string[] = [];
  let prefix = false;
  for (let i = 0; i < tokens.length; i++) {
    if (!CHINESE.test(tokens[i]!)) {
      out.push(tokens[i]!);
      continue;
    }
    let j = i;
    while (j + 1 < tokens.length && CHINESE.test(tokens[j + 1]!)) j += 1;
    for (let k = i; k < j; k++) out.push(tokens[k]! + tokens[k + 1]!);
    const last = j === tokens.length - 1;
    if (!query || !last) out.push(tokens[j]! + RUN_END);
    else if (i === j) {
      out.push(tokens[j]!);
      prefix = true;
    }
    i = j;
  }
  return { tokens: out, prefix };
}

/** What the index stores for text as search-text.ts cuts it. */
export const stored = (indexed: string) => (indexed ? pairTokens(indexed.split(' '), false).tokens.join(' ') : '');

/** FTS5 string literal: a phrase in double quotes, quotes doubled, `*` for a prefix. */
export const literal = (p: QueryPhrase) => {
  const { tokens, prefix } = pairTokens(p.tokens, true);
  return `"${tokens.map((t) => t.replace(/"/g, '""')).join(' ')}"${prefix || p.prefix ? '*' : ''}`;
};
