/** The sign-in page's `?next=`: only paths on this site are followed (public/safe-next.js). */
import { expect } from 'chai';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let safeNext: (next: unknown, fallback?: string) => string;

const FOLLOWED = [
  '/',
  '/review',
  '/records/430000-0001-0000001/edit',
  '/admin?tab=users#new',
  '/search?q=%E8%B3%87%E6%B2%BB',
  '/records/a//b',
];

const REFUSED: [string, unknown][] = [
  ['another host, protocol-relative', '//evil.example/'],
  ['a backslash read as a slash', '/\\evil.example/'],
  ['two backslashes', '\\\\evil.example'],
  ['a tab the URL parser drops', '/\t/evil.example'],
  ['a newline the URL parser drops', '/\n/evil.example'],
  ['a scheme', 'https://evil.example/'],
  ['javascript:', 'javascript:alert(1)'],
  ['a relative path', 'review'],
  ['a space first', ' /review'],
  ['a backslash inside', '/records\\..\\..\\evil'],
  ['nothing', ''],
  ['no parameter at all', null],
];

describe('where the sign-in page goes next', () => {
  before(async () => {
    // The page's own module, as the browser loads it (plain JavaScript under public/).
    ({ safeNext } = await import(pathToFileURL(path.resolve(import.meta.dirname, '../../public/safe-next.js')).href));
  });
  for (const next of FOLLOWED) {
    it(`follows ${JSON.stringify(next)}`, () => expect(safeNext(next)).to.equal(next));
  }
  for (const [what, next] of REFUSED) {
    it(`goes to /review instead of ${what}: ${JSON.stringify(next)}`, () => expect(safeNext(next)).to.equal('/review'));
  }
});
