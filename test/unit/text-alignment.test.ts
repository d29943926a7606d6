/**
 * The alignment of a known text onto OCR drafts, on small constructed drafts (columns of 40 px
 * characters on a 50 px pitch), and the reader of known-text files. The real pages of book1 are
 * in test/integration/text-alignment.test.ts.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, ValidationError } from '../../src/domain/errors.js';
import { MAX_KNOWN_FILE_LENGTH, parseKnownText } from '../../src/domain/known-text.js';
import type { ColumnKind, PageText } from '../../src/domain/page-text.js';
import { alignSequences, alignToPages, MAX_KNOWN_CHARACTERS } from '../../src/domain/text-alignment.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A draft page: one column per string, right to left; `|x` marks a 版心 column. */
function draft(columns: string[], confidence = 0.9): PageText {
  return {
    engine: { name: 'constructed', version: '0' },
    width: 1200,
    height: 1600,
    columns: columns.map((text, k) => {
      const kind: ColumnKind = text.startsWith('|') ? 'banxin' : 'main';
      const chars = [...text.replace(/^\|/, '')];
      const x = 1000 - 100 * k;
      return {
        kind,
        box: [x, 100, 60, Math.max(40, 50 * chars.length - 10)],
        text: chars.join(''),
        chars: chars.map((char, i) => ({ char, box: [x + 5, 100 + 50 * i, 50, 40], confidence })),
      };
    }),
  };
}

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return expect.fail('did not throw');
};

describe('alignSequences (Levenshtein through anchors)', () => {
  const seq = (s: string) => Int32Array.from([...s], (c) => c.codePointAt(0)!);
  const cases: [string, string, string, number[]][] = [
    ['identical', 'ABCDEFGH', 'ABCDEFGH', [0, 1, 2, 3, 4, 5, 6, 7]],
    ['one substituted', 'ABCDEFGH', 'ABCXEFGH', [0, 1, 2, 3, 4, 5, 6, 7]],
    ['a letter the OCR missed', 'ABCDEFGH', 'ABCEFGH', [0, 1, 2, -1, 3, 4, 5, 6]],
    ['a letter the OCR added', 'ABCDEFGH', 'ABCDXEFGH', [0, 1, 2, 3, 5, 6, 7, 8]],
    ['the OCR runs on past the text', 'EFGHIJKL', 'ABCDEFGHIJKLMNOP', [4, 5, 6, 7, 8, 9, 10, 11]],
    ['nothing to stand on', 'ABC', '', [-1, -1, -1]],
  ];
  for (const [name, a, b, want] of cases) {
    it(name, () => expect([...alignSequences(seq(a), seq(b))]).to.deep.equal(want));
  }

  it('keeps to the diagonal through a long gap without anchors (the banded path)', () => {
    // Two letters only: no 4-gram is unique, so 6,000 × 6,000 cells are aligned in a band.
    let s = 1;
    const a = Int32Array.from({ length: 6000 }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 31));
    const b = Int32Array.from(a);
    for (let i = 100; i < 6000; i += 500) b[i] = 1 - b[i]!;
    const pair = alignSequences(a, b);
    expect(pair.every((j, i) => j === i)).to.equal(true);
  });
});

