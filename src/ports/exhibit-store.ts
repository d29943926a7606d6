/**
 * Where exhibits and their history are kept. Adapters: src/adapters/embedded/sqlite-exhibit-store.ts
 * (the default) and src/adapters/mongo/mongo-exhibit-store.ts (MONGODB_URI); both keep the
 * contract in test/contract/exhibit-store.contract.ts.
 */
import type { Exhibit, ExhibitHistoryEntry, ExhibitStatus } from '../domain/exhibit.js';

export interface ExhibitQuery {
  /** Only exhibits in these statuses; all when absent. */
  statuses?: readonly ExhibitStatus[];
  offset: number;
  limit: number;
}

export interface ExhibitStore {
  readonly description: string;
  /** Inserts the exhibit and its first history entry together. Throws AlreadyExistsError (field `slug`). */
  create(exhibit: Exhibit, entry: ExhibitHistoryEntry): Promise<void>;
  get(slug: string): Promise<Exhibit | null>;
  /**
   * Replaces the exhibit if its stored version is still `expectedVersion`, and appends the entry,
   * together. Throws NotFoundError, or VersionMismatchError when someone wrote in between.
   */
  replace(exhibit: Exhibit, expectedVersion: number, entry: ExhibitHistoryEntry): Promise<void>;
  /** Oldest first. */
  history(slug: string): Promise<ExhibitHistoryEntry[]>;
  /** Most recently changed first. */
  list(query: ExhibitQuery): Promise<{ exhibits: Exhibit[]; total: number }>;
  close(): Promise<void>;
}
