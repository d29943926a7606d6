/**
 * Every error code the service can answer with has a sentence in the pages' table
 * (public/messages.js), in Chinese and in English: the pages translate codes, never the API's
 * English messages (issue 20). The codes are read from the source, as the error family and the
 * error middleware write them, so a new code without its sentence fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
// @ts-expect-error: a plain ES module served to browsers, without types.
import { CODE_MESSAGES, codeMessage } from '../../public/messages.js';

const SRC = path.resolve(import.meta.dirname, '../../src');
const sources = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(SRC, f), 'utf8'));

/** Where a code is written: the error classes, AppError itself, 400s and 403s with a code, the middleware, job errors, problems with a code. */
const PATTERNS = [
  /super\(\s*\d+,\s*'([a-z_]+)'/g,
  /new AppError\(\s*\d+,\s*'([a-z_]+)'/g,
  /new BadRequestError\(\s*'([a-z_]+)'/g,
  /refused\(\s*(?:'[^']*'|"[^"]*"|`[^`]*`)\s*,\s*'([a-z_]+)'/g,
  /code = '([a-z_]+)'/g,
  /error: \{ code: '([a-z_]+)'/g,
  /'entity\.[a-z.]+' \? '([a-z_]+)'/g,
  /: '([a-z_]+)';\n\s+res\.status\(status\)/g,
  // A problem that carries its own code, the first of which becomes the answer's (ExhibitItemError).
  /\{ field(?:: [^\n]*?)?, code: '([a-z_]+)'/g,
];

describe('error codes and the pages\' sentences for them', () => {
  const codes = new Set(sources.flatMap((text) => PATTERNS.flatMap((p) => [...text.matchAll(p)].map((m) => m[1]!))));

  it('finds the codes in the source', () => {
    // A sample the patterns must catch, one of each way of writing a code.
    expect([...codes]).to.include.members(['validation_failed', 'volume_too_large', 'no_file', 'reviewer_required', 'forbidden', 'interrupted', 'invalid_json', 'bad_request', 'internal']);
  });

  it('has a Chinese and an English sentence for every code', () => {
    const missing = [...codes].filter((code) => !(code in CODE_MESSAGES));
    expect(missing).to.deep.equal([]);
    for (const [code, [zh, en]] of Object.entries(CODE_MESSAGES as Record<string, [string, string]>)) {
      expect(zh, code).to.match(/[\u4e00-\u9fff]/);
      expect(en, code).to.match(/^[\x20-\x7e…’]+$/);
    }
  });

  it('falls back to the HTTP status for a code it does not know', () => {
    expect(codeMessage('brand_new', 502, 'zh')).to.equal('服务器出错（HTTP 502），请稍后再试。');
    expect(codeMessage('brand_new', 418, 'en')).to.equal('The request failed (HTTP 418).');
  });
});
