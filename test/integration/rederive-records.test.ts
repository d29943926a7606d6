/**
 * npm run rederive-records as an operator runs it: a record stored with the structure an older
 * parser derived (清光緒乙未（1895） read as the 3700s, no edition events) is derived again, gets a
 * new version and a history entry, and the report says what changed. Real process, real SQLite.
 */
import { expect } from 'chai';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { SqliteCatalogueStore } from '../../src/adapters/embedded/sqlite-store.js';
import { dataDirWithRecord, runTool } from '../support/data-dir.js';

const record = {
  censusNumber: '430000-0001-0000013', callNumber: '善013', titleStatement: '某書四十卷存二十卷',
  creatorStatement: '（明）李贄批評', editionStatement: '清光緒乙未（1895）刻本', volumeCount: 4, holdingUnit: '0001', extant: '存十二卷（一至十二）',
};

async function withStore<T>(dataDir: string, use: (store: SqliteCatalogueStore) => Promise<T>): Promise<T> {
  const store = new SqliteCatalogueStore(path.join(dataDir, 'catalogue.sqlite'));
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

describe('npm run rederive-records', function () {
  // Four processes start tsx one after the other.
  this.timeout(180_000);
  const cleanup: string[] = [];
  after(() => cleanup.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('derives stale records again, reports what changed, and is idempotent', async () => {
    const dataDir = dataDirWithRecord(record);
    cleanup.push(dataDir);
    // What the parser before issue 13 stored: the Western year read as a reign year, no events, 批評 split.
    const stale = await withStore(dataDir, async (store) => {
      const current = (await store.records.get(record.censusNumber))!;
      const { events: _events, holder: _holder, base: _base, baseDate: _baseDate, country: _country, ...edition } = current.derived.edition;
      const old = {
        ...current,
        derived: {
          ...current.derived,
          extant: undefined,
          creators: [{ name: '李贄批', dynasty: '明', role: '評', roleKey: '评', uncertain: false, etAl: false }],
          edition: { ...edition, date: { ...edition.date!, reignYear: 1895, gregorianFrom: 3715, gregorianTo: 3715 } },
        },
        version: current.version + 1,
      };
      await store.records.replace(old, current.version, {
        censusNumber: record.censusNumber, at: current.updatedAt, actor: 'test', action: 'update', changes: [], comment: null, version: old.version,
      });
      return old;
    });

    const dry = runTool(dataDir, 'scripts/rederive-records.ts', '--dry-run');
    expect(dry.status, dry.stderr).to.equal(0);
    expect(dry.stdout).to.contain('rederive-records: 1 records read, 1 would change (derived.creators 1, derived.edition 1, derived.extant 1)');
    expect((await withStore(dataDir, (s) => s.records.get(record.censusNumber)))!.version).to.equal(stale.version);

    const run = runTool(dataDir, 'scripts/rederive-records.ts');
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('rederive-records: 1 records read, 1 changed (derived.creators 1, derived.edition 1, derived.extant 1)');
    expect(run.stdout).to.contain(`${record.censusNumber}: edition 刻本 3715–3715 → 刻本 1895–1895; creators; extant`);

    const [after, history] = await withStore(dataDir, async (s) => [(await s.records.get(record.censusNumber))!, await s.records.history(record.censusNumber)] as const);
    expect(after.version).to.equal(stale.version + 1);
    expect(after.updatedAt).to.equal(stale.updatedAt);
    expect(after.derived.edition.date).to.include({ gregorianFrom: 1895, reignYear: 21, ganzhi: '乙未' });
    expect(after.derived.edition.events).to.have.length(1);
    expect(after.derived.creators[0]).to.include({ name: '李贄', role: '批評' });
    expect(after.derived.extant).to.deep.equal({ count: 12, ranges: [{ from: 1, to: 12 }], named: [], unread: [] });
    expect(after.derived.title.extant?.count).to.equal(20);
    expect(history.at(-1)).to.include({ action: 'rederive', actor: 'rederive-records', version: after.version });

    const again = runTool(dataDir, 'scripts/rederive-records.ts');
    expect(again.stdout).to.contain('rederive-records: 1 records read, 0 changed');
  });
});
