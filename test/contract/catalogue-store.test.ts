/**
 * Runs the CatalogueStore contract on every adapter: the embedded SQLite store always (a real
 * SQLite file in a temporary directory), MongoDB when MONGODB_URI names a server. No MongoDB
 * server can be installed here or on CI, so that half runs wherever one is configured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteCatalogueStore } from '../../src/adapters/embedded/sqlite-store.js';
import { MongoCatalogueStore } from '../../src/adapters/mongo/mongo-store.js';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { catalogueStoreContract } from './catalogue-store.contract.js';
import { entryOf, recordOf } from '../support/records.js';
import { onEveryStore } from '../support/store-contract.js';

onEveryStore('catalogue', catalogueStoreContract, {
  sqlite: (file) => new SqliteCatalogueStore(file),
  mongo: (url) => MongoCatalogueStore.connect(url),
});

describe('embedded SQLite: a catalogue written before pages had unique places', () => {
  it('renumbers the pages that shared a place, in their order, and then keeps places unique', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guji-store-'));
    const file = path.join(dir, 'catalogue.sqlite');
    try {
      new SqliteCatalogueStore(file).close();
      // As the old code left it, at schema version 2: concurrent uploads all took page 1.
      const db = new Database(file);
      db.exec(`DROP INDEX pages_place; CREATE INDEX pages_order ON pages (census_number, sequence);
        DROP TABLE import_jobs; DROP INDEX sessions_user; DROP TABLE public_records; DROP TABLE public_changes;
        DROP TABLE page_texts; DROP TABLE page_text_history; DROP TABLE ocr_jobs; DROP TABLE exhibits; DROP TABLE exhibit_history;
        DELETE FROM schema_migrations WHERE version >= 3; PRAGMA user_version = 2;`);
      const insert = db.prepare('INSERT INTO pages (census_number, image_id, sequence, doc) VALUES (?, ?, ?, ?)');
      ['c', 'a', 'b'].forEach((c, i) => insert.run('430000-0001-0000001', c.repeat(64), 1, JSON.stringify({
        censusNumber: '430000-0001-0000001', imageId: c.repeat(64), sequence: 1, ingestedAt: `2026-11-29T00:00:0${i}.000Z`,
      })));
      db.close();
      const store = new SqliteCatalogueStore(file);
      try {
        expect((await store.pages.list('430000-0001-0000001')).map((p) => [p.sequence, p.imageId[0]])).to.deep.equal([[1, 'c'], [2, 'a'], [3, 'b']]);
        const { sequence: _, ...next } = (await store.pages.list('430000-0001-0000001'))[0]!;
        expect((await store.pages.append({ ...next, imageId: 'd'.repeat(64) })).sequence).to.equal(4);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedded SQLite: a catalogue written before the public catalogue was kept', () => {
  it('enters the records already published, at their last update, and no others', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guji-store-'));
    const file = path.join(dir, 'catalogue.sqlite');
    try {
      // As the old code left it, at schema version 3: records, some published, some digitized.
      const old = new SqliteCatalogueStore(file);
      const published = { ...recordOf('430000-0001-0000001', { classification: '史部' }, 'published'), pageCount: 2 };
      await old.records.create(published, entryOf(published));
      const draft = recordOf('430000-0001-0000002', {}, 'draft');
      await old.records.create(draft, entryOf(draft));
      await old.close();
      const db = new Database(file);
      db.exec(`DROP TABLE public_records; DROP TABLE public_changes; DROP TABLE page_texts; DROP TABLE page_text_history; DROP TABLE ocr_jobs; DROP TABLE exhibits; DROP TABLE exhibit_history;
        DELETE FROM schema_migrations WHERE version >= 4; PRAGMA user_version = 3;`);
      db.close();
      const store = new SqliteCatalogueStore(file);
      try {
        expect(await store.records.publicRecords({ limit: 10 })).to.deep.equal([{
          censusNumber: '430000-0001-0000001', datestamp: published.updatedAt.slice(0, 19) + 'Z', deleted: false, unit: '430000-0001', division: '史部', digitized: true,
        }]);
        expect((await store.records.publicChanges({ digitized: true, offset: 0, limit: 10 })).map((c) => [c.censusNumber, c.wasDigitized]))
          .to.deep.equal([['430000-0001-0000001', false]]);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});


describe('embedded SQLite: a catalogue whose log of public changes did not name works', () => {
  it('gives each logged change the work its record names, and none to a record of no work', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guji-store-'));
    const file = path.join(dir, 'catalogue.sqlite');
    try {
      // As the old code left it, at schema version 6: a volume of a work and a book of none, published with pages.
      const old = new SqliteCatalogueStore(file);
      const volume = { ...recordOf('430000-0001-0000001', { partOf: { work: '資治通鑑-同治江蘇書局', sequence: 1 } }, 'published'), pageCount: 2 };
      const single = { ...recordOf('430000-0001-0000002', {}, 'published'), pageCount: 1 };
      for (const record of [volume, single]) await old.records.create(record, entryOf(record));
      await old.close();
      const db = new Database(file);
      db.exec('ALTER TABLE public_changes DROP COLUMN work; DELETE FROM schema_migrations WHERE version >= 7; PRAGMA user_version = 6;');
      db.close();
      const store = new SqliteCatalogueStore(file);
      try {
        expect((await store.records.publicChanges({ digitized: true, offset: 0, limit: 10 })).map((c) => [c.censusNumber, c.work]))
          .to.deep.equal([['430000-0001-0000001', '資治通鑑-同治江蘇書局'], ['430000-0001-0000002', null]]);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedded SQLite: the change mark', () => {
  it('stays while the catalogue is only read, and changes with every write, made here or by another process', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guji-store-'));
    const file = path.join(dir, 'catalogue.sqlite');
    const store = new SqliteCatalogueStore(file);
    // Another connection to the file, as npm run ingest or import running beside the service has.
    const other = new SqliteCatalogueStore(file);
    try {
      const draft = recordOf('430000-0001-0000001');
      const marks = [store.changeMark()];
      await store.records.get(draft.fields.censusNumber);
      await store.pages.byImage('a'.repeat(64));
      expect(store.changeMark()).to.equal(marks[0]);
      await store.records.create(draft, entryOf(draft));
      marks.push(store.changeMark());
      const published = { ...draft, status: 'published' as const, version: 2 };
      await other.records.replace(published, 1, entryOf(published, 'publish'));
      marks.push(store.changeMark());
      await other.records.replace({ ...published, status: 'approved', version: 3 }, 2, entryOf(published, 'withdraw'));
      marks.push(store.changeMark());
      expect(new Set(marks).size).to.equal(marks.length);
      expect(store.changeMark()).to.equal(marks.at(-1));
    } finally {
      await Promise.all([store.close(), other.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
