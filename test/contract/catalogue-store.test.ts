/**
 * Runs the CatalogueStore contract on every adapter: the embedded SQLite store always (a real
 * SQLite file in a temporary directory), MongoDB when MONGODB_URI names a server. No MongoDB
 * server can be installed here or on CI, so that half runs wherever one is configured.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteCatalogueStore } from '../../src/adapters/embedded/sqlite-store.js';
import { MongoCatalogueStore } from '../../src/adapters/mongo/mongo-store.js';
import { MongoClient } from 'mongodb';
import { catalogueStoreContract } from './catalogue-store.contract.js';

catalogueStoreContract('embedded SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-store-'));
  const store = new SqliteCatalogueStore(path.join(dir, 'catalogue.sqlite'));
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const mongoUri = process.env.MONGODB_URI;
if (mongoUri) {
  catalogueStoreContract('MongoDB', async () => {
    // A database of its own per test, dropped afterwards.
    const url = new URL(mongoUri);
    url.pathname = `/guji_contract_${randomBytes(4).toString('hex')}`;
    const store = await MongoCatalogueStore.connect(url.toString());
    return {
      store,
      async dispose() {
        await store.close();
        const client = await MongoClient.connect(url.toString());
        await client.db().dropDatabase();
        await client.close();
      },
    };
  });
} else {
  console.log('  (MongoDB contract not run: MONGODB_URI is not set)');
}
