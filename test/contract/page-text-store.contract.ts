/**
 * The contract every PageTextStore adapter keeps; page-text-store.test.ts runs it on each.
 */
import { expect } from 'chai';
import { VersionMismatchError } from '../../src/domain/errors.js';
import type { PageText } from '../../src/domain/page-text.js';
import type { OcrJob, PageTextHistoryEntry, PageTextStore, StoredPageText, TextStatus } from '../../src/ports/page-text-store.js';

export interface PageTextStoreFixture {
  store: PageTextStore;
  dispose(): Promise<void>;
}

const CN = '430000-0001-0000001';
const IMAGE = 'a'.repeat(64);

/** A page as an engine reads it: a main column, a 雙行小注 pair and the 版心, traditional as written. */
export function pageOf(main = '欽定四庫全書簡明目錄卷一'): PageText {
  const chars = (text: string, x: number) => [...text].map((char, i) => ({ char, box: [x, 100 + i * 40, 36, 38] as [number, number, number, number], confidence: 0.9 }));
  return {
    engine: { name: 'paddle-columns', version: 'test' },
    width: 1155,
    height: 1559,
    columns: [
      { kind: 'main', box: [1000, 100, 40, 480], text: main, chars: chars(main, 1000) },
      { kind: 'note', box: [960, 100, 18, 80], text: '經部', chars: chars('經部', 960) },
      { kind: 'note', box: [940, 100, 18, 80], text: '易類', chars: chars('易類', 940) },
      { kind: 'banxin', box: [10, 100, 30, 120], text: '卷一', chars: chars('卷一', 10) },
    ],
  };
}

function textOf(version: number, status: TextStatus, page = pageOf()): StoredPageText {
  return { censusNumber: CN, imageId: IMAGE, status, page, version, updatedAt: `2026-11-30T10:00:0${version}.000Z`, updatedBy: 'surveyor1' };
}
function entryOf(text: StoredPageText, action: PageTextHistoryEntry['action']): PageTextHistoryEntry {
  return {
    censusNumber: text.censusNumber, imageId: text.imageId, at: text.updatedAt, actor: text.updatedBy, action, status: text.status,
    version: text.version, changes: [{ field: 'columns.0', before: null, after: text.page.columns[0]!.text }], comment: null, page: text.page,
  };
}

/** What the promise rejected with (null when it did not). */
const rejection = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e);

export function pageTextStoreContract(name: string, open: () => Promise<PageTextStoreFixture>): void {
  describe(`PageTextStore contract: ${name}`, () => {
    let fixture: PageTextStoreFixture;
    let store: PageTextStore;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(() => fixture.dispose());

    it('returns a saved page text exactly, columns of every kind and characters as written', async () => {
      const v1 = textOf(1, 'ocr');
      await store.save(v1, 0, entryOf(v1, 'ocr'));
      expect(await store.get(CN, IMAGE)).to.deep.equal(v1);
      expect(await store.get(CN, 'b'.repeat(64))).to.equal(null);
      expect(await store.list(CN)).to.deep.equal([v1]);
      expect(await store.list('430000-0001-0000002')).to.deep.equal([]);
      expect(await store.statuses(CN)).to.deep.equal([{ imageId: IMAGE, status: 'ocr' }]);
      expect(await store.statuses('430000-0001-0000002')).to.deep.equal([]);
    });

    it('replaces on the expected version only and keeps every version in history, in order', async () => {
      const v1 = textOf(1, 'ocr');
      await store.save(v1, 0, entryOf(v1, 'ocr'));
      const v2 = textOf(2, 'proofread', pageOf('欽定四庫全書簡明目錄卷二'));
      await store.save(v2, 1, entryOf(v2, 'proofread'));
      const v3 = textOf(3, 'verified', v2.page);
      await store.save(v3, 2, entryOf(v3, 'verify'));
      expect(await store.get(CN, IMAGE)).to.deep.equal(v3);
      expect(await store.statuses(CN)).to.deep.equal([{ imageId: IMAGE, status: 'verified' }]);
      const history = await store.history(CN, IMAGE);
      expect(history.map((h) => [h.version, h.action, h.status])).to.deep.equal([[1, 'ocr', 'ocr'], [2, 'proofread', 'proofread'], [3, 'verify', 'verified']]);
      expect(history[0]!.page.columns[0]!.text).to.equal('欽定四庫全書簡明目錄卷一');
      expect(history[1]!.page.columns[0]!.text).to.equal('欽定四庫全書簡明目錄卷二');
    });

    it('refuses a stale version or a second first version, and writes neither text nor history', async () => {
      const v1 = textOf(1, 'ocr');
      await store.save(v1, 0, entryOf(v1, 'ocr'));
      const again = textOf(1, 'aligned', pageOf('別的'));
      expect(await rejection(store.save(again, 0, entryOf(again, 'align')))).to.be.instanceOf(VersionMismatchError);
      const stale = textOf(3, 'proofread', pageOf('別的'));
      expect(await rejection(store.save(stale, 2, entryOf(stale, 'proofread')))).to.be.instanceOf(VersionMismatchError);
      expect(await store.get(CN, IMAGE)).to.deep.equal(v1);
      expect(await store.history(CN, IMAGE)).to.have.length(1);
    });

    it('writes nothing when the history entry cannot be written', async () => {
      const v1 = textOf(1, 'ocr');
      await store.save(v1, 0, entryOf(v1, 'ocr'));
      const v2 = textOf(2, 'proofread', pageOf('改了'));
      const entry = entryOf(v2, 'proofread') as unknown as Record<string, unknown>;
      // A value no store can serialise (JSON and BSON both refuse a circular structure).
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      entry.changes = [circular];
      await rejection(store.save(v2, 1, entry as unknown as PageTextHistoryEntry));
      expect(await store.get(CN, IMAGE)).to.deep.equal(v1);
      expect(await store.history(CN, IMAGE)).to.have.length(1);
    });

    it('keeps OCR jobs and lists the unfinished ones', async () => {
      const job = (id: string, status: OcrJob['status']): OcrJob => ({
        id, censusNumber: CN, createdBy: 'admin', createdAt: '2026-11-30T10:00:00.000Z', updatedAt: '2026-11-30T10:00:00.000Z', status, reason: null,
        runner: { host: 'h', pid: 1 }, pages: [{ sequence: 1, imageId: IMAGE, outcome: 'pending', reason: null, chars: null }],
      });
      await store.saveJob(job('j1', 'running'));
      await store.saveJob(job('j2', 'done'));
      await store.saveJob(job('j3', 'interrupted'));
      const done = { ...job('j1', 'done'), pages: [{ sequence: 1, imageId: IMAGE, outcome: 'read' as const, reason: null, chars: 12 }] };
      await store.saveJob(done);
      expect(await store.getJob('j1')).to.deep.equal(done);
      expect(await store.getJob('nope')).to.equal(null);
      expect((await store.unfinishedJobs()).map((j) => j.id)).to.deep.equal(['j3']);
      await store.saveJob({ ...job('j4', 'done'), censusNumber: '430000-0001-0000002' });
      await store.saveJob({ ...job('j5', 'queued'), createdAt: '2026-11-30T11:00:00.000Z' });
      expect((await store.jobsOf(CN, 10)).map((j) => j.id)).to.deep.equal(['j5', 'j1', 'j2', 'j3']);
      expect((await store.jobsOf(CN, 2)).map((j) => j.id)).to.deep.equal(['j5', 'j1']);
    });
  });
}
