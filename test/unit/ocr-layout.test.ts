import { expect } from 'chai';
import sharp from 'sharp';
import { characterErrorRate, countErrors, editDistance, ideographs } from '../../src/domain/character-error-rate.js';
import { columnPitch, groupRuns, layOut, period } from '../../src/adapters/ocr/layout.js';

describe('character error rate', () => {
  it('is the Levenshtein distance over the reference length', () => {
    expect(editDistance([...'欽定四庫'], [...'欽定四庫'])).to.equal(0);
    expect(editDistance([...'欽定四庫'], [...'欽定庫'])).to.equal(1); // a deletion
    expect(editDistance([...'欽定四庫'], [...'欽宅四庫'])).to.equal(1); // a substitution
    expect(editDistance([...'欽定四庫'], [...'欽定四四庫'])).to.equal(1); // an insertion
    expect(editDistance([], [...'全書'])).to.equal(2);
    expect(countErrors('欽宅四庫', '欽定四庫')).to.deep.equal({ errors: 1, length: 4 });
  });

  it('compares ideographs only: line breaks, punctuation, Latin and digits do not count', () => {
    expect(ideographs('聖諭\n乾隆、三十 9 年。ab')).to.deep.equal([...'聖諭乾隆三十年']);
    expect(countErrors('聖 諭，\n乾隆', '聖諭\n乾隆').errors).to.equal(0);
    // Characters as written: 録 and 錄 differ, and so do characters beyond the BMP.
    expect(countErrors('目錄', '目録').errors).to.equal(1);
    expect(ideographs('𠀀字')).to.have.length(2);
  });

  it('sums errors over pages before dividing (pages weigh by their length)', () => {
    expect(characterErrorRate([{ errors: 1, length: 10 }, { errors: 9, length: 90 }])).to.equal(0.1);
    expect(characterErrorRate([])).to.equal(0);
    expect(characterErrorRate([{ errors: 2, length: 0 }])).to.equal(Infinity);
  });
});

describe('cutting characters from a column profile', () => {
  it('keeps the strokes of 三 together and two characters apart', () => {
    // Rows of 隆 (57), the three strokes of 三, 十 (51), as measured on book1/1.png; pitch 62.
    const spans: [number, number][] = [[328, 384], [394, 401], [410, 417], [424, 434], [445, 495]];
    expect(groupRuns(spans, 62)).to.deep.equal([[328, 384], [394, 434], [445, 495]]);
  });

  it('keeps a flat 一 on its own between two characters', () => {
    expect(groupRuns([[0, 55], [80, 88], [112, 168]], 62)).to.deep.equal([[0, 55], [80, 88], [112, 168]]);
  });
});

describe('the period of an ink profile', () => {
  // Columns of ink 60 wide every 100 px between white margins, as a page's ink counted down it.
  const profile = (pitch: number, margin: number, width: number) =>
    Array.from({ length: width }, (_, x) => (x >= margin && x < width - margin && (x - margin) % pitch < 0.6 * pitch ? 50 + ((x * 7) % 5) : 0));

  it('finds the column pitch, not a repeat of it, whatever the margins', () => {
    expect(period(profile(100, 0, 1200), 36, 300)!.lag).to.be.within(99, 101);
    expect(period(profile(100, 300, 1600), 48, 400)!.lag).to.be.within(99, 101);
    // Searched from above a third of it, still the pitch (the repeat at 200 is as strong).
    expect(period(profile(100, 150, 1400), 70, 350)!.lag).to.be.within(99, 101);
  });

  it('finds nothing on a flat or blank profile', () => {
    expect(period(new Array(800).fill(0), 24, 200)).to.equal(null);
    expect(period(new Array(800).fill(30), 24, 200)).to.equal(null);
  });

  it('measures the column pitch of a page, and none on a blank one', async () => {
    expect(columnPitch(await syntheticPage([7, 3, 5, 1]))).to.be.within(98, 102);
    expect(columnPitch({ data: new Uint8Array(600 * 800).fill(255), width: 600, height: 800 })).to.equal(null);
  });
});

/**
 * A synthetic page: a double frame, four columns between ruled lines, each column a stack of
 * glyphs — hollow squares and a 三 of three bars — or, for a column given as `{ note: n }`, two
 * half-width stacks of small squares (a 雙行小注), drawn with sharp from SVG (no font needed).
 * Proportions as in book1: glyphs 70 px wide in columns 100 px apart, 120 px down the column,
 * on a page 1,000 px wide (a horizontal stroke is shorter than a tenth of the page, as a rule is not).
 */
