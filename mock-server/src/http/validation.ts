import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from './errors.js';

/** Turns zod issues into the API's `{path, message}` issues, under a prefix like `body`. */
export function toIssues(prefix: string, issues: readonly z.core.$ZodIssue[]): ValidationIssue[] {
  const found: ValidationIssue[] = [];
  for (const issue of issues) {
    const at = [prefix, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) found.push({ path: `${at}.${key}`, message: 'Unknown field' });
    } else {
      found.push({ path: at, message: issue.message });
    }
  }
  return found;
}

/** Parses `value` with `schema` or throws a 400 listing every issue under `prefix`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(toIssues(prefix, result.error.issues));
  return result.data;
}
