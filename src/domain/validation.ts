/** Turns schema failures into the field problems clients get back (../shared/API.md, Errors). */
import { z } from 'zod';
import { ValidationError, type FieldProblem } from './errors.js';

export function fieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [path, key].filter(Boolean).join('.'), problem: 'is not a known field' }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return [{ field: path, problem: 'is required' }];
    }
    return [{ field: path || '(body)', problem: issue.message }];
  });
}

/** Parses with a schema or throws a ValidationError naming every field at fault. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(fieldProblems(result.error, prefix));
  return result.data;
}
