import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const specPath = fileURLToPath(new URL('../../openapi/sessions.yaml', import.meta.url));

// The parsed spec, loosely typed: tests walk it like any JSON document.
export type Json = any;

export function loadSpec(): Json {
  return parse(readFileSync(specPath, 'utf8'));
}

/** Follows a local `$ref` (`#/components/...`) until it reaches a concrete object. */
export function deref(spec: Json, node: Json): Json {
  let current = node;
  while (current && typeof current === 'object' && typeof current.$ref === 'string') {
    const path = current.$ref.replace(/^#\//, '').split('/');
    current = path.reduce((at: Json, key: string) => at?.[key], spec);
    if (current === undefined) throw new Error(`Unresolvable $ref ${node.$ref}`);
  }
  return current;
}

export const httpMethods = ['get', 'put', 'post', 'delete', 'patch'] as const;

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  operation: Json;
}

export function operations(spec: Json): SpecOperation[] {
  const found: SpecOperation[] = [];
  for (const [path, item] of Object.entries<Json>(spec.paths ?? {})) {
    for (const method of httpMethods) {
      const operation = item[method];
      if (operation) found.push({ operationId: operation.operationId, method, path, operation });
    }
  }
  return found;
}
