/**
 * Runs the PageTextStore contract on the embedded SQLite store always (a real file in a
 * temporary directory), on MongoDB when MONGODB_URI names a server.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { SqlitePageTextStore } from '../../src/adapters/embedded/sqlite-page-text-store.js';
import { MongoPageTextStore } from '../../src/adapters/mongo/mongo-page-text-store.js';
import { pageTextStoreContract } from './page-text-store.contract.js';

pageTextStoreContract('embedded SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-text-'));
  const store = new SqlitePageTextStore(path.join(dir, 'catalogue.sqlite'));
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
  pageTextStoreContract('MongoDB', async () => {
    const url = new URL(mongoUri);
    url.pathname = `/guji_text_contract_${randomBytes(4).toString('hex')}`;
    const store = await MongoPageTextStore.connect(url.toString());
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
  console.log('  (MongoDB page-text contract not run: MONGODB_URI is not set)');
}
