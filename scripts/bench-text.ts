/**
 * Text search benchmark (issue 16): search inside the books at the scale of a provincial library.
 *
 * Two corpora, each measured the same way. With `--corpus DIR` (the .txt files of Kanseki
 * Repository texts, CC BY-SA; e.g. `git clone https://github.com/kanripo/KR2a0001` 史記, KR2a0002
 * 漢書, KR2a0003 後漢書, KR2b0001, KR1a0001 周易, KR1d0052 …) first a REAL sample: those texts as
 * they are, cut into pages. Then the large corpus, GENERATED: a character-bigram model fitted to
 * the same texts (or, without `--corpus`, to the text in the repository:
 * test/fixtures/kanripo-KR1a0001_001.txt and book1's transcriptions), since a hundred million
 * characters of transcribed 古籍 are not to be had here. Only Han characters are kept (the books'
 * pages are unpunctuated). Pages of 400 characters (a leaf of 2 × 10 columns of 20), books of
 * 200 leaves, every page verified and published.
 *
 * Measured: index build (time, size), p50/p95/p99 (median of `--rounds` query sets, and their spread) of cross-catalogue searches (first 20 books with
 * the totals) for 1, 2, 3 and 4 characters and approximate mode (4 characters, one changed),
 * and how soon a write is found. References in the same run: a brute-force scan of the folded
 * text, and FTS5's trigram tokenizer on the same keys (phrases of 3 or more only).
 *
 *   npm run bench -- text [--chars 10000000] [--corpus DIR] [--queries 100] [--rounds 3]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { SqliteTextSearchIndex } from '../src/adapters/embedded/sqlite-text-search-index.js';
import { random } from '../src/demo/random.js';
import type { Box } from '../src/domain/page-text.js';
import { keysOf } from '../src/domain/text-match.js';
import type { IndexedPage, TextSearchQuery } from '../src/ports/text-search-index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const PAGE = 400;
const LEAVES_A_BOOK = 200;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The Han characters of the Kanseki texts (org-mode headers, page markers and punctuation left out). */
function sourceText(dir: string | undefined): { text: string; from: string } {
  const files = dir
    ? readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => path.join(dir, f))
    : [path.join(ROOT, 'test/fixtures/kanripo-KR1a0001_001.txt'), ...readdirSync(path.join(ROOT, '../shared/data/transcriptions/book1')).map((f) => path.join(ROOT, '../shared/data/transcriptions/book1', f))];
  const text = files.map((f) => readFileSync(f, 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('').replace(/<[^>]*>/g, '').replace(/[^\p{Script=Han}]/gu, '')).join('');
  return { text, from: dir ? `${files.length} files of ${dir}` : 'the repository\'s 周易 juan 1 and book1 transcriptions' };
}

/** A generator of text with the source's character and bigram frequencies (each next character drawn from what followed the last one there). */
function bigramModel(text: string, next: () => number) {
  const chars = [...text];
  const successors = new Map<string, string[]>();
  for (let i = 0; i + 1 < chars.length; i++) {
    let list = successors.get(chars[i]!);
    if (!list) successors.set(chars[i]!, (list = []));
    list.push(chars[i + 1]!);
  }
  let last = chars[0]!;
  return {
    distinct: successors.size,
    sourceChars: chars.length,
    /** A character drawn with its frequency in the source. */
    unigram: () => chars[Math.floor(next() * chars.length)]!,
    page(n: number): string {
      let out = '';
      for (let i = 0; i < n; i++) {
        const list = successors.get(last);
        last = list && next() > 0.02 ? list[Math.floor(next() * list.length)]! : chars[Math.floor(next() * chars.length)]!;
        out += last;
      }
      return out;
    },
  };
}

const boxes = (n: number): Box[] => Array.from({ length: n }, (_, i) => [2000 - Math.floor(i / 20) * 90, 120 + (i % 20) * 70, 64, 62] as Box);

