/** Sessions, users and collecting units (docs/API.md, Accounts). */
import { z } from 'zod';
import { ROLES } from '../../domain/workflow.js';
import { ACTIONS, type Action } from '../../domain/permissions.js';
import { instant } from './common.js';

export const UsernameParams = z.object({ username: z.string() });

export const UserSchema = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  unit: z.string().nullable(),
  displayName: z.string().nullable(),
  createdAt: instant,
  disabled: z.boolean(),
}).strict();

/** What the signed-in user may do anywhere (src/domain/permissions.ts): the pages show what it allows. */
const GlobalActions = z.array(z.enum(ACTIONS as [Action, ...Action[]]));
export const SessionSchema = z.object({ token: z.string(), expiresAt: instant, user: UserSchema, actions: GlobalActions }).strict();
/** Who a token belongs to: the actor, as authentication resolved it. */
export const SessionUserSchema = z.object({
  user: z.object({ username: z.string(), role: z.enum(ROLES), unit: z.string().nullable() }).loose(),
  actions: GlobalActions,
}).strict();
export const UserListSchema = z.object({ users: z.array(UserSchema) }).strict();
export const RevokedSchema = z.object({ revoked: z.number().int().meta({ description: 'Sessions ended' }) }).strict();

/** Staff also see the holder's address and contact, and when it was registered. */
export const UnitSchema = z.object({
  province: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.string().nullable(),
  address: z.string().nullable().optional(),
  contact: z.string().nullable().optional(),
  // As an agent (the provider of its manifests): its website, logo and identifier (ISIL).
  homepage: z.string().nullable().optional(),
  logo: z.string().nullable().optional(),
  identifier: z.string().nullable().optional(),
  createdAt: instant.optional(),
  disabled: z.boolean().optional(),
  // When its collection's label or provider changed (IIIF Change Discovery tells of it).
  collectionChanges: z.array(z.object({ at: instant, after: z.number().int() }).strict()).optional(),
}).strict();
export const UnitListSchema = z.object({ units: z.array(UnitSchema) }).strict();
export const UnitKeyParams = z.object({ key: z.string().regex(/^\d{6}-\d{4}$/).meta({ description: 'The unit key PPPPPP-UUUU' }) });
