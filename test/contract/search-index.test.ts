/**
 * Runs the SearchIndex contract on the embedded FTS5 index (a real SQLite file) always, and on
 * Meilisearch when MEILI_URL names a server (none can be installed here or on CI).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FtsSearchIndex } from '../../src/adapters/embedded/fts-search-index.js';
import { WorkerSearchIndex } from '../../src/adapters/embedded/worker-search-index.js';
import { MeiliSearchIndex } from '../../src/adapters/meili/meili-search-index.js';
import { inTemporaryFile } from '../support/store-contract.js';
import { searchIndexContract } from './search-index.contract.js';

searchIndexContract('embedded SQLite FTS5', async () => {
  const { adapter, dispose } = inTemporaryFile('guji-search-', 'search.sqlite', (file) => new FtsSearchIndex(file));
  return { index: adapter, dispose };
});

// The same index behind the worker thread the service uses: messages must carry every answer whole.
searchIndexContract('embedded SQLite FTS5 in a worker thread', async () => {
  const { adapter, dispose } = inTemporaryFile('guji-search-', 'search.sqlite', (file) => new WorkerSearchIndex(file));
  return { index: adapter, dispose };
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

describe('the embedded index starting from its snapshot', () => {
  it('starts from the columns saved at close, adds what others wrote since, and answers as a full read does', async () => {
    const { generateRecords } = await import('../../scripts/catalogue-generator.js');
    const { searchDocumentOf } = await import('../../src/services/search-service.js');
    const Database = (await import('better-sqlite3')).default;
    const dir = mkdtempSync(path.join(tmpdir(), 'guji-snapshot-'));
    const file = path.join(dir, 'search.sqlite');
    try {
      const docs = [...generateRecords(3000, 5)].map((r) => searchDocumentOf(r, null));
      const first = new FtsSearchIndex(file);
      await first.upsert(docs.slice(0, 2000), 2000);
      await first.close();
      const saved = JSON.parse(new Database(file, { readonly: true }).prepare("SELECT value FROM meta WHERE key = 'snapshot'").pluck().get() as string);
      expect(saved.generation).to.be.above(0);
      // Another process writes more (and changes some) without taking a snapshot: as after a crash.
      const writer = new FtsSearchIndex(file);
      await writer.upsert([...docs.slice(2000), ...docs.slice(0, 50).map((d) => ({ ...d, facets: { ...d.facets, status: 'draft' } }))], 3050);
      const query = { text: '集', filters: {}, visibleTo: 'all' as const, sort: 'censusNumber' as const, offset: 0, limit: 3000, facets: ['status', 'division'] as const };
      const fromSnapshot = new FtsSearchIndex(file);
      const restored = await fromSnapshot.search({ ...query, facets: [...query.facets] });
      // The reference: the same file read whole, without its snapshot.
      const db = new Database(file);
      db.exec("DELETE FROM snapshot; DELETE FROM meta WHERE key = 'snapshot'");
      db.close();
      const full = await new FtsSearchIndex(file).search({ ...query, facets: [...query.facets] });
      expect(restored).to.deep.equal(full);
      expect(restored.facets.status!.find((s) => s.value === 'draft')?.count).to.be.above(0);
      expect(restored.total).to.be.above(100);
      await Promise.all([writer.close(), fromSnapshot.close()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the embedded index remembering phrases that match many documents', () => {
  it('answers from memory exactly as from FTS5, through its own writes, other processes’ writes and a large batch', async () => {
    const { generateRecords } = await import('../../scripts/catalogue-generator.js');
    const { searchDocumentOf } = await import('../../src/services/search-service.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'guji-hot-'));
    const file = path.join(dir, 'search.sqlite');
    try {
      const docs = [...generateRecords(2600, 11)].map((r) => searchDocumentOf(r, null));
      // Remembers every phrase found in 50 documents or more (the service waits for 10,000).
      const index = new FtsSearchIndex(file, { hotPhraseMinMatches: 50 });
      await index.upsert(docs.slice(0, 2000), 1);
      const queries = ['本', '刻本', '部', '集 刻本', '清', '普通古籍'];
      const ask = (i: FtsSearchIndex, text: string, sort: 'relevance' | 'censusNumber') =>
        i.search({ text, filters: {}, visibleTo: 'all', sort, offset: 0, limit: 5000, facets: ['status', 'division'] });
      const same = async (label: string) => {
        const reference = new FtsSearchIndex(file, { hotPhraseBytes: 0 });
        for (const text of queries) {
          for (const sort of ['relevance', 'censusNumber'] as const) {
            expect(await ask(index, text, sort), `${label}: ${text} by ${sort}`).to.deep.equal(await ask(reference, text, sort));
          }
        }
        await reference.close();
      };
      const remembered = () => [...index['columns']!.hot.keys()];
      await same('first reading');
      expect(remembered()).to.include.members(['"本"*', '"刻本"', '"部"*']);
      await same('from memory');

      // Its own writes: records that lose the phrase, records that gain it, new records.
      const edited = docs.slice(0, 40).map((d) => ({ ...d, text: { ...d.text, edition: '稿本', other: '' } }));
      const gained = docs.slice(40, 60).map((d) => ({ ...d, text: { ...d.text, title: `${d.text.title}刻本` } }));
      await index.upsert([...edited, ...gained, ...docs.slice(2000, 2030)], 2);
      await same('after its own writes');

      // Another process's writes, as npm run ingest makes them.
      const other = new FtsSearchIndex(file);
      await other.upsert(docs.slice(0, 40), 3);
      await same('after another process wrote');
      // More than a remembered phrase is patched with: read again.
      await other.upsert(docs.slice(2030), 4);
      await same('after a large batch');
      expect(remembered()).to.include.members(['"本"*', '"刻本"']);
      await Promise.all([other.close(), index.close()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
