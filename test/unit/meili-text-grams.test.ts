/**
 * The pure parts of the Meilisearch text index (src/adapters/meili/text-grams.ts), on the text
 * search contract's real corpus (欽定四庫全書簡明目録 and the 周易): the tokens narrow without
 * missing a page, and a search over candidates chosen as matchingStrategy 'all' chooses them
 * answers exactly as the embedded index does. No Meilisearch server runs here: the server's part
 * (tokens matched, filters applied) is the contract suite's, wherever MEILI_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, DEFAULT_TEXT_MEILI_MAX_PAGES, loadConfig } from '../../src/config.js';
import { SqliteTextSearchIndex } from '../../src/adapters/embedded/sqlite-text-search-index.js';
import { MAX_QUERY_WORDS } from '../../src/adapters/meili/meili-search-index.js';
import {
  GRAMS_PER_FIELD, type MeiliPage, bigram, candidateSearches, filterOf, pageDocument, pageId, pageTokens, phraseTokens, searchPages, unigram,
} from '../../src/adapters/meili/text-grams.js';
import { packed } from '../../src/adapters/text-search-hits.js';
import { random } from '../../src/demo/random.js';
import type { Box } from '../../src/domain/page-text.js';
import { keysOf, phraseChars } from '../../src/domain/text-match.js';
import type { IndexedPage, TextSearchQuery, TextVisibility } from '../../src/ports/text-search-index.js';
import { charsOf, corpusPages } from '../contract/text-search-index.contract.js';

const keysOfPage = (p: IndexedPage) => keysOf(p.chars.map((c) => c.char));
const tokensOf = (doc: MeiliPage) => new Set(Object.values(doc.grams).flatMap((g) => g.split(' ')));

/** Pages a brute-force scan finds the phrase on, or a window of it with at most one character different. */
function scan(keys: readonly string[], phrase: string, approximate: boolean): number[] {
  const w = [...phrase];
  return keys.flatMap((page, i) => {
    if (page.includes(phrase)) return [i];
    if (!approximate) return [];
    const k = [...page];
    for (let s = 0; s + w.length <= k.length; s++) if (w.filter((c, j) => c !== k[s + j]).length <= 1) return [i];
    return [];
  });
}

