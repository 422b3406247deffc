// Reads openapi/sessions.yaml and renders the route table the mock server routes, validates
// and checks responses with: operation ids, methods, path templates, query parameters, request
// headers and bodies, for every documented status the zod schema of its body and its headers,
// and the status of each error code. The operation ids also go to a module of their own.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const methods = ['get', 'put', 'post', 'delete', 'patch'];

function deref(spec, node) {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    current = current.$ref.replace(/^#\//, '').split('/').reduce((at, key) => at?.[key], spec);
    if (current === undefined) throw new Error(`Unresolvable $ref ${node.$ref}`);
  }
  return current;
}

function schemaName(schema) {
  const ref = schema?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/components/schemas/')) {
    throw new Error(`Every response body must $ref a component schema; found ${JSON.stringify(schema)}`);
  }
  return `z${ref.slice('#/components/schemas/'.length)}`;
}

function readOperations(spec) {
  const operations = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(spec, p));
      const query = parameters
        .filter((p) => p.in === 'query')
        .map((p) => ({ name: p.name, type: deref(spec, p.schema).type === 'integer' ? 'integer' : 'string' }));
      const headers = parameters.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
      const responses = {};
      for (const [status, response] of Object.entries(operation.responses)) {
        const resolved = deref(spec, response);
        const schema = resolved.content?.['application/json']?.schema;
        const headers = Object.entries(resolved.headers ?? {}).map(([name, header]) => ({
          name: name.toLowerCase(),
          required: deref(spec, header).required === true,
        }));
        responses[status] = { schema: schema ? schemaName(schema) : null, headers };
      }
      operations.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        query,
        headers,
        // An optional body (close and complete take none, or `{}`) is read like no body at all.
        requestBody: operation.requestBody?.required ? 'required' : 'none',
        responses,
      });
    }
  }
  return operations;
}

/** The error codes a response schema allows: the `enum` or `const` of its `code`, through `allOf`. */
function errorCodes(spec, node) {
  const schema = deref(spec, node);
  const code = schema.properties?.code && deref(spec, schema.properties.code);
  const own = code?.const !== undefined ? [code.const] : code?.enum;
  // Every part of an `allOf` holds: a code is allowed when each part that names codes allows it.
  const named = [own, ...(schema.allOf ?? []).map((part) => errorCodes(spec, part))].filter((codes) => codes?.length > 0);
  return named.length === 0 ? [] : named.reduce((codes, next) => codes.filter((c) => next.includes(c)));
}

/**
 * The status of every error code an error response documents, from the schemas of the error
 * responses (`UnauthorizedError` allows `AUTH_REQUIRED` and `AUTH_INVALID`, and is the body of 401).
 * A code documented under two statuses is an error of the spec.
 */
function readErrorStatuses(spec) {
  const statuses = {};
  for (const item of Object.values(spec.paths)) {
    for (const method of methods) {
      for (const [status, response] of Object.entries(item[method]?.responses ?? {})) {
        if (Number(status) < 400) continue;
        const schema = deref(spec, response).content?.['application/json']?.schema;
        if (!schema) continue;
        for (const code of errorCodes(spec, schema)) {
          if (statuses[code] !== undefined && statuses[code] !== Number(status)) throw new Error(`Error code ${code} is documented under ${statuses[code]} and ${status}`);
          statuses[code] = Number(status);
        }
      }
    }
  }
  return statuses;
}

/** Every operation of the spec with its query, body, and every documented status with its headers. */
export function loadOperations(specPath = 'openapi/sessions.yaml') {
  return readOperations(parse(readFileSync(specPath, 'utf8')));
}

/**
 * The operation ids alone, in a module that imports nothing: the inspector's browser bundle
 * lists them without the schemas.
 */
export function renderOperationIds(specPath = 'openapi/sessions.yaml') {
  const operations = loadOperations(specPath);
  return [
    '// Generated from openapi/sessions.yaml by `npm run generate` (scripts/api-table.mjs). Do not edit.',
    '',
    '/** The operations of the Sessions API, by their spec `operationId`, in the spec\'s order. */',
    `export const operationIds = [${operations.map((op) => `'${op.operationId}'`).join(', ')}] as const;`,
    '',
    'export type OperationId = (typeof operationIds)[number];',
    '',
  ].join('\n');
}

