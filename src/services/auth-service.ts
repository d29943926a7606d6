/**
 * Accounts, sign-in and bearer tokens. Tokens are 256 random bits handed to the client once;
 * only their SHA-256 is stored, so a copy of the database does not let anyone sign in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { UNIT_KEY_PATTERN } from '../domain/census-number.js';
import { NotFoundError, OverloadedError, UnauthenticatedError, ValidationError } from '../domain/errors.js';
import { authorize, globalActions, type Action } from '../domain/permissions.js';
import { PASSWORD_MAX_LENGTH, PasswordSchema, passwordProblems } from '../domain/password-policy.js';
import { parseOrThrow } from '../domain/validation.js';
import { ROLES, type Actor } from '../domain/workflow.js';
import type { CatalogueStore, UserAccount } from '../ports/catalogue-store.js';
import type { PasswordHasher } from './passwords.js';
import type { SignInLimiter } from './sign-in-limiter.js';

const USERNAME = z.string().regex(/^[A-Za-z0-9._-]{2,64}$/, 'must be 2–64 letters, digits, dots, underscores or hyphens');

/** The password policy (src/domain/password-policy.ts) as field problems of `password`. */
const checkPassword = (password: string, username: string, ctx: z.RefinementCtx) => {
  for (const problem of passwordProblems(password, username)) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
};

export const NewUserSchema = z
  .object({
    username: USERNAME,
    password: PasswordSchema,
    role: z.enum(ROLES),
    /** For surveyors: the unit key `PPPPPP-UUUU`, or the bare `UUUU` when only one unit has that code. */
    unit: z.string().optional(),
    displayName: z.string().optional(),
  })
  .strict()
  .superRefine((u, ctx) => checkPassword(u.password, u.username, ctx));

// Bounded so that what the sign-in limiter remembers per attempt stays small.
export const CredentialsSchema = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(PASSWORD_MAX_LENGTH) }).strict();

/** A new password: chosen by its owner (who proves the current one) or set by an admin. */
export const PasswordChangeSchema = z
  .object({ password: PasswordSchema, currentPassword: z.string().max(PASSWORD_MAX_LENGTH).optional() })
  .strict();

/**
 * What an admin changes on an account: disables or enables it, or changes its display name, role
 * or unit (a surveyor's unit is required, as when the account is created). The change holds from
 * the account's next request: tokens carry no role (authenticate reads the account).
 */
export const UserChangeSchema = z
  .object({
    disabled: z.boolean().optional(),
    displayName: z.string().max(200).nullable().optional(),
    role: z.enum(ROLES).optional(),
    unit: z.string().nullable().optional(),
  })
  .strict();

export interface PublicUser {
  username: string;
  role: UserAccount['role'];
  unit: string | null;
  displayName: string | null;
  createdAt: string;
  disabled: boolean;
}

