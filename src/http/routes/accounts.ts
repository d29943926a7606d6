/** Sessions, users and collecting units. */
import { Router } from 'express';
import type { AuthService } from '../../services/auth-service.js';
import type { UnitService } from '../../services/unit-service.js';
import { requireActor } from '../auth.js';

export function sessionRoutes(auth: AuthService): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    res.status(201).json(await auth.signIn(req.body));
  });
  router.get('/', (req, res) => {
    res.json({ user: requireActor(req) });
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
    res.json({ users: await auth.listUsers(requireActor(req)) });
  });
  router.get('/:username', async (req, res) => {
    res.json(await auth.getUser(requireActor(req), req.params.username));
  });
  return router;
}

export function unitRoutes(units: UnitService): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ units: await units.list() });
  });
  router.post('/', async (req, res) => {
    res.status(201).json(await units.create(requireActor(req), req.body));
  });
  return router;
}
