/**
 * Accounts, sign-in and bearer tokens. Tokens are 256 random bits handed to the client once;
 * only their SHA-256 is stored, so a copy of the database does not let anyone sign in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { UNIT_KEY_PATTERN } from '../domain/census-number.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../domain/errors.js';
import { parseOrThrow } from '../domain/validation.js';
import { ROLES, type Actor } from '../domain/workflow.js';
import type { CatalogueStore, UserAccount } from '../ports/catalogue-store.js';
import { hashPassword, verifyPassword } from './passwords.js';

export const NewUserSchema = z
  .object({
    username: z.string().regex(/^[A-Za-z0-9._-]{2,64}$/, 'must be 2–64 letters, digits, dots, underscores or hyphens'),
    password: z.string().min(10, 'must be at least 10 characters').max(512),
    role: z.enum(ROLES),
    /** For surveyors: the unit key `PPPPPP-UUUU`, or the bare `UUUU` when only one unit has that code. */
    unit: z.string().optional(),
    displayName: z.string().optional(),
  })
  .strict();

export const CredentialsSchema = z.object({ username: z.string().min(1), password: z.string().min(1) }).strict();

export interface PublicUser {
  username: string;
  role: UserAccount['role'];
  unit: string | null;
  displayName: string | null;
  createdAt: string;
}

const publicUser = (u: UserAccount): PublicUser => ({
  username: u.username, role: u.role, unit: u.unit, displayName: u.displayName, createdAt: u.createdAt,
});

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class AuthService {
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly store: CatalogueStore,
    private readonly sessionHours: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async signIn(body: unknown): Promise<{ token: string; expiresAt: string; user: PublicUser }> {
    const { username, password } = parseOrThrow(CredentialsSchema, body);
    const user = await this.store.users.get(username);
    // Hash even for unknown users so response time does not reveal which usernames exist.
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    const ok = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !ok || user.disabled) throw new UnauthenticatedError('Unknown username or wrong password.');
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    // Sign-ins are rare enough to sweep expired sessions on the way.
    await this.store.sessions.purgeExpired(now.toISOString());
    const expiresAt = new Date(now.getTime() + this.sessionHours * 3600_000).toISOString();
    await this.store.sessions.create({ tokenHash: hashToken(token), username, createdAt: now.toISOString(), expiresAt });
    return { token, expiresAt, user: publicUser(user) };
  }

  async signOut(token: string): Promise<void> {
    await this.store.sessions.delete(hashToken(token));
  }

  /** The actor a bearer token stands for; throws 401 for an unknown or expired token. */
  async authenticate(token: string): Promise<Actor> {
    const session = await this.store.sessions.get(hashToken(token));
    if (!session || session.expiresAt < this.now().toISOString()) {
      throw new UnauthenticatedError('The token is unknown or has expired; sign in again (POST /api/session).');
    }
    const user = await this.store.users.get(session.username);
    if (!user || user.disabled) throw new UnauthenticatedError('The account no longer exists or is disabled.');
    return { username: user.username, role: user.role, unit: user.unit };
  }

  async createUser(actor: Actor, body: unknown): Promise<PublicUser> {
    if (actor.role !== 'admin') throw new ForbiddenError('Only an admin creates users.');
    const input = parseOrThrow(NewUserSchema, body);
    const unit = await this.resolveUnit(input.role, input.unit);
    const account: UserAccount = {
      username: input.username,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      unit,
      displayName: input.displayName ?? null,
      createdAt: this.now().toISOString(),
      disabled: false,
    };
    await this.store.users.create(account);
    return publicUser(account);
  }

  async getUser(actor: Actor, username: string): Promise<PublicUser> {
    if (actor.role !== 'admin' && actor.username !== username) throw new ForbiddenError('Only an admin reads other users.');
    const user = await this.store.users.get(username);
    if (!user) throw new NotFoundError(`User ${username}`);
    return publicUser(user);
  }

  async listUsers(actor: Actor): Promise<PublicUser[]> {
    if (actor.role !== 'admin') throw new ForbiddenError('Only an admin lists users.');
    return (await this.store.users.list()).map(publicUser);
  }

  /**
   * Creates the first admin on an empty store. Returns the password when it was generated, so
   * the caller can print it once.
   */
  async bootstrapAdmin(username: string, password: string | undefined): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await this.store.users.count()) > 0) return { created: false };
    const chosen = password ?? randomBytes(12).toString('base64url');
    await this.store.users.create({
      username,
      passwordHash: await hashPassword(chosen),
      role: 'admin',
      unit: null,
      displayName: null,
      createdAt: this.now().toISOString(),
      disabled: false,
    });
    return password ? { created: true } : { created: true, generatedPassword: chosen };
  }

  private async resolveUnit(role: UserAccount['role'], written: string | undefined): Promise<string | null> {
    if (role !== 'surveyor') {
      if (written !== undefined) throw new ValidationError([{ field: 'unit', problem: 'only surveyors belong to a unit' }]);
      return null;
    }
    if (!written) throw new ValidationError([{ field: 'unit', problem: 'is required for a surveyor' }]);
    const units = await this.store.units.list();
    const full = UNIT_KEY_PATTERN.exec(written);
    const matches = full
      ? units.filter((u) => u.province === full[1] && u.code === full[2])
      : units.filter((u) => u.code === written);
    if (matches.length === 1) return `${matches[0]!.province}-${matches[0]!.code}`;
    throw new ValidationError([
      {
        field: 'unit',
        problem: matches.length === 0 ? `no collecting unit ${written} is registered` : `${written} is ambiguous; write PPPPPP-${written}`,
      },
    ]);
  }
}
