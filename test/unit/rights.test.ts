/** Licence URIs as people paste them, read as the licence they name (src/domain/rights.ts). */
import { expect } from 'chai';
import { canonicalRights } from '../../src/domain/rights.js';

describe('canonical rights URIs (IIIF Presentation 3.0 §3.3.1)', () => {
  it('reads https, www., deed and legalcode pages as the licence, in its http form', () => {
    const cases: [string, string][] = [
      ['https://creativecommons.org/licenses/by/4.0/', 'http://creativecommons.org/licenses/by/4.0/'],
      ['https://www.creativecommons.org/licenses/by-nc-sa/4.0/deed.zh-hans', 'http://creativecommons.org/licenses/by-nc-sa/4.0/'],
      ['http://creativecommons.org/licenses/by/3.0/cn/legalcode', 'http://creativecommons.org/licenses/by/3.0/cn/'],
      ['https://creativecommons.org/publicdomain/zero/1.0', 'http://creativecommons.org/publicdomain/zero/1.0/'],
      ['http://creativecommons.org/publicdomain/mark/1.0/', 'http://creativecommons.org/publicdomain/mark/1.0/'],
      ['https://rightsstatements.org/page/InC-EDU/1.0/?language=en', 'http://rightsstatements.org/vocab/InC-EDU/1.0/'],
      ['http://rightsstatements.org/vocab/NoC-US/1.0/', 'http://rightsstatements.org/vocab/NoC-US/1.0/'],
    ];
    for (const [written, canonical] of cases) expect(canonicalRights(written), written).to.equal(canonical);
  });

  it('refuses what is not a licence: other pages of those sites, other sites, made-up versions, huge input', () => {
    for (const uri of [
      'https://creativecommons.org/about/cclicenses/', 'https://creativecommons.org/choose/', 'https://creativecommons.org/licenses/by/5.0/',
      'https://creativecommons.org/licenses/by-xx/4.0/', 'http://rightsstatements.org/vocab/InC/2.0/', 'http://rightsstatements.org/',
      'http://example.com/licence', 'https://creativecommons.org.evil.example/licenses/by/4.0/', 'javascript:alert(1)',
      `https://creativecommons.org/licenses/by/4.0/${'a'.repeat(100_000)}`,
    ]) expect(canonicalRights(uri), uri).to.equal(null);
  });
});
