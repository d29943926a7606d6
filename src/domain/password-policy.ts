/**
 * What a password must be, after NIST SP 800-63B §5.1.1.2 (Memorized Secret Verifiers): at least
 * 8 characters (we ask 10), any characters allowed, no composition rules, and "when processing
 * requests to establish and change memorized secrets, verifiers SHALL compare the prospective
 * secrets against a list that contains values known to be commonly-used, expected, or
 * compromised", such as "passwords obtained from previous breach corpuses", "repetitive or
 * sequential characters (e.g. 'aaaaaa', '1234abcd')" and "context-specific words, such as the
 * name of the service, the username, and derivatives thereof". A refused password is told why.
 *
 * The common-password list is the `passwords-common` dictionary of @zxcvbn-ts/language-common
 * (MIT; ~49,000 passwords ranked by frequency in leaked-password corpora), the list zxcvbn-ts uses.
 */
import { dictionary } from '@zxcvbn-ts/language-common';
import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 10;
/** Long enough for any passphrase; bounds the work of hashing what a client sends. */
export const PASSWORD_MAX_LENGTH = 512;

const COMMON = new Set(dictionary['passwords-common']);
/** The service's own name: NIST's "name of the service". */
const SERVICE_WORDS = ['guji'];

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

/** A run of characters each one code point above (or each one below) the one before: abcdef, 987654. */
function isSequence(s: string): boolean {
  const codes = [...s].map((c) => c.codePointAt(0)!);
  const step = codes[1]! - codes[0]!;
  return Math.abs(step) === 1 && codes.every((c, i) => i === 0 || c - codes[i - 1]! === step);
}

/** The same 1–4 characters over and over (aaaaaaaaaa, abababab…, passpasspass). */
function isRepetition(s: string): boolean {
  const chars = [...s];
  for (let k = 1; k <= Math.min(4, chars.length / 2); k++) {
    if (chars.every((c, i) => i < k || c === chars[i - k])) return true;
  }
  return false;
}

/**
 * Why `password` is refused for `username` (empty when it is acceptable), beyond its length:
 * PasswordSchema says what is wrong with that, and a password of the wrong length gets no
 * further problems here (one thing to fix at a time).
 */
export function passwordProblems(password: string, username: string): string[] {
  if (!PasswordSchema.safeParse(password).success) return [];
  const lower = password.normalize('NFC').toLowerCase();
  const problems: string[] = [];
  const name = username.toLowerCase();
  // A two-letter user name (li, wu) is inside too many good passwords to forbid it as a part.
  if (name.length >= 3 && lower.includes(name)) problems.push('must not contain the user name');
  if (SERVICE_WORDS.some((w) => lower.includes(w))) problems.push(`must not contain the name of the service (${SERVICE_WORDS.join(', ')})`);
  if (isRepetition(lower)) problems.push('is too simple: the same characters repeated');
  else if (isSequence(lower)) problems.push('is too simple: a sequence of characters such as abcdef or 123456');
  else if (new Set(lower).size < 4) problems.push('is too simple: fewer than 4 different characters');
  // A leaked password with digits or signs added at the end (password2024!) is as guessable.
  const base = lower.replace(/[\d\W_]+$/u, '');
  if (COMMON.has(lower) || (base.length >= 4 && COMMON.has(base))) {
    problems.push('is a commonly used password (it is on a list of leaked passwords); choose another');
  }
  return problems;
}
