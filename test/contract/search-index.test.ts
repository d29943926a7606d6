/**
 * Runs the SearchIndex contract on the embedded FTS5 index (a real SQLite file) always, and on
 * Meilisearch when MEILI_URL names a server (none can be installed here or on CI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FtsSearchIndex } from '../../src/adapters/embedded/fts-search-index.js';
import { WorkerSearchIndex } from '../../src/adapters/embedded/worker-search-index.js';
import { MeiliSearchIndex } from '../../src/adapters/meili/meili-search-index.js';
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

// The same index behind the worker thread the service uses: messages must carry every answer whole.
searchIndexContract('embedded SQLite FTS5 in a worker thread', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-search-'));
  const index = new WorkerSearchIndex(path.join(dir, 'search.sqlite'));
  return {
    index,
    async dispose() {
      await index.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const meiliUrl = process.env.MEILI_URL;
if (meiliUrl) {
  searchIndexContract('Meilisearch', async () => {
    // An index of its own per run, emptied afterwards.
    const index = await MeiliSearchIndex.connect(meiliUrl, process.env.MEILI_KEY, `guji-contract-${randomBytes(4).toString('hex')}`);
    return {
      index,
      async dispose() {
        await index.clear();
      },
    };
  });
} else {
  console.log('  (Meilisearch contract not run: MEILI_URL is not set)');
}
