/**
 * The public pages rendered on the server (issues 17 and 20): `/` (search), `/records/:cn`,
 * `/browse` and `/persons/:name`. They show what anonymous readers may read — published
 * records — whoever asks: a page's HTML never carries a session, so it can be cached and crawled;
 * staff see their drafts through the page script, which reads the API with their token.
 */
import { Router, type Response } from 'express';
import { censusNumberProblem, parseCensusNumber } from '../../domain/census-number.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { Services } from '../../services/services.js';
import { renderBrowsePage, BROWSE_SLOTS } from './browse-page.js';
import { renderPersonPage, PERSON_SLOTS } from './person-page.js';
import { RECORD_SLOTS, renderRecordPage, renderUnpublishedRecordPage } from './record-page.js';
import { renderSearchPage, SEARCH_SLOTS } from './search-page.js';
import { StaticPage } from './static-page.js';

type PageServices = Pick<Services, 'records' | 'search' | 'units' | 'reading'>;

function send(res: Response, status: number, body: string, cache: string): void {
  res.status(status).type('html').set('Cache-Control', cache).send(body);
}

export function pageRoutes(services: PageServices, baseUrl: string, folder: string): Router {
  const pages = {
    search: StaticPage.load(folder, 'index.html', SEARCH_SLOTS),
    record: StaticPage.load(folder, 'record.html', RECORD_SLOTS),
    browse: StaticPage.load(folder, 'browse.html', BROWSE_SLOTS),
    person: StaticPage.load(folder, 'person.html', PERSON_SLOTS),
  };
  /** The public names of the units by unit key, and a record's holder's name (its code when the unit has none). */
  const holders = async () => {
    const names = new Map((await services.units.list(null)).map((u) => [`${u.province}-${u.code}`, u.name]));
    return { names, of: (cn: string) => names.get(parseCensusNumber(cn)?.unitKey ?? '') ?? cn.split('-')[1] ?? cn };
  };
  const router = Router();

  router.get('/', async (req, res) => {
    const params = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
    const { names } = await holders();
    try {
      const result = await services.search.search(null, req.query);
      send(res, 200, renderSearchPage(pages.search, { baseUrl, params, q: result.query.text, result, unitNames: names }), 'public, max-age=10');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const problems = e.details.map((d) => `${d.field}：${d.problem}`);
      send(res, 400, renderSearchPage(pages.search, { baseUrl, params, q: String(req.query.q ?? ''), unitNames: names, problems }), 'no-store');
    }
  });

  router.get('/records/:censusNumber', async (req, res) => {
    const cn = req.params.censusNumber;
    const record = censusNumberProblem(cn) ? null : await services.records.readable(null, cn).catch((e) => {
      if (e instanceof NotFoundError) return null;
      throw e;
    });
    if (!record) {
      send(res, 404, renderUnpublishedRecordPage(pages.record), 'no-store');
      return;
    }
    const { of } = await holders();
    const others = await services.reading.otherCopies(record);
    send(res, 200, renderRecordPage(pages.record, {
      record, baseUrl, unitName: of(cn), otherCopies: others.map((r) => ({ record: r, unitName: of(r.fields.censusNumber) })),
    }), 'public, no-cache');
  });

  router.get('/browse', async (_req, res) => {
    send(res, 200, renderBrowsePage(pages.browse, await services.reading.classificationTree(), baseUrl), 'public, max-age=60');
  });

  router.get('/persons/:name', async (req, res) => {
    const name = req.params.name;
    const dynasty = typeof req.query.dynasty === 'string' && req.query.dynasty !== '' ? req.query.dynasty : null;
    const { of } = await holders();
    try {
      const { mentions, truncated } = await services.reading.personMentions(name, dynasty);
      send(res, mentions.length ? 200 : 404, renderPersonPage(pages.person, { name, dynasty, mentions, truncated, unitOf: of, baseUrl }), 'public, max-age=60');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const problem = e.details.map((d) => `${d.field}：${d.problem}`).join('；');
      send(res, 400, renderPersonPage(pages.person, { name, dynasty, mentions: [], truncated: false, unitOf: of, baseUrl, problem }), 'no-store');
    }
  });

  return router;
}
