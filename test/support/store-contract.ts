/**
 * Runs a store's contract suite on every adapter: the embedded SQLite store always (a real file
 * in a temporary directory), and MongoDB when MONGODB_URI names a server, each test with a
 * database of its own, dropped afterwards. No MongoDB server can be installed here or on CI, so
 * that half runs wherever one is configured, and says when it was not run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';

type Fixture<S> = { store: S; dispose(): Promise<void> };
type Contract<S> = (name: string, open: () => Promise<Fixture<S>>) => void;

export function onEveryStore<S extends { close(): Promise<void> }>(
  what: string,
  contract: Contract<S>,
  adapters: { sqlite: (file: string) => S; mongo: (url: string) => Promise<S> },
): void {
  contract('embedded SQLite', async () => {
    const { adapter, dispose } = inTemporaryFile('guji-store-', 'catalogue.sqlite', adapters.sqlite);
    return { store: adapter, dispose };
  });
  const mongoUri = process.env.MONGODB_URI;
  if (!mongoUri) {
    console.log(`  (MongoDB ${what} contract not run: MONGODB_URI is not set)`);
    return;
  }
  contract('MongoDB', async () => {
    const url = new URL(mongoUri);
    url.pathname = `/guji_contract_${randomBytes(4).toString('hex')}`;
    const store = await adapters.mongo(url.toString());
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
}

/**
 * An adapter opened on a file of its own in a new temporary directory, and how to close it and
 * remove the directory: the embedded half of every contract fixture.
 */
export function inTemporaryFile<T extends { close(): Promise<void> }>(prefix: string, file: string, open: (file: string) => T): { adapter: T; dispose(): Promise<void> } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const adapter = open(path.join(dir, file));
  return {
    adapter,
    async dispose() {
      await adapter.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
