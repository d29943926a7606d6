/**
 * The district overview: how many books, of which classes, editions, dynasties and centuries,
 * grades and damage, held where, how many digitized; census progress by unit and status; the
 * most damaged books first, as a conservation worklist. Counted by the search index's facets
 * over what the reader may see.
 */
import { parseCensusNumber } from '../domain/census-number.js';
import { can, readableScope } from '../domain/permissions.js';
import type { Actor } from '../domain/workflow.js';
import type { CatalogueStore } from '../ports/catalogue-store.js';
import { countedFacets, type FacetName, type SearchIndex, type SearchQuery } from '../ports/search-index.js';
import { FACET_TABLE, inFacetOrder } from '../domain/facets.js';

const WORKLIST_GRADES = ['特残', '严重'];
const WORKLIST_SIZE = 50;

export class StatsService {
  constructor(
    private readonly store: CatalogueStore,
    private readonly index: SearchIndex,
  ) {}

  async overview(actor: Actor | null) {
    const staff = can(actor, 'readReviewStatus', null);
    const base: SearchQuery = { text: '', filters: {}, visibleTo: readableScope(actor), sort: 'censusNumber', offset: 0, limit: 0, facets: [] };
    const facets = countedFacets(staff);
    const all = await this.index.search({ ...base, facets });
    const count = (facet: FacetName) => all.facets[facet] ?? [];
    const units = await this.store.units.list();
    const byUnit = await Promise.all(
      units.map(async (u) => {
        const key = `${u.province}-${u.code}`;
        const r = await this.index.search({ ...base, filters: { unit: [key] }, facets: staff ? ['status', 'digitized'] : ['digitized'] });
        return {
          unit: key,
          name: u.name,
          records: r.total,
          digitized: r.facets.digitized?.find((f) => f.value === 'true')?.count ?? 0,
          ...(staff ? { byStatus: Object.fromEntries((r.facets.status ?? []).map((f) => [f.value, f.count])) } : {}),
        };
      }),
    );
    const worklist = [];
    for (const grade of WORKLIST_GRADES) {
      if (worklist.length >= WORKLIST_SIZE) break;
      const r = await this.index.search({ ...base, filters: { damageGrade: [grade] }, limit: WORKLIST_SIZE - worklist.length });
      for (const cn of r.hits) {
        const record = await this.store.records.get(cn);
        if (!record) continue;
        worklist.push({
          censusNumber: cn,
          titleStatement: record.fields.titleStatement,
          unit: parseCensusNumber(cn)!.unitKey,
          damage: record.fields.damage,
          grade: record.fields.grade ?? null,
        });
      }
    }
    const byCentury = inFacetOrder(FACET_TABLE.find((f) => f.name === 'century')!, count('century'));
    return {
      records: all.total,
      digitized: { records: count('digitized').find((f) => f.value === 'true')?.count ?? 0, pages: await this.store.pages.count() },
      byDivision: count('division'),
      byCategory: count('category'),
      byEditionType: count('editionType'),
      byDynasty: count('dynasty'),
      byCentury,
      byGrade: count('grade'),
      byDamage: count('damageGrade'),
      ...(staff ? { byStatus: count('status') } : {}),
      byUnit,
      worklist,
    };
  }
}
