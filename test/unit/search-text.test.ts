import { expect } from 'chai';
import { FILLER, highlight, indexText, matchRanges, queryPhrases } from '../../src/domain/search-text.js';
import { fold, foldClass } from '../../src/domain/text-fold.js';
import { pairTokens } from '../../src/adapters/embedded/fts-search-index.js';

describe('folding for search', () => {
  // Pairs that must fold alike (traditional, simplified, variants, catalogue equivalents).
  const alike: [string, string][] = [
    ['通書類聚', '通书类聚'], ['資治通鑑', '资治通鉴'], ['資治通鑒', '资治通鉴'], ['論語註疏', '論語注疏'], ['論語註疏', '论语注疏'],
    ['芝城銅活字', '芝城铜活字'], ['淸', '清'], ['勅撰', '敕撰'], ['鈔本', '抄本'], ['钞本', '抄本'], ['刊本', '刻本'],
    ['後漢書', '后汉书'], ['髮', '发'], ['發', '发'], ['乾', '干'], ['幹', '干'], ['尅擇', '克择'], ['於陵', '于陵'],
    ['ＡＢＣ１２３', 'abc123'], ['說文', '説文'], ['箋注', '笺注'],
  ];
  for (const [a, b] of alike) {
    it(`${a} ≡ ${b}`, () => {
      expect(fold(a)).to.equal(fold(b));
    });
  }
  it('keeps one code point for one, so offsets carry over', () => {
    for (const text of ['通書類聚尅擇大全□□卷', '明嘉靖三十年（1551）芝城銅活字印本', '𠀀𪚥龘']) {
      expect([...fold(text)].length).to.equal([...text].length);
    }
  });
  it('keeps the one-to-many groups together: 后/後, 发/發/髮, 干/乾/幹', () => {
    expect(foldClass('后')).to.include.members(['后', '後']);
    expect(foldClass('发')).to.include.members(['发', '發', '髮']);
    expect(foldClass('干')).to.include.members(['干', '乾', '幹']);
  });
});

describe('search tokens', () => {
  it('cuts CJK one character a token, keeps Latin words, and turns punctuation and spaces into one filler', () => {
    expect(indexText('明嘉靖三十年（1551）芝城')).to.equal(`明 嘉 靖 三 十 年 ${FILLER} 1551 ${FILLER} 芝 城`);
    expect(indexText('430000-0001-0000017')).to.equal(`430000 ${FILLER} 0001 ${FILLER} 0000017`);
    expect(indexText('通書□□卷 Ab')).to.equal(`通 书 □ □ 卷 ${FILLER} ab`);
  });
  it('reads a query as folded phrases; a trailing Latin word is a prefix', () => {
    expect(queryPhrases('通书類聚  0001-00')).to.deep.equal([
      { tokens: ['通', '书', '类', '聚'], prefix: false, folded: '通书类聚' },
      { tokens: ['0001', FILLER, '00'], prefix: true, folded: '0001-00' },
    ]);
    expect(queryPhrases('（')).to.deep.equal([]);
    expect(queryPhrases('   ')).to.deep.equal([]);
  });
  it('highlights the text as written, escaped, whichever form was searched', () => {
    const text = '明嘉靖三十年（1551）芝城銅活字印本 <b>';
    expect(highlight(text, matchRanges(text, queryPhrases('芝城铜活字')))).to.equal('明嘉靖三十年（1551）<mark>芝城銅活字</mark>印本 &lt;b&gt;');
    expect(matchRanges('資治通鑑資治', queryPhrases('资治'))).to.deep.equal([[0, 2], [4, 6]]);
    expect(matchRanges('𠀀資治', queryPhrases('资治'))).to.deep.equal([[1, 3]]);
  });
});

describe('the pairs the embedded index stores', () => {
  const E = '\uE001';
  it('cuts runs of Chinese characters into overlapping pairs, marking where each run ends', () => {
    expect(pairTokens(['通', '書', '類', '聚'], false)).to.deep.equal({ tokens: ['通書', '書類', '類聚', `聚${E}`], prefix: false });
    expect(pairTokens(['卷', 'a1', '九', '\uE000', '冊'], false).tokens).to.deep.equal([`卷${E}`, 'a1', `九${E}`, '\uE000', `冊${E}`]);
  });
  it('leaves a run that ends the query open, and a lone character as a prefix', () => {
    expect(pairTokens(['通', '書'], true)).to.deep.equal({ tokens: ['通書'], prefix: false });
    expect(pairTokens(['通'], true)).to.deep.equal({ tokens: ['通'], prefix: true });
    expect(pairTokens(['8', '年'], true)).to.deep.equal({ tokens: ['8', '年'], prefix: true });
    // A run that other tokens follow must end where they begin.
    expect(pairTokens(['光', '緒', '8'], true)).to.deep.equal({ tokens: ['光緒', `緒${E}`, '8'], prefix: false });
  });
});
