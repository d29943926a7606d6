/** Turns schema failures into the field problems clients get back (docs/API.md, Errors). */
import type { z } from 'zod';
import { ValidationError, type FieldProblem } from './errors.js';

export function fieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [path, key].filter(Boolean).join('.'), problem: 'is not a known field' }));
    }
    if (issue.code === 'invalid_type') {
      return [{ field: path, problem: issue.input === undefined ? 'is required' : `must be ${expectedText(issue.expected)}` }];
    }
    return [{ field: path || '(body)', problem: issue.message }];
  });
}

const EXPECTED: Record<string, string> = { int: 'a whole number', array: 'a list', object: 'an object' };
const expectedText = (expected: string) => EXPECTED[expected] ?? `a ${expected}`;

/** Parses with a schema or throws a ValidationError naming every field at fault. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  // reportInput: zod 4 leaves the input out of issues unless asked, and without it a missing
  // field cannot be told from one of the wrong type.
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw new ValidationError(fieldProblems(result.error, prefix));
  return result.data;
}