export function renderApiTable(specPath = 'openapi/sessions.yaml') {
  const spec = parse(readFileSync(specPath, 'utf8'));
  const operations = readOperations(spec);
  const errorStatuses = readErrorStatuses(spec);
  const schemas = new Set();
  for (const op of operations) for (const r of Object.values(op.responses)) if (r.schema) schemas.add(r.schema);
  const lines = [
    '// Generated from openapi/sessions.yaml by `npm run generate` (scripts/api-table.mjs). Do not edit.',
    "import type { z } from 'zod';",
    `import { ${[...schemas].sort().join(', ')} } from 'fold-sessions/zod';`,
    "import type { zErrorCode } from 'fold-sessions/zod';",
    "import type { OperationId } from './operation-ids.gen.js';",
    '',
    "export { operationIds, type OperationId } from './operation-ids.gen.js';",
    '',
    'export interface QueryParameterSpec {',
    '  readonly name: string;',
    "  readonly type: 'string' | 'integer';",
    '}',
    '',
    'export interface ResponseHeaderSpec {',
    '  /** Lower case. */',
    '  readonly name: string;',
    '  readonly required: boolean;',
    '}',
    '',
    'export interface ResponseSpec {',
    '  /** The schema of the JSON body, or null for a response without one. */',
    '  readonly schema: z.ZodType | null;',
    '  readonly headers: readonly ResponseHeaderSpec[];',
    '}',
    '',
    'export interface OperationSpec {',
    '  readonly operationId: OperationId;',
    "  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';",
    '  /** The path template, e.g. `/sessions/{id}/messages`. */',
    '  readonly path: string;',
    '  readonly query: readonly QueryParameterSpec[];',
    "  readonly requestBody: 'required' | 'none';",
    '  /** The request headers it documents as parameters, lower case. */',
    '  readonly headers: readonly string[];',
    '  /** Every documented status. */',
    '  readonly responses: Readonly<Record<number, ResponseSpec>>;',
    '}',
    '',
    '/** Every operation as the spec documents it. */',
    'export const operationSpecs: { readonly [K in OperationId]: OperationSpec } = {',
  ];
  for (const op of operations) {
    lines.push(`  ${op.operationId}: {`);
    lines.push(`    operationId: '${op.operationId}',`);
    lines.push(`    method: '${op.method}',`);
    lines.push(`    path: '${op.path}',`);
    lines.push(`    query: [${op.query.map((q) => `{ name: '${q.name}', type: '${q.type}' }`).join(', ')}],`);
    lines.push(`    requestBody: '${op.requestBody}',`);
    lines.push(`    headers: [${op.headers.map((h) => `'${h}'`).join(', ')}],`);
    lines.push('    responses: {');
    for (const [status, response] of Object.entries(op.responses)) {
      const headers = response.headers.map((h) => `{ name: '${h.name}', required: ${h.required} }`).join(', ');
      lines.push(`      ${status}: { schema: ${response.schema ?? 'null'}, headers: [${headers}] },`);
    }
    lines.push('    },');
    lines.push('  },');
  }
  lines.push('};', '');
  lines.push('/** The status of each error code, as the error responses document it (a code no response documents is missing). */');
  lines.push('export const statusByErrorCode = {');
  for (const [code, status] of Object.entries(errorStatuses).sort(([a, x], [b, y]) => x - y || (a < b ? -1 : 1))) lines.push(`  ${code}: ${status},`);
  lines.push('} as const satisfies { readonly [code in z.output<typeof zErrorCode>]?: number };', '');
  lines.push('/** The error statuses each operation documents. */');
  lines.push('export interface ErrorStatuses {');
  for (const op of operations) {
    const statuses = Object.keys(op.responses).filter((status) => Number(status) >= 400);
    lines.push(`  ${op.operationId}: ${statuses.join(' | ') || 'never'};`);
  }
  lines.push('}', '');
  return lines.join('\n');
}
