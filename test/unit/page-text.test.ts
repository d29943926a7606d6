/** The pure parts of page text: corrections, the reading text, the book's text, and their configuration. */
import { expect } from 'chai';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { TextColumn } from '../../src/domain/page-text.js';
import { bookText, charactersOf, columnChanges, correctedColumn, readingLines } from '../../src/domain/page-text-edit.js';

const column = (text: string, kind: TextColumn['kind'] = 'main', x = 100): TextColumn => ({
  kind, box: [x, 100, 40, 40 * [...text].length],
  text, chars: [...text].map((char, i) => ({ char, box: [x, 100 + 40 * i, 40, 40], confidence: 0.5 })),
});

describe('page text corrections', () => {
  it('counts a character with its variation selector or combining mark as one, as written', () => {
    expect(charactersOf('葛\u{E0100}城')).to.deep.equal(['葛\u{E0100}', '城']);
    expect(charactersOf('禰\uFE00')).to.deep.equal(['禰\uFE00']);
    expect(charactersOf('')).to.deep.equal([]);
    expect(charactersOf('\u0301天').join('')).to.equal('\u0301天');
  });

  it('keeps each box when as many characters come back, and marks the changed ones as a person\'s reading', () => {
    const before = column('天地玄黄');
    const after = correctedColumn({ text: '天地玄黃' }, before);
    expect(after.text).to.equal('天地玄黃');
    expect(after.chars.map((c) => c.box)).to.deep.equal(before.chars.map((c) => c.box));
    expect(after.chars.map((c) => c.confidence)).to.deep.equal([0.5, 0.5, 0.5, 1]);
    expect(after.kind).to.equal('main');
  });

  it('shares the column\'s box among the characters when some were added or taken away', () => {
    const after = correctedColumn({ text: '天地' }, column('天地玄黃'));
    expect(after.chars.map((c) => c.box)).to.deep.equal([[100, 100, 40, 80], [100, 180, 40, 80]]);
    expect(after.chars.every((c) => c.confidence === 1)).to.equal(true);
  });

  it('takes characters with their boxes as sent', () => {
    const after = correctedColumn({ text: '宇', chars: [{ char: '宇', box: [1, 2, 3, 4] }], kind: 'note', box: [1, 2, 3, 4] }, undefined);
    expect(after).to.deep.equal({ kind: 'note', box: [1, 2, 3, 4], text: '宇', chars: [{ char: '宇', box: [1, 2, 3, 4], confidence: 1 }] });
  });

  it('names the columns whose text, kind or box changed', () => {
    const page = (columns: TextColumn[]) => ({ engine: { name: 'x', version: '1' }, width: 1000, height: 1000, columns });
    expect(columnChanges(page([column('天地'), column('玄黃', 'main', 50)]), page([column('天地'), column('玄黄', 'main', 50), column('宇')]))).to.deep.equal([
      { field: 'columns.1', before: '玄黃', after: '玄黄' }, { field: 'columns.2', before: null, after: '宇' },
    ]);
    expect(columnChanges(null, page([column('天')]))).to.deep.equal([{ field: 'columns.0', before: null, after: '天' }]);
  });
});

describe('the reading text and the book\'s text', () => {
  const page = { engine: { name: 'x', version: '1' }, width: 1000, height: 1000, columns: [column('周易本義', 'banxin'), column('乾元亨利貞'), column('文王所繫', 'note'), column('之辭也', 'note'), column('初九潛龍勿用')] };

  it('sets a main column a line, a run of 雙行小注 in （） right one first, and leaves the 版心 out', () => {
    expect(readingLines(page)).to.deep.equal(['乾元亨利貞', '（文王所繫之辭也）', '初九潛龍勿用']);
  });

  it('marks where each 卷 begins and each page, and says why a page has no text', () => {
    const text = bookText('周易本義四卷', '430000-0001-0000001', [
      { sequence: 1, juan: '卷一', label: '卷一 葉一a', text: page },
      { sequence: 2, juan: '卷一', label: '卷一 葉一b', text: null, missing: 'no verified text yet' },
      { sequence: 3, juan: '卷二', label: '卷二 葉一a', text: page },
    ]);
    expect(text).to.equal([
      '周易本義四卷', '430000-0001-0000001', '',
      '【卷一】', '〈1 卷一 葉一a〉', '乾元亨利貞', '（文王所繫之辭也）', '初九潛龍勿用',
      '〈2 卷一 葉一b: no verified text yet〉',
      '【卷二】', '〈3 卷二 葉一a〉', '乾元亨利貞', '（文王所繫之辭也）', '初九潛龍勿用', '',
    ].join('\n'));
  });
});

describe('page text configuration', () => {
  it('reads new scans by default, a page a core at a time, and takes GUJI_OCR=0', () => {
    expect(loadConfig({}).ocr).to.deep.equal({ auto: true, concurrency: availableParallelism() });
    expect(loadConfig({ GUJI_OCR: '0', GUJI_OCR_CONCURRENCY: '3' }).ocr).to.deep.equal({ auto: false, concurrency: 3 });
    expect(loadConfig({ GUJI_TEXT_MAX_COLUMNS: '50', GUJI_TEXT_MAX_CHARS: '2000' }).textLimits).to.deep.equal({ maxColumns: 50, maxChars: 2000 });
  });

  it('reports wrong values all at once', () => {
    let error: unknown;
    try {
      loadConfig({ GUJI_OCR: 'yes', GUJI_OCR_CONCURRENCY: '0', GUJI_TEXT_MAX_COLUMNS: '0', GUJI_TEXT_MAX_CHARS: 'many' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0])).to.have.members(['GUJI_OCR', 'GUJI_OCR_CONCURRENCY', 'GUJI_TEXT_MAX_COLUMNS', 'GUJI_TEXT_MAX_CHARS']);
  });
});
