/**
 * The store is the truth: a write the index failed to take is indexed on the next pass, and a
 * rebuild from the store gives the same index. Real SQLite store, real FTS5 index.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FtsSearchIndex } from '../../src/adapters/embedded/fts-search-index.js';
import { SqliteCatalogueStore } from '../../src/adapters/embedded/sqlite-store.js';
import type { SearchIndex } from '../../src/ports/search-index.js';
import { RecordService } from '../../src/services/record-service.js';
import { SearchIndexer } from '../../src/services/search-service.js';
import { UnitService } from '../../src/services/unit-service.js';
import { fieldsOf, vocabulary } from '../support/records.js';

describe('search indexer', () => {
  let dir: string;
  let store: SqliteCatalogueStore;
  let fts: FtsSearchIndex;
  let failing: boolean;
  let index: SearchIndex;
  const admin = { username: 'admin', role: 'admin' as const, unit: null };
  const search = async (text: string) =>
    (await index.search({ text, filters: {}, visibleTo: 'all', sort: 'relevance', offset: 0, limit: 10, facets: [] })).hits;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'guji-indexer-'));
    store = new SqliteCatalogueStore(path.join(dir, 'catalogue.sqlite'));
    fts = new FtsSearchIndex(path.join(dir, 'search.sqlite'));
    failing = false;
    // The real index, made to fail on demand (as a full disk or a down server would).
    index = new Proxy(fts, {
      get(target, prop, receiver) {
        if (prop === 'upsert' && failing) return async () => Promise.reject(new Error('index unavailable'));
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await new UnitService(store).create(admin, { province: '430000', code: '0001', name: '资阳区图书馆' });
  });
  afterEach(async () => {
    await store.close();
    await fts.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('indexes on the next pass a write the index failed to take, and loses nothing', async () => {
    const logged: string[] = [];
    const indexer = new SearchIndexer(store, index, (m) => logged.push(m));
    const records = new RecordService(store, vocabulary, () => indexer.notify());
    await records.register(admin, fieldsOf('430000-0001-0000001', { titleStatement: '周易本義四卷' }));
    await indexer.catchUp();
    expect(await search('周易本义')).to.deep.equal(['430000-0001-0000001']);

    failing = true;
    await records.register(admin, fieldsOf('430000-0001-0000002', { titleStatement: '資治通鑑二百九十四卷' }));
    await indexer.catchUp().catch(() => {});
    expect(logged).to.have.length.greaterThan(0);
    expect(await search('资治通鉴')).to.deep.equal([]);
    expect(await index.lastSeq()).to.equal(1);

    failing = false;
    await indexer.catchUp();
    expect(await search('资治通鉴')).to.deep.equal(['430000-0001-0000002']);
    expect(await index.lastSeq()).to.equal(2);
  });

  it('rebuilds from the store to the same answers', async () => {
    const indexer = new SearchIndexer(store, index, () => {}, 2);
    const records = new RecordService(store, vocabulary, () => indexer.notify());
    for (let i = 1; i <= 5; i++) await records.register(admin, fieldsOf(`430000-0001-000000${i}`, { titleStatement: `益陽縣志${i}卷` }));
    await indexer.catchUp();
    const before = await search('益阳县志');
    const progress: number[] = [];
    await indexer.rebuild((n) => progress.push(n));
    expect(progress).to.deep.equal([2, 4, 5]);
    expect(await search('益阳县志')).to.deep.equal(before);
    expect(before).to.have.length(5);
  });

  it('sees what another process wrote to the same index file, and a rebuild there', async () => {
    const other = new FtsSearchIndex(path.join(dir, 'search.sqlite'));
    try {
      const seen = async (text: string) =>
        (await fts.search({ text, filters: {}, visibleTo: 'all', sort: 'relevance', offset: 0, limit: 10, facets: ['digitized'] })).hits;
      expect(await seen('周易')).to.deep.equal([]);
      const record = await new RecordService(store, vocabulary).register(admin, fieldsOf('430000-0001-0000007', { titleStatement: '周易本義四卷' }));
      const { searchDocumentOf } = await import('../../src/services/search-service.js');
      await other.upsert([searchDocumentOf(record, '资阳区图书馆')], 1);
      expect(await seen('周易')).to.deep.equal(['430000-0001-0000007']);
      await other.clear();
      expect(await seen('周易')).to.deep.equal([]);
      expect(await fts.lastSeq()).to.equal(0);
    } finally {
      await other.close();
    }
  });

  it('empties an index file of another layout instead of misreading it', async () => {
    const file = path.join(dir, 'old.sqlite');
    const { default: Database } = await import('better-sqlite3');
    const old = new Database(file);
    old.exec("CREATE VIRTUAL TABLE fts USING fts5(title); CREATE TABLE meta (key TEXT PRIMARY KEY, value); INSERT INTO meta VALUES ('seq', 42);");
    old.close();
    const reopened = new FtsSearchIndex(file);
    try {
      expect(await reopened.lastSeq()).to.equal(0);
      expect((await reopened.search({ text: '', filters: {}, visibleTo: 'all', sort: 'censusNumber', offset: 0, limit: 1, facets: [] })).total).to.equal(0);
    } finally {
      await reopened.close();
    }
  });
});
