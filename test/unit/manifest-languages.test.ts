/** Language maps of manifest values (src/iiif/manifest.ts chinese; Presentation 3.0 §4.5). */
import { expect } from 'chai';
import { chinese } from '../../src/iiif/manifest.js';

describe('manifest values: as written, under the language they are in', () => {
  it('tags the script as written and never adds a machine conversion to the other', () => {
    // OpenCC would give 周易干凿度: 乾 here is the trigram, not 干 ("dry").
    expect(chinese('周易乾鑿度')).to.deep.equal({ 'zh-Hant': ['周易乾鑿度'] });
    expect(chinese('钦定四库全书')).to.deep.equal({ 'zh-Hans': ['钦定四库全书'] });
    expect(chinese('（清）永瑢')).to.deep.equal({ zh: ['（清）永瑢'] });
  });

  it('gives values with no Han character the language none', () => {
    expect(chinese('430000-0001-0000001')).to.deep.equal({ none: ['430000-0001-0000001'] });
    expect(chinese('2')).to.deep.equal({ none: ['2'] });
    expect(chinese('善001')).to.deep.equal({ zh: ['善001'] });
  });
});
