/**
 * Conditional GET (RFC 9110 §13.1.2, §15.4.5): the one place a validator is set and
 * If-None-Match is answered. Set Cache-Control, Vary and Link before calling: a 304 "MUST
 * generate any of the following header fields that would have been sent in a 200 (OK) response
 * to the same request: Content-Location, Date, ETag, and Vary; Cache-Control and Expires".
 */
import type { Request, Response } from 'express';

/**
 * Sets the ETag and, when the request's If-None-Match names it, answers 304 and returns true;
 * the caller then sends nothing more. The comparison is Express's `req.fresh` (the `fresh`
 * package): a list of tags, `*` and weak tags, as §13.1.2 asks ("A recipient MUST use the weak
 * comparison function when comparing entity tags for If-None-Match").
 */
export function notModified(req: Request, res: Response, etag: string): boolean {
  res.set('ETag', etag);
  if (!req.fresh) return false;
  res.status(304).end();
  return true;
}
