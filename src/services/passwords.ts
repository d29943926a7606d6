/**
 * Password hashing with scrypt from node:crypto (RFC 7914), a memory-hard KDF recommended by
 * OWASP's Password Storage Cheat Sheet. The stored form names its parameters so they can be
 * raised later without invalidating existing hashes: `scrypt$N$r$p$salt$hash` (base64url).
 *
 * scrypt runs on libuv's thread pool (4 threads by default), the same pool that reads files for
 * tiles, static pages and uploads. Unbounded, a flood of sign-ins queues hundreds of scrypt jobs
 * ahead of every file read (a 3 ms tile took 3 s). So the hasher runs at most one derivation at
 * a time, the other pool threads staying free for files, and keeps only a short queue: when it is
 * full it answers 503 with Retry-After at once instead of letting waiters pile up.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { BoundedQueue } from './bounded-queue.js';

const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Password checks that may wait for the running one: with ~50–100 ms each, a second or two of work. */
export const DEFAULT_HASH_QUEUE = 16;

export class PasswordHasher {
  private readonly queue: BoundedQueue;

  /** `maxWaiting`: derivations that may wait for the one running; more are refused with 503. */
  constructor(maxWaiting: number) {
    this.queue = new BoundedQueue({ concurrent: 1, queued: maxWaiting, waitSeconds: 10 }, 'password checks');
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.queue.run(() => derive(password, salt, PARAMS));
    return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64url');
    const key = await this.queue.run(() => derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) }));
    return key.length === expected.length && timingSafeEqual(key, expected);
  }
}