describe('alignToPages on constructed drafts', () => {
  it('splits a text without breaks onto pages and columns, boxes from the OCR', () => {
    const pages = [draft(['天地玄黃宇宙', '洪荒日月盈昃']), draft(['辰宿列張寒來', '暑往秋收冬藏'])];
    const out = alignToPages('天地玄黃宇宙洪荒日月盈昃辰宿列張寒來暑往秋收冬藏', pages);
    expect(out.map((p) => p.text)).to.deep.equal(['天地玄黃宇宙\n洪荒日月盈昃', '辰宿列張寒來\n暑往秋收冬藏']);
    expect(out.map((p) => [p.agreement, p.flagged])).to.deep.equal([[1, false], [1, false]]);
    const column = out[1]!.columns[1]!;
    expect(column.kind).to.equal('main');
    expect(column.box).to.deep.equal(pages[1]!.columns[1]!.box);
    expect(column.chars.map((c) => c.box)).to.deep.equal(pages[1]!.columns[1]!.chars.map((c) => c.box));
    expect(column.chars.every((c) => c.confidence === 1)).to.equal(true);
  });

  it('keeps the known characters where the OCR misread, and marks them doubtful', () => {
    const out = alignToPages('天地玄黃宇宙洪荒', [draft(['天地玄黄宇宇洪荒'], 0.8)]);
    // 黃/黄 fold together and agree; 宙 read as 宇 disagrees.
    expect(out[0]!.text).to.equal('天地玄黃宇宙洪荒');
    expect(out[0]!.counts).to.deep.equal({ agree: 7, differ: 1, known: 0, ocr: 0 });
    expect(out[0]!.agreement).to.equal(7 / 8);
    expect(out[0]!.columns[0]!.chars[5]!.confidence).to.be.closeTo(0.2, 1e-9);
  });

  it('gives a letter the OCR missed a box between its neighbours, inside the column', () => {
    const page = draft(['天地黃宇宙']);
    // The OCR missed 玄 at 200–240 px: move 黃宇宙 down one pitch as on the page.
    page.columns[0]!.chars.slice(2).forEach((c) => (c.box[1] += 50));
    page.columns[0]!.box[3] += 50;
    const out = alignToPages('天地玄黃宇宙', [page]);
    const chars = out[0]!.columns[0]!.chars;
    expect(chars.map((c) => c.char).join('')).to.equal('天地玄黃宇宙');
    // The space between 地's box (ending at 190) and 黃's (from 250), the column's width.
    expect(chars[2]!.box).to.deep.equal([1000, 190, 60, 60]);
    expect(chars[2]!.confidence).to.equal(0.5);
    expect(out[0]!.counts.known).to.equal(1);
  });

  it('puts letters the OCR missed at a column break on the side a line break of the text names', () => {
    // The OCR lost the last letter of the first column; without a hint the columns' room decides.
    const pages = [draft(['天地玄', '宇宙洪荒'])];
    expect(alignToPages('天地玄黃\n宇宙洪荒', pages)[0]!.text).to.equal('天地玄黃\n宇宙洪荒');
    expect(alignToPages('天地玄\n黃宇宙洪荒', pages)[0]!.text).to.equal('天地玄\n黃宇宙洪荒');
  });

  it('without a line break, gives letters the OCR missed to the column with room for them', () => {
    // Both columns are four characters long on the page; the OCR lost 黃 at the foot of the first.
    const page = draft(['天地玄', '宇宙洪荒']);
    page.columns[0]!.box[3] = page.columns[1]!.box[3];
    expect(alignToPages('天地玄黃宇宙洪荒', [page])[0]!.text).to.equal('天地玄黃\n宇宙洪荒');
    // The OCR lost 宇 at the head of the second: the first column is full.
    const other = draft(['天地玄黃', '宙洪荒']);
    other.columns[1]!.box[3] = other.columns[0]!.box[3];
    expect(alignToPages('天地玄黃宇宙洪荒', [other])[0]!.text).to.equal('天地玄黃\n宇宙洪荒');
  });

  it('leaves a blank leaf blank, and unflagged, between pages of text', () => {
    const out = alignToPages('天地玄黃宇宙洪荒', [draft(['天地玄黃']), draft([]), draft(['宇宙洪荒'])]);
    expect(out.map((p) => [p.text, p.flagged])).to.deep.equal([['天地玄黃', false], ['', false], ['宇宙洪荒', false]]);
  });

  it('keeps punctuation as written without letting it take an OCR character', () => {
    const out = alignToPages('「天地玄黃，宇宙洪荒。」日月盈昃', [draft(['天地玄黃宇宙', '洪荒日月盈昃'])]);
    expect(out[0]!.text).to.equal('「天地玄黃，宇宙\n洪荒。」日月盈昃');
    expect(out[0]!.agreement).to.equal(1);
    const [open, first] = out[0]!.columns[0]!.chars;
    expect(open!.char).to.equal('「');
    // A quarter of its letter's box, at the top right.
    expect(open!.box).to.deep.equal([first!.box[0] + 25, first!.box[1], 25, 10]);
    const columns = out[0]!.columns;
    for (const c of columns) expect(c.text).to.equal(c.chars.map((x) => x.char).join(''));
  });

  it('keeps a variation selector with its letter, and note numbers with the letter before', () => {
    const out = alignToPages('天地\u{e0100}玄黃12宇宙', [draft(['天地玄黃宇宙'])]);
    expect(out[0]!.text).to.equal('天地\u{e0100}玄黃12宇宙');
    expect(out[0]!.columns[0]!.chars.map((c) => c.char)).to.deep.equal(['天', '地\u{e0100}', '玄', '黃', '1', '2', '宇', '宙']);
    expect(out[0]!.agreement).to.equal(1);
  });

  it('leaves the 版心 out, and flags a page the text does not cover', () => {
    const pages = [draft(['|千字文一', '天地玄黃宇宙']), draft(['|千字文二', '寒來暑往秋收'])];
    const out = alignToPages('天地玄黃宇宙', pages);
    expect(out[0]!.text).to.equal('天地玄黃宇宙');
    expect(out[0]!.columns.map((c) => c.kind)).to.deep.equal(['main']);
    expect(out[1]).to.deep.include({ text: '', columns: [], agreement: 0, flagged: true });
  });

  it('flags below the threshold given', () => {
    const pages = [draft(['天地玄黃宇宙洪荒'])];
    const text = '天地玄黃宇宙日月';
    expect(alignToPages(text, pages)[0]!.flagged).to.equal(false);
    expect(alignToPages(text, pages, { flagBelow: 0.8 })[0]!.flagged).to.equal(true);
  });

  it('refuses bad input with a clear error', () => {
    const pages = [draft(['天地玄黃'])];
    const cases: [string, () => unknown, string, string][] = [
      ['only punctuation', () => alignToPages('。，  12\n', pages), 'validation_failed', 'text'],
      ['too long', () => alignToPages('天'.repeat(MAX_KNOWN_CHARACTERS + 1), pages), 'validation_failed', 'text'],
      ['a threshold out of range', () => alignToPages('天地', pages, { flagBelow: 2 }), 'validation_failed', 'flagBelow'],
      ['no OCR text', () => alignToPages('天地', [draft([])]), 'ocr_draft_missing', 'pages'],
      ['no pages', () => alignToPages('天地', []), 'ocr_draft_missing', 'pages'],
    ];
    for (const [name, f, code, field] of cases) {
      const e = thrown(f) as AppError;
      expect(e, name).to.be.instanceOf(AppError);
      expect(e.code, name).to.equal(code);
      expect(e.details.map((d) => d.field), name).to.deep.equal([field]);
    }
  });
});