export async function benchText(total: number, queries: number, corpusDir?: string, rounds = 3): Promise<void> {
  const source = sourceText(corpusDir);
  const next = random(16);
  const model = bigramModel(source.text, next);
  const sourceChars = [...source.text];
  if (corpusDir) {
    // The real sample first: the Kanseki texts as they are, cut into pages, measured the same way.
    const realPages = Math.floor(sourceChars.length / PAGE);
    console.log(`\nText search: a REAL sample, ${(realPages * PAGE).toLocaleString('en-US')} characters of ${source.from} as they are (Han characters only); pages of ${PAGE}, books of ${LEAVES_A_BOOK} leaves`);
    await measure(realPages, (p) => sourceChars.slice(p * PAGE, (p + 1) * PAGE).join(''), model.unigram, next, queries, rounds);
  }
  console.log(`\nText search: a GENERATED corpus of ${total.toLocaleString('en-US')} characters, from a bigram model fitted to ${model.sourceChars.toLocaleString('en-US')} characters (${model.distinct.toLocaleString('en-US')} distinct) of ${source.from}; pages of ${PAGE}, books of ${LEAVES_A_BOOK} leaves`);
  await measure(Math.ceil(total / PAGE), () => model.page(PAGE), model.unigram, next, queries, rounds);
}

