/** Runs the PageTextStore contract on the embedded SQLite store, and on MongoDB when MONGODB_URI is set. */
import { SqlitePageTextStore } from '../../src/adapters/embedded/sqlite-page-text-store.js';
import { MongoPageTextStore } from '../../src/adapters/mongo/mongo-page-text-store.js';
import { onEveryStore } from '../support/store-contract.js';
import { pageTextStoreContract } from './page-text-store.contract.js';

onEveryStore('page-text', pageTextStoreContract, {
  sqlite: (file) => new SqlitePageTextStore(file),
  mongo: (url) => MongoPageTextStore.connect(url),
});
