/**
 * Exhibits on the MongoDB server of the catalogue (MONGODB_URI), in collections `exhibits` and
 * `exhibitHistory`; the slug is the `_id`. As with records (mongo-store.ts), a write and its
 * history entry share a transaction on a replica set; on a standalone server they are written
 * in turn and the exhibit write is undone if the entry fails.
 */
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import type { Exhibit, ExhibitHistoryEntry } from '../../domain/exhibit.js';
import { AlreadyExistsError, NotFoundError, VersionMismatchError } from '../../domain/errors.js';
import { transactionWriter, type Writer } from './transactions.js';
import type { ExhibitQuery, ExhibitStore } from '../../ports/exhibit-store.js';

interface ExhibitDocument {
  _id: string;
  exhibit: Exhibit;
  status: string;
  version: number;
  updatedAt: string;
}
interface HistoryDocument extends ExhibitHistoryEntry {
  seq: number;
}


export class MongoExhibitStore implements ExhibitStore {
  readonly description: string;
  // History order must survive equal timestamps: a per-process counter seeded by the clock.
  private seq = Date.now() * 1000;

  private constructor(
    private readonly client: MongoClient,
    private readonly exhibits: Collection<ExhibitDocument>,
    private readonly entries: Collection<HistoryDocument>,
    private readonly inTransaction: Writer,
  ) {
    this.description = 'MongoDB exhibits';
  }

  static async connect(uri: string): Promise<MongoExhibitStore> {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, appName: 'guji' });
    await client.connect();
    try {
      const db = client.db();
      const exhibits = db.collection<ExhibitDocument>('exhibits');
      const entries = db.collection<HistoryDocument>('exhibitHistory');
      await exhibits.createIndex({ status: 1, updatedAt: -1 });
      await exhibits.createIndex({ updatedAt: -1 });
      await entries.createIndex({ slug: 1, seq: 1 });
      const { inTransaction } = await transactionWriter(client, db);
      return new MongoExhibitStore(client, exhibits, entries, inTransaction);
    } catch (e) {
      await client.close();
      throw e;
    }
  }

  private document(exhibit: Exhibit): ExhibitDocument {
    return { _id: exhibit.slug, exhibit, status: exhibit.status, version: exhibit.version, updatedAt: exhibit.updatedAt };
  }

  async create(exhibit: Exhibit, entry: ExhibitHistoryEntry): Promise<void> {
    try {
      await this.inTransaction(async (session) => {
        await this.exhibits.insertOne(this.document(exhibit), { session });
        try {
          await this.entries.insertOne({ ...entry, seq: this.seq++ }, { session });
        } catch (e) {
          if (!session) await this.exhibits.deleteOne({ _id: exhibit.slug });
          throw e;
        }
      });
    } catch (e) {
      if (e instanceof MongoServerError && e.code === 11000) throw new AlreadyExistsError(`Exhibit ${exhibit.slug}`, 'slug');
      throw e;
    }
  }

  async get(slug: string): Promise<Exhibit | null> {
    return (await this.exhibits.findOne({ _id: slug }))?.exhibit ?? null;
  }

  async replace(exhibit: Exhibit, expectedVersion: number, entry: ExhibitHistoryEntry): Promise<void> {
    await this.inTransaction(async (session) => {
      const previous = await this.exhibits.findOneAndReplace({ _id: exhibit.slug, version: expectedVersion }, this.document(exhibit), { session });
      if (!previous) {
        const found = await this.exhibits.findOne({ _id: exhibit.slug }, { session });
        throw found ? new VersionMismatchError(`"v${found.version}"`) : new NotFoundError(`Exhibit ${exhibit.slug}`);
      }
      try {
        await this.entries.insertOne({ ...entry, seq: this.seq++ }, { session });
      } catch (e) {
        if (!session) await this.exhibits.replaceOne({ _id: exhibit.slug, version: exhibit.version }, previous);
        throw e;
      }
    });
  }

  async history(slug: string): Promise<ExhibitHistoryEntry[]> {
    const docs = await this.entries.find({ slug }).sort({ seq: 1 }).toArray();
    return docs.map(({ _id, seq, ...entry }) => entry);
  }

  async list(query: ExhibitQuery): Promise<{ exhibits: Exhibit[]; total: number }> {
    const filter = query.statuses ? { status: { $in: [...query.statuses] } } : {};
    const [total, docs] = await Promise.all([
      this.exhibits.countDocuments(filter),
      this.exhibits.find(filter).sort({ updatedAt: -1, _id: 1 }).skip(query.offset).limit(query.limit).toArray(),
    ]);
    return { exhibits: docs.map((d) => d.exhibit), total };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
