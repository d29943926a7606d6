/**
 * What the Meilisearch text index (src/adapters/meili/meili-text-search-index.ts) sends: pure, so
 * it is tested without a server (test/unit/meili-text-grams.test.ts), the search itself included
 * with the server's two requests given as functions.
 *
 * Meilisearch matches words, and segments Chinese into dictionary words (docs/SEARCH.md), so it
 * would miss most substrings of a page. It is given no Chinese at all to segment: each page's
 * search keys (src/domain/text-match.ts, folded one code point per character) become tokens of
 * lower-case Latin letters — one for each character (a unigram) and one for each pair of
 * neighbouring characters (a bigram), each kept once — and a phrase asks for its own bigrams (its
 * unigram, when it is one character) with matchingStrategy 'all'. A page holding the phrase holds
 * every one of its bigrams, so no page is missed; a page holding them all elsewhere is dropped
 * when the adapter checks the candidates on their keys (src/adapters/text-search-hits.ts).
 * Punctuation and spaces are keys like any other, since the tokens are ours.
 */
import { createHash } from 'node:crypto';
import { parseCensusNumber } from '../../domain/census-number.js';
import { keysOf, phraseChars } from '../../domain/text-match.js';
import type { TextStatus } from '../../ports/page-text-store.js';
import { APPROXIMATE_MIN, type IndexedPage, type TextSearchQuery, type TextSearchResult } from '../../ports/text-search-index.js';
import { type Candidate, packed, pageHit, rankBooks, unpacked } from '../text-search-hits.js';
import { MAX_QUERY_WORDS, quote } from './meili-search-index.js';

/** A page as Meilisearch holds it. */
export interface MeiliPage {
  /** pageId(censusNumber, imageId): Meilisearch ids are ASCII letters, digits, `-` and `_`. */
  id: string;
  censusNumber: string;
  imageId: string;
  /** The census unit whose surveyors may read the page's drafts (the census number's first parts). */
  unit: string;
  sequence: number;
  juan: string | null;
  status: TextStatus;
  published: boolean;
  /** The search keys, one code point a character: what candidates are checked on. */
  keys: string;
  /** The characters as written and their boxes, as the embedded index packs them (boxes in base64). */
  written: string;
  boxes: string;
  /** The tokens, GRAMS_PER_FIELD to a field (grams.g0, grams.g1 …): Meilisearch indexes 65,535 positions of an attribute. */
  grams: Record<string, string>;
}

/** Tokens a field: well under the 65,535 positions Meilisearch indexes of one attribute, a position a token. */
export const GRAMS_PER_FIELD = 16_000;

/** 26⁵ = 11,881,376 covers every code point (0x10FFFF = 1,114,111). */
const LETTERS = 5;

/** A code point as five lower-case letters: a word to any tokenizer, never split or merged. */
function letters(key: string): string {
  let n = key.codePointAt(0)!;
  let out = '';
  for (let i = 0; i < LETTERS; i++) {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  }
  return out;
}

export const unigram = (a: string): string => `u${letters(a)}`;
export const bigram = (a: string, b: string): string => `b${letters(a)}${letters(b)}`;

/** Every distinct unigram and bigram of a page's keys. */
export function pageTokens(keys: string): string[] {
  const k = [...keys];
  const tokens = new Set<string>();
  k.forEach((a, i) => {
    tokens.add(unigram(a));
    if (i + 1 < k.length) tokens.add(bigram(a, k[i + 1]!));
  });
  return [...tokens];
}

/**
 * The tokens a phrase (keys) asks for: its bigrams, or its unigram when it is one character. At
 * most MAX_QUERY_WORDS (Meilisearch reads no more words of a query), spread over the phrase:
 * fewer tokens only let more candidates through to the check.
 */
export function phraseTokens(keys: readonly string[]): string[] {
  if (keys.length === 0) return [];
  if (keys.length === 1) return [unigram(keys[0]!)];
  const all = [...new Set(keys.slice(1).map((b, i) => bigram(keys[i]!, b)))];
  if (all.length <= MAX_QUERY_WORDS) return all;
  return [...new Set(Array.from({ length: MAX_QUERY_WORDS }, (_, i) => all[Math.round((i * (all.length - 1)) / (MAX_QUERY_WORDS - 1))]!))];
}

/**
 * The searches whose answers together are the candidates: the phrase's tokens, or in approximate
 * mode either half's — a phrase with one character substituted keeps one half intact (the
 * pigeonhole principle, as in the embedded index).
 */