async function syntheticPage(glyphs: (number | { note: number })[]) {
  const width = 1000;
  const height = 1200;
  const left = 300;
  const top = 100;
  const pitch = 100; // column width
  const shapes: string[] = [
    `<rect x="${left - 12}" y="${top - 12}" width="${4 * pitch + 24}" height="${height - 2 * top + 24}" fill="none" stroke="black" stroke-width="8"/>`,
    `<rect x="${left}" y="${top}" width="${4 * pitch}" height="${height - 2 * top}" fill="none" stroke="black" stroke-width="2"/>`,
  ];
  for (let c = 1; c < 4; c++) shapes.push(`<line x1="${left + c * pitch}" y1="${top}" x2="${left + c * pitch}" y2="${height - top}" stroke="black" stroke-width="2"/>`);
  const box = (x: number, y: number, size: number, stroke: number) =>
    `<rect x="${x + stroke / 2}" y="${y + stroke / 2}" width="${size - stroke}" height="${size - stroke}" fill="none" stroke="black" stroke-width="${stroke}"/>`;
  // Column k counted from the right; every third glyph is a 三. Strokes are shorter than a rule.
  glyphs.forEach((n, k) => {
    const x = left + (3 - k) * pitch + 15;
    if (typeof n === 'object') {
      for (let i = 0; i < n.note; i++) for (const dx of [0, 42]) shapes.push(box(x + dx, top + 30 + i * 40, 28, 5));
      return;
    }
    for (let i = 0; i < n; i++) {
      const y = top + 30 + i * 120;
      if (i % 3 === 2) for (let b = 0; b < 3; b++) shapes.push(`<rect x="${x}" y="${y + b * 30}" width="70" height="10" fill="black"/>`);
      else shapes.push(box(x, y, 70, 8));
    }
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${shapes.join('')}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

describe('column layout on synthetic pages', () => {
  it('erases frame and rules, cuts columns right to left and one cell per character', async () => {
    const layout = layOut(await syntheticPage([7, 3, 5, 1]));
    const main = layout.columns.filter((c) => c.kind === 'main');
    expect(main.map((c) => c.chars.length)).to.deep.equal([7, 3, 5, 1]);
    const centres = main.map((c) => c.rect.x + c.rect.w / 2);
    expect(centres).to.deep.equal([...centres].sort((a, b) => b - a));
    // Cells lie inside their column, top to bottom, and 三 is one cell of about a glyph's height.
    for (const c of main) {
      for (const [i, cell] of c.chars.entries()) {
        expect(cell.x).to.be.at.least(c.rect.x);
        expect(cell.x + cell.w).to.be.at.most(c.rect.x + c.rect.w);
        if (i > 0) expect(cell.y).to.be.greaterThan(c.chars[i - 1]!.y + c.chars[i - 1]!.h);
      }
      for (let i = 2; i < c.chars.length; i += 3) expect(c.chars[i]!.h).to.be.within(65, 75);
    }
    // Nothing of the frame or the rules is left as ink.
    const ruleX = 300 + 100;
    for (let y = 150; y < 1050; y++) expect(layout.ink[y * 1000 + ruleX]).to.equal(0);
  });

  it('keeps a 雙行小注 apart: two note columns, right one first, with their own small cells', async () => {
    const layout = layOut(await syntheticPage([7, { note: 6 }, 5, 1]));
    expect(layout.columns.map((c) => c.kind)).to.deep.equal(['main', 'note', 'note', 'main', 'main']);
    const [right, left] = layout.columns.filter((c) => c.kind === 'note');
    expect(right!.rect.x).to.be.greaterThan(left!.rect.x + left!.rect.w);
    expect(right!.chars).to.have.length(6);
    expect(left!.chars).to.have.length(6);
    for (const cell of [...right!.chars, ...left!.chars]) expect(cell.h).to.be.within(25, 32);
  });

  it('finds nothing on a blank page or a page with only the frame', async () => {
    expect(layOut(await syntheticPage([])).columns).to.deep.equal([]);
    const white = { data: new Uint8Array(600 * 800).fill(255), width: 600, height: 800 };
    expect(layOut(white).columns).to.deep.equal([]);
  });
});
