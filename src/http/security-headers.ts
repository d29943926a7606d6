/**
 * Response headers that make the browser refuse what our pages never do (OWASP Secure Headers
 * Project; CSP Level 3): run scripts from elsewhere, be framed by another site, leak the page's
 * URL in the Referer to other origins, or be sniffed as another type.
 *
 * Pages are static files whose scripts read the API, so `script-src 'self'` holds; the viewers
 * (Mirador's React/JSS and the Universal Viewer) write `<style>` elements and style attributes at
 * run time, hence `style-src 'unsafe-inline'` — styles cannot run code. Images and manifests come
 * from this service only. `/viewer` is the page curators embed in other sites, so it alone may be
 * framed by any origin; every other page, staff pages above all, may be framed by none
 * (clickjacking). The API and IIIF answers are data, never documents: `default-src 'none'`.
 */
import type { RequestHandler } from 'express';

/** Paths whose page other sites may put in an `<iframe>` (the embeddable viewer). */
const EMBEDDABLE = new Set(['/viewer']);
/**
 * The pages of the IIIF Authorization Flow under /iiif (src/http/routes/iiif-auth.ts): the
 * access and logout windows, and the token page, which the viewer on this site frames.
 */
const IIIF_AUTH_PAGES = new Set(['/iiif/auth/access', '/iiif/auth/logout']);
const IIIF_TOKEN_PAGE = '/iiif/auth/token';

const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders(options: { https: boolean }): RequestHandler {
  return (req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    // The full URL stays on this site; other sites learn only the origin (a record URL names a draft).
    res.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    // RFC 6797: only over HTTPS, where PUBLIC_BASE_URL says the service is reached.
    if (options.https) res.set('Strict-Transport-Security', 'max-age=31536000');
    if (req.path === IIIF_TOKEN_PAGE) {
      res.set('Content-Security-Policy', `${PAGE_POLICY}; frame-ancestors 'self'`);
      res.set('X-Frame-Options', 'SAMEORIGIN');
    } else if (IIIF_AUTH_PAGES.has(req.path)) {
      res.set('Content-Security-Policy', `${PAGE_POLICY}; frame-ancestors 'none'`);
      res.set('X-Frame-Options', 'DENY');
    } else if (req.path.startsWith('/api/') || req.path.startsWith('/iiif/')) {
      res.set('Content-Security-Policy', DATA_POLICY);
    } else if (EMBEDDABLE.has(req.path)) {
      // No frame-ancestors at all: `*` would still refuse parents without a network scheme
      // (an exhibit page opened from a file, a sandboxed frame).
      res.set('Content-Security-Policy', PAGE_POLICY);
    } else {
      res.set('Content-Security-Policy', `${PAGE_POLICY}; frame-ancestors 'none'`);
      // For browsers without CSP's frame-ancestors.
      res.set('X-Frame-Options', 'DENY');
    }
    next();
  };
}