describe('Meilisearch text index: tokens', () => {
  it('spells every code point as its own word of lower-case letters, Extension B and the last code point included', () => {
    const keys = ['之', '乎', 'a', '。', ' ', '𠀀', '𠀁', '\u{10FFFF}', '\0'];
    const tokens = keys.map(unigram);
    expect(new Set(tokens).size).to.equal(keys.length);
    for (const t of [...tokens, bigram('𠀀', '之')]) expect(t).to.match(/^[a-z]+$/);
    expect(bigram('之', '乎')).to.not.equal(bigram('乎', '之'));
  });

  it('a page holds every token of each phrase on it: 500 random substrings of 1–40 characters, exact and approximate', () => {
    const pages = corpusPages();
    const keys = pages.map(keysOfPage);
    const tokens = pages.map((p) => tokensOf(pageDocument(p)));
    const next = random(7);
    let narrowed = 0;
    for (let t = 0; t < 500; t++) {
      const p = Math.floor(next() * pages.length);
      const length = 1 + Math.floor(next() * 40);
      const start = Math.floor(next() * Math.max(1, keys[p]!.length - length));
      const phrase = keysOf(phraseChars(pages[p]!.chars.slice(start, start + length).map((c) => c.char).join('')));
      const approximate = length >= 4 && next() < 0.5;
      const searches = candidateSearches(phrase, approximate);
      for (const s of searches) expect(s.length).to.be.within(1, MAX_QUERY_WORDS);
      // Meilisearch's matchingStrategy 'all': a page is a candidate of a search when it holds all its tokens.
      const candidates = new Set(tokens.flatMap((set, i) => (searches.some((s) => s.every((x) => set.has(x))) ? [i] : [])));
      const expected = scan(keys, phrase, approximate);
      expect(expected, `«${phrase}»`).to.include(p);
      expect(expected.filter((i) => !candidates.has(i)), `«${phrase}» pages missed`).to.deep.equal([]);
      if (candidates.size < pages.length / 2) narrowed += 1;
    }
    // Narrowing at all: most phrases leave most pages out (one common character need not).
    expect(narrowed).to.be.above(400);
  });

  it('asks for the bigrams of a phrase spread over it, at most MAX_QUERY_WORDS, and for the unigram of one character', () => {
    expect(phraseTokens(['易'])).to.deep.equal([unigram('易')]);
    expect(phraseTokens([...'元亨利貞'])).to.deep.equal([bigram('元', '亨'), bigram('亨', '利'), bigram('利', '貞')]);
    const long = [...keysOf(phraseChars('欽定四庫全書簡明目録卷一經部一易類子夏易傳十一卷'))];
    const asked = phraseTokens(long);
    expect(asked).to.have.length(MAX_QUERY_WORDS);
    expect(asked[0]).to.equal(bigram(long[0]!, long[1]!));
    expect(asked.at(-1)).to.equal(bigram(long.at(-2)!, long.at(-1)!));
    // Repeated bigrams once: 啊啊啊 asks for 啊啊.
    expect(phraseTokens([...'啊啊啊'])).to.deep.equal([bigram('啊', '啊')]);
    // Approximate mode: either half, each intact when one character of the other is changed.
    expect(candidateSearches('終日乾乾', true)).to.deep.equal([[bigram('終', '日')], [bigram('乾', '乾')]]);
  });

  it('a document keeps the page as written, with its boxes, and cuts a long page\'s tokens into fields Meilisearch indexes whole', () => {
    const chars = [{ char: '[', box: [1, 2, 3, 4] as Box }, { char: '黃\u{FE00}', box: [70_000, 5, 6, 7] as Box }, ...charsOf('帝𠀀')];
    const doc = pageDocument({ censusNumber: '110000-0001-0000001', imageId: 'p1', sequence: 3, juan: '卷一', status: 'ocr', published: false, chars });
    expect(doc.id).to.equal(pageId('110000-0001-0000001', 'p1')).and.to.match(/^[0-9a-f]{32}$/);
    expect(pageId('110000-0001-0000001', 'p2')).to.not.equal(doc.id);
    expect([doc.unit, doc.keys, doc.status, doc.published]).to.deep.equal(['110000-0001', '[黄帝𠀀', 'ocr', false]);
    expect(doc.written).to.equal(packed(chars).written);
    expect(Buffer.from(doc.boxes, 'base64')).to.deep.equal(packed(chars).boxes);

    // 9,000 different ideographs (within GUJI_TEXT_MAX_CHARS' default): more tokens than a field takes.
    const text = Array.from({ length: 9_000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    const big = pageDocument({ censusNumber: '110000-0001-0000001', imageId: 'all', sequence: 1, juan: null, status: 'verified', published: true, chars: charsOf(text) });
    const fields = Object.values(big.grams).map((g) => g.split(' '));
    expect(fields.length).to.be.above(1);
    for (const f of fields) expect(f.length).to.be.at.most(GRAMS_PER_FIELD);
    expect(fields.flat().sort()).to.deep.equal(pageTokens(keysOf(phraseChars(text))).sort());
  });
});

describe('Meilisearch text index: filters', () => {
  const cn = '110000-0001-0000001';
  it('the public sees verified pages of published books; a surveyor those of published books and the unit\'s; reviewers all', () => {
    expect(filterOf({ visibility: { public: true } })).to.equal('published = true AND status = "verified"');
    expect(filterOf({ visibility: { public: false, units: '110000-0001' } })).to.equal('(published = true OR unit = "110000-0001")');
    expect(filterOf({ visibility: { public: false, units: 'all' } })).to.equal(undefined);
    expect(filterOf({ visibility: { public: false, units: 'all' }, censusNumber: cn })).to.equal(`censusNumber = "${cn}"`);
    expect(filterOf({ visibility: { public: true }, censusNumber: cn })).to.equal(`censusNumber = "${cn}" AND published = true AND status = "verified"`);
  });

  it('quotes what it is given, so a value cannot widen the filter', () => {
    expect(filterOf({ visibility: { public: false, units: 'x" OR unit != "' }, censusNumber: 'a\\" OR published = false OR "' }))
      .to.equal('censusNumber = "a\\\\\\" OR published = false OR \\"" AND (published = true OR unit = "x\\" OR unit != \\"")');
  });
});

describe('Meilisearch text index: its bound (GUJI_TEXT_MEILI_MAX_PAGES)', () => {
  it('reads the bound, with a default, and refuses what is not a count of pages in range', () => {
    expect(loadConfig({}).textSearchMaxCandidates).to.equal(DEFAULT_TEXT_MEILI_MAX_PAGES);
    expect(loadConfig({ GUJI_TEXT_MEILI_MAX_PAGES: '5000' }).textSearchMaxCandidates).to.equal(5000);
    for (const value of ['many', '0', '2.5', '10000000']) {
      expect(() => loadConfig({ GUJI_TEXT_MEILI_MAX_PAGES: value }), value).to.throw(ConfigError, 'GUJI_TEXT_MEILI_MAX_PAGES');
    }
  });
});

describe('Meilisearch text index: a search over its candidates', () => {
  let dir: string;
  let embedded: SqliteTextSearchIndex;
  let pages: IndexedPage[];
  let docs: MeiliPage[];
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'guji-meili-grams-'));
    embedded = new SqliteTextSearchIndex(path.join(dir, 'text-search.sqlite'));
    // The corpus, some pages of it drafts and some books unpublished (a record is published
    // whole: every page of a book shares it), and the contract's awkward pages.
    const books = [...new Set(corpusPages().map((p) => p.censusNumber))];
    pages = corpusPages().map((p, i) => ({ ...p, status: i % 7 === 3 ? 'ocr' : p.status, published: books.indexOf(p.censusNumber) % 3 !== 1 }));
    pages.push(
      { censusNumber: '430000-0001-0000004', imageId: 'odd', sequence: 999, juan: null, status: 'verified', published: true,
        chars: [{ char: '[', box: [1, 2, 3, 4] }, { char: '黃\u{FE00}', box: [70_000, 5, 6, 7] }, ...charsOf('帝𠀀𠀁之𠀀𠀁乎')] },
    );
    embedded.putAll(pages);
    docs = pages.map(pageDocument);
  });
  after(async () => {
    await embedded.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The server's part as a model: matchingStrategy 'all' over the tokens, the filter as the visibility it stands for. */
  const source = (visibility: TextVisibility, censusNumber: string | undefined) => ({
    async candidates(tokens: readonly string[], filter: string | undefined) {
      expect(filter).to.equal(filterOf({ visibility, censusNumber }));
      return docs.filter((d) => {
        const visible = visibility.public ? d.published && d.status === 'verified' : visibility.units === 'all' || d.published || d.unit === visibility.units;
        const set = tokensOf(d);
        return visible && (censusNumber === undefined || d.censusNumber === censusNumber) && tokens.every((t) => set.has(t));
      });
    },
    async written(ids: readonly string[]) {
      const byId = new Map(docs.map((d) => [d.id, d]));
      return new Map(ids.map((id) => [id, { written: byId.get(id)!.written, boxes: Buffer.from(byId.get(id)!.boxes, 'base64') }]));
    },
  });

  it('answers 300 random queries — exact and approximate, each visibility, within a book and across, paged — as the embedded index does', async () => {
    const next = random(11);
    const visibilities: TextVisibility[] = [{ public: true }, { public: false, units: 'all' }, { public: false, units: '430000-0001' }];
    const books = [...new Set(pages.map((p) => p.censusNumber))];
    let found = 0;
    for (let t = 0; t < 300; t++) {
      const p = pages[Math.floor(next() * pages.length)]!;
      const length = 1 + Math.floor(next() * 12);
      const start = Math.floor(next() * Math.max(1, p.chars.length - length));
      const query: TextSearchQuery = {
        q: p.chars.slice(start, start + length).map((c) => c.char).join(''),
        visibility: visibilities[t % 3]!,
        approximate: next() < 0.5,
        ...(next() < 0.3 ? { censusNumber: books[Math.floor(next() * books.length)]! } : {}),
        offset: Math.floor(next() * 2), limit: 1 + Math.floor(next() * 3), pagesPerBook: 1 + Math.floor(next() * 5), matchesPerPage: 1 + Math.floor(next() * 5),
      };
      const answer = await searchPages(query, source(query.visibility, query.censusNumber));
      expect(answer, JSON.stringify(query)).to.deep.equal(await embedded.search(query));
      if (answer.matchCount > 0) found += 1;
    }
    expect(found).to.be.above(150);
  });

  it('gives characters of more than one code point, Extension B and clamped boxes back as the embedded index does', async () => {
    for (const q of ['黄帝', '𠀀𠀁', '[黃', '帝𠀀𠀁之']) {
      const query: TextSearchQuery = { q, visibility: { public: true }, approximate: q.length > 4, offset: 0, limit: 10, pagesPerBook: 10, matchesPerPage: 10 };
      const answer = await searchPages(query, source(query.visibility, undefined));
      expect(answer.matchCount, q).to.be.above(0);
      expect(answer, q).to.deep.equal(await embedded.search(query));
    }
  });
});
