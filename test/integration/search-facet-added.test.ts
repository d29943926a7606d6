/**
 * A facet added to the table (src/domain/facets.ts) reaches an index built before it: the file
 * records the facet set it was built with, and an index opened with another set empties it and
 * is refilled — no crash at open ("table docs has no column named f11"), no version to raise.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FtsSearchIndex } from '../../src/adapters/embedded/fts-search-index.js';
import { FACET_TABLE, type FacetDeclaration } from '../../src/domain/facets.js';
import type { SearchQuery } from '../../src/ports/search-index.js';
import { searchDocumentOf } from '../../src/services/search-service.js';
import { recordOf } from '../support/records.js';

/** The table with one facet more: the binding (装帧) as the record derives it. */
const EXTENDED: readonly FacetDeclaration[] = [
  ...FACET_TABLE,
  { name: 'binding', label: { zh: '装帧', en: 'Binding' }, read: (r) => r.derived.binding, listFilter: false, counted: 'public', order: 'count' },
];

const RECORDS = [
  recordOf('430000-0001-0000001', { titleStatement: '金華府志三十卷', binding: '线装' }),
  recordOf('430000-0001-0000002', { titleStatement: '金華先民傳十卷', binding: '平装' }),
  recordOf('430000-0001-0000003', { titleStatement: '金華詩錄六十卷', binding: '线装' }),
  recordOf('430000-0001-0000004', { titleStatement: '通書類聚四卷', binding: '线装' }),
];

const query: SearchQuery<string> = { text: '金華', filters: {}, visibleTo: 'all', sort: 'censusNumber', offset: 0, limit: 10, facets: ['status'] };

describe('the embedded search index when a facet is added to the table', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'guji-facet-added-'));
    file = path.join(dir, 'search.sqlite');
    // Built with the table as it is, and closed with its snapshot saved.
    const before = new FtsSearchIndex(file);
    await before.upsert(RECORDS.map((r) => searchDocumentOf(r, null)), 4);
    expect((await before.search(query)).total).to.equal(3);
    await before.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens the file built without it, empties it, and answers by it once refilled', async () => {
    const index = new FtsSearchIndex(file, { facets: EXTENDED });
    try {
      expect(index.rebuilt).to.equal(true);
      // Sequence 0: the indexer's catch-up at start indexes every record again.
      expect(await index.lastSeq()).to.equal(0);
      expect((await index.search(query)).total).to.equal(0);
      await index.upsert(RECORDS.map((r) => searchDocumentOf(r, null, EXTENDED)), 4);
      const result = await index.search({ ...query, filters: { binding: ['线装'] }, facets: ['binding', 'status'] });
      expect(result.hits).to.deep.equal(['430000-0001-0000001', '430000-0001-0000003']);
      expect(result.facets).to.deep.equal({ binding: [{ value: '线装', count: 2 }], status: [{ value: 'draft', count: 2 }] });
      const all = await index.search({ ...query, text: '', facets: ['binding'] });
      expect(all.facets.binding).to.deep.equal([{ value: '线装', count: 3 }, { value: '平装', count: 1 }]);
    } finally {
      await index.close();
    }
    // Opened again with the same table the file is kept; with the old one (the facet removed) it is rebuilt.
    const again = new FtsSearchIndex(file, { facets: EXTENDED });
    expect(again.rebuilt).to.equal(false);
    expect(await again.lastSeq()).to.equal(4);
    expect((await again.search({ ...query, filters: { binding: ['平装'] } })).hits).to.deep.equal(['430000-0001-0000002']);
    await again.close();
    const old = new FtsSearchIndex(file);
    expect(old.rebuilt).to.equal(true);
    await old.close();
  });

  it('refuses a facet table without the facets visibility needs, before touching the file', () => {
    expect(() => new FtsSearchIndex(file, { facets: FACET_TABLE.filter((f) => f.name !== 'status') })).to.throw(/needs the facets status/);
  });
});
