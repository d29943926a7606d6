/** Bearer tokens (docs/API.md: writes require `Authorization: Bearer <token>`). */
import type { Request, RequestHandler } from 'express';
import { UnauthenticatedError } from '../domain/errors.js';
import type { Actor } from '../domain/workflow.js';
import type { AuthService } from '../services/auth-service.js';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor | null;
    bearerToken?: string;
  }
}

/** Resolves the token when one is sent; an invalid token is a 401 even on public routes. */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    req.actor = null;
    if (!header) return next();
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>".');
    req.bearerToken = m[1]!;
    req.actor = await auth.authenticate(m[1]!);
    next();
  };
}

export function requireActor(req: Request): Actor {
  if (!req.actor) throw new UnauthenticatedError();
  return req.actor;
}