const publicUser = (u: UserAccount): PublicUser => ({
  username: u.username, role: u.role, unit: u.unit, displayName: u.displayName, createdAt: u.createdAt, disabled: u.disabled,
});

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class AuthService {
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly store: CatalogueStore,
    private readonly sessionHours: number,
    private readonly hasher: PasswordHasher,
    private readonly limiter: SignInLimiter,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `address`: the client's address as the sign-in limiter counts it (sign-in-limiter.ts addressKey). */
  async signIn(body: unknown, address: string): Promise<{ token: string; expiresAt: string; user: PublicUser; actions: Action[] }> {
    const { username, password } = parseOrThrow(CredentialsSchema, body);
    const user = await this.checkPassword(username, password, address);
    if (!user || user.disabled) throw new UnauthenticatedError('Unknown username or wrong password.');
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    // Sign-ins are rare enough to sweep expired sessions on the way.
    await this.store.sessions.purgeExpired(now.toISOString());
    const expiresAt = new Date(now.getTime() + this.sessionHours * 3600_000).toISOString();
    await this.store.sessions.create({ tokenHash: hashToken(token), username, createdAt: now.toISOString(), expiresAt });
    return { token, expiresAt, user: publicUser(user), actions: globalActions(user) };
  }

  /** The signed-in actor and the actions it may take somewhere, so that pages offer only those. */
  session(actor: Actor): { user: Actor; actions: Action[] } {
    return { user: actor, actions: globalActions(actor) };
  }

  /**
   * The account when `password` is its password, else null, throttled by the sign-in limiter
   * (429 before any hashing). A disabled account's right password still counts as a success for
   * the limiter: it is not a guess.
   */
  private async checkPassword(username: string, password: string, address: string): Promise<UserAccount | null> {
    this.limiter.admit(username, address);
    let ok: boolean;
    let user: UserAccount | null;
    try {
      user = await this.store.users.get(username);
      // Hash even for unknown users so response time does not reveal which usernames exist.
      this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('hex')).catch((e: unknown) => {
        this.dummyHash = null;
        throw e;
      });
      ok = await this.hasher.verify(password, user?.passwordHash ?? (await this.dummyHash));
    } catch (e) {
      if (e instanceof OverloadedError) this.limiter.cancelled(address);
      throw e;
    }
    if (!user || !ok) {
      this.limiter.failed(username, address);
      return null;
    }
    this.limiter.succeeded(username, address);
    return user;
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
    authorize(actor, 'manageUsers', null);
    const input = parseOrThrow(NewUserSchema, body);
    const unit = await this.resolveUnit(input.role, input.unit);
    const account: UserAccount = {
      username: input.username,
      passwordHash: await this.hasher.hash(input.password),
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
    authorize(actor, 'manageAccount', { username });
    const user = await this.store.users.get(username);
    if (!user) throw new NotFoundError(`User ${username}`);
    return publicUser(user);
  }

  async listUsers(actor: Actor): Promise<PublicUser[]> {
    authorize(actor, 'manageUsers', null);
    return (await this.store.users.list()).map(publicUser);
  }

  /** Admin: disables or enables an account, or edits it. A disabled account's sessions end at once. */
  async changeUser(actor: Actor, username: string, body: unknown): Promise<PublicUser> {
    authorize(actor, 'manageUsers', null);
    const change = parseOrThrow(UserChangeSchema, body);
    const user = await this.store.users.get(username);
    if (!user) throw new NotFoundError(`User ${username}`);
    if (change.disabled && username === actor.username) {
      // The last admin could lock everyone out of the administration.
      throw new ValidationError([{ field: 'disabled', problem: 'an admin cannot disable their own account' }]);
    }
    if (change.role !== undefined && change.role !== user.role && username === actor.username) {
      throw new ValidationError([{ field: 'role', problem: 'an admin cannot change their own role' }]);
    }
    const role = change.role ?? user.role;
    // A surveyor keeps their unit unless another is named; other roles belong to none.
    const unitChanges = change.role !== undefined || change.unit !== undefined;
    const written = change.unit ?? (change.role === undefined || role === user.role ? user.unit ?? undefined : undefined);
    const unit = unitChanges ? await this.resolveUnit(role, role === 'surveyor' ? written : change.unit ?? undefined) : user.unit;
    const changed: UserAccount = {
      ...user,
      role,
      unit,
      displayName: change.displayName === undefined ? user.displayName : change.displayName?.trim() || null,
      disabled: change.disabled ?? user.disabled,
    };
    await this.store.users.update(changed);
    // authenticate() refuses a disabled account's tokens already; ending them also keeps them
    // from working again when the account is enabled.
    if (change.disabled) await this.store.sessions.deleteByUser(username);
    return publicUser(changed);
  }

  /**
   * Sets a password. Its owner proves the current one (throttled like a sign-in: a stolen token
   * must not become a password oracle) and keeps the session in use, their others end; an admin
   * resetting another user's password ends all of that user's sessions.
   */
  async setPassword(actor: Actor, username: string, body: unknown, session: { token: string; address: string }): Promise<void> {
    authorize(actor, 'manageAccount', { username });
    const own = actor.username === username;
    const input = parseOrThrow(PasswordChangeSchema, body);
    const user = await this.store.users.get(username);
    if (!user) throw new NotFoundError(`User ${username}`);
    const problems = passwordProblems(input.password, username).map((problem) => ({ field: 'password', problem }));
    if (own && input.currentPassword === undefined) problems.push({ field: 'currentPassword', problem: 'is required' });
    if (problems.length > 0) throw new ValidationError(problems);
    if (own && !(await this.checkPassword(username, input.currentPassword!, session.address))) {
      throw new ValidationError([{ field: 'currentPassword', problem: 'is not the current password' }]);
    }
    await this.store.users.update({ ...user, passwordHash: await this.hasher.hash(input.password) });
    await this.store.sessions.deleteByUser(username, own ? hashToken(session.token) : undefined);
  }

  /** Ends every session of a user (admin, or the user themself); returns how many. */
  async revokeSessions(actor: Actor, username: string): Promise<number> {
    authorize(actor, 'manageAccount', { username });
    if (!(await this.store.users.get(username))) throw new NotFoundError(`User ${username}`);
    return this.store.sessions.deleteByUser(username);
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
      passwordHash: await this.hasher.hash(chosen),
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
