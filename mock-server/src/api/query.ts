import { ValidationError, type ValidationIssue } from '../core/errors.js';
import type { ApiRequest } from './types.js';

/** The query as `[name, value]` pairs, whatever shape the adapter passed. */
export function queryEntries(query: ApiRequest['query']): Array<[string, string]> {
  if (query === undefined) return [];
  if (query instanceof URLSearchParams) return [...query.entries()];
  const entries: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) entries.push([name, one]);
  }
  return entries;
}

const integerParameters = new Set(['limit']);

/**
 * Checks the query against the parameters an operation knows: unknown or repeated ones are a
 * 400. Integer parameters are converted when they look like integers, so the schema reports
 * anything else precisely.
 */
export function readQuery(query: ApiRequest['query'], known: readonly string[]): Record<string, unknown> {
  const issues: ValidationIssue[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, value] of queryEntries(query)) {
    if (!known.includes(name)) {
      issues.push({ path: `query.${name}`, message: 'Unknown query parameter' });
    } else if (Object.hasOwn(values, name)) {
      issues.push({ path: `query.${name}`, message: 'Give this parameter once' });
    } else {
      values[name] = integerParameters.has(name) && /^[+-]?\d+$/.test(value) ? Number(value) : value;
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return values;
}