describe('parseKnownText', () => {
  const sample = readFileSync(path.join(FIXTURES, 'kanripo-KR1a0001_001.txt'), 'utf8');

  it('reads a Kanseki Repository file: title, page markers as hints, ¶ as line breaks, headings kept', () => {
    const known = parseKnownText(sample);
    expect(known.format).to.equal('mandoku');
    expect(known.title).to.equal('周易');
    expect(known.text).not.to.match(/[#<>¶*]|PROPERTY|mandoku/);
    expect(known.text).to.contain('《乾第一》\n');
    expect(known.text).to.contain('《乾》元亨，\n');
    expect(known.pages.length).to.equal((sample.match(/<pb:/g) ?? []).length);
    expect(known.pages[1]).to.deep.equal({ id: 'KR1a0001_tls_001-2a', offset: known.text.indexOf('\n\n\n《乾》元亨') });
    // Every letter of the file's text lines survives, in order.
    const letters = (s: string) => s.replace(/[^\p{Script=Han}]/gu, '');
    const body = sample.split('\n').filter((l) => !l.startsWith('#')).join('').replace(/<pb:[^>]*>/g, '');
    expect(letters(known.text)).to.equal(letters(body));
  });

  it('reads ctext API JSON and plain text, and tells the formats apart', () => {
    const ctext = parseKnownText(JSON.stringify({ title: '學而', fulltext: ['子曰：「學而時習之。」', '有子曰：'] }));
    expect(ctext).to.deep.equal({ format: 'ctext', title: '學而', text: '子曰：「學而時習之。」\n有子曰：', pages: [] });
    expect(parseKnownText('\ufeff天地玄黃\r\n宇宙洪荒')).to.deep.equal({ format: 'plain', title: null, text: '天地玄黃\n宇宙洪荒', pages: [] });
    expect(parseKnownText('子曰', 'ctext').format).to.equal('ctext');
    // A plain text that begins with "# " is plain when the caller says so.
    expect(parseKnownText('# 天地', 'plain').text).to.equal('# 天地');
  });

  it('refuses what it cannot read with the field at fault', () => {
    const cases: [string, () => unknown, string, RegExp][] = [
      ['binary', () => parseKnownText('天地\u0000\u0001'), 'text', /control characters/],
      ['too long', () => parseKnownText('天'.repeat(MAX_KNOWN_FILE_LENGTH + 1)), 'text', /longer than/],
      ['broken JSON', () => parseKnownText('{"fulltext": ['), 'text', /not JSON/],
      ['ctext subsections', () => parseKnownText('{"title":"論語","subsections":["ctp:analects/xue-er"]}'), 'text', /subsections/],
      ['ctext error', () => parseKnownText('{"error":{"code":"ERR_REQUIRES_AUTHENTICATION"}}'), 'text', /error/],
      ['unknown format', () => parseKnownText('天地', 'docx' as 'plain'), 'format', /unknown format/],
      ['open drawer', () => parseKnownText('#+TITLE: x\n:PROPERTIES:\n天地'), 'text', /drawer/],
    ];
    for (const [name, f, field, message] of cases) {
      const e = thrown(f) as ValidationError;
      expect(e, name).to.be.instanceOf(ValidationError);
      expect(e.details[0]!.field, name).to.equal(field);
      expect(e.details[0]!.problem, name).to.match(message);
    }
  });
});
