/**
 * What a backup needs of the catalogue store beyond the CatalogueStore port: a consistent copy
 * of the whole store written to a file while the store stays in use. The embedded SQLite store
 * has it; a store on a server (MongoDB) has its own tools (mongodump) and does not.
 */
export interface StoreSnapshots {
  /** Writes the store as of one moment to `file` (which must not exist) and says what it holds. */
  snapshotTo(file: string): Promise<StoreSnapshotFacts>;
}

export interface StoreSnapshotFacts {
  schemaVersion: number;
  records: number;
  /** The store's write sequence at that moment: the search index is rebuilt up to it. */
  seq: number;
}

export const canSnapshot = (store: object): store is StoreSnapshots => typeof (store as Partial<StoreSnapshots>).snapshotTo === 'function';
