/**
 * gzip or brotli (RFC 9110 §8.4.1, Accept-Encoding) on JSON answers only — manifests, info.json,
 * collections and the API: a 4-page manifest is ~10 kB of repeated URLs that compress tenfold,
 * and a thousand-item collection far more. Never on image bytes (JPEG, PNG and WebP are
 * compressed already: gzip would spend a core for nothing and tiles are the hot path), nor on
 * exports and downloads, which stream their own formats. The compression package (1.8) picks
 * brotli when the client accepts it, and adds Vary: Accept-Encoding. From 256 bytes, not its
 * 1 kB default: an info.json (~700 bytes) still halves.
 */
import compression from 'compression';
import type { RequestHandler } from 'express';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:;|$)/i;

/** IIIF image requests (…/default.jpg): never JSON, and so many that wrapping each response shows. */
const IMAGE_PATH = /\.(?:jpg|png|webp)$/;

export function compressJson(): RequestHandler {
  const compress = compression({ threshold: 256, filter: (_req, res) => JSON_TYPE.test(String(res.getHeader('Content-Type') ?? '')) });
  return (req, res, next) => (IMAGE_PATH.test(req.path) ? next() : compress(req, res, next));
}
