/** Runs the ExhibitStore contract on the embedded SQLite store, and on MongoDB when MONGODB_URI is set. */
import { SqliteExhibitStore } from '../../src/adapters/embedded/sqlite-exhibit-store.js';
import { MongoExhibitStore } from '../../src/adapters/mongo/mongo-exhibit-store.js';
import { onEveryStore } from '../support/store-contract.js';
import { exhibitStoreContract } from './exhibit-store.contract.js';

onEveryStore('exhibit', exhibitStoreContract, {
  sqlite: (file) => new SqliteExhibitStore(file),
  mongo: (url) => MongoExhibitStore.connect(url),
});
