/**
 * Page text on a MongoDB server (MONGODB_URI), beside the catalogue's collections. As in
 * mongo-store.ts: with transactions (a replica set) a text and its history entry are written in
 * one; on a standalone server in turn, the text write undone if the entry fails. The version
 * check is the write's filter.
 */
import { MongoClient, MongoServerError, type ClientSession, type Collection } from 'mongodb';
import { VersionMismatchError } from '../../domain/errors.js';
import { UNFINISHED } from '../../ports/catalogue-store.js';
import { transactionWriter, type Writer } from './transactions.js';
import type { OcrJob, PageTextHistoryEntry, PageTextStore, StoredPageText } from '../../ports/page-text-store.js';

interface TextDocument extends StoredPageText {
  _id: string;
}
interface HistoryDocument extends PageTextHistoryEntry {
  /** Write order, kept apart from `at` (two saves may share a millisecond). */
  seq: number;
}
interface JobDocument extends OcrJob {
  _id: string;
}

const isDuplicate = (e: unknown) => e instanceof MongoServerError && e.code === 11000;
const strip = <T extends { _id: unknown }>(doc: T): Omit<T, '_id'> => {
  const { _id, ...rest } = doc;
  return rest;
};

export class MongoPageTextStore implements PageTextStore {
  private seq = Date.now() * 1000;

  private constructor(
    private readonly client: MongoClient,
    private readonly texts: Collection<TextDocument>,
    private readonly historyCollection: Collection<HistoryDocument>,
    private readonly jobs: Collection<JobDocument>,
    private readonly inTransaction: Writer,
  ) {}

  /** Connects and makes the indexes (createIndexes leaves existing ones be: safe at every start). */
  static async connect(uri: string): Promise<MongoPageTextStore> {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, appName: 'guji' });
    await client.connect();
    try {
      const db = client.db();
      const { inTransaction } = await transactionWriter(client, db);
      const texts = db.collection<TextDocument>('pageTexts');
      const history = db.collection<HistoryDocument>('pageTextHistory');
      const jobs = db.collection<JobDocument>('ocrJobs');
      await Promise.all([
        texts.createIndex({ censusNumber: 1 }),
        history.createIndex({ censusNumber: 1, imageId: 1, seq: 1 }),
        jobs.createIndexes([{ key: { status: 1 } }, { key: { censusNumber: 1, createdAt: -1 } }]),
      ]);
      return new MongoPageTextStore(client, texts, history, jobs, inTransaction);
    } catch (e) {
      await client.close();
      throw e;
    }
  }

  async get(censusNumber: string, imageId: string): Promise<StoredPageText | null> {
    const doc = await this.texts.findOne({ _id: `${censusNumber}/${imageId}` });
    return doc ? strip(doc) : null;
  }

  async list(censusNumber: string): Promise<StoredPageText[]> {
    return (await this.texts.find({ censusNumber }).toArray()).map(strip);
  }

  async statuses(censusNumber: string): Promise<Pick<StoredPageText, 'imageId' | 'status'>[]> {
    return (await this.texts.find({ censusNumber }, { projection: { _id: 0, imageId: 1, status: 1 } }).toArray()).map((d) => ({ imageId: d.imageId, status: d.status }));
  }

  async save(text: StoredPageText, expectedVersion: number, entry: PageTextHistoryEntry): Promise<void> {
    const _id = `${text.censusNumber}/${text.imageId}`;
    const write = async (session: ClientSession | undefined) => {
      let previous: TextDocument | null = null;
      if (expectedVersion === 0) {
        try {
          await this.texts.insertOne({ _id, ...text }, { session });
        } catch (e) {
          if (isDuplicate(e)) throw new VersionMismatchError();
          throw e;
        }
      } else {
        previous = await this.texts.findOneAndReplace({ _id, version: expectedVersion }, text, { session });
        if (!previous) throw new VersionMismatchError();
      }
      try {
        await this.historyCollection.insertOne({ ...entry, seq: this.seq++ }, { session });
      } catch (e) {
        if (!session) {
          if (previous) await this.texts.replaceOne({ _id, version: text.version }, previous);
          else await this.texts.deleteOne({ _id, version: text.version });
        }
        throw e;
      }
    };
    await this.inTransaction(write);
  }

  async history(censusNumber: string, imageId: string): Promise<PageTextHistoryEntry[]> {
    const docs = await this.historyCollection.find({ censusNumber, imageId }).sort({ seq: 1 }).toArray();
    return docs.map(({ _id, seq, ...entry }) => entry);
  }

  async saveJob(job: OcrJob): Promise<void> {
    await this.jobs.replaceOne({ _id: job.id }, job, { upsert: true });
  }

  async getJob(id: string): Promise<OcrJob | null> {
    const doc = await this.jobs.findOne({ _id: id });
    return doc ? strip(doc) : null;
  }

  async jobsOf(censusNumber: string, limit: number): Promise<OcrJob[]> {
    return (await this.jobs.find({ censusNumber }).sort({ createdAt: -1, _id: 1 }).limit(limit).toArray()).map(strip);
  }

  async unfinishedJobs(): Promise<OcrJob[]> {
    return (await this.jobs.find({ status: { $in: [...UNFINISHED] } }).toArray()).map(strip);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
