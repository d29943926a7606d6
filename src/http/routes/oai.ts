/**
 * OAI-PMH 2.0 at /oai, by GET with a query string or by POST with a form body (§3.1.1.1 of the
 * protocol). Arguments are read as sent, repeats kept, so that a repeated argument is refused
 * (badArgument) rather than silently merged. Protocol errors are answered 200 with the error in
 * the XML, as §3.6 has it.
 */
import express, { Router, type Response } from 'express';
import type { OaiService } from '../../services/oai-service.js';

/** A form body larger than this is no OAI-PMH request (every argument is bounded: MAX_ARGUMENT_CHARS). */
const MAX_FORM_BYTES = 16 * 1024;

export function oaiRoutes(oai: OaiService): Router {
  const router = Router();
  const answer = async (res: Response, query: string) => {
    const xml = await oai.respond([...new URLSearchParams(query)]);
    res.set('Content-Type', 'text/xml; charset=utf-8');
    // Lists change with every publication: harvesters and proxies revalidate.
    res.set('Cache-Control', 'no-cache');
    res.send(xml);
  };
  router.get('/', async (req, res) => {
    const at = req.originalUrl.indexOf('?');
    await answer(res, at < 0 ? '' : req.originalUrl.slice(at + 1));
  });
  router.post('/', express.text({ type: 'application/x-www-form-urlencoded', limit: MAX_FORM_BYTES }), async (req, res) => {
    await answer(res, typeof req.body === 'string' ? req.body : '');
  });
  return router;
}
