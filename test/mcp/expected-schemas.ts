import { deref, operations, type Json } from '../support/spec.js';

/** Every local `$ref` replaced by its target, anywhere in `node`. */
function inline(spec: Json, node: Json): Json {
  if (Array.isArray(node)) return node.map((item) => inline(spec, item));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    const { $ref, ...rest } = node;
    return { ...inline(spec, deref(spec, { $ref })), ...inline(spec, rest) };
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = inline(spec, value);
  return out;
}

/**
 * What the spec says each tool takes, read here from openapi/sessions.yaml without the generator:
 * its path and query parameters and its request body's fields in one object. A body that is a free
 * object (the context) is one argument named after its schema; an empty body adds nothing.
 */
export function expectedInputSchemas(spec: Json): Record<string, Json> {
  const result: Record<string, Json> = {};
  for (const { operationId, path, method } of operations(spec)) {
    const item = spec.paths[path];
    const operation = item[method];
    const properties: Json = {};
    const required: string[] = [];
    for (const parameter of [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p: Json) => deref(spec, p))) {
      if (parameter.in !== 'path' && parameter.in !== 'query') continue;
      properties[parameter.name] = { ...inline(spec, parameter.schema), description: parameter.description.trim() };
      if (parameter.required) required.push(parameter.name);
    }
    const bodySchema = operation.requestBody?.content['application/json'].schema;
    if (bodySchema) {
      const body = inline(spec, bodySchema);
      if (body.properties) {
        Object.assign(properties, body.properties);
        if (operation.requestBody.required) required.push(...(body.required ?? []));
      } else if (body.maxProperties !== 0) {
        const name = bodySchema.$ref.split('/').pop();
        properties[name.charAt(0).toLowerCase() + name.slice(1)] = body;
        if (operation.requestBody.required) required.push(name.charAt(0).toLowerCase() + name.slice(1));
      }
    }
    result[operationId] = { type: 'object', properties, ...(required.length > 0 && { required }), additionalProperties: false };
  }
  return result;
}

/** The JSON body of each operation's success response, read from the spec with every `$ref` inlined. */
export function expectedSuccessBodies(spec: Json): Record<string, Json> {
  const result: Record<string, Json> = {};
  for (const { operationId, operation } of operations(spec)) {
    const [, response] = Object.entries<Json>(operation.responses).find(([status]) => status.startsWith('2'))!;
    result[operationId] = inline(spec, deref(spec, response).content['application/json'].schema);
  }
  return result;
}
