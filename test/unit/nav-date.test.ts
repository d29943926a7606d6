import { expect } from 'chai';
import { parseEditionStatement } from '../../src/domain/edition-statement.js';
import { defaultVocabulary } from '../../src/domain/vocabulary.js';
import { navDateOf } from '../../src/iiif/manifest.js';

// navDate (IIIF Presentation 3.0 §3.3.1): an XSD dateTime in UTC, from the copy's first year.
describe('navDate from the copy\'s date', () => {
  const vocabulary = defaultVocabulary();
  const cases: [string, string | undefined][] = [
    ['明嘉靖三十年（1551）刻本', '1551-01-01T00:00:00Z'],
    ['清乾隆間刻本', '1736-01-01T00:00:00Z'],
    // The copy's date is its last event: the 1892 printing, not the 1884 carving.
    ['清光緒十年（1884）刻十八年（1892）印本', '1892-01-01T00:00:00Z'],
    ['宋刻本', '0960-01-01T00:00:00Z'],
    ['西漢建元元年寫本', undefined],
  ];
  for (const [statement, expected] of cases) {
    it(`${statement} → ${expected ?? 'none'}`, () => {
      expect(navDateOf(parseEditionStatement(statement, vocabulary).date)).to.equal(expected);
    });
  }
  it('none without a date', () => expect(navDateOf(null)).to.equal(undefined));
});
