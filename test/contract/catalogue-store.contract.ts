/**
 * The contract every CatalogueStore adapter must keep. Run against each implementation by
 * catalogue-store.test.ts, so the embedded store and the MongoDB adapter cannot drift apart.
 */
import { expect } from 'chai';
import { AlreadyExistsError, NotFoundError, VersionMismatchError } from '../../src/domain/errors.js';
import type { CatalogueStore, RecordQuery } from '../../src/ports/catalogue-store.js';
import { entryOf, recordOf } from '../support/records.js';

export interface StoreFixture {
  store: CatalogueStore;
  dispose(): Promise<void>;
}

const query = (filter: RecordQuery['filter'] = {}, extra: Partial<RecordQuery> = {}): RecordQuery => ({
  filter, sort: 'censusNumber', offset: 0, limit: 100, ...extra,
});

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject');
}

export function catalogueStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`CatalogueStore contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: CatalogueStore;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    describe('records', () => {
      it('returns a created record exactly, traditional characters and all', async () => {
        const record = recordOf('110000-0101-0013797', {
          titleStatement: '通書類聚尅擇大全□□卷', editionStatement: '明嘉靖三十年（1551）芝城銅活字印本', extant: '存四卷（十六至十九）',
        });
        await store.records.create(record, entryOf(record));
        expect(await store.records.get('110000-0101-0013797')).to.deep.equal(record);
        expect(await store.records.get('110000-0101-0000001')).to.equal(null);
        expect(await store.records.count()).to.equal(1);
      });

      it('refuses a second record with the same census number and keeps the first untouched', async () => {
        const first = recordOf('430000-0001-0000001');
        await store.records.create(first, entryOf(first));
        const second = recordOf('430000-0001-0000001', { callNumber: 'other' });
        const error = await rejection(store.records.create(second, entryOf(second)));
        expect(error).to.be.instanceOf(AlreadyExistsError);
        expect(await store.records.get('430000-0001-0000001')).to.deep.equal(first);
        expect(await store.records.history('430000-0001-0000001')).to.have.length(1);
      });

      it('writes nothing when the history entry cannot be written', async () => {
        const record = recordOf('430000-0001-0000002');
        const entry = entryOf(record);
        const circular: Record<string, unknown> = {};
        circular.self = circular;
        entry.changes = [{ field: 'x', before: null, after: circular }];
        await rejection(store.records.create(record, entry));
        expect(await store.records.get('430000-0001-0000002')).to.equal(null);
        expect(await store.records.history('430000-0001-0000002')).to.deep.equal([]);
      });

      it('replaces on the expected version and appends history in order', async () => {
        const v1 = recordOf('430000-0001-0000003');
        await store.records.create(v1, entryOf(v1));
        const v2 = recordOf('430000-0001-0000003', { callNumber: 'B-2' }, 'draft', 2);
        await store.records.replace(v2, 1, entryOf(v2, 'update'));
        const v3 = recordOf('430000-0001-0000003', { callNumber: 'B-2' }, 'submitted', 3);
        await store.records.replace(v3, 2, entryOf(v3, 'submit'));
        expect(await store.records.get('430000-0001-0000003')).to.deep.equal(v3);
        const history = await store.records.history('430000-0001-0000003');
        expect(history.map((h) => [h.action, h.version])).to.deep.equal([['create', 1], ['update', 2], ['submit', 3]]);
        expect(history[1]).to.deep.equal(entryOf(v2, 'update'));
      });

      it('refuses a stale version and changes nothing', async () => {
        const v1 = recordOf('430000-0001-0000004');
        await store.records.create(v1, entryOf(v1));
        const v2 = recordOf('430000-0001-0000004', { callNumber: 'new' }, 'draft', 2);
        await store.records.replace(v2, 1, entryOf(v2, 'update'));
        const stale = recordOf('430000-0001-0000004', { callNumber: 'stale' }, 'draft', 2);
        expect(await rejection(store.records.replace(stale, 1, entryOf(stale, 'update')))).to.be.instanceOf(VersionMismatchError);
        expect(await store.records.get('430000-0001-0000004')).to.deep.equal(v2);
        expect(await store.records.history('430000-0001-0000004')).to.have.length(2);
      });

      it('gives the newest commented entry of each record named, in one call', async () => {
        const a1 = recordOf('430000-0001-0000071');
        await store.records.create(a1, entryOf(a1));
        const a2 = recordOf('430000-0001-0000071', {}, 'returned', 2);
        await store.records.replace(a2, 1, { ...entryOf(a2, 'return'), comment: '版本项待核' });
        const a3 = recordOf('430000-0001-0000071', {}, 'returned', 3);
        await store.records.replace(a3, 2, { ...entryOf(a3, 'return'), comment: '請補定级' });
        const a4 = recordOf('430000-0001-0000071', { callNumber: 'x' }, 'returned', 4);
        await store.records.replace(a4, 3, entryOf(a4, 'update'));
        const b = recordOf('430000-0001-0000072');
        await store.records.create(b, entryOf(b));
        const latest = await store.records.latestComments(['430000-0001-0000071', '430000-0001-0000072', '430000-0001-0000079']);
        expect(latest.map((e) => [e.censusNumber, e.comment, e.version])).to.deep.equal([['430000-0001-0000071', '請補定级', 3]]);
        expect(await store.records.latestComments([])).to.deep.equal([]);
      });

      it('reports a missing record on replace', async () => {
        const ghost = recordOf('430000-0001-0000099', {}, 'draft', 2);
        expect(await rejection(store.records.replace(ghost, 1, entryOf(ghost, 'update')))).to.be.instanceOf(NotFoundError);
        expect(await store.records.history('430000-0001-0000099')).to.deep.equal([]);
      });

      it('numbers every write in order, for indexes to catch up from', async () => {
        const a = recordOf('430000-0001-0000011');
        const b = recordOf('430000-0001-0000012');
        await store.records.create(a, entryOf(a));
        await store.records.create(b, entryOf(b));
        const a2 = recordOf('430000-0001-0000011', { callNumber: 'A-2' }, 'draft', 2);
        await store.records.replace(a2, 1, entryOf(a2, 'update'));
        const all = await store.records.changesSince(0, 10);
        expect(all.map((c) => c.record.fields.censusNumber)).to.deep.equal(['430000-0001-0000012', '430000-0001-0000011']);
        expect(all[1]!.record).to.deep.equal(a2);
        expect(all[0]!.seq).to.be.lessThan(all[1]!.seq);
        expect(await store.records.changesSince(all[0]!.seq, 10)).to.deep.equal([all[1]]);
        expect(await store.records.changesSince(0, 1)).to.deep.equal([all[0]]);
        expect(await store.records.changesSince(all[1]!.seq, 10)).to.deep.equal([]);
      });

      describe('list', () => {
        beforeEach(async () => {
          const rows = [
            recordOf('110000-0101-0010283', {}, 'published'),
            recordOf('110000-0101-0013797', { editionStatement: '明嘉靖三十年（1551）芝城銅活字印本', classification: '子部 術數類', grade: '一级乙等' }, 'published'),
            recordOf('430000-0001-0000001', { editionStatement: '清光緒十年（1884）刻本', classification: '經部 易類', grade: '普通古籍' }, 'draft'),
            recordOf('430000-0001-0000002', { editionStatement: '清抄本', damage: { grade: '严重', types: ['虫蛀'] } }, 'submitted'),
            recordOf('430000-0002-0000001', { editionStatement: '民國十八年（1929）石印本' }, 'published'),
            recordOf('430000-0002-0000002', { editionStatement: '佚名抄本' }, 'approved'),
          ];
          for (const r of rows) await store.records.create(r, entryOf(r));
        });

        const ids = async (q: RecordQuery) => (await store.records.list(q)).records.map((r) => r.fields.censusNumber);

        it('filters by status, unit, edition type, dynasty, division, grade and damage', async () => {
          expect(await ids(query({ status: ['published'] }))).to.deep.equal(['110000-0101-0010283', '110000-0101-0013797', '430000-0002-0000001']);
          expect(await ids(query({ unit: ['430000-0001'] }))).to.deep.equal(['430000-0001-0000001', '430000-0001-0000002']);
          expect(await ids(query({ editionType: ['抄本'] }))).to.deep.equal(['430000-0001-0000002', '430000-0002-0000002']);
          expect(await ids(query({ dynasty: ['明'] }))).to.deep.equal(['110000-0101-0010283', '110000-0101-0013797']);
          expect(await ids(query({ division: ['經部'] }))).to.deep.equal(['430000-0001-0000001']);
          expect(await ids(query({ grade: ['一级乙等', '普通古籍'] }))).to.deep.equal(['110000-0101-0013797', '430000-0001-0000001']);
          expect(await ids(query({ damageGrade: ['严重'] }))).to.deep.equal(['430000-0001-0000002']);
          expect(await ids(query({ status: [] }))).to.deep.equal([]);
        });

        it('filters by overlap with a Western-year range', async () => {
          expect(await ids(query({ yearFrom: 1550, yearTo: 1580 }))).to.deep.equal(['110000-0101-0010283', '110000-0101-0013797']);
          expect(await ids(query({ yearFrom: 1900 }))).to.deep.equal(['430000-0001-0000002', '430000-0002-0000001']);
        });

        it('limits what is visible: published only, or a unit plus published', async () => {
          expect(await ids(query({ visibleTo: 'published' }))).to.have.length(3);
          expect(await ids(query({ visibleTo: { unit: '430000-0001' } }))).to.deep.equal([
            '110000-0101-0010283', '110000-0101-0013797', '430000-0001-0000001', '430000-0001-0000002', '430000-0002-0000001',
          ]);
        });

        it('sorts and pages with a total', async () => {
          const page = await store.records.list(query({}, { sort: '-censusNumber', offset: 1, limit: 2 }));
          expect(page.total).to.equal(6);
          expect(page.records.map((r) => r.fields.censusNumber)).to.deep.equal(['430000-0002-0000001', '430000-0001-0000002']);
          const byYear = await ids(query({ status: ['published'] }, { sort: 'year' }));
          expect(byYear).to.deep.equal(['110000-0101-0013797', '110000-0101-0010283', '430000-0002-0000001']);
        });
      });
    });

    describe('the public catalogue', () => {
      const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 9, 0, second, 250)).toISOString();
      const write = async (record: ReturnType<typeof recordOf>, expected: number | null, when: string) => {
        const entry = { ...entryOf(record), at: when };
        if (expected === null) await store.records.create(record, entry);
        else await store.records.replace(record, expected, entry);
      };

      it('enters a record when it is published, keeps it when withdrawn as a tombstone, and logs every change in order', async () => {
        const cn = '430000-0001-0000501';
        // The log names the multi-part work each change leaves the record in; the public state does not.
        const [work, other] = [{ work: '金華府志-萬曆', sequence: 1 }, { work: '金華府志-萬曆刻本', sequence: 2 }];
        await write(recordOf(cn, { classification: '史部 地理類', partOf: work }, 'approved', 1), null, at(1));
        expect(await store.records.publicRecord(cn)).to.equal(null);
        expect(await store.records.earliestPublicDatestamp()).to.equal(null);
        await write(recordOf(cn, { classification: '史部 地理類', partOf: work }, 'published', 2), 1, at(2));
        const published = { censusNumber: cn, datestamp: '2026-11-30T09:00:02Z', deleted: false, unit: '430000-0001', division: '史部', digitized: false };
        expect(await store.records.publicRecord(cn)).to.deep.equal(published);
        await write({ ...recordOf(cn, { classification: '史部 地理類', partOf: other }, 'published', 3), pageCount: 4 }, 2, at(3));
        expect(await store.records.publicRecord(cn)).to.deep.equal({ ...published, datestamp: '2026-11-30T09:00:03Z', digitized: true });
        await write({ ...recordOf(cn, { classification: '史部 地理類' }, 'approved', 4), pageCount: 4 }, 3, at(4));
        expect(await store.records.publicRecord(cn)).to.deep.equal({ ...published, datestamp: '2026-11-30T09:00:04Z', deleted: true });
        expect(await store.records.earliestPublicDatestamp()).to.equal('2026-11-30T09:00:04Z');
        // Unpublished changes to a withdrawn record say nothing more.
        await write({ ...recordOf(cn, { classification: '史部 地理類', callNumber: 'X' }, 'approved', 5), pageCount: 4 }, 4, at(5));
        const log = await store.records.publicChanges({ offset: 0, limit: 10 });
        expect(log.map(({ seq, ...c }) => c)).to.deep.equal([
          { ...published, wasDigitized: false, work: work.work },
          { ...published, datestamp: '2026-11-30T09:00:03Z', digitized: true, wasDigitized: false, work: other.work },
          { ...published, datestamp: '2026-11-30T09:00:04Z', deleted: true, wasDigitized: true, work: null },
        ]);
        expect(log.map((c) => c.seq)).to.deep.equal([...log.map((c) => c.seq)].sort((a, b) => a - b));
        expect(await store.records.countPublicChanges({})).to.equal(3);
        expect((await store.records.publicChanges({ digitized: true, offset: 0, limit: 10 })).map((c) => c.datestamp))
          .to.deep.equal(['2026-11-30T09:00:03Z', '2026-11-30T09:00:04Z']);
        expect(await store.records.countPublicChanges({ digitized: true })).to.equal(2);
        expect(await store.records.publicChanges({ offset: 1, limit: 1 })).to.have.length(1);
      });

      it('lists public records in census-number order after a key, filtered by datestamp, unit, division and deletion', async () => {
        const specs: [string, string, 'published' | 'approved', number][] = [
          ['430000-0002-0000003', '經部 易類', 'published', 3],
          ['430000-0001-0000001', '史部', 'published', 1],
          ['430000-0001-0000002', '集部', 'published', 2],
          ['430000-0001-0000004', '史部', 'approved', 4],
        ];
        for (const [cn, classification, status, second] of specs) await write(recordOf(cn, { classification }, status), null, at(second));
        await write(recordOf('430000-0001-0000002', { classification: '集部' }, 'approved', 2), 1, at(5));
        const numbers = async (q: Parameters<typeof store.records.publicRecords>[0]) => (await store.records.publicRecords(q)).map((r) => r.censusNumber);
        expect(await numbers({ limit: 10 })).to.deep.equal(['430000-0001-0000001', '430000-0001-0000002', '430000-0002-0000003']);
        expect(await numbers({ limit: 1, after: '430000-0001-0000001' })).to.deep.equal(['430000-0001-0000002']);
        expect(await numbers({ limit: 10, offset: 2 })).to.deep.equal(['430000-0002-0000003']);
        expect(await numbers({ limit: 10, from: '2026-11-30T09:00:02Z', until: '2026-11-30T09:00:03Z' })).to.deep.equal(['430000-0002-0000003']);
        expect(await numbers({ limit: 10, unit: '430000-0001' })).to.deep.equal(['430000-0001-0000001', '430000-0001-0000002']);
        expect(await numbers({ limit: 10, division: '史部' })).to.deep.equal(['430000-0001-0000001']);
        expect(await numbers({ limit: 10, deleted: true })).to.deep.equal(['430000-0001-0000002']);
        expect(await numbers({ limit: 10, deleted: false, division: true })).to.deep.equal(['430000-0001-0000001', '430000-0002-0000003']);
        expect(await store.records.countPublicRecords({ unit: '430000-0001', deleted: false })).to.equal(1);
        expect(await store.records.earliestPublicDatestamp()).to.equal('2026-11-30T09:00:01Z');
      });

      it('writes no public state when the record write fails', async () => {
        const record = recordOf('430000-0001-0000601', {}, 'published');
        const entry = entryOf(record);
        const circular: Record<string, unknown> = {};
        circular.self = circular;
        entry.changes = [{ field: 'x', before: null, after: circular }];
        await rejection(store.records.create(record, entry));
        expect(await store.records.publicRecord('430000-0001-0000601')).to.equal(null);
        expect(await store.records.countPublicChanges({})).to.equal(0);
      });
    });

    describe('pages and ingest jobs', () => {
      const page = (imageId: string, sequence: number, censusNumber = '430000-0001-0000001') => ({
        censusNumber, imageId, sequence, volume: '第一册', juan: '卷一', label: `葉${sequence}`, filename: `金華府志-卷一-${sequence}.tif`,
        bytes: 1000 + sequence, format: 'tiff', width: 3446, height: 5171, bitDepth: 8, colorSpace: 'srgb', iccProfile: true,
        ingestedAt: '2026-11-29T00:00:00.000Z', ingestedBy: 'tester',
      });
      it('keeps a record\'s pages in reading order and refuses the same master twice on one record', async () => {
        await store.pages.add(page('b'.repeat(64), 2));
        await store.pages.add(page('a'.repeat(64), 1));
        await store.pages.add(page('a'.repeat(64), 1, '430000-0001-0000002'));
        expect((await store.pages.list('430000-0001-0000001')).map((p) => p.sequence)).to.deep.equal([1, 2]);
        expect((await store.pages.list('430000-0001-0000001'))[0]).to.deep.equal(page('a'.repeat(64), 1));
        expect(await rejection(store.pages.add(page('a'.repeat(64), 3)))).to.be.instanceOf(AlreadyExistsError);
        expect((await store.pages.byImage('a'.repeat(64))).map((p) => p.censusNumber)).to.deep.equal(['430000-0001-0000001', '430000-0001-0000002']);
        expect(await store.pages.list('430000-0001-0000009')).to.deep.equal([]);
      });
      it('rearranges a record\'s pages together', async () => {
        await store.pages.add(page('a'.repeat(64), 1));
        await store.pages.add(page('b'.repeat(64), 2));
        await store.pages.arrange('430000-0001-0000001', [
          { ...page('b'.repeat(64), 1), label: '葉一a', juan: '卷首' },
          { ...page('a'.repeat(64), 2), label: '葉一b', juan: '卷首' },
        ]);
        expect((await store.pages.list('430000-0001-0000001')).map((p) => [p.sequence, p.imageId[0], p.juan, p.label])).to.deep.equal([
          [1, 'b', '卷首', '葉一a'], [2, 'a', '卷首', '葉一b'],
        ]);
      });

      it('appends pages after the last one, each batch its own place even when they append at once', async () => {
        const { sequence: _, ...first } = page('a'.repeat(64), 0);
        expect(await store.pages.append(first)).to.deep.equal({ ...first, sequence: 1 });
        const more = ['b', 'c', 'd', 'e', 'f', 'g'].map((c) => {
          const { sequence: __, ...p } = page(c.repeat(64), 0);
          return p;
        });
        const placed = await Promise.all(more.map((p) => store.pages.append(p)));
        expect(placed.map((p) => p.sequence).sort()).to.deep.equal([2, 3, 4, 5, 6, 7]);
        expect((await store.pages.list('430000-0001-0000001')).map((p) => p.sequence)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
        expect(await rejection(store.pages.append(first))).to.be.instanceOf(AlreadyExistsError);
        const { sequence: ___, ...other } = page('a'.repeat(64), 0, '430000-0001-0000002');
        expect((await store.pages.append(other)).sequence).to.equal(1);
        expect(await store.pages.tally()).to.deep.equal([
          { censusNumber: '430000-0001-0000001', pages: 7, cover: 'a'.repeat(64) },
          { censusNumber: '430000-0001-0000002', pages: 1, cover: 'a'.repeat(64) },
        ]);
      });
      it('keeps one page per place, and rearranges pages that swap places', async () => {
        await store.pages.add(page('a'.repeat(64), 1));
        const clash = await rejection(store.pages.add(page('b'.repeat(64), 1)));
        expect(clash).to.be.instanceOf(AlreadyExistsError);
        expect((clash as AlreadyExistsError).details).to.deep.equal([{ field: 'sequence', problem: 'already exists' }]);
        await store.pages.add(page('b'.repeat(64), 2));
        await store.pages.arrange('430000-0001-0000001', [page('b'.repeat(64), 1), page('a'.repeat(64), 2)]);
        expect((await store.pages.list('430000-0001-0000001')).map((p) => p.imageId[0])).to.deep.equal(['b', 'a']);
        expect((await store.pages.tally())[0]).to.deep.include({ pages: 2, cover: 'b'.repeat(64) });
      });

      it('keeps import jobs, and lists the ingest and import jobs that have not ended', async () => {
        const at = '2026-11-29T00:00:00.000Z';
        const ingest = (id: string, status: 'queued' | 'running' | 'interrupted' | 'done' | 'failed') => ({
          id, censusNumber: '430000-0001-0000001', createdBy: 'tester', createdAt: at, updatedAt: at, status,
          reason: status === 'interrupted' ? 'the service was stopped (SIGTERM)' : null, runner: { host: 'h', pid: 7 }, files: [],
        });
        const report = { rows: 3, created: 1, problems: [{ row: 2, column: '题名卷数', problem: 'is required' }] };
        const importJob = (id: string, status: 'running' | 'interrupted' | 'done' | 'failed') => ({
          id, createdBy: 'tester', createdAt: at, updatedAt: at, filename: '普查.xlsx', dryRun: false, status, rows: 3, read: 1,
          report: status === 'done' ? report : null, error: null, runner: { host: 'h', pid: 7 },
        });
        for (const status of ['queued', 'running', 'interrupted', 'done', 'failed'] as const) await store.jobs.save(ingest(`scan-${status}`, status));
        for (const status of ['running', 'interrupted', 'done', 'failed'] as const) await store.jobs.saveImport(importJob(`import-${status}`, status));
        expect(await store.jobs.getImport('import-done')).to.deep.equal(importJob('import-done', 'done'));
        expect(await store.jobs.getImport('scan-done')).to.equal(null);
        expect(await store.jobs.get('import-done')).to.equal(null);
        const unfinished = await store.jobs.unfinished();
        expect(unfinished.ingests.map((j) => j.id).sort()).to.deep.equal(['scan-interrupted', 'scan-queued', 'scan-running']);
        expect(unfinished.ingests.find((j) => j.id === 'scan-interrupted')).to.deep.equal(ingest('scan-interrupted', 'interrupted'));
        expect(unfinished.imports.map((j) => j.id).sort()).to.deep.equal(['import-interrupted', 'import-running']);
        await store.jobs.saveImport({ ...importJob('import-running', 'failed') });
        expect((await store.jobs.unfinished()).imports.map((j) => j.id)).to.deep.equal(['import-interrupted']);
      });

      it('saves and replaces ingest jobs', async () => {
        const job = {
          id: 'job-1', censusNumber: '430000-0001-0000001', createdBy: 'tester', createdAt: '2026-11-29T00:00:00.000Z',
          updatedAt: '2026-11-29T00:00:00.000Z', status: 'queued' as const,
          files: [{ filename: '一.tif', outcome: 'pending' as const, reason: null, imageId: null, sequence: null }],
        };
        await store.jobs.save(job);
        expect(await store.jobs.get('job-1')).to.deep.equal(job);
        const done = { ...job, status: 'done' as const, files: [{ ...job.files[0]!, outcome: 'ingested' as const, imageId: 'c'.repeat(64), sequence: 1 }] };
        await store.jobs.save(done);
        expect(await store.jobs.get('job-1')).to.deep.equal(done);
        expect(await store.jobs.get('job-2')).to.equal(null);
      });
    });

    describe('units', () => {
      it('creates, reads, lists and refuses duplicates per province', async () => {
        const unit = { province: '110000', code: '0101', name: '國家圖書館', kind: '图书馆', address: null, contact: null, createdAt: '2026-11-29T00:00:00.000Z' };
        await store.units.create(unit);
        await store.units.create({ ...unit, province: '430000', name: '资阳区图书馆' });
        expect(await store.units.get('110000', '0101')).to.deep.equal(unit);
        expect(await store.units.get('120000', '0101')).to.equal(null);
        expect((await store.units.list()).map((u) => u.name)).to.deep.equal(['國家圖書館', '资阳区图书馆']);
        expect(await rejection(store.units.create(unit))).to.be.instanceOf(AlreadyExistsError);
        // An admin sets how the unit appears as a provider: the document is replaced, the key kept.
        const changed = { ...unit, homepage: 'https://www.nlc.cn/', logo: null, identifier: 'CN-110000-1' };
        await store.units.update(changed);
        expect(await store.units.get('110000', '0101')).to.deep.equal(changed);
        expect((await store.units.list()).length).to.equal(2);
      });

      it('updates a unit in place, by its key, and says when there is none', async () => {
        const unit = { province: '440000', code: '0101', name: '廣東省立中山圖書館', kind: '图书馆', address: null, contact: null, createdAt: '2026-11-29T00:00:00.000Z' };
        await store.units.create(unit);
        const changed = { ...unit, name: '广东省立中山图书馆', contact: '020-1234', disabled: true };
        expect(await store.units.update(changed)).to.equal(true);
        expect(await store.units.get('440000', '0101')).to.deep.equal(changed);
        expect(await store.units.update({ ...unit, code: '0999' })).to.equal(false);
        expect(await store.units.get('440000', '0999')).to.equal(null);
      });
    });

    describe('users and sessions', () => {
      const user = {
        username: 'surveyor1', passwordHash: 'scrypt$x', role: 'surveyor' as const, unit: '430000-0001',
        displayName: '张三', createdAt: '2026-11-29T00:00:00.000Z', disabled: false,
      };
      it('creates, reads, counts and refuses a taken username', async () => {
        expect(await store.users.count()).to.equal(0);
        await store.users.create(user);
        expect(await store.users.get('surveyor1')).to.deep.equal(user);
        expect(await store.users.get('nobody')).to.equal(null);
        expect(await store.users.list()).to.deep.equal([user]);
        expect(await rejection(store.users.create(user))).to.be.instanceOf(AlreadyExistsError);
        expect(await store.users.count()).to.equal(1);
      });
      it('keeps, deletes and purges sessions', async () => {
        const live = { tokenHash: 'a'.repeat(64), username: 'surveyor1', createdAt: '2026-11-29T00:00:00.000Z', expiresAt: '2026-11-30T00:00:00.000Z' };
        const old = { ...live, tokenHash: 'b'.repeat(64), expiresAt: '2026-11-28T00:00:00.000Z' };
        await store.sessions.create(live);
        await store.sessions.create(old);
        expect(await store.sessions.get(live.tokenHash)).to.deep.equal(live);
        expect(await store.sessions.purgeExpired('2026-11-29T00:00:00.000Z')).to.equal(1);
        expect(await store.sessions.get(old.tokenHash)).to.equal(null);
        await store.sessions.delete(live.tokenHash);
        expect(await store.sessions.get(live.tokenHash)).to.equal(null);
      });
      it('updates an account in place and refuses to update one that does not exist', async () => {
        await store.users.create(user);
        await store.users.create({ ...user, username: 'reviewer1', role: 'reviewer', unit: null });
        const changed = { ...user, passwordHash: 'scrypt$y', disabled: true };
        await store.users.update(changed);
        expect(await store.users.get('surveyor1')).to.deep.equal(changed);
        expect((await store.users.get('reviewer1'))?.disabled).to.equal(false);
        expect(await store.users.count()).to.equal(2);
        expect(await rejection(store.users.update({ ...user, username: 'nobody' }))).to.be.instanceOf(NotFoundError);
        expect(await store.users.get('nobody')).to.equal(null);
      });
      it("ends all of one user's sessions, or all but one, and no one else's", async () => {
        const session = (hash: string, username: string) => ({
          tokenHash: hash.repeat(64), username, createdAt: '2026-11-29T00:00:00.000Z', expiresAt: '2026-11-30T00:00:00.000Z',
        });
        for (const s of [session('a', 'surveyor1'), session('b', 'surveyor1'), session('c', 'surveyor1'), session('d', 'reviewer1')]) {
          await store.sessions.create(s);
        }
        expect(await store.sessions.deleteByUser('surveyor1', 'b'.repeat(64))).to.equal(2);
        expect(await store.sessions.get('a'.repeat(64))).to.equal(null);
        expect(await store.sessions.get('b'.repeat(64))).to.deep.equal(session('b', 'surveyor1'));
        expect(await store.sessions.get('c'.repeat(64))).to.equal(null);
        expect(await store.sessions.deleteByUser('surveyor1')).to.equal(1);
        expect(await store.sessions.get('b'.repeat(64))).to.equal(null);
        expect(await store.sessions.get('d'.repeat(64))).to.deep.equal(session('d', 'reviewer1'));
        expect(await store.sessions.deleteByUser('nobody')).to.equal(0);
      });
    });
  });
}
