/**
 * Conditional GET (RFC 9110 §13.1.2, §15.4.5): the one place a validator is set and
 * If-None-Match is answered. Set Cache-Control, Vary and Link before calling: a 304 "MUST
 * generate any of the following header fields that would have been sent in a 200 (OK) response
 * to the same request: Content-Location, Date, ETag, and Vary; Cache-Control and Expires".
 *
 * Not Express's `req.fresh`: it never answers 304 to a request with `Cache-Control: no-cache`,
 * and fetch() adds that to every request given an If-None-Match (Fetch standard, HTTP-network-
 * or-cache fetch: "If httpRequest's cache mode is "no-store" or "reload" … append
 * (`Cache-Control`, `no-cache`)"), so viewers that revalidate by script would never get one.
 */
import type { Request, Response } from 'express';

/** The opaque part of each entity tag of an If-None-Match list (`"a", W/"b"` → `"a"`, `"b"`). */
const opaqueTags = (header: string) => header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));

/**
 * Sets the ETag and, when the request's If-None-Match names it, answers 304 and returns true;
 * the caller then sends nothing more. "A recipient MUST use the weak comparison function when
 * comparing entity tags for If-None-Match" (§13.1.2): W/"x" matches "x"; `*` matches any.
 */
export function notModified(req: Request, res: Response, etag: string): boolean {
  res.set('ETag', etag);
  const header = req.get('if-none-match');
  if (!header) return false;
  const own = etag.replace(/^W\//, '');
  if (header.trim() !== '*' && !opaqueTags(header).includes(own)) return false;
  res.status(304).end();
  return true;
}
