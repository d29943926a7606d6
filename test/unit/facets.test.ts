/** The facet table (src/domain/facets.ts) and what is derived from it. */
import { expect } from 'chai';
import { z } from 'zod';
import { FACET_TABLE, FACETS, facetFilterShape, inFacetOrder, LIST_FILTERS, recordFacets } from '../../src/domain/facets.js';
import { FACET_FILTERS } from '../../src/ports/catalogue-store.js';
import { countedFacets } from '../../src/ports/search-index.js';
import { RecordListQuerySchema } from '../../src/http/schemas/records.js';
import { SearchParamsSchema } from '../../src/services/search-service.js';
import { recordOf } from '../support/records.js';

describe('the facet table', () => {
  it('declares each facet once', () => {
    expect(new Set(FACETS).size).to.equal(FACET_TABLE.length);
  });

  it('counts the public facets for everyone, the workflow status for staff only, and `work` for nobody', () => {
    expect(countedFacets(false)).to.deep.equal(['division', 'category', 'editionType', 'dynasty', 'century', 'unit', 'grade', 'damageGrade', 'digitized']);
    expect(countedFacets(true)).to.deep.equal([...countedFacets(false), 'status']);
  });

  it('makes every facet a search parameter and the list filters parameters of GET /api/records, closed sets checked', () => {
    const sampleValue = (name: string) => (name === 'status' ? 'draft' : name === 'digitized' ? 'true' : 'x,y');
    for (const name of FACETS) expect((SearchParamsSchema.parse({ [name]: sampleValue(name) }) as Record<string, unknown>)[name]).to.be.an('array');
    expect(SearchParamsSchema.safeParse({ digitized: 'maybe' }).success).to.equal(false);
    expect(Object.keys(RecordListQuerySchema.shape)).to.include.members([...LIST_FILTERS]);
    expect(RecordListQuerySchema.parse({ division: '經部,史部', status: ['draft'] })).to.deep.include({ division: ['經部', '史部'], status: ['draft'] });
    expect(RecordListQuerySchema.safeParse({ status: 'lost' }).success).to.equal(false);
    // `century` is a search facet, not a list filter: the list refuses it as unknown.
    expect(RecordListQuerySchema.safeParse({ century: '16' }).success).to.equal(false);
    expect(Object.keys(z.object(facetFilterShape(['unit'])).shape)).to.deep.equal(['unit']);
  });

  it('keeps the record stores\' filters in step with the list filters it declares', () => {
    expect([...LIST_FILTERS].sort()).to.deep.equal([...FACET_FILTERS].sort());
  });

  it('reads the list filters of a record for the stores, the unit from its census number', () => {
    const record = recordOf('430000-0001-0000001', { classification: '史部 地理類', grade: '三级乙等' });
    expect(recordFacets(record)).to.deep.equal({
      division: '史部', editionType: '刻本', dynasty: '明', unit: '430000-0001', grade: '三级乙等', damageGrade: null,
      status: 'draft', yearFrom: 1573, yearTo: 1620,
    });
  });

  it('orders centuries in time, the span bucket last, and other facets as counted', () => {
    const century = FACET_TABLE.find((f) => f.name === 'century')!;
    const counts = [{ value: 'span', count: 9 }, { value: '17', count: 5 }, { value: '-1', count: 1 }, { value: '16', count: 3 }];
    expect(inFacetOrder(century, counts).map((c) => c.value)).to.deep.equal(['-1', '16', '17', 'span']);
    expect(inFacetOrder(FACET_TABLE[0], counts)).to.deep.equal(counts);
  });
});
