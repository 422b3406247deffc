import { ValidationError, type ValidationIssue } from './errors.js';
import type { QueryParameterSpec } from '../spec/spec.gen.js';
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

/**
 * Checks the query against the parameters the spec gives an operation: unknown or repeated ones
 * are a 400. Integer parameters are converted when they look like integers, so the schema
 * reports anything else precisely.
 */
export function readQuery(query: ApiRequest['query'], known: readonly QueryParameterSpec[]): Record<string, unknown> {
  const issues: ValidationIssue[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, value] of queryEntries(query)) {
    const parameter = known.find((candidate) => candidate.name === name);
    if (!parameter) {
      issues.push({ path: `query.${name}`, message: 'Unknown query parameter' });
    } else if (Object.hasOwn(values, name)) {
      issues.push({ path: `query.${name}`, message: 'Give this parameter once' });
    } else {
      // Only plain decimal integers become numbers: `+5`, `5.0` or `5e0` stay text and are refused
      // by the schema like any other value that is not an integer.
      values[name] = parameter.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return values;
}
