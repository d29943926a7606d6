import { expect } from 'chai';
import { type ConfigError, loadConfig } from '../../src/config.js';
import { OaiError, decodeToken, divisionSpec, encodeToken, parseRequest, selectiveBounds } from '../../src/domain/oai-pmh.js';

const code = (work: () => unknown) => {
  try {
    work();
  } catch (e) {
    if (e instanceof OaiError) return e.code;
    throw e;
  }
  return null;
};

describe('OAI-PMH arguments', () => {
  it('reads from and until in either granularity as inclusive bounds to the second', () => {
    expect(selectiveBounds('2026-11-02', '2026-11-03')).to.deep.equal({ from: '2026-11-02T00:00:00Z', until: '2026-11-03T23:59:59Z' });
    expect(selectiveBounds(undefined, '2026-11-03T08:00:00Z')).to.deep.equal({ until: '2026-11-03T08:00:00Z' });
    for (const [from, until] of [['2026-13-01', undefined], ['2026-11-31', undefined], ['2026-11-01T24:00:00Z', undefined], ['2026-11-02', '2026-11-01'], ['2026-11-01', '2026-11-02T00:00:00Z']]) {
      expect(code(() => selectiveBounds(from, until)), `${from} ${until}`).to.equal('badArgument');
    }
  });

  it('tells badVerb from badArgument', () => {
    expect(code(() => parseRequest([]))).to.equal('badVerb');
    expect(code(() => parseRequest([['verb', 'listrecords']]))).to.equal('badVerb');
    expect(code(() => parseRequest([['verb', 'ListSets'], ['set', 'x']]))).to.equal('badArgument');
    expect(code(() => parseRequest([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc'], ['set', 'a::b']]))).to.equal('badArgument');
    expect(parseRequest([['verb', 'ListIdentifiers'], ['resumptionToken', 'x']])).to.deep.equal({ verb: 'ListIdentifiers', args: { resumptionToken: 'x' } });
  });

  it('takes back only the tokens it issued, for the list they continue', () => {
    const token = encodeToken({ verb: 'ListRecords', metadataPrefix: 'oai_dc', from: '2026-11-02T00:00:00Z', after: '430000-0001-0000002', cursor: 2 });
    expect(decodeToken(token, 'ListRecords')).to.deep.include({ after: '430000-0001-0000002', cursor: 2 });
    expect(code(() => decodeToken(token, 'ListIdentifiers'))).to.equal('badResumptionToken');
    const forged = (state: object) => Buffer.from(JSON.stringify(state)).toString('base64url');
    for (const t of ['', '%%%', forged({ verb: 'ListRecords', metadataPrefix: 'oai_dc', after: 'x', cursor: 0 }),
      forged({ verb: 'ListRecords', metadataPrefix: 'oai_dc', after: 'x', cursor: 1, from: '2026-11-02' }),
      forged({ verb: 'ListRecords', metadataPrefix: 'oai_dc', after: 'x', cursor: 1, extra: true })]) {
      expect(code(() => decodeToken(t, 'ListRecords')), t).to.equal('badResumptionToken');
    }
  });

  it('names divisions in ASCII set specs', () => {
    expect(['經部', '史部', '子部', '集部', '叢部'].map(divisionSpec)).to.deep.equal(['division:jing', 'division:shi', 'division:zi', 'division:ji', 'division:cong']);
    expect(divisionSpec('方志部')).to.equal('division:u65b9u5fd7u90e8');
  });

  it('is configured by GUJI_OAI_* with defaults from PUBLIC_BASE_URL, every problem reported', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://guji.example.org/' }).oai).to.deep.equal({
      pageSize: 100, repositoryId: 'guji.example.org', repositoryName: '古籍普查登记目录 guji', adminEmail: 'admin@guji.example.org',
    });
    expect(loadConfig({}).oai.adminEmail).to.equal('admin@localhost.localdomain');
    expect(loadConfig({ GUJI_OAI_PAGE_SIZE: '20', GUJI_OAI_REPOSITORY_ID: 'guji.ziyang.cn', GUJI_OAI_ADMIN_EMAIL: 'oai@ziyang.cn' }).oai)
      .to.deep.include({ pageSize: 20, repositoryId: 'guji.ziyang.cn', adminEmail: 'oai@ziyang.cn' });
    let error: unknown;
    try {
      loadConfig({ GUJI_OAI_PAGE_SIZE: '0', GUJI_OAI_REPOSITORY_ID: 'not a host', GUJI_OAI_ADMIN_EMAIL: 'nobody' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.map((p) => p.split(':')[0])).to.have.members(['GUJI_OAI_PAGE_SIZE', 'GUJI_OAI_REPOSITORY_ID', 'GUJI_OAI_ADMIN_EMAIL']);
  });
});