export function candidateSearches(phrase: string, approximate: boolean): string[][] {
  const keys = [...phrase];
  if (!approximate) return [phraseTokens(keys)];
  const half = Math.floor(keys.length / 2);
  return [phraseTokens(keys.slice(0, half)), phraseTokens(keys.slice(half))];
}

/** A page's id: a hash of its census number and image id (128 bits: collisions are out of reach). */
export const pageId = (censusNumber: string, imageId: string): string =>
  createHash('sha256').update(`${censusNumber}\n${imageId}`).digest('hex').slice(0, 32);

export function pageDocument(page: IndexedPage): MeiliPage {
  const keys = keysOf(page.chars.map((c) => c.char));
  const { written, boxes } = packed(page.chars);
  const tokens = pageTokens(keys);
  const grams: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i += GRAMS_PER_FIELD) grams[`g${i / GRAMS_PER_FIELD}`] = tokens.slice(i, i + GRAMS_PER_FIELD).join(' ');
  return {
    id: pageId(page.censusNumber, page.imageId), censusNumber: page.censusNumber, imageId: page.imageId,
    unit: parseCensusNumber(page.censusNumber)?.unitKey ?? '', sequence: page.sequence, juan: page.juan, status: page.status,
    published: page.published, keys, written, boxes: boxes.toString('base64'), grams,
  };
}

/**
 * The filter a search runs under (src/ports/text-search-index.ts TextVisibility): the public sees
 * verified pages of published records; a surveyor every page of published records and of the
 * unit's; reviewers and admins every page.
 */
export function filterOf(query: Pick<TextSearchQuery, 'censusNumber' | 'visibility'>): string | undefined {
  const filter: string[] = [];
  if (query.censusNumber !== undefined) filter.push(`censusNumber = ${quote(query.censusNumber)}`);
  if (query.visibility.public) filter.push('published = true AND status = "verified"');
  else if (query.visibility.units !== 'all') filter.push(`(published = true OR unit = ${quote(query.visibility.units)})`);
  return filter.length ? filter.join(' AND ') : undefined;
}

/** What a search reads of each candidate: enough to check and rank it, not its characters. */
export type CandidateDocument = Pick<MeiliPage, 'id' | 'censusNumber' | 'imageId' | 'sequence' | 'juan' | 'status' | 'keys'>;

/** The two requests a search makes of the server. */
export interface PageSource {
  /** The visible pages (filterOf) holding every token. */
  candidates(tokens: readonly string[], filter: string | undefined): Promise<CandidateDocument[]>;
  /** The characters as written and the boxes of the pages shown, by id. */
  written(ids: readonly string[]): Promise<Map<string, { written: string; boxes: Buffer }>>;
}

/**
 * A search: the candidates of each of candidateSearches together, checked on their keys and
 * ranked as the embedded index ranks (rankBooks), then the characters of the pages shown read
 * and their matches given (pageHit).
 */
export async function searchPages(query: TextSearchQuery, source: PageSource): Promise<TextSearchResult> {
  const phrase = keysOf(phraseChars(query.q));
  const length = [...phrase].length;
  if (length === 0) return { total: 0, matchCount: 0, books: [] };
  const approximate = query.approximate && length >= APPROXIMATE_MIN;
  const filter = filterOf(query);
  const found = new Map<string, CandidateDocument>();
  for (const tokens of candidateSearches(phrase, approximate)) {
    for (const page of await source.candidates(tokens, filter)) found.set(page.id, page);
  }
  const pages = [...found.values()];
  const candidates = pages.map((p, i): Candidate => ({
    id: i, census_number: p.censusNumber, image_id: p.imageId, sequence: p.sequence, juan: p.juan, status: p.status, keys: p.keys, n: null,
  }));
  const { total, matchCount, shown } = rankBooks(candidates, phrase, approximate, query);
  const written = await source.written(shown.flatMap((book) => book.pages.map((p) => pages[p.c.id]!.id)));
  const read = {
    // A page written or removed since the candidates were read is shown as it is now, or without characters.
    chars: (i: number) => unpacked(written.get(pages[i]!.id) ?? { written: '', boxes: Buffer.alloc(0) }),
    keys: (i: number) => pages[i]!.keys,
  };
  const books = shown.map(({ hit, pages: best }) => {
    hit.pages = best.map((p) => pageHit(p, phrase, approximate, query.matchesPerPage, read));
    return hit;
  });
  return { total, matchCount, books };
}
