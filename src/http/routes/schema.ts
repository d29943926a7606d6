/**
 * GET /api/schema: the census fields and the search facets as the service declares them
 * (src/domain/census-record.ts CENSUS_FIELDS, src/domain/facets.ts FACET_TABLE), with their
 * labels in both languages, so that the pages draw the form, the record and the facets from
 * the one declaration instead of restating it.
 */
import { Router } from 'express';
import { CENSUS_FIELDS, isRequired, READ_ONLY_KEYS, type CensusField } from '../../domain/census-record.js';
import { FACET_TABLE } from '../../domain/facets.js';

export function schemaRoutes(): Router {
  const router = Router();
  const body = {
    fields: (CENSUS_FIELDS as readonly CensusField[]).map((f) => ({
      key: f.key,
      label: f.label,
      required: isRequired(f),
      // How the census form edits it; null for keys edited through their parts or not in the form.
      form: f.form ?? null,
      sheetColumn: f.sheet !== undefined,
    })),
    // Keys of a record the service writes itself: a page editing a record leaves them out.
    readOnlyKeys: READ_ONLY_KEYS,
    facets: FACET_TABLE.map((f) => ({
      name: f.name, label: f.label, counted: f.counted, listFilter: f.listFilter, order: f.order, valueLabels: f.valueLabels ?? {},
    })),
  };
  router.get('/', (_req, res) => {
    // The same for everyone, and changed only by a new release.
    res.set('Cache-Control', 'public, max-age=300');
    res.json(body);
  });
  return router;
}
