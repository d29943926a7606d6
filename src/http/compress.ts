/**
 * gzip or brotli (RFC 9110 §8.4.1, Accept-Encoding) on the answers made per request: JSON —
 * manifests, info.json, collections and the API: a 4-page manifest is ~10 kB of repeated URLs
 * that compress tenfold, and a thousand-item collection far more — and pages' HTML (issue 20's
 * budget). Static files are compressed once, not here (src/http/static-assets.ts). Never on
 * image bytes (JPEG, PNG and WebP are compressed already: gzip would spend a core for nothing and
 * tiles are the hot path), nor on exports and downloads, which stream their own formats. The
 * compression package (1.8) picks brotli when the client accepts it, and adds Vary:
 * Accept-Encoding. From 256 bytes, not its 1 kB default: an info.json (~700 bytes) still halves.
 */
import compression from 'compression';
import type { RequestHandler } from 'express';

const MADE_PER_REQUEST = /^(?:application\/(?:[\w.+-]+\+)?json|text\/html)(?:;|$)/i;

/** IIIF image requests never come here (src/app.ts answers them first). */
export function compressAnswers(): RequestHandler {
  return compression({ threshold: 256, filter: (_req, res) => MADE_PER_REQUEST.test(String(res.getHeader('Content-Type') ?? '')) });
}
