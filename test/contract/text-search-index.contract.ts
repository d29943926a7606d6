/**
 * The contract every TextSearchIndex adapter keeps; text-search-index.test.ts runs it on each.
 * The corpus is real classical Chinese: the transcriptions of book1 (欽定四庫全書簡明目録) and the
 * Kanseki Repository's 周易 (KR1a0001, CC BY-SA), cut into synthetic pages with a box a character.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { random } from '../../src/demo/random.js';
import type { Box } from '../../src/domain/page-text.js';
import { keysOf, phraseChars } from '../../src/domain/text-match.js';
import type { TextStatus } from '../../src/ports/page-text-store.js';
import type { IndexedPage, TextSearchIndex, TextSearchQuery } from '../../src/ports/text-search-index.js';

export interface TextSearchFixture {
  index: TextSearchIndex;
  dispose(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const BOOK1 = path.resolve(ROOT, '../shared/data/transcriptions/book1');

/** A Kanseki Repository (mandoku) file's text: markup, line ends and org headers left out. */
const mandokuText = (file: string) => readFileSync(path.join(ROOT, 'test/fixtures', file), 'utf8')
  .split('\n').filter((l) => !l.startsWith('#')).join('').replace(/<[^>]*>|¶|\s|\*/g, '');

/** The corpus as one string of characters as written: book1 and 周易's first 卦 (2,000 characters). */
export function corpusText(whole = false): string {
  const book1 = readdirSync(BOOK1).sort((a, b) => parseInt(a, 10) - parseInt(b, 10)).map((f) => readFileSync(path.join(BOOK1, f), 'utf8')).join('');
  // With `whole`, the whole 周易 (KR1a0001, 30,000 characters more, 134 pages with book1): the recall test's corpus.
  const kanripo = mandokuText('kanripo-KR1a0001_001.txt') + (whole ? mandokuText('kanripo-KR1a0001_002-069.txt') : '');
  return (book1 + kanripo).replace(/\s/g, '');
}

/** Characters laid in columns of 20 from the right, as a page of a vertical book. */
export function charsOf(text: string): { char: string; box: Box }[] {
  return phraseChars(text).map((char, i) => ({ char, box: [2000 - Math.floor(i / 20) * 60, 100 + (i % 20) * 50, 48, 46] as Box }));
}

const PAGE_CHARS = 240;
const BOOKS = ['110000-0001-0000001', '110000-0001-0000002', '430000-0001-0000003', '430000-0001-0000004'];

/** The corpus spread over the books' pages, every page verified and published unless told. */
export function corpusPages(whole = false): IndexedPage[] {
  const chars = phraseChars(corpusText(whole));
  const pages: IndexedPage[] = [];
  for (let i = 0, n = 0; i < chars.length; i += PAGE_CHARS, n++) {
    const censusNumber = BOOKS[n % BOOKS.length]!;
    const sequence = Math.floor(n / BOOKS.length) + 1;
    pages.push({
      censusNumber, imageId: `img-${n}`, sequence, juan: `卷${Math.ceil(sequence / 5)}`, status: 'verified', published: true,
      chars: charsOf(chars.slice(i, i + PAGE_CHARS).join('')),
    });
  }
  return pages;
}

const ALL = { public: false, units: 'all' } as const;
const query = (q: string, more: Partial<TextSearchQuery> = {}): TextSearchQuery => ({
  q, visibility: ALL, approximate: false, offset: 0, limit: 1000, pagesPerBook: 10_000, matchesPerPage: 100, ...more,
});
const pagesFound = (result: Awaited<ReturnType<TextSearchIndex['search']>>) =>
  new Set(result.books.flatMap((b) => b.pages.map((p) => `${b.censusNumber} ${p.imageId}`)));

function page(censusNumber: string, imageId: string, text: string, status: TextStatus = 'verified', published = true): IndexedPage {
  return { censusNumber, imageId, sequence: Number(imageId.replace(/\D/g, '')) || 1, juan: null, status, published, chars: charsOf(text) };
}

