import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).to.include({ port: 3000, publicBaseUrl: 'http://localhost:3000', adminUser: 'admin', demo: true, sessionHours: 12, imageCacheBytes: 256 * 2 ** 20 });
    expect(c.dataDir).to.equal(path.resolve('./data'));
    expect(Object.isFrozen(c)).to.equal(true);
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', PUBLIC_BASE_URL: 'not a url', GUJI_DEMO: 'yes', MONGODB_URI: 'postgres://x', GUJI_ADMIN_PASSWORD: 'short', GUJI_IMAGE_CACHE_MB: '-1' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const fields = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(fields).to.have.members(['PORT', 'PUBLIC_BASE_URL', 'GUJI_DEMO', 'MONGODB_URI', 'GUJI_ADMIN_PASSWORD', 'GUJI_IMAGE_CACHE_MB']);
  });

  it('reads the limits on untrusted input, with defaults, and reports a wrong one', () => {
    const c = loadConfig({ GUJI_MAX_UPLOAD_MB: '10', GUJI_SHEET_MAX_COLUMNS: '200' });
    expect(c.inputLimits).to.deep.include({ maxUploadFiles: 1000, maxUploadBytes: 10 * 2 ** 20, maxJsonDepth: 32 });
    expect(c.inputLimits.sheet).to.deep.include({ maxColumns: 200, maxRows: 1_000_000, maxUnzippedBytes: 2048 * 2 ** 20 });
    expect(() => loadConfig({ GUJI_SHEET_MAX_RATIO: '1', GUJI_MAX_JSON_DEPTH: 'deep' }))
      .to.throw(ConfigError)
      .with.property('problems')
      .that.satisfies((p: string[]) => p.some((x) => x.startsWith('GUJI_SHEET_MAX_RATIO')) && p.some((x) => x.startsWith('GUJI_MAX_JSON_DEPTH')));
  });

  it('names the district of the census after GUJI_SITE_NAME, 资阳区 by default, and refuses a blank one', () => {
    expect(loadConfig({}).siteName).to.equal('资阳区');
    expect(loadConfig({ GUJI_SITE_NAME: '湘潭市' }).siteName).to.equal('湘潭市');
    expect(() => loadConfig({ GUJI_SITE_NAME: '  ' })).to.throw(ConfigError, /GUJI_SITE_NAME/);
  });

  it('strips a trailing slash from PUBLIC_BASE_URL', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://guji.example.org/' }).publicBaseUrl).to.equal('https://guji.example.org');
  });

  it('loads a vocabulary file and reports what is wrong with one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guji-config-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ editionTypes: [] }));
    expect(() => loadConfig({ GUJI_VOCABULARY_FILE: bad, PORT: 'x' }))
      .to.throw(ConfigError)
      .with.property('problems')
      .that.satisfies((p: string[]) => p.some((x) => x.startsWith('PORT')) && p.some((x) => x.includes('editionTypes')));
    expect(() => loadConfig({ GUJI_VOCABULARY_FILE: path.join(dir, 'missing.json') })).to.throw(/cannot read/);
  });
});
