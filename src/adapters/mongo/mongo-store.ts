/**
 * The catalogue store on a MongoDB server (MONGODB_URI), through the official driver and its
 * types. Census numbers are `_id`s, so uniqueness is the primary index's. MongoDB transactions
 * need a replica set or a sharded cluster; on a standalone server a record write and its history
 * entry are written in turn and the record write is undone if the entry fails.
 */
import {
  MongoClient, MongoServerError, type ClientSession, type Collection, type Db, type Filter, type Sort,
} from 'mongodb';
import type { CensusRecord } from '../../domain/census-record.js';
import { recordFacets, type RecordFacets } from '../../domain/facets.js';
import { AlreadyExistsError, NotFoundError, VersionMismatchError } from '../../domain/errors.js';
import {
  FACET_FILTERS, UNFINISHED,
  type CatalogueStore, type CollectingUnit, type HistoryEntry, type ImportJob, type IngestJob, type JobStore, type Page, type PageStore,
  type RecordPage, type RecordQuery, type RecordStore, type PublicChange, type PublicRecordFilter, type PublicRecordQuery, type PublicRecordState,
  type Session, type SessionStore, type UnitStore, type UserAccount, type UserStore,
} from '../../ports/catalogue-store.js';
import { transactionWriter, type Writer } from './transactions.js';
import { publicChangeOf } from '../public-records.js';

interface RecordDocument {
  _id: string;
  record: CensusRecord;
  facets: RecordFacets;
  version: number;
  /** Write sequence number, from the `counters` collection. */
  seq: number;
}
interface CounterDocument {
  _id: string;
  seq: number;
}
interface PublicRecordDocument extends Omit<PublicRecordState, 'censusNumber'> {
  _id: string;
}
interface PublicChangeDocument extends Omit<PublicChange, 'seq'> {
  /** From the `counters` collection. */
  _id: number;
}
interface HistoryDocument extends HistoryEntry {
  seq: number;
}
interface UnitDocument extends CollectingUnit {
  _id: string;
}
interface UserDocument extends UserAccount {
  _id: string;
}
interface SessionDocument extends Session {
  _id: string;
}

const DUPLICATE_KEY = 11000;
const isDuplicate = (e: unknown) => e instanceof MongoServerError && e.code === DUPLICATE_KEY;
const strip = <T extends { _id: unknown }>(doc: T | null): Omit<T, '_id'> | null => {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return rest;
};


class MongoRecordStore implements RecordStore {
  private seq = Date.now() * 1000;

  constructor(
    private readonly records: Collection<RecordDocument>,
    private readonly historyCollection: Collection<HistoryDocument>,
    private readonly counters: Collection<CounterDocument>,
    private readonly inTransaction: Writer,
    private readonly publicRecordsCollection: Collection<PublicRecordDocument>,
    private readonly publicChangesCollection: Collection<PublicChangeDocument>,
  ) {}

