/**
 * Runs the ExhibitStore contract on the embedded SQLite store always (a real file in a temporary
 * directory) and on MongoDB when MONGODB_URI names a server (as catalogue-store.test.ts does).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { SqliteExhibitStore } from '../../src/adapters/embedded/sqlite-exhibit-store.js';
import { MongoExhibitStore } from '../../src/adapters/mongo/mongo-exhibit-store.js';
import { exhibitStoreContract } from './exhibit-store.contract.js';

exhibitStoreContract('embedded SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guji-exhibits-'));
  const store = new SqliteExhibitStore(path.join(dir, 'catalogue.sqlite'));
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
  exhibitStoreContract('MongoDB', async () => {
    const url = new URL(mongoUri);
    url.pathname = `/guji_exhibits_${randomBytes(4).toString('hex')}`;
    const store = await MongoExhibitStore.connect(url.toString());
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
  console.log('  (MongoDB exhibit contract not run: MONGODB_URI is not set)');
}
