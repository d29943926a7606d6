/**
 * CORS on IIIF resources only (§7.1 of the Image API, §6.1 of the Presentation API).
 * Viewers on other sites read the Link header (canonical URI and profile, §4.8 and §6 of the
 * Image API), ETag and, for ranged file answers, Content-Range: a cross-origin script sees
 * only the response headers named in Access-Control-Expose-Headers (Fetch standard, CORS
 * protocol). A request with Authorization, Range or If-None-Match is preflighted with OPTIONS,
 * answered here before authentication, which a preflight never carries.
 */
import type { RequestHandler } from 'express';

export const iiifCors: RequestHandler = (req, res, next) => {
  res.set('Access-Control-Allow-Origin', '*');
  res.set('Access-Control-Expose-Headers', 'Link, ETag, Content-Range');
  if (req.method !== 'OPTIONS') return next();
  res.set({
    'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
    'Access-Control-Allow-Headers': 'Accept, Authorization, Range, If-None-Match, If-Modified-Since',
    'Access-Control-Max-Age': '86400',
    Allow: 'GET, HEAD, OPTIONS',
  });
  res.status(204).end();
};
