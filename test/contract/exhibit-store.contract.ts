/**
 * The contract every ExhibitStore adapter keeps, run on each by exhibit-store.test.ts so the
 * embedded store and the MongoDB adapter cannot drift apart.
 */
import { expect } from 'chai';
import type { Exhibit, ExhibitHistoryEntry, ExhibitStatus } from '../../src/domain/exhibit.js';
import { AlreadyExistsError, NotFoundError, VersionMismatchError } from '../../src/domain/errors.js';
import type { ExhibitStore } from '../../src/ports/exhibit-store.js';
import { rejection } from './catalogue-store.contract.js';

export interface ExhibitStoreFixture {
  store: ExhibitStore;
  dispose(): Promise<void>;
}

export function exhibitOf(slug: string, overrides: Partial<Exhibit> = {}): Exhibit {
  return {
    slug, title: '湖湘刻書', summary: '清代湖南的刻本', credits: '资阳区图书馆', licence: 'https://creativecommons.org/licenses/by/4.0/',
    sections: [{ title: '卷首', text: '', items: [] }],
    status: 'draft', version: 1, createdAt: '2026-11-30T00:00:00.000Z', createdBy: 'curator', updatedAt: '2026-11-30T00:00:00.000Z', updatedBy: 'curator',
    ...overrides,
  };
}
const entryOf = (e: Exhibit, action: ExhibitHistoryEntry['action'] = 'create'): ExhibitHistoryEntry => ({
  slug: e.slug, at: e.updatedAt, actor: e.updatedBy, action, version: e.version, comment: null,
});

export function exhibitStoreContract(name: string, open: () => Promise<ExhibitStoreFixture>): void {
  describe(`ExhibitStore contract: ${name}`, () => {
    let fixture: ExhibitStoreFixture;
    let store: ExhibitStore;
    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    it('keeps an exhibit as written, Chinese text and all, with its first history entry', async () => {
      const e = exhibitOf('huxiang');
      await store.create(e, entryOf(e));
      expect(await store.get('huxiang')).to.deep.equal(e);
      expect(await store.history('huxiang')).to.deep.equal([entryOf(e)]);
      expect(await store.get('nothing')).to.equal(null);
    });

    it('refuses a second exhibit with the same slug, and keeps the first', async () => {
      const e = exhibitOf('huxiang');
      await store.create(e, entryOf(e));
      const error = await rejection(store.create(exhibitOf('huxiang', { title: '另一個' }), entryOf(e)));
      expect(error).to.be.instanceOf(AlreadyExistsError);
      expect((error as AlreadyExistsError).details[0]!.field).to.equal('slug');
      expect((await store.get('huxiang'))!.title).to.equal('湖湘刻書');
      expect(await store.history('huxiang')).to.have.length(1);
    });

    it('replaces only the version it was given, and appends the history entry with it', async () => {
      const e = exhibitOf('huxiang');
      await store.create(e, entryOf(e));
      const next = { ...e, title: '湖湘刻書（增訂）', version: 2, updatedAt: '2026-11-30T01:00:00.000Z' };
      await store.replace(next, 1, entryOf(next, 'update'));
      expect(await store.get('huxiang')).to.deep.equal(next);
      const stale = await rejection(store.replace({ ...next, title: 'stale', version: 2 }, 1, entryOf(next, 'update')));
      expect(stale).to.be.instanceOf(VersionMismatchError);
      expect((await store.get('huxiang'))!.title).to.equal('湖湘刻書（增訂）');
      expect((await store.history('huxiang')).map((h) => h.action)).to.deep.equal(['create', 'update']);
      expect(await rejection(store.replace(exhibitOf('missing', { version: 2 }), 1, entryOf(next)))).to.be.instanceOf(NotFoundError);
    });

    it('lists by status, most recently changed first, a page at a time', async () => {
      const statuses: ExhibitStatus[] = ['draft', 'published', 'submitted', 'published'];
      for (const [i, status] of statuses.entries()) {
        const e = exhibitOf(`e${i}`, { status, updatedAt: `2026-11-30T0${i}:00:00.000Z` });
        await store.create(e, entryOf(e));
      }
      const published = await store.list({ statuses: ['published'], offset: 0, limit: 10 });
      expect(published.total).to.equal(2);
      expect(published.exhibits.map((e) => e.slug)).to.deep.equal(['e3', 'e1']);
      const all = await store.list({ offset: 1, limit: 2 });
      expect(all.total).to.equal(4);
      expect(all.exhibits.map((e) => e.slug)).to.deep.equal(['e2', 'e1']);
      expect((await store.list({ statuses: [], offset: 0, limit: 10 })).total).to.equal(0);
    });
  });
}