  /** After the record's write, in its transaction when there is one: its public state and the change logged. */
  private async notePublic(record: CensusRecord, at: string, session: ClientSession | undefined): Promise<void> {
    const prior = await this.publicRecordsCollection.findOne({ _id: record.fields.censusNumber }, { session });
    const change = publicChangeOf(record, at, prior);
    if (!change) return;
    const { censusNumber, wasDigitized, work, ...state } = change;
    const counter = await this.counters.findOneAndUpdate(
      { _id: 'publicChanges' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', session },
    );
    await this.publicChangesCollection.insertOne({ _id: counter!.seq, ...change }, { session });
    await this.publicRecordsCollection.replaceOne({ _id: censusNumber }, state, { upsert: true, session });
  }

  private publicFilter(f: PublicRecordFilter & { after?: string }): Filter<PublicRecordDocument> {
    const and: Filter<PublicRecordDocument>[] = [];
    if (f.after !== undefined) and.push({ _id: { $gt: f.after } });
    if (f.from !== undefined) and.push({ datestamp: { $gte: f.from } });
    if (f.until !== undefined) and.push({ datestamp: { $lte: f.until } });
    if (f.unit !== undefined) and.push({ unit: f.unit });
    if (f.division === true) and.push({ division: { $ne: null } });
    else if (f.division !== undefined) and.push({ division: f.division });
    if (f.deleted !== undefined) and.push({ deleted: f.deleted });
    return and.length ? { $and: and } : {};
  }

  async publicRecords(query: PublicRecordQuery): Promise<PublicRecordState[]> {
    const docs = await this.publicRecordsCollection.find(this.publicFilter(query)).sort({ _id: 1 }).skip(query.offset ?? 0).limit(query.limit).toArray();
    return docs.map(({ _id, ...state }) => ({ censusNumber: _id, ...state }));
  }

  async countPublicRecords(filter: PublicRecordFilter): Promise<number> {
    return this.publicRecordsCollection.countDocuments(this.publicFilter(filter));
  }

  async publicRecord(censusNumber: string): Promise<PublicRecordState | null> {
    const doc = await this.publicRecordsCollection.findOne({ _id: censusNumber });
    if (!doc) return null;
    const { _id, ...state } = doc;
    return { censusNumber: _id, ...state };
  }

  async earliestPublicDatestamp(): Promise<string | null> {
    const [first] = await this.publicRecordsCollection.find().sort({ datestamp: 1 }).limit(1).toArray();
    return first?.datestamp ?? null;
  }

  private changeFilter(digitized: boolean | undefined): Filter<PublicChangeDocument> {
    return digitized ? { $or: [{ digitized: true }, { wasDigitized: true }] } : {};
  }

  async publicChanges(query: { digitized?: boolean; offset: number; limit: number }): Promise<PublicChange[]> {
    const docs = await this.publicChangesCollection.find(this.changeFilter(query.digitized)).sort({ _id: 1 }).skip(query.offset).limit(query.limit).toArray();
    return docs.map(({ _id, ...change }) => ({ ...change, seq: _id }));
  }

  async countPublicChanges(query: { digitized?: boolean }): Promise<number> {
    return this.publicChangesCollection.countDocuments(this.changeFilter(query.digitized));
  }

  private async document(record: CensusRecord, session: ClientSession | undefined): Promise<RecordDocument> {
    const counter = await this.counters.findOneAndUpdate(
      { _id: 'records' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', session },
    );
    return { _id: record.fields.censusNumber, record, facets: recordFacets(record), version: record.version, seq: counter!.seq };
  }

  // History order must survive equal timestamps; a per-process counter seeded by the clock does.
  private historyDocument(entry: HistoryEntry): HistoryDocument {
    return { ...entry, seq: this.seq++ };
  }

  async create(record: CensusRecord, entry: HistoryEntry): Promise<void> {
    try {
      await this.inTransaction(async (session) => {
        await this.records.insertOne(await this.document(record, session), { session });
        try {
          await this.historyCollection.insertOne(this.historyDocument(entry), { session });
          await this.notePublic(record, entry.at, session);
        } catch (e) {
          if (!session) await this.records.deleteOne({ _id: record.fields.censusNumber });
          throw e;
        }
      });
    } catch (e) {
      if (isDuplicate(e)) throw new AlreadyExistsError(`Record ${record.fields.censusNumber}`, 'censusNumber');
      throw e;
    }
  }

  async replace(record: CensusRecord, expectedVersion: number, entry: HistoryEntry): Promise<void> {
    const id = record.fields.censusNumber;
    await this.inTransaction(async (session) => {
      const previous = await this.records.findOneAndReplace(
        { _id: id, version: expectedVersion }, await this.document(record, session), { session },
      );
      if (!previous) {
        const exists = await this.records.countDocuments({ _id: id }, { session, limit: 1 });
        if (exists === 0) throw new NotFoundError(`Record ${id}`);
        throw new VersionMismatchError();
      }
      try {
        await this.historyCollection.insertOne(this.historyDocument(entry), { session });
        await this.notePublic(record, entry.at, session);
      } catch (e) {
        if (!session) await this.records.replaceOne({ _id: id, version: record.version }, previous);
        throw e;
      }
    });
  }

  async get(censusNumber: string): Promise<CensusRecord | null> {
    return (await this.records.findOne({ _id: censusNumber }))?.record ?? null;
  }

  async list(query: RecordQuery): Promise<RecordPage> {
    const f = query.filter;
    const and: Filter<RecordDocument>[] = [];
    const inList = (key: keyof RecordFacets, values: readonly unknown[] | undefined) => {
      if (values) and.push({ [`facets.${key}`]: { $in: values } } as Filter<RecordDocument>);
    };
    for (const key of FACET_FILTERS) inList(key, f[key]);
    if (f.yearFrom !== undefined) and.push({ 'facets.yearTo': { $gte: f.yearFrom } });
    if (f.yearTo !== undefined) and.push({ 'facets.yearFrom': { $lte: f.yearTo } });
    if (f.visibleTo === 'published') and.push({ 'facets.status': 'published' });
    else if (f.visibleTo && typeof f.visibleTo === 'object') {
      and.push({ $or: [{ 'facets.unit': f.visibleTo.unit }, { 'facets.status': 'published' }] });
    }
    const filter: Filter<RecordDocument> = and.length ? { $and: and } : {};
    const sorts: Record<RecordQuery['sort'], Sort> = {
      censusNumber: { _id: 1 },
      '-censusNumber': { _id: -1 },
      updatedAt: { 'record.updatedAt': 1, _id: 1 },
      '-updatedAt': { 'record.updatedAt': -1, _id: 1 },
      // MongoDB sorts null first ascending; records without a date are rare and acceptable there.
      year: { 'facets.yearFrom': 1, _id: 1 },
      '-year': { 'facets.yearFrom': -1, _id: 1 },
    };
    const [total, docs] = await Promise.all([
      this.records.countDocuments(filter),
      this.records.find(filter).sort(sorts[query.sort]).skip(query.offset).limit(query.limit).toArray(),
    ]);
    return { records: docs.map((d) => d.record), total };
  }

  async history(censusNumber: string): Promise<HistoryEntry[]> {
    const docs = await this.historyCollection.find({ censusNumber }).sort({ seq: 1 }).toArray();
    return docs.map(({ _id, seq, ...entry }) => entry);
  }

  async latestComments(censusNumbers: string[]): Promise<HistoryEntry[]> {
    if (censusNumbers.length === 0) return [];
    const docs = await this.historyCollection.aggregate<{ entry: HistoryDocument & { _id: unknown } }>([
      { $match: { censusNumber: { $in: censusNumbers }, comment: { $ne: null } } },
      { $sort: { seq: -1 } },
      { $group: { _id: '$censusNumber', entry: { $first: '$$ROOT' } } },
    ]).toArray();
    return docs.map(({ entry: { _id, seq, ...entry } }) => entry);
  }

  async count(): Promise<number> {
    return this.records.countDocuments();
  }

  async changesSince(seq: number, limit: number): Promise<{ seq: number; record: CensusRecord }[]> {
    const docs = await this.records.find({ seq: { $gt: seq } }).sort({ seq: 1 }).limit(limit).toArray();
    return docs.map((d) => ({ seq: d.seq, record: d.record }));
  }
}

interface PageDocument extends Page {
  _id: string;
}
interface JobDocument extends IngestJob {
  _id: string;
}

/** A duplicate on the unique (censusNumber, sequence) index, rather than on the page's _id. */
const isPlaceTaken = (e: unknown) => isDuplicate(e) && 'sequence' in ((e as MongoServerError).keyPattern ?? {});

/**
 * One place per page of a record, kept by a unique index. Databases written before it may hold
 * records whose concurrent uploads all took page 1: their pages are renumbered in their order
 * (place, then time of ingest) before the index is made.
 */
async function uniquePagePlaces(pages: Collection<PageDocument>): Promise<void> {
  const clashing = await pages.aggregate<{ _id: string }>([
    { $group: { _id: '$censusNumber', n: { $sum: 1 }, places: { $addToSet: '$sequence' } } },
    { $match: { $expr: { $gt: ['$n', { $size: '$places' }] } } },
  ]).toArray();
  for (const { _id: censusNumber } of clashing) {
    const list = await pages.find({ censusNumber }).sort({ sequence: 1, ingestedAt: 1, imageId: 1 }).toArray();
    await pages.bulkWrite(list.map((p, i) => ({ updateOne: { filter: { _id: p._id }, update: { $set: { sequence: i + 1 } } } })));
  }
  // The same keys, not unique, under the driver's default name in databases made before.
  if (await pages.indexExists('censusNumber_1_sequence_1')) await pages.dropIndex('censusNumber_1_sequence_1');
  await pages.createIndex({ censusNumber: 1, sequence: 1 }, { unique: true, name: 'pages_place' });
}

class MongoPageStore implements PageStore {
  constructor(private readonly pages: Collection<PageDocument>) {}
  async add(page: Page): Promise<void> {
    try {
      await this.pages.insertOne({ _id: `${page.censusNumber}/${page.imageId}`, ...page });
    } catch (e) {
      if (isPlaceTaken(e)) throw new AlreadyExistsError(`Page ${page.sequence} of ${page.censusNumber}`, 'sequence');
      if (isDuplicate(e)) throw new AlreadyExistsError(`Page ${page.imageId} of ${page.censusNumber}`, 'imageId');
      throw e;
    }
  }
  async append(page: Omit<Page, 'sequence'>): Promise<Page> {
    // The unique index decides between batches racing for the same place: the loser takes the next.
    for (;;) {
      const [last] = await this.pages.find({ censusNumber: page.censusNumber }).sort({ sequence: -1 }).limit(1).toArray();
      const placed: Page = { ...page, sequence: (last?.sequence ?? 0) + 1 };
      try {
        await this.pages.insertOne({ _id: `${page.censusNumber}/${page.imageId}`, ...placed });
        return placed;
      } catch (e) {
        if (isPlaceTaken(e)) continue;
        if (isDuplicate(e)) throw new AlreadyExistsError(`Page ${page.imageId} of ${page.censusNumber}`, 'imageId');
        throw e;
      }
    }
  }
  async tally(): Promise<{ censusNumber: string; pages: number; cover: string }[]> {
    const groups = await this.pages.aggregate<{ _id: string; pages: number; cover: string }>([
      { $sort: { censusNumber: 1, sequence: 1 } },
      { $group: { _id: '$censusNumber', pages: { $sum: 1 }, cover: { $first: '$imageId' } } },
      { $sort: { _id: 1 } },
    ]).toArray();
    return groups.map((g) => ({ censusNumber: g._id, pages: g.pages, cover: g.cover }));
  }
  async list(censusNumber: string): Promise<Page[]> {
    return (await this.pages.find({ censusNumber }).sort({ sequence: 1 }).toArray()).map((d) => strip(d)!);
  }
  async byImage(imageId: string): Promise<Page[]> {
    return (await this.pages.find({ imageId }).sort({ censusNumber: 1 }).toArray()).map((d) => strip(d)!);
  }
  async count(): Promise<number> {
    return this.pages.countDocuments();
  }
  async arrange(censusNumber: string, pages: Page[]): Promise<void> {
    // One bulk write: MongoDB applies it as one batch; the service has checked every page exists.
    // Places are unique: every page moves out of the way (to minus its place) before any moves in.
    await this.pages.bulkWrite(
      [
        ...pages.map((page, i) => ({ updateOne: { filter: { _id: `${censusNumber}/${page.imageId}` }, update: { $set: { sequence: -(i + 1) } } } })),
        ...pages.map((page) => ({ replaceOne: { filter: { _id: `${censusNumber}/${page.imageId}` }, replacement: page } })),
      ],
      { ordered: true },
    );
  }
}

interface ImportJobDocument extends ImportJob {
  _id: string;
}

class MongoJobStore implements JobStore {
  constructor(private readonly jobs: Collection<JobDocument>, private readonly imports: Collection<ImportJobDocument>) {}
  async save(job: IngestJob): Promise<void> {
    await this.jobs.replaceOne({ _id: job.id }, job, { upsert: true });
  }
  async get(id: string): Promise<IngestJob | null> {
    return strip(await this.jobs.findOne({ _id: id }));
  }
  async saveImport(job: ImportJob): Promise<void> {
    await this.imports.replaceOne({ _id: job.id }, job, { upsert: true });
  }
  async getImport(id: string): Promise<ImportJob | null> {
    return strip(await this.imports.findOne({ _id: id }));
  }
  async unfinished(): Promise<{ ingests: IngestJob[]; imports: ImportJob[] }> {
    const [ingests, imports] = await Promise.all([
      this.jobs.find({ status: { $in: [...UNFINISHED] } }).toArray(),
      this.imports.find({ status: { $in: [...UNFINISHED] as ImportJob['status'][] } }).toArray(),
    ]);
    return { ingests: ingests.map((d) => strip(d)!), imports: imports.map((d) => strip(d)!) };
  }
}

class MongoUnitStore implements UnitStore {
  constructor(private readonly units: Collection<UnitDocument>) {}
  async create(unit: CollectingUnit): Promise<void> {
    try {
      await this.units.insertOne({ _id: `${unit.province}-${unit.code}`, ...unit });
    } catch (e) {
      if (isDuplicate(e)) throw new AlreadyExistsError(`Unit ${unit.province}-${unit.code}`, 'code');
      throw e;
    }
  }
  async get(province: string, code: string): Promise<CollectingUnit | null> {
    return strip(await this.units.findOne({ _id: `${province}-${code}` }));
  }
  async list(): Promise<CollectingUnit[]> {
    return (await this.units.find().sort({ _id: 1 }).toArray()).map((d) => strip(d)!);
  }
  async update(unit: CollectingUnit): Promise<boolean> {
    const id = `${unit.province}-${unit.code}`;
    return (await this.units.replaceOne({ _id: id }, unit)).matchedCount === 1;
  }
}

class MongoUserStore implements UserStore {
  constructor(private readonly users: Collection<UserDocument>) {}
  async create(user: UserAccount): Promise<void> {
    try {
      await this.users.insertOne({ _id: user.username, ...user });
    } catch (e) {
      if (isDuplicate(e)) throw new AlreadyExistsError(`User ${user.username}`, 'username');
      throw e;
    }
  }
  async get(username: string): Promise<UserAccount | null> {
    return strip(await this.users.findOne({ _id: username }));
  }
  async list(): Promise<UserAccount[]> {
    return (await this.users.find().sort({ _id: 1 }).toArray()).map((d) => strip(d)!);
  }
  async count(): Promise<number> {
    return this.users.countDocuments();
  }
  async update(user: UserAccount): Promise<void> {
    const { matchedCount } = await this.users.replaceOne({ _id: user.username }, user);
    if (matchedCount === 0) throw new NotFoundError(`User ${user.username}`);
  }
}

class MongoSessionStore implements SessionStore {
  constructor(private readonly sessions: Collection<SessionDocument>) {}
  async create(session: Session): Promise<void> {
    await this.sessions.insertOne({ _id: session.tokenHash, ...session });
  }
  async get(tokenHash: string): Promise<Session | null> {
    return strip(await this.sessions.findOne({ _id: tokenHash }));
  }
  async delete(tokenHash: string): Promise<void> {
    await this.sessions.deleteOne({ _id: tokenHash });
  }
  async deleteByUser(username: string, except?: string): Promise<number> {
    const filter: Filter<SessionDocument> = except === undefined ? { username } : { username, _id: { $ne: except } };
    return (await this.sessions.deleteMany(filter)).deletedCount;
  }
  async purgeExpired(now: string): Promise<number> {
    return (await this.sessions.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }
}

/**
 * The database's layout step by step, as the SQLite store's MIGRATIONS (README, Upgrades). MongoDB
 * has no transactions for index builds, so every step must be safe to run again: a step cut
 * short is run again whole at the next start, and the version moves on only once it ended.
 */
export const MIGRATIONS: readonly { version: number; name: string; up: (db: Db) => Promise<unknown> }[] = [
  {
    version: 1,
    name: 'indexes of records, history, pages and sessions',
    up: (db) =>
      Promise.all([
        db.collection<RecordDocument>('records').createIndexes([
          { key: { 'facets.status': 1, _id: 1 } },
          { key: { 'facets.unit': 1, _id: 1 } },
          { key: { 'facets.editionType': 1, _id: 1 } },
          { key: { 'facets.dynasty': 1, _id: 1 } },
          { key: { 'facets.division': 1, _id: 1 } },
          { key: { 'facets.grade': 1, _id: 1 } },
          { key: { 'facets.yearFrom': 1, _id: 1 } },
          { key: { 'record.updatedAt': 1, _id: 1 } },
          { key: { seq: 1 } },
        ]),
        db.collection<HistoryDocument>('history').createIndex({ censusNumber: 1, seq: 1 }),
        db.collection<PageDocument>('pages').createIndexes([{ key: { censusNumber: 1, sequence: 1 } }, { key: { imageId: 1 } }]),
        db.collection<SessionDocument>('sessions').createIndex({ expiresAt: 1 }),
      ]),
  },
  {
    version: 2,
    name: 'one page per place; sessions by user',
    up: (db) =>
      Promise.all([
        uniquePagePlaces(db.collection<PageDocument>('pages')),
        db.collection<SessionDocument>('sessions').createIndex({ username: 1 }),
      ]),
  },
  {
    version: 3,
    name: 'the public catalogue: each record as last published or withdrawn, and the log of changes',
    up: async (db) => {
      const publicRecords = db.collection<PublicRecordDocument>('publicRecords');
      const publicChanges = db.collection<PublicChangeDocument>('publicChanges');
      await publicRecords.createIndexes([{ key: { datestamp: 1 } }, { key: { unit: 1, _id: 1 } }, { key: { division: 1, _id: 1 } }]);
      await publicChanges.createIndexes([{ key: { digitized: 1, _id: 1 } }, { key: { wasDigitized: 1, _id: 1 } }]);
      // Run again after a cut-short start: only records not yet entered are entered, so nothing twice.
      const counters = db.collection<CounterDocument>('counters');
      const published = db.collection<RecordDocument>('records').find({ 'facets.status': 'published' }).sort({ 'record.updatedAt': 1, _id: 1 });
      for await (const doc of published) {
        if (await publicRecords.countDocuments({ _id: doc._id }, { limit: 1 })) continue;
        const change = publicChangeOf(doc.record, doc.record.updatedAt, null)!;
        const { censusNumber, wasDigitized, work, ...state } = change;
        const counter = await counters.findOneAndUpdate({ _id: 'publicChanges' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' });
        await publicChanges.insertOne({ _id: counter!.seq, ...change });
        await publicRecords.insertOne({ _id: censusNumber, ...state });
      }
    },
  },
  {
    version: 4,
    name: 'the log of public changes names the multi-part work of each record',
    // The log did not keep it before: each entry takes the work its record names now (a record
    // moved since is counted in its present work throughout, so every work's count stays whole).
    up: async (db) => {
      const publicChanges = db.collection<PublicChangeDocument>('publicChanges');
      const records = db.collection<RecordDocument>('records');
      for await (const { _id } of publicChanges.aggregate<{ _id: string }>([{ $match: { work: { $exists: false } } }, { $group: { _id: '$censusNumber' } }])) {
        const work = (await records.findOne({ _id }))?.record.fields.partOf?.work ?? null;
        await publicChanges.updateMany({ censusNumber: _id, work: { $exists: false } }, { $set: { work } });
      }
    },
  },
];

interface SchemaVersionDocument {
  _id: string;
  version: number;
  steps: { version: number; name: string; appliedAt: string }[];
}

/** Runs the steps after the version in `schema_versions`, in order; refuses a newer database. */
async function migrate(db: Db): Promise<void> {
  const versions = db.collection<SchemaVersionDocument>('schema_versions');
  const found = (await versions.findOne({ _id: 'catalogue' }))?.version ?? 0;
  if (found > MIGRATIONS.length) {
    throw new Error(
      `MongoDB database ${db.databaseName} has schema version ${found}, written by a newer guji; this one knows versions up to ${MIGRATIONS.length}. ` +
        'Run the newer guji, or restore a backup taken before the upgrade (README, Upgrades).',
    );
  }
  for (const m of MIGRATIONS.slice(found)) {
    await m.up(db);
    // Conditional on the version before, so that two instances starting at once advance it once.
    await versions.updateOne(
      { _id: 'catalogue', version: { $lt: m.version } },
      { $set: { version: m.version }, $push: { steps: { version: m.version, name: m.name, appliedAt: new Date().toISOString() } } },
      { upsert: found === 0 && m.version === 1 },
    ).catch((e: unknown) => {
      // The other instance's upsert of the first step won the race: the step is recorded.
      if (!isDuplicate(e)) throw e;
    });
  }
}

export class MongoCatalogueStore implements CatalogueStore {
  private constructor(
    private readonly client: MongoClient,
    readonly records: RecordStore,
    readonly pages: PageStore,
    readonly jobs: JobStore,
    readonly units: UnitStore,
    readonly users: UserStore,
    readonly sessions: SessionStore,
    readonly description: string,
  ) {}

  /** Connects, creates the indexes, and finds out whether the deployment has transactions. */
  static async connect(uri: string): Promise<MongoCatalogueStore> {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, appName: 'guji' });
    await client.connect();
    const db: Db = client.db();
    const { transactional, inTransaction } = await transactionWriter(client, db);
    const records = db.collection<RecordDocument>('records');
    const history = db.collection<HistoryDocument>('history');
    try {
      await migrate(db);
    } catch (e) {
      await client.close();
      throw e;
    }
    return new MongoCatalogueStore(
      client,
      new MongoRecordStore(
        records, history, db.collection<CounterDocument>('counters'), inTransaction,
        db.collection<PublicRecordDocument>('publicRecords'), db.collection<PublicChangeDocument>('publicChanges'),
      ),
      new MongoPageStore(db.collection<PageDocument>('pages')),
      new MongoJobStore(db.collection<JobDocument>('jobs'), db.collection<ImportJobDocument>('importJobs')),
      new MongoUnitStore(db.collection<UnitDocument>('units')),
      new MongoUserStore(db.collection<UserDocument>('users')),
      new MongoSessionStore(db.collection<SessionDocument>('sessions')),
      `MongoDB ${db.databaseName}${transactional ? ' (transactions)' : ' (standalone, no transactions)'}`,
    );
  }

  /** Several processes may share one deployment and nothing cheap tells of their writes: no mark. */
  changeMark(): null {
    return null;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