/** Builds an index of `pages` pages (page p's text from `pageText`) beside the references, and times the queries and a write. */
async function measure(pages: number, pageText: (p: number) => string, unigram: () => string, next: () => number, queries: number, rounds: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-bench-text-'));
  try {
    const total = pages * PAGE;
    const file = path.join(dir, 'text-search.sqlite');
    const index = new SqliteTextSearchIndex(file);
    const tri = new Database(path.join(dir, 'trigram.sqlite'));
    tri.pragma('journal_mode = WAL');
    tri.exec("CREATE VIRTUAL TABLE tri USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1)");
    const triInsert = tri.prepare('INSERT INTO tri (rowid, body) VALUES (?, ?)');
    const keys: string[] = [];
    const box = boxes(PAGE);
    let built = 0;
    let triBuilt = 0;
    let batch: IndexedPage[] = [];
    for (let p = 0; p < pages; p++) {
      const text = pageText(p);
      const chars = [...text];
      keys.push(keysOf(chars));
      const book = Math.floor(p / LEAVES_A_BOOK);
      batch.push({
        censusNumber: `430000-0001-${String(book + 1).padStart(7, '0')}`, imageId: `p${p}`, sequence: (p % LEAVES_A_BOOK) + 1, juan: null,
        status: 'verified', published: true, chars: chars.map((char, i) => ({ char, box: box[i]! })),
      });
      if (batch.length === 1000 || p === pages - 1) {
        let t = performance.now();
        index.putAll(batch);
        built += performance.now() - t;
        t = performance.now();
        tri.transaction(() => batch.forEach((_, i) => triInsert.run(p - batch.length + 1 + i, keys[p - batch.length + 1 + i]!)))();
        triBuilt += performance.now() - t;
        batch = [];
      }
    }
    const sizeOf = (f: string) => statSync(f).size + (statSync(`${f}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    console.log(`  index: built in ${fmt(built / 1000)} s (generation not counted), ${fmt(sizeOf(file) / 2 ** 20)} MiB on disk (${fmt(sizeOf(file) / total, 1)} bytes a character: tokens and positions, folded keys, the text as written and its boxes)`);
    console.log(`  FTS5 trigram reference: built in ${fmt(triBuilt / 1000)} s, ${fmt(sizeOf(path.join(dir, 'trigram.sqlite')) / 2 ** 20)} MiB (keys only)`);

    const query = (q: string, approximate = false): TextSearchQuery => ({
      q, approximate, visibility: { public: true }, offset: 0, limit: 20, pagesPerBook: 3, matchesPerPage: 3,
    });
    const phrase = (n: number) => {
      const k = keys[Math.floor(next() * keys.length)]!;
      const at = Math.floor(next() * (k.length - n));
      return [...k].slice(at, at + n).join('');
    };
    const kinds: [string, () => string, boolean][] = [
      ['1 character', unigram, false],
      ['2 characters', () => phrase(2), false],
      ['3 characters', () => phrase(3), false],
      ['4 characters', () => phrase(4), false],
      ['approximate, 4 characters (one changed)', () => {
        const p = [...phrase(4)];
        p[Math.floor(next() * 4)] = unigram();
        return p.join('');
      }, true],
    ];
    const bruteQueries = Math.max(5, Math.floor(queries / 10));
    // Each kind is measured over `rounds` sets of fresh random queries: the figure is the median
    // set's, with the spread (lowest–highest) over the sets, the machine being shared.
    const spread = (sets: number[][], p: number) => {
      const per = sets.map((a) => percentile([...a].sort((x, y) => x - y), p)).sort((x, y) => x - y);
      return per.length > 1 ? `${fmt(per[Math.floor(per.length / 2)]!)} (${fmt(per[0]!)}–${fmt(per[per.length - 1]!)})` : fmt(per[0]!);
    };
    const s = (sets: number[][]) => (sets.flat().length ? `p50 ${spread(sets, 50)}, p95 ${spread(sets, 95)}, p99 ${spread(sets, 99)} ms` : 'n/a');
    for (const [name, make, approximate] of kinds) {
      const times: number[][] = [];
      const triTimes: number[][] = [];
      const bruteTimes: number[][] = [];
      let books = 0;
      let matches = 0;
      for (let r = 0; r < rounds; r++) {
        times.push([]);
        triTimes.push([]);
        bruteTimes.push([]);
        for (let i = 0; i < queries; i++) {
          const q = make();
          let t = performance.now();
          const result = await index.search(query(q, approximate));
          times[r]!.push(performance.now() - t);
          books += result.total;
          matches += result.matchCount;
          if ([...q].length >= 3 && !approximate) {
            t = performance.now();
            tri.prepare('SELECT count(*) FROM tri WHERE tri MATCH ?').pluck().get(`"${q}"`);
            triTimes[r]!.push(performance.now() - t);
          }
          if (i < bruteQueries && !approximate) {
            const folded = keysOf([...q]);
            // The reference: every page's folded text scanned for the phrase, pages and matches counted.
            t = performance.now();
            let found = 0;
            for (const k of keys) for (let at = k.indexOf(folded); at >= 0; at = k.indexOf(folded, at + 1)) found += 1;
            bruteTimes[r]!.push(performance.now() - t);
            if (found !== result.matchCount) throw new Error(`«${q}»: the index found ${result.matchCount} matches, the scan ${found}`);
          }
        }
      }
      console.log(`  ${name}: ${s(times)} (${rounds} × ${queries} queries, mean ${fmt(books / queries / rounds, 0)} books and ${fmt(matches / queries / rounds, 0)} matches a query)`);
      if (bruteTimes.flat().length) console.log(`    brute-force scan of the folded text: ${s(bruteTimes)} (${rounds} × ${bruteQueries} queries, same totals)`);
      if (triTimes.flat().length) console.log(`    FTS5 trigram, matching rows counted only: ${s(triTimes)}`);
    }

    // A write found: pages saved, each into a book of the corpus with a phrase no page has, then searched.
    const writes: number[] = [];
    let foundAll = true;
    for (let w = 0; w < 20; w++) {
      const phrase = String.fromCodePoint(0x20000 + 4 * w, 0x20001 + 4 * w, 0x20002 + 4 * w, 0x20003 + 4 * w);
      const t = performance.now();
      await index.put({ censusNumber: `430000-0001-${String(w + 1).padStart(7, '0')}`, imageId: `new${w}`, sequence: LEAVES_A_BOOK + 1, juan: null, status: 'verified', published: true, chars: [...phrase].map((char, i) => ({ char, box: box[i]! })) });
      foundAll &&= (await index.search(query(phrase))).total === 1;
      writes.push(performance.now() - t);
    }
    writes.sort((x, y) => x - y);
    console.log(`  a write found by the next search after ${fmt(percentile(writes, 50))} ms (p50 of 20, highest ${fmt(writes[writes.length - 1]!)}; found: ${foundAll})`);
    await index.close();
    tri.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
