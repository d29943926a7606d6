/**
 * Known texts laid onto the real OCR drafts of book1's 10 half-leaves (the real engine, run once):
 * the transcriptions of ../shared/data/transcriptions/book1 sent as one text with no page breaks
 * must come back split exactly onto their pages, in the forms a known text comes in; a text of
 * another book must be flagged on every page, not forced onto them. Speed is not asserted here
 * (npm run bench -- align).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js';
import { PaddleColumnsRecognizer } from '../../src/adapters/ocr/paddle-columns.js';
import { AppError } from '../../src/domain/errors.js';
import { parseKnownText } from '../../src/domain/known-text.js';
import type { PageText } from '../../src/domain/page-text.js';
import { alignToPages, DEFAULT_FLAG_BELOW, MAX_KNOWN_CHARACTERS, type AlignedPage } from '../../src/domain/text-alignment.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.resolve(here, '..', '..', '..', 'shared', 'data');
const PAGES = Array.from({ length: 10 }, (_, i) => i + 1);
const transcription = PAGES.map((n) => readFileSync(path.join(DATA, 'transcriptions', 'book1', `${n}.txt`), 'utf8').trim());
const flat = (pages: string[]) => pages.join('').replace(/\n/g, '');

/**
 * Modern punctuation as an editor adds it (constructed): 「」 around the date line of page 1, a
 * ， after every sixth character of a line and a 。 at its end.
 */
const punctuated = transcription.map((page, p) =>
  page
    .split('\n')
    .map((line, l) => {
      const body = [...line].map((c, k, all) => c + (k === all.length - 1 ? '。' : k % 6 === 5 ? '，' : '')).join('');
      return p === 0 && l === 2 ? `「${body}」` : body;
    })
    .join('\n'),
);
const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });
const simplified = transcription.map((page) => toSimplified(page));

