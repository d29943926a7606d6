/**
 * The embedded search index rebuilds itself when its layout changes (a facet added, a schema
 * changed): a file built before must neither crash the service at open nor be misread.
 */
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteCatalogueStore } from '../../src/adapters/embedded/sqlite-store.js';
import { FtsSearchIndex, layoutOf } from '../../src/adapters/embedded/fts-search-index.js';
import { WorkerSearchIndex } from '../../src/adapters/embedded/worker-search-index.js';
import { SearchIndexer } from '../../src/services/search-service.js';
import { FACETS, SEARCH_DOCUMENT_VERSION, type SearchIndex, type SearchQuery } from '../../src/ports/search-index.js';
import { entryOf, recordOf } from '../support/records.js';

const query: SearchQuery = { text: '金華', filters: {}, visibleTo: 'all', sort: 'censusNumber', offset: 0, limit: 10, facets: ['work', 'status'] };

describe('the embedded search index after a change of layout', () => {
  let dir: string;
  let store: SqliteCatalogueStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'guji-layout-'));
    store = new SqliteCatalogueStore(path.join(dir, 'catalogue.sqlite'));
    for (const [n, title] of [[1, '金華府志三十卷'], [2, '通書類聚四卷'], [3, '金華先民傳十卷']] as const) {
      const record = recordOf(`430000-0001-000000${n}`, { titleStatement: title });
      await store.records.create(record, entryOf(record));
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Builds the index, then makes its file look like one written before the last facet existed. */
  async function oldIndexFile(): Promise<string> {
    const file = path.join(dir, 'search.sqlite');
    const index = new FtsSearchIndex(file);
    await new SearchIndexer(store, index, () => {}).catchUp();
    expect((await index.search(query)).total).to.equal(2);
    await index.close();
    const db = new Database(file);
    const last = (db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all('docs') as string[]).filter((c) => /^f\d+$/.test(c)).pop()!;
    db.exec(`ALTER TABLE docs DROP COLUMN ${last}; DELETE FROM meta WHERE key = 'layout'; DELETE FROM snapshot;`);
    db.close();
    return file;
  }

  async function expectRebuiltAndAnswering(index: SearchIndex): Promise<void> {
    expect(await index.lastSeq()).to.equal(0);
    await new SearchIndexer(store, index, () => {}).catchUp();
    const result = await index.search(query);
    expect(result.hits).to.deep.equal(['430000-0001-0000001', '430000-0001-0000003']);
    expect(result.facets.status).to.deep.equal([{ value: 'draft', count: 2 }]);
    expect(await index.lastSeq()).to.equal(3);
  }

  it('empties a file of another facet set at open and is refilled from the store', async () => {
    const file = await oldIndexFile();
    const index = new FtsSearchIndex(file);
    try {
      expect(index.rebuilt).to.equal(true);
      await expectRebuiltAndAnswering(index);
    } finally {
      await index.close();
    }
    // Once rebuilt, the next open keeps it.
    const again = new FtsSearchIndex(file);
    expect(again.rebuilt).to.equal(false);
    expect(await again.lastSeq()).to.equal(3);
    await again.close();
  });

  it('does the same behind the worker thread the service uses', async () => {
    const index = new WorkerSearchIndex(await oldIndexFile());
    try {
      await expectRebuiltAndAnswering(index);
    } finally {
      await index.close();
    }
  });

  it('makes its documents again when the search service makes them another way (SEARCH_DOCUMENT_VERSION)', async () => {
    const qing = recordOf('430000-0001-0000004', { titleStatement: '金華詩錄六十卷', editionStatement: '清刻本' });
    await store.records.create(qing, entryOf(qing));
    const file = path.join(dir, 'search.sqlite');
    const centuries = async (index: SearchIndex) => (await index.search({ ...query, text: '', facets: ['century'] })).facets.century;
    const built = new FtsSearchIndex(file);
    await new SearchIndexer(store, built, () => {}).catchUp();
    expect(await centuries(built)).to.deep.equal([{ value: '16', count: 3 }, { value: 'span', count: 1 }]);
    await built.close();
    // A document made before the span bucket: plain 清 filed under the century it begins in.
    const stale = () => {
      const db = new Database(file);
      db.prepare("UPDATE facet_values SET value = '17' WHERE facet = ? AND value = 'span'").run(FACETS.indexOf('century'));
      // The columns saved at close would answer from memory: read the file instead.
      db.exec("DELETE FROM snapshot; DELETE FROM meta WHERE key = 'snapshot'");
      return db;
    };
    stale().close();
    const same = new FtsSearchIndex(file);
    // Under the same layout the file is trusted as it is: this is what the version guards against.
    expect(same.rebuilt).to.equal(false);
    expect(await centuries(same)).to.deep.equal([{ value: '16', count: 3 }, { value: '17', count: 1 }]);
    await same.close();
    const db = stale();
    db.prepare("UPDATE meta SET value = ? WHERE key = 'layout'").run(layoutOf(SEARCH_DOCUMENT_VERSION - 1));
    db.close();
    const index = new FtsSearchIndex(file);
    try {
      expect(index.rebuilt).to.equal(true);
      expect(await index.lastSeq()).to.equal(0);
      await new SearchIndexer(store, index, () => {}).catchUp();
      expect(await centuries(index)).to.deep.equal([{ value: '16', count: 3 }, { value: 'span', count: 1 }]);
    } finally {
      await index.close();
    }
  });
});
