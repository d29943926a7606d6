/**
 * A bound on the nesting of JSON bodies (GUJI_MAX_JSON_DEPTH), checked on the raw bytes before
 * they are parsed: no census body nests deeper than a few levels, while a body of a million
 * `[` would make the parser, the schema and every recursive walk after it slow or overflow.
 * One pass, counting brackets outside strings.
 */
import type { IncomingMessage } from 'node:http';
import { AppError } from '../domain/errors.js';

export class JsonTooDeepError extends AppError {
  constructor(maxDepth: number) {
    super(400, 'json_too_deep', `The JSON body nests objects and arrays more than ${maxDepth} deep (GUJI_MAX_JSON_DEPTH).`, [
      { field: '(body)', problem: `nested more than ${maxDepth} levels (GUJI_MAX_JSON_DEPTH)` },
    ]);
  }
}

/** Nesting depth of JSON text, or maxDepth + 1 as soon as it is passed. */
export function jsonDepth(text: string, maxDepth: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > deepest && (deepest = depth) > maxDepth) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return deepest;
}

/** express.json's `verify`: refuses a body nested deeper than maxDepth with 400 json_too_deep. */
export function refuseDeepJson(maxDepth: number) {
  return (_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string) => {
    let text: string;
    try {
      text = new TextDecoder(encoding).decode(body);
    } catch {
      text = body.toString('latin1');
    }
    if (jsonDepth(text, maxDepth) > maxDepth) throw new JsonTooDeepError(maxDepth);
  };
}
