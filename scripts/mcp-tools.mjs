// Reads openapi/sessions.yaml and renders the MCP tools of fold-sessions-mcp: one per operation,
// named by its operationId, described by its summary and description, with JSON schemas that
// have every $ref resolved.
//
// Input schema: path parameters, query parameters and the request body merged into one object.
// A body with `properties` contributes them; a body without any (the context object of
// updateContext) becomes one property named after its component schema (`context`); an empty
// body (`maxProperties: 0`) contributes nothing. Headers are the SDK's business: it sends the
// idempotency key and the request id.
//
// Output schema: the success body, or the tool error (the spec's Error body plus the status and
// request id of the response), so that a client can check both kinds of structured content.
//
// Annotations follow HTTP (RFC 9110): GET is read-only, GET, PUT and DELETE are idempotent,
// DELETE is destructive. An operation's `x-mcp.annotations` says what HTTP cannot (a POST that
// only reads, or one that is idempotent by the API's rules).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const methods = ['get', 'put', 'post', 'delete', 'patch'];

export const mcpToolsFile = 'mcp/src/tools.gen.ts';

function follow(spec, ref) {
  const found = ref.replace(/^#\//, '').split('/').reduce((at, key) => at?.[key], spec);
  if (found === undefined) throw new Error(`Unresolvable $ref ${ref}`);
  return found;
}

/** A copy of `node` with every local `$ref` replaced by what it points at. */
function resolve(spec, node, seen = []) {
  if (Array.isArray(node)) return node.map((item) => resolve(spec, item, seen));
  if (!node || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (seen.includes(node.$ref)) throw new Error(`Recursive $ref ${node.$ref} cannot be inlined`);
    const { $ref, ...siblings } = node;
    return { ...resolve(spec, follow(spec, $ref), [...seen, $ref]), ...resolve(spec, siblings, seen) };
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(spec, value, seen)]));
}

const componentName = (ref) => ref.slice(ref.lastIndexOf('/') + 1);
const lowerFirst = (name) => name.charAt(0).toLowerCase() + name.slice(1);

function parameterSchema(parameter) {
  return { ...parameter.schema, ...(parameter.description && { description: parameter.description.trim() }) };
}

function inputOf(spec, item, operation) {
  const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => resolve(spec, p));
  const properties = {};
  const required = [];
  const add = (name, schema, isRequired) => {
    if (name in properties) throw new Error(`${operation.operationId}: input property ${name} appears twice`);
    properties[name] = schema;
    if (isRequired) required.push(name);
  };
  const pathParams = [];
  const queryParams = [];
  for (const parameter of parameters) {
    if (parameter.in === 'path') pathParams.push(parameter.name);
    else if (parameter.in === 'query') queryParams.push(parameter.name);
    else continue;
    add(parameter.name, parameterSchema(parameter), parameter.required === true);
  }
  let body = null;
  const bodyRef = operation.requestBody?.content?.['application/json']?.schema;
  if (bodyRef) {
    const schema = resolve(spec, bodyRef);
    const bodyRequired = operation.requestBody.required === true;
    if (schema.properties) {
      for (const [name, property] of Object.entries(schema.properties)) add(name, property, bodyRequired && (schema.required ?? []).includes(name));
      body = { kind: 'properties', names: Object.keys(schema.properties) };
    } else if (schema.maxProperties !== 0) {
      if (typeof bodyRef.$ref !== 'string') throw new Error(`${operation.operationId}: a body without properties must $ref a component`);
      const name = lowerFirst(componentName(bodyRef.$ref));
      add(name, schema, bodyRequired);
      body = { kind: 'property', name };
    }
  }
  const inputSchema = { type: 'object', properties, ...(required.length > 0 && { required }), additionalProperties: false };
  return { inputSchema, pathParams, queryParams, body };
}

/** The tool error's structured content: the API's error body, its status and its request id. */
function errorResultSchema(spec) {
  const body = resolve(spec, { $ref: '#/components/schemas/Error' });
  return {
    type: 'object',
    description: 'The tool failed: the API error body, with the HTTP status and the request id of the response.',
    required: [...body.required, 'status', 'request_id'],
    properties: {
      ...body.properties,
      status: { type: ['integer', 'null'], description: 'The HTTP status, or null when no response came back.' },
      request_id: { type: ['string', 'null'], description: 'The x-request-id of the response; quote it when reporting a problem.' },
    },
  };
}

function outputOf(spec, operation, errorResult) {
  const success = Object.entries(operation.responses).find(([status]) => /^2\d\d$/.test(status));
  const schema = success && resolve(spec, success[1]).content?.['application/json']?.schema;
  if (!schema) throw new Error(`${operation.operationId}: no JSON success response`);
  return { type: 'object', anyOf: [schema, errorResult] };
}

function annotationsOf(method, operation) {
  const byMethod = {
    readOnlyHint: method === 'get',
    destructiveHint: method === 'delete',
    idempotentHint: ['get', 'put', 'delete'].includes(method),
    openWorldHint: false,
  };
  const annotations = { title: operation.summary, ...byMethod, ...operation['x-mcp']?.annotations };
  // MCP reads destructiveHint only when readOnlyHint is false.
  if (annotations.readOnlyHint) delete annotations.destructiveHint;
  return annotations;
}

function readTools(spec) {
  const errorResult = errorResultSchema(spec);
  const tools = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      tools.push({
        name: operation.operationId,
        title: operation.summary,
        description: [operation.summary, operation.description?.trim()].filter(Boolean).join('\n\n'),
        method: method.toUpperCase(),
        path,
        ...inputOf(spec, item, operation),
        outputSchema: outputOf(spec, operation, errorResult),
        annotations: annotationsOf(method, operation),
      });
    }
  }
  return tools;
}

export function loadTools(specPath = 'openapi/sessions.yaml') {
  return readTools(parse(readFileSync(specPath, 'utf8')));
}

export function renderMcpTools(specPath = 'openapi/sessions.yaml') {
  const spec = parse(readFileSync(specPath, 'utf8'));
  const tools = readTools(spec);
  // Every tool's output schema has the same error branch: written once, and named in each.
  const toolError = tools[0].outputSchema.anyOf[1];
  const marker = '__toolError__';
  const rendered = JSON.stringify(tools, (_key, value) => (value === toolError ? marker : value), 2).replaceAll(`"${marker}"`, 'toolError');
  return [
    '// Generated from openapi/sessions.yaml by `npm run generate` (scripts/mcp-tools.mjs). Do not edit.',
    "import type { ToolSpec } from './tool-spec.js';",
    '',
    `export const operationIds = ${JSON.stringify(tools.map((tool) => tool.name))} as const;`,
    '',
    'export type OperationId = (typeof operationIds)[number];',
    '',
    '/** What every tool answers when the call failed: the API error body, the status and the request id. */',
    `const toolError = ${JSON.stringify(toolError, null, 2)};`,
    '',
    '/** Every operation of the Sessions API as an MCP tool. */',
    `export const toolSpecs: readonly ToolSpec<OperationId>[] = ${rendered};`,
    '',
  ].join('\n');
}
