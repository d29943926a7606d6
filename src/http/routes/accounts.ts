/** Sessions, users and collecting units. */
import { Router, type Request, type Response } from 'express';
import { RateLimitedError } from '../../domain/errors.js';
import type { AuthService } from '../../services/auth-service.js';
import { addressKey } from '../../services/sign-in-limiter.js';
import type { UnitService } from '../../services/unit-service.js';
import { requireActor } from '../auth.js';
import { revoked, unitList, userList } from '../mappers.js';

/**
 * The client's address for sign-in throttling: the TCP peer. Express's `trust proxy` is not set,
 * so X-Forwarded-For is ignored (a client could write anything there); behind a reverse proxy every
 * client has the proxy's address, and the per-address limit then applies to all together.
 */
const clientAddress = (req: Request) => addressKey(req.socket.remoteAddress);

/**
 * A throttled sign-in is answered after a pause (the Retry-After, at most a second) rather than
 * at once. A client that waits for each answer — browsers, scripts and credential-stuffing tools
 * alike — then cannot loop at the speed of our event loop: a flood of instant 429s, each cheap,
 * took enough of it together to slow every tile and search (npm run bench -- abuse). At most
 * HELD_AT_ONCE answers wait at a time (each a socket and a timer); past that they go at once.
 */
const HELD_AT_ONCE = 256;

function pausedRefusals() {
  let held = 0;
  return async <T>(res: Response, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      if (e instanceof RateLimitedError && held < HELD_AT_ONCE) {
        held += 1;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(1, e.retryAfterSeconds ?? 1) * 1000);
          res.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        }).finally(() => (held -= 1));
      }
      throw e;
    }
  };
}

export function sessionRoutes(auth: AuthService): Router {
  const router = Router();
  const paused = pausedRefusals();
  router.post('/', async (req, res) => {
    res.status(201).json(await paused(res, () => auth.signIn(req.body, clientAddress(req))));
  });
  router.get('/', (req, res) => {
    res.json(auth.session(requireActor(req)));
  });
  router.delete('/', async (req, res) => {
    requireActor(req);
    await auth.signOut(req.bearerToken!);
    res.status(204).end();
  });
  return router;
}

export function userRoutes(auth: AuthService, baseUrl: string): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const user = await auth.createUser(requireActor(req), req.body);
    res.status(201).location(`${baseUrl}/api/users/${encodeURIComponent(user.username)}`).json(user);
  });
  router.get('/', async (req, res) => {
    res.json(userList(await auth.listUsers(requireActor(req))));
  });
  router.get('/:username', async (req, res) => {
    res.json(await auth.getUser(requireActor(req), req.params.username));
  });
  router.patch('/:username', async (req, res) => {
    res.json(await auth.changeUser(requireActor(req), req.params.username, req.body));
  });
  router.put('/:username/password', async (req, res) => {
    const actor = requireActor(req);
    await auth.setPassword(actor, req.params.username, req.body, { token: req.bearerToken!, address: clientAddress(req) });
    res.status(204).end();
  });
  router.delete('/:username/sessions', async (req, res) => {
    res.json(revoked(await auth.revokeSessions(requireActor(req), req.params.username)));
  });
  return router;
}

export function unitRoutes(units: UnitService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    // Staff see holders' addresses and contacts: their answer must not land in a shared cache.
    res.set('Cache-Control', req.actor ? 'private, no-store' : 'public, max-age=60');
    res.json(unitList(await units.list(req.actor ?? null)));
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await units.create(requireActor(req), req.body));
  });
  router.patch('/:key', async (req, res) => {
    res.json(await units.change(requireActor(req), req.params.key, req.body));
  });
  return router;
}
