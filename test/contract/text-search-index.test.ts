/**
 * Runs the TextSearchIndex contract on the embedded SQLite index (a real file in a temporary
 * directory) always, and on Meilisearch when MEILI_URL names a server (none can be installed here
 * or on CI).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { SqliteTextSearchIndex } from '../../src/adapters/embedded/sqlite-text-search-index.js';
import { MeiliTextSearchIndex } from '../../src/adapters/meili/meili-text-search-index.js';
import { inTemporaryFile } from '../support/store-contract.js';
import { textSearchIndexContract } from './text-search-index.contract.js';

textSearchIndexContract('embedded SQLite', async () => {
  const { adapter, dispose } = inTemporaryFile('guji-text-search-', 'text-search.sqlite', (file) => new SqliteTextSearchIndex(file));
  return { index: adapter, dispose };
});

const meiliUrl = process.env.MEILI_URL;
if (meiliUrl) {
  textSearchIndexContract('Meilisearch', async () => {
    // Indexes of their own per test, deleted afterwards.
    const index = await MeiliTextSearchIndex.connect(meiliUrl, process.env.MEILI_KEY, `guji-text-contract-${randomBytes(4).toString('hex')}`);
    return { index, dispose: () => index.destroy() };
  });
} else {
  console.log('  (Meilisearch text search contract NOT RUN: MEILI_URL is not set)');
}

describe('SqliteTextSearchIndex file', () => {
  it('empties a file written with another layout (the service then rebuilds it)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guji-text-search-'));
    const file = path.join(dir, 'text-search.sqlite');
    try {
      const first = new SqliteTextSearchIndex(file);
      first.putAll([{ censusNumber: '110000-0001-0000001', imageId: 'a', sequence: 1, juan: null, status: 'verified', published: true, chars: [{ char: '易', box: [0, 0, 1, 1] }] }]);
      await first.close();
      const again = new SqliteTextSearchIndex(file);
      expect(await again.count()).to.equal(1);
      await again.close();
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(file);
      db.prepare("UPDATE meta SET value = 'older' WHERE key = 'layout'").run();
      db.close();
      const reopened = new SqliteTextSearchIndex(file);
      expect(await reopened.count()).to.equal(0);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
