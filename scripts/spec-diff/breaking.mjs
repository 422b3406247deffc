// Breaking changes between two versions of an OpenAPI description, in plain words.
//
// The comparison is api-smart-diff's: it resolves every $ref, walks each operation's parameters,
// bodies and responses, and classifies every change as breaking or not from the side of a client
// (a response that loses a field breaks readers; a request that gains a required property breaks
// writers). One rule is added for OpenAPI 3.1, which api-smart-diff reads as 3.0: a `type` given
// as a list (`[string, 'null']`) that gains a member in a response, or loses one in a request.
import { apiCompare } from 'api-smart-diff';

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

/**
 * @typedef {{ operation: string, text: string }} Break
 * @param {object} before the released description, parsed
 * @param {object} after the working description, parsed
 * @returns {Break[]} one entry per breaking change of an operation, in the order found
 */
export function findBreakingChanges(before, after) {
  const { diffs } = apiCompare(before, after);
  const breaks = [];
  for (const diff of diffs) {
    const [root, path, method, ...rest] = diff.path.map(String);
    // components/ is only what operations use; its changes show up under each operation.
    if (root !== 'paths') continue;
    if (narrowsResponseFromAny(diff, rest)) continue;
    if (diff.type !== 'breaking' && !widensTypeList(diff, rest)) continue;
    const operation = method && METHODS.has(method) ? `${method.toUpperCase()} ${path}` : path;
    breaks.push({ operation, text: describe(diff, { before, after, path, method, rest }) });
  }
  // A new required property is reported once, as required, not also as a new field.
  const alsoRequired = new Set(
    breaks
      .map((b) => [b.operation, /^(.*) now requires the property (`[^`]+`)$/.exec(b.text)])
      .filter(([, match]) => match)
      .map(([operation, match]) => `${operation} ${match[1]}: new field ${match[2]}`),
  );
  return breaks.filter((b) => !alsoRequired.has(`${b.operation} ${b.text}`));
}

function asList(type) {
  return Array.isArray(type) ? type : type === undefined ? [] : [type];
}

/**
 * A response value that had no `type` (any JSON) and gets one only narrows what clients read:
 * every value they can now receive they could receive before. api-smart-diff calls it breaking.
 */
function narrowsResponseFromAny(diff, rest) {
  return rest[0] === 'responses' && rest.at(-1) === 'type' && diff.before === undefined && diff.after !== undefined;
}

/** The 3.1 rule: `type` lists read by clients (responses) may shrink, written by them (requests) may grow. */
function widensTypeList(diff, rest) {
  if (diff.action !== 'replace' || rest.at(-1) !== 'type') return false;
  const [from, to] = [asList(diff.before), asList(diff.after)];
  const [reader, writer] = rest[0] === 'responses' ? [from, to] : [to, from];
  return writer.some((type) => !reader.includes(type));
}

function resolve(doc, node) {
  let seen = 0;
  while (node && typeof node === 'object' && typeof node.$ref === 'string' && node.$ref.startsWith('#/') && seen++ < 20) {
    node = node.$ref
      .slice(2)
      .split('/')
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((value, key) => value?.[key], doc);
  }
  return node;
}

/** `sessions[].status` from the segments after `schema`, and what the rest is about. */
function fieldOf(segments) {
  const field = [];
  let i = 0;
  for (; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === 'properties' && i + 1 < segments.length) field.push(segments[++i]);
    else if (segment === 'items') field.push('[]');
    else if (segment === 'additionalProperties') field.push('{}');
    else if (['allOf', 'oneOf', 'anyOf'].includes(segment)) i++;
    else break;
  }
  return { field: field.join('.').replaceAll('.[]', '[]'), keyword: segments[i], tail: segments.slice(i + 1) };
}

const show = (value) => (value === undefined ? 'nothing' : JSON.stringify(value));

function describe(diff, { before, after, path, method, rest }) {
  const doc = diff.action === 'add' ? after : before;
  const { action } = diff;
  if (!method) return action === 'remove' ? `the path ${path} was removed` : `the path ${path} changed (${action})`;
  if (rest.length === 0) {
    return action === 'remove' ? 'the operation was removed' : `the operation changed (${action})`;
  }

  let where;
  let segments;
  if (rest[0] === 'requestBody') {
    const schemaAt = rest.indexOf('schema');
    if (schemaAt < 0) return `the request body changed: ${rest.slice(1).join('.')} ${action}`;
    where = 'request body';
    segments = rest.slice(schemaAt + 1);
  } else if (rest[0] === 'responses') {
    const status = rest[1];
    if (rest.length === 2) return `response ${status} was removed`;
    if (rest[2] === 'headers') return `header ${rest[3]} of response ${status} ${action === 'remove' ? 'was removed' : 'changed'}`;
    const schemaAt = rest.indexOf('schema');
    if (schemaAt < 0) return `response ${status} changed: ${rest.slice(2).join('.')} ${action}`;
    where = `response ${status}`;
    segments = rest.slice(schemaAt + 1);
  } else if (rest[0] === 'parameters') {
    const param = resolve(doc, doc.paths?.[path]?.[method]?.parameters?.[Number(rest[1])]) ?? diff.after ?? diff.before;
    const name = `${param?.in ?? ''} parameter \`${param?.name ?? rest[1]}\``.trim();
    if (rest.length === 2) {
      if (action === 'add') return `new ${param?.required ? 'required ' : ''}${name}`;
      if (action === 'remove') return `${name} was removed`;
    }
    if (rest[2] === 'required') return `${name} is now required`;
    if (rest[2] !== 'schema') return `${name}: ${rest.slice(2).join('.')} ${show(diff.before)} → ${show(diff.after)}`;
    where = name;
    segments = rest.slice(3);
  } else {
    return `${rest.join('.')}: ${show(diff.before)} → ${show(diff.after)}`;
  }

  const { field, keyword, tail } = fieldOf(segments);
  const reading = where.startsWith('response');
  const named = field ? `\`${field}\`` : 'the body';
  const at = field ? `${named} in the ${where}` : `the ${where}`;
  if (keyword === undefined) {
    if (action === 'remove') return reading ? `${where} no longer has the field ${named}` : `${where}: ${named} was removed`;
    if (action === 'add') return `${where}: new field ${named}`;
    return `${at} changed`;
  }
  if (keyword === 'required') {
    const name = show(diff.after ?? diff.before).replaceAll('"', '`');
    const inside = field ? ` of ${named}` : '';
    if (action === 'add') return `${where} now requires the property ${name}${inside}`;
    return `${where} no longer always has the property ${name}${inside}`;
  }
  if (keyword === 'enum') {
    if (action === 'remove' || (action === 'replace' && !reading)) {
      return `${at} no longer ${reading ? 'returns' : 'accepts'} ${show(diff.before)}`;
    }
    return `${at} may now be ${show(diff.after)}, which clients do not expect`;
  }
  if (keyword === 'type') return `${at}: type ${show(diff.before)} → ${show(diff.after)}`;
  if (keyword === 'additionalProperties') return `${at}: additional properties ${show(diff.before)} → ${show(diff.after)}`;
  const detail = tail.length ? `${keyword}.${tail.join('.')}` : keyword;
  return `${at}: ${detail} ${show(diff.before)} → ${show(diff.after)}`;
}

/** Whether going from `released` to `current` is a breaking release: a new major, or while 0.x a new minor. */
export function isBreakingRelease(released, current) {
  const [a, b] = [released, current].map((version) => {
    const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
    if (!match) throw new Error(`not a semantic version: ${version}`);
    return match.slice(1, 4).map(Number);
  });
  if (b[0] !== a[0]) return b[0] > a[0];
  return a[0] === 0 && b[1] > a[1];
}
