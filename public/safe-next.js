// @ts-check
// Where the sign-in page may send the browser once signed in: a path on this site, never another
// origin (an open redirect lets a phishing link borrow the catalogue's address). Pure, so that
// test/unit/safe-next.test.ts can try it on hostile values.

/**
 * `next` when it is a path on this site, else `fallback`. Browsers read `//host` and `/\host` as
 * another host, and drop tabs and newlines inside URLs (`/\t/host` becomes `//host`), so a path
 * must start with exactly one `/` and hold no backslash or control character; and resolved
 * against a stand-in origin it must stay there.
 */
export function safeNext(next, fallback = '/review') {
  if (typeof next !== 'string' || !/^\/(?![/\\])/.test(next) || /[\\\u0000-\u001f\u007f]/.test(next)) return fallback;
  const base = 'https://guji.invalid';
  try {
    return new URL(next, base).origin === base ? next : fallback;
  } catch {
    return fallback;
  }
}
