/** The one place errors become responses: `{ error: { code, message, details } }` (docs/API.md). */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, storageFault } from '../domain/errors.js';

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `No route for ${req.method} ${req.path}.`, details: [] } });
};

export function errorHandler(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const fault = storageFault(err);
    if (fault) log('storage fault', err);
    err = fault ?? err;
    if (err instanceof AppError) {
      if (err.status >= 500 && !fault) log(err.message, err.cause ?? err);
      if (err.retryAfterSeconds !== undefined) res.set('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    // body-parser's errors carry a status and a type: malformed JSON, a body over the limit, a bad charset.
    const status = typeof err?.status === 'number' ? err.status : 500;
    if (status >= 400 && status < 500) {
      const code =
        err.type === 'entity.parse.failed' ? 'invalid_json'
        : err.type === 'entity.too.large' ? 'body_too_large'
        : 'bad_request';
      res.status(status).json({ error: { code, message: String(err.message), details: [] } });
      return;
    }
    log('unexpected error', err);
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.', details: [] } });
  };
}