describe('aligning known texts onto book1 (real OCR drafts)', function () {
  this.timeout(120_000);
  let drafts: PageText[];

  before(async () => {
    const ocr = await PaddleColumnsRecognizer.create();
    try {
      drafts = await Promise.all(PAGES.map((n) => ocr.recognise(path.join(DATA, 'open-guji-cv-pages', 'book1', `${n}.png`))));
    } finally {
      await ocr.close();
    }
  });

  const halfOfPage2 = transcription.map((t, i) => (i === 1 ? t.split('\n').slice(0, 4).join('\n') : t));
  /** Each page's text as expected, or the page expected empty and flagged (''); other pages expected flagged. */
  const cases: [name: string, known: () => string, expected: string[], flagged?: number[]][] = [
    ['the transcription, one line per column, no page breaks', () => transcription.join(''), transcription],
    ['the transcription with no line breaks at all', () => flat(transcription), transcription],
    ['the same with modern punctuation (kept as written)', () => flat(punctuated), punctuated],
    ['the same in simplified characters (kept as written)', () => flat(simplified), simplified],
    ['the text without page 1', () => flat(transcription.slice(1)), ['', ...transcription.slice(1)]],
    ['the text without page 4', () => flat(transcription.filter((_, i) => i !== 3)), transcription.map((t, i) => (i === 3 ? '' : t))],
    ['the text without page 10', () => flat(transcription.slice(0, 9)), [...transcription.slice(0, 9), '']],
    ['a 卷 of the text (pages 5–7) against the whole volume', () => transcription.slice(4, 7).join(''), transcription.map((t, i) => (i >= 4 && i < 7 ? t : ''))],
    ['the text without the second half of page 2', () => flat(halfOfPage2), halfOfPage2, [2]],
    ['the text with an editor’s heading the page does not show', () => `欽定四庫全書簡明目録卷首\n${transcription.join('\n')}`, [`欽定四庫全書簡明目録卷首${transcription[0]}`, ...transcription.slice(1)]],
  ];

  for (const [name, known, expected, flagged = []] of cases) {
    it(`${name}: every page gets exactly its own text`, () => {
      const pages = alignToPages(known(), drafts);
      expect(pages.map((p) => p.text)).to.deep.equal(expected);
      pages.forEach((page, i) => {
        if (expected[i] === '') {
          // A page the text leaves out: nothing laid on it, and flagged so its draft stays.
          expect(page).to.deep.include({ columns: [], agreement: 0, flagged: true });
        } else if (flagged.includes(i + 1)) {
          // Half its text: what there is is laid right, but the page is not overwritten.
          expect(page.agreement).to.be.within(0.3, DEFAULT_FLAG_BELOW);
          expect(page.flagged).to.equal(true);
        } else {
          // Our OCR reads book1 at 11 % error; the right text agrees on ≥ 0.8 of each page.
          expect(page.agreement, `page ${i + 1}`).to.be.at.least(i === 0 && name.includes('heading') ? 0.75 : 0.8);
          expect(page.flagged).to.equal(false);
        }
      });
    });
  }

  it('gives every character a box in its draft column, the OCR box where the two agree', () => {
    const pages = alignToPages(flat(punctuated), drafts);
    pages.forEach((page, i) => {
      const draftColumns = drafts[i]!.columns.filter((c) => c.kind !== 'banxin');
      expect(page.columns.map((c) => c.box)).to.deep.equal(draftColumns.map((c) => c.box));
      page.columns.forEach((column, k) => {
        expect(column.text).to.equal(column.chars.map((c) => c.char).join(''));
        const ocrBoxes = new Set(draftColumns[k]!.chars.map((c) => c.box.join()));
        const [x, y, w, h] = column.box;
        for (const c of column.chars) {
          const [cx, cy, cw, ch] = c.box;
          expect(cw).to.be.greaterThan(0);
          expect(ch).to.be.greaterThan(0);
          expect(cx >= x && cy >= y && cx + cw <= x + w && cy + ch <= y + h, `${c.char} inside its column`).to.equal(true);
          expect(c.confidence).to.be.within(0, 1);
          if (c.confidence === 1 && !/\p{P}/u.test(c.char)) expect(ocrBoxes.has(c.box.join()), c.char).to.equal(true);
        }
      });
    });
    // Page 1, third column: 乾隆三十九年… stands on the OCR's boxes, top to bottom.
    const third = pages[0]!.columns[2]!;
    expect(third.text).to.equal(punctuated[0]!.split('\n')[2]);
    expect(third.text).to.match(/^「乾隆三十九年，/);
    const ys = third.chars.filter((c) => !/\p{P}/u.test(c.char)).map((c) => c.box[1]);
    expect(ys).to.deep.equal([...ys].sort((a, b) => a - b));
  });

  it('flags every page for a text of another book (周易, Kanseki Repository file), forcing none', () => {
    const other = parseKnownText(readFileSync(path.join(here, '..', 'fixtures', 'kanripo-KR1a0001_001.txt'), 'utf8'));
    const pages: AlignedPage[] = alignToPages(other.text, drafts);
    expect(pages).to.have.length(10);
    for (const page of pages) {
      expect(page.flagged).to.equal(true);
      // Measured 0.00–0.05: only common characters (之, 一) pair up by chance.
      expect(page.agreement).to.be.below(0.25);
    }
    // The same file with book1's own text in its body is read and aligned as well as plain text.
    const mandoku = `#+TITLE: 欽定四庫全書簡明目録\n<pb:X_001-1a>¶\n${transcription.slice(0, 5).join('¶\n')}\n<pb:X_001-3a>¶\n${transcription.slice(5).join('¶\n')}`;
    expect(alignToPages(parseKnownText(mandoku).text, drafts).map((p) => p.text)).to.deep.equal(transcription);
  });

  it('refuses a text over the limit with a clear error, and aligns a long unrelated one in bounded time', () => {
    const error = (() => {
      try {
        alignToPages('書'.repeat(MAX_KNOWN_CHARACTERS + 1), drafts);
      } catch (e) {
        return e as AppError;
      }
      return null;
    })();
    expect(error).to.be.instanceOf(AppError);
    expect(error!.status).to.equal(400);
    expect(error!.details).to.deep.equal([{ field: 'text', problem: 'is longer than 1,000,000 characters; send a volume or 卷 at a time' }]);
    // 200,000 characters of book1's own letters in a shuffled order: anchors are few and wrong,
    // most of the work is the band; every page is flagged (agreement far below the threshold).
    let s = 42;
    const letters = [...flat(transcription)];
    const noise = Array.from({ length: 200_000 }, () => letters[(s = (s * 1103515245 + 12345) >>> 0) % letters.length]).join('');
    const pages = alignToPages(noise, drafts);
    expect(pages.every((p) => p.flagged && p.agreement < DEFAULT_FLAG_BELOW)).to.equal(true);
  });
});
