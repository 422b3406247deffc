import type { z } from 'zod';
import { toIssues } from '../http/validation.js';

/** The longest `fold-violations` header value; the journal keeps every violation whole. */
export const violationsHeaderLength = 1024;

/** One violation from zod issues: `request body: body.name Too small; body.x Unknown field`. */
export function describeIssues(what: string, prefix: string, issues: readonly z.core.$ZodIssue[]): string {
  return `${what}: ${toIssues(prefix, issues).map((issue) => `${issue.path} ${issue.message}`).join(', ')}`;
}

/**
 * The violations as one header value: joined with `; `, cut to `violationsHeaderLength`, and
 * kept to printable ASCII (a header value cannot carry every character of a message).
 */
export function violationsHeader(violations: readonly string[]): string {
  const text = violations.join('; ').replace(/[^\x20-\x7e]/g, '?');
  return text.length <= violationsHeaderLength ? text : `${text.slice(0, violationsHeaderLength - 3)}...`;
}