export function textSearchIndexContract(name: string, open: () => Promise<TextSearchFixture>): void {
  describe(`TextSearchIndex contract: ${name}`, function () {
    this.timeout(120_000);
    let fixture: TextSearchFixture;
    let index: TextSearchIndex;
    beforeEach(async () => {
      fixture = await open();
      index = fixture.index;
    });
    afterEach(async () => fixture.dispose());

    it('recall: for 500 random substrings (1–8 characters) of the whole 周易 and book1 returns every page a brute-force scan returns, and every match', async () => {
      const pages = corpusPages(true);
      for (const p of pages) await index.put(p);
      expect(await index.count()).to.equal(pages.length);
      const keys = pages.map((p) => keysOf(p.chars.map((c) => c.char)));
      const next = random(16);
      for (let t = 0; t < 500; t++) {
        const p = pages[Math.floor(next() * pages.length)]!;
        const length = 1 + Math.floor(next() * 8);
        const start = Math.floor(next() * (p.chars.length - length));
        const q = p.chars.slice(start, start + length).map((c) => c.char).join('');
        const phrase = keysOf(phraseChars(q));
        const expected = new Set<string>();
        let occurrences = 0;
        pages.forEach((page, i) => {
          for (let at = keys[i]!.indexOf(phrase); at >= 0; at = keys[i]!.indexOf(phrase, at + 1)) {
            expected.add(`${page.censusNumber} ${page.imageId}`);
            occurrences += 1;
          }
        });
        const result = await index.search(query(q));
        expect([...pagesFound(result)].sort(), `«${q}»`).to.deep.equal([...expected].sort());
        expect(result.matchCount, `«${q}»`).to.equal(occurrences);
        expect(result.books.flatMap((b) => b.pages.flatMap((pg) => pg.matches)).every((m) => m.isExact)).to.equal(true);
        if (length >= 4) {
          // Approximate: every page a scan finds a window of with at most one character different.
          const near = new Set(pages.filter((_, i) => {
            const k = [...keys[i]!];
            const w = [...phrase];
            for (let s = 0; s + w.length <= k.length; s++) if (w.filter((c, j) => c !== k[s + j]).length <= 1) return true;
            return false;
          }).map((pg) => `${pg.censusNumber} ${pg.imageId}`));
          expect([...pagesFound(await index.search(query(q, { approximate: true })))].sort(), `«${q}» approximately`).to.deep.equal([...near].sort());
        }
      }
    });

    it('folds as the catalogue search does and answers as written, with the boxes of the matched characters', async () => {
      await index.put(page(BOOKS[0]!, 'p1', '欽定四庫全書簡明目録卷一經部一'));
      const result = await index.search(query('简明目录'));
      expect(result.total).to.equal(1);
      const hit = result.books[0]!.pages[0]!;
      expect(hit.matches).to.have.length(1);
      const m = hit.matches[0]!;
      expect([m.prefix, m.exact, m.suffix]).to.deep.equal(['欽定四庫全書', '簡明目録', '卷一經部一']);
      expect(m.start).to.equal(6);
      expect(m.boxes).to.deep.equal(charsOf('欽定四庫全書簡明目録').slice(6).map((c) => c.box));
      expect(m.isExact).to.equal(true);
      expect(hit.proofread).to.equal(true);
    });

    it('gives back characters of more than one code point and a page opening with a bracket as written', async () => {
      const chars = [{ char: '[', box: [1, 2, 3, 4] as Box }, { char: '黃\u{FE00}', box: [70_000, 5, 6, 7] as Box }, { char: '帝', box: [8, 9, 10, 11] as Box }];
      await index.put({ censusNumber: BOOKS[0]!, imageId: 'p1', sequence: 1, juan: null, status: 'verified', published: true, chars });
      const m = (await index.search(query('黄帝'))).books[0]!.pages[0]!.matches[0]!;
      expect([m.prefix, m.exact, m.chars]).to.deep.equal(['[', '黃\u{FE00}帝', ['黃\u{FE00}', '帝']]);
      // Boxes are kept in 16 bits: a coordinate past 65,535 px is held at the edge.
      expect(m.boxes).to.deep.equal([[65_535, 5, 6, 7], [8, 9, 10, 11]]);
    });

    it('counts offsets in characters beyond the Basic Multilingual Plane (Extension B) as in any other', async () => {
      await index.put(page(BOOKS[0]!, 'p1', '𠀀𠀁之𠀀𠀁乎'));
      const hit = (await index.search(query('𠀀𠀁'))).books[0]!.pages[0]!;
      expect(hit.matches.map((m) => [m.start, m.prefix, m.suffix])).to.deep.equal([[0, '', '之𠀀𠀁乎'], [3, '𠀀𠀁之', '乎']]);
      expect(hit.matches[1]!.boxes).to.deep.equal(charsOf('𠀀𠀁之𠀀𠀁').slice(3).map((c) => c.box));
    });

    it('searches within one book, ranks the books with more matches first and pages them', async () => {
      await index.put(page(BOOKS[0]!, 'p1', '子曰學而時習之'));
      await index.put(page(BOOKS[1]!, 'p1', '學而時習之不亦說乎學而'));
      await index.put(page(BOOKS[1]!, 'p2', '學而'));
      const across = await index.search(query('學而'));
      expect(across.books.map((b) => b.censusNumber)).to.deep.equal([BOOKS[1], BOOKS[0]]);
      expect(across.books[0]!.pages.map((p) => p.imageId)).to.deep.equal(['p1', 'p2']);
      expect(across.matchCount).to.equal(4);
      const within = await index.search(query('學而', { censusNumber: BOOKS[0] }));
      expect(within.books.map((b) => b.censusNumber)).to.deep.equal([BOOKS[0]]);
      const second = await index.search(query('學而', { offset: 1, limit: 1, pagesPerBook: 1 }));
      expect(second.total).to.equal(2);
      expect(second.books.map((b) => b.censusNumber)).to.deep.equal([BOOKS[0]]);
    });

    it('visibility: the public sees verified pages of published books; a surveyor also every page of the unit’s books and of published ones', async () => {
      await index.put(page(BOOKS[0]!, 'p1', '天地玄黃', 'verified', true));
      await index.put(page(BOOKS[0]!, 'p2', '天地玄黃', 'ocr', true));
      await index.put(page(BOOKS[2]!, 'p1', '天地玄黃', 'verified', false));
      await index.put(page(BOOKS[3]!, 'p1', '天地玄黃', 'proofread', false));
      // A phrase and a single character (which an index may answer from counts kept at write time) see the same pages.
      const seen = async (visibility: TextSearchQuery['visibility']) => {
        const [phrase, char] = await Promise.all([index.search(query('天地', { visibility })), index.search(query('玄', { visibility }))]);
        expect([char.total, char.matchCount, [...pagesFound(char)].sort()]).to.deep.equal([phrase.total, phrase.matchCount, [...pagesFound(phrase)].sort()]);
        return [...pagesFound(phrase)].sort();
      };
      expect(await seen({ public: true })).to.deep.equal([`${BOOKS[0]} p1`]);
      expect(await seen({ public: false, units: '110000-0001' })).to.deep.equal([`${BOOKS[0]} p1`, `${BOOKS[0]} p2`]);
      expect(await seen({ public: false, units: '430000-0001' })).to.have.length(4);
      expect(await seen(ALL)).to.have.length(4);
      await index.setPublished(BOOKS[0]!, false);
      expect(await seen({ public: true })).to.deep.equal([]);
      await index.setPublished(BOOKS[2]!, true);
      expect(await seen({ public: true })).to.deep.equal([`${BOOKS[2]} p1`]);
      await index.put(page(BOOKS[2]!, 'p2', '天地玄黃', 'ocr', true));
      await index.put(page(BOOKS[2]!, 'p2', '天地玄黃', 'verified', true));
      expect(await seen({ public: true })).to.deep.equal([`${BOOKS[2]} p1`, `${BOOKS[2]} p2`]);
    });

    it('updates replace a page’s text, and removal removes it', async () => {
      await index.put(page(BOOKS[0]!, 'p1', '初九潛龍勿用'));
      await index.put(page(BOOKS[0]!, 'p1', '九二見龍在田', 'proofread'));
      expect((await index.search(query('潛龍'))).total).to.equal(0);
      expect((await index.search(query('潛'))).total).to.equal(0);
      expect((await index.search(query('龍'))).matchCount).to.equal(1);
      const now = await index.search(query('見龍'));
      expect(now.books[0]!.pages[0]!.status).to.equal('proofread');
      expect(await index.count()).to.equal(1);
      await index.remove(BOOKS[0]!, 'p1');
      expect((await index.search(query('見龍'))).total).to.equal(0);
      expect((await index.search(query('龍'))).total).to.equal(0);
      expect(await index.count()).to.equal(0);
    });

    it('approximate: a phrase of four or more with one character substituted, ranked after exact matches and marked so', async () => {
      await index.put(page(BOOKS[0]!, 'p1', '君子終日乾乾夕惕若厲'));
      await index.put(page(BOOKS[1]!, 'p1', '君子終日乾坤夕惕若厲'));
      await index.put(page(BOOKS[2]!, 'p1', '君子終月乾坤夕惕若厲'));
      expect((await index.search(query('終日乾乾'))).total).to.equal(1);
      const result = await index.search(query('終日乾乾', { approximate: true }));
      expect(result.books.map((b) => b.censusNumber)).to.deep.equal([BOOKS[0], BOOKS[1]]);
      expect(result.books[0]!.pages[0]!.matches[0]!.isExact).to.equal(true);
      const approx = result.books[1]!.pages[0]!.matches[0]!;
      expect([approx.exact, approx.isExact]).to.deep.equal(['終日乾坤', false]);
      // Shorter phrases are exact only: one substitution in three characters matches almost anywhere.
      expect((await index.search(query('日乾乾', { approximate: true }))).total).to.equal(1);
    });

    it('keeps the sequence of the record changes it has seen, and clears', async () => {
      await index.put(page(BOOKS[0]!, 'p1', '元亨利貞'));
      await index.setLastSeq(42);
      expect(await index.lastSeq()).to.equal(42);
      await index.clear();
      expect([await index.count(), await index.lastSeq()]).to.deep.equal([0, 0]);
      expect((await index.search(query('元亨'))).total).to.equal(0);
      expect((await index.search(query('元'))).total).to.equal(0);
    });
  });
}
