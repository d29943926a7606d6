/**
 * Throttling of password guesses at sign-in, checked before any password is hashed.
 *
 * The rules follow NIST SP 800-63B §5.2.2 (Rate Limiting (Throttling)): the verifier "SHALL
 * implement controls to limit the number of failed authentication attempts" and "SHALL limit
 * consecutive failed authentication attempts on a single account to no more than 100", using two
 * of the techniques it lists: "requiring the claimant to wait following a failed attempt for a
 * period of time that increases as the account approaches its maximum allowance" and "accepting
 * only authentication requests that come from a white list of IP addresses from which the
 * subscriber has been successfully authenticated before". The OWASP Authentication Cheat Sheet
 * ("Account Lockout") asks the same: count failures per account, not only per source, lock for a
 * time that grows exponentially, and mind that a lockout anyone can trigger is a denial of service.
 *
 * - Per address: a token bucket of `attemptsPerMinute` (burst as large). Each attempt takes a
 *   token before the password is checked; a successful sign-in gives it back, so only failures
 *   (and attempts in flight) count. IPv6 addresses are counted per /64, what one host usually has.
 * - Per account and address: `freeFailures` consecutive failures, then each further attempt waits
 *   1 s, 2 s, 4 s … up to `maxDelaySeconds`.
 * - Per account, over all addresses: the same schedule, so an attacker spreading guesses over many
 *   addresses is slowed down too (at the longest wait, under 100 guesses a day, NIST's ceiling).
 *
 * The lockout trade-off: an account-wide wait alone would let an attacker keep a real user out for
 * as long as the flood lasts. So while the account waits, two kinds of address still get through
 * (each bound by its own per-address and per-pair limits): an address this account has signed in
 * from before (NIST's allow-list), and an address that has failed at this account fewer than
 * FRESH_ADDRESS_TRIES times (the user at a new place, who may also mistype once). The price: an
 * attacker holding many addresses gets that many guesses per address at one account, which the
 * password policy (no common or trivial passwords) makes unlikely to succeed.
 *
 * Memory is bounded: each table keeps at most TRACKED entries and drops the least recently used,
 * so cycling user names or addresses cannot grow it. Evicting an attacked account's counter gives
 * the attacker its free failures again, but filling a table takes TRACKED attempts, which the
 * per-address bucket spreads over hours for one address. Counters idle for a day are forgotten.
 * State is in memory: a restart forgets it, and several processes would each keep their own.
 */
import { RateLimitedError } from '../domain/errors.js';
import { CappedMap } from './capped-map.js';

export interface SignInLimits {
  /** Sign-in attempts one client address may make per minute (also the burst). */
  attemptsPerMinute: number;
  /** Consecutive failed sign-ins at an account before each further attempt must wait. */
  freeFailures: number;
  /** The longest wait between attempts at an account, in seconds. */
  maxDelaySeconds: number;
}

export const DEFAULT_SIGN_IN_LIMITS: Readonly<SignInLimits> = { attemptsPerMinute: 10, freeFailures: 5, maxDelaySeconds: 900 };

/** Entries per table (addresses, accounts, account × address, known addresses): a few MB at most. */
export const TRACKED = 10_000;
/** Failed attempts an unknown address may make at an account that is waiting. */
export const FRESH_ADDRESS_TRIES = 2;
const FORGET_MS = 24 * 3600_000;

interface Failures {
  count: number;
  /** When the last failure happened (ms since the epoch). */
  last: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * The key an address is counted under: IPv4 as is (also when written IPv4-mapped, `::ffff:…`),
 * IPv6 by its /64 prefix.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (!plain.includes(':')) return plain;
  const [head = '', tail] = plain.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

export class SignInLimiter {
  private readonly buckets = new CappedMap<string, Bucket>(TRACKED);
  private readonly accounts = new CappedMap<string, Failures>(TRACKED);
  private readonly pairs = new CappedMap<string, Failures>(TRACKED);
  private readonly known = new CappedMap<string, true>(TRACKED);

  constructor(
    private readonly limits: SignInLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many entries the limiter keeps in all (at most 4 × TRACKED). */
  get size(): number {
    return this.buckets.size + this.accounts.size + this.pairs.size + this.known.size;
  }

  /**
   * Lets an attempt at `username` from `address` go on to the password check, taking a token
   * from the address's bucket, or throws RateLimitedError (429) saying how long to wait.
   */
  admit(username: string, address: string): void {
    const now = this.now();
    const bucket = this.bucket(address, now);
    if (bucket.tokens < 1) {
      const perMs = this.limits.attemptsPerMinute / 60_000;
      throw new RateLimitedError('Too many sign-in attempts from this address; wait before trying again.', (1 - bucket.tokens) / perMs / 1000);
    }
    const pair = this.pairs.get(pairKey(username, address));
    const waitPair = this.wait(pair, now);
    const waitAccount = this.wait(this.accounts.get(username), now);
    const exempt = this.known.get(pairKey(username, address)) !== undefined || (this.current(pair, now)?.count ?? 0) < FRESH_ADDRESS_TRIES;
    const wait = Math.max(waitPair, exempt ? 0 : waitAccount);
    if (wait > 0) {
      throw new RateLimitedError('Too many failed sign-ins at this account; wait before trying again.', wait / 1000);
    }
    bucket.tokens -= 1;
  }

  /** The password was right: the address gets its token back and its failures here are forgotten. */
  succeeded(username: string, address: string): void {
    const now = this.now();
    this.refund(address, now);
    this.pairs.delete(pairKey(username, address));
    this.known.set(pairKey(username, address), true);
    // An account under attack stays throttled for other addresses when its owner signs in.
    const account = this.current(this.accounts.get(username), now);
    if (account && account.count < this.limits.freeFailures) this.accounts.delete(username);
  }

  failed(username: string, address: string): void {
    const now = this.now();
    for (const [table, key] of [[this.pairs, pairKey(username, address)], [this.accounts, username]] as const) {
      const failures = this.current(table.get(key), now);
      table.set(key, { count: (failures?.count ?? 0) + 1, last: now });
    }
  }

  /** The password could not be checked (the service was busy): the attempt does not count. */
  cancelled(address: string): void {
    this.refund(address, this.now());
  }

  /** Failures not yet forgotten, or undefined. */
  private current(failures: Failures | undefined, now: number): Failures | undefined {
    return failures && now - failures.last < FORGET_MS ? failures : undefined;
  }

  /** Milliseconds to wait before the next attempt is allowed (0: now). */
  private wait(failures: Failures | undefined, now: number): number {
    const f = this.current(failures, now);
    if (!f || f.count < this.limits.freeFailures) return 0;
    const delay = Math.min(1000 * 2 ** Math.min(f.count - this.limits.freeFailures, 30), this.limits.maxDelaySeconds * 1000);
    return Math.max(0, f.last + delay - now);
  }

  private bucket(address: string, now: number): Bucket {
    const capacity = this.limits.attemptsPerMinute;
    const bucket = this.buckets.get(address) ?? { tokens: capacity, updated: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updated) * capacity) / 60_000);
    bucket.updated = now;
    this.buckets.set(address, bucket);
    return bucket;
  }

  private refund(address: string, now: number): void {
    const bucket = this.bucket(address, now);
    bucket.tokens = Math.min(this.limits.attemptsPerMinute, bucket.tokens + 1);
  }
}

const pairKey = (username: string, address: string) => `${username}\u0000${address}`;
