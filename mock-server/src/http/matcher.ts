import type { ControlIssue } from './control-error.js';

/**
 * One test of a value; give exactly one key. `equals` compares (a JSON value for a body field),
 * `contains` looks for a substring (or an equal item of an array), `matches` is a regular
 * expression (at most `longestPattern` characters), `present` / `absent` test whether it is there.
 * @example { matches: '^sess_' }
 */
export type Condition = { equals: unknown } | { contains: string } | { matches: string } | { present: true } | { absent: true };

/** A condition, or a string: short for `{ equals: string }`. */
export type ValueMatch = string | Condition;

/**
 * Which calls a stub (a fault, a delay or an override) applies to; every field given must hold.
 * The same object in-process and over HTTP (where `sessionId` is `session_id`).
 * @example { sessionId: 'sess_4f9aK2mQ7xT1bZ8c', headers: { 'x-tenant': { contains: 'acme' } }, body: { role: { equals: 'user' } } }
 */
export interface RequestMatcher {
  /** The session of the path. */
  sessionId?: ValueMatch;
  /** The HTTP method, compared in upper case. */
  method?: ValueMatch;
  /** Header values by name (compared in lower case). */
  headers?: Record<string, ValueMatch>;
  /** Query values by name; a parameter given several times holds when one of its values does. */
  query?: Record<string, ValueMatch>;
  /** JSON-body fields by dotted path (`metadata.tenant`, `items.0.id`). */
  body?: Record<string, Condition>;
}

/** What a matcher sees of a request. The body is parsed only when a matcher asks for it. */
export interface MatchedRequest {
  method: string;
  sessionId: string | null;
  headers: Record<string, string | undefined>;
  query: Record<string, string | string[]>;
  body: () => unknown;
}

/** The longest regular expression a matcher takes: longer ones are refused, not compiled. */
export const longestPattern = 1000;

type Test = (value: unknown) => boolean;
const absentValue = Symbol('absent');

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && equal((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** Compiles one condition (its regular expression once), or adds the issue naming `path`. */
function compileCondition(condition: unknown, path: string, issues: ControlIssue[], shorthand: boolean): Test | undefined {
  if (shorthand && typeof condition === 'string') return (value) => value === condition;
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) {
    issues.push({ path, message: `Must be ${shorthand ? 'a string or ' : ''}an object with one of equals, contains, matches, present, absent` });
    return undefined;
  }
  const keys = Object.keys(condition);
  if (keys.length !== 1) {
    issues.push({ path, message: `Give exactly one of equals, contains, matches, present, absent; got ${keys.length === 0 ? 'none' : keys.join(', ')}` });
    return undefined;
  }
  const [operator] = keys as [string];
  const operand = (condition as Record<string, unknown>)[operator];
  const at = `${path}.${operator}`;
  switch (operator) {
    case 'equals':
      return (value) => value !== absentValue && equal(value, operand);
    case 'contains':
      if (typeof operand !== 'string') return void issues.push({ path: at, message: 'Must be a string' });
      return (value) => (typeof value === 'string' ? value.includes(operand) : Array.isArray(value) && value.includes(operand));
    case 'matches': {
      if (typeof operand !== 'string') return void issues.push({ path: at, message: 'Must be a regular expression, as a string' });
      if (operand.length > longestPattern) return void issues.push({ path: at, message: `Must be at most ${longestPattern} characters, got ${operand.length}` });
      let pattern: RegExp;
      try {
        pattern = new RegExp(operand, 'u');
      } catch (error) {
        return void issues.push({ path: at, message: `Not a valid regular expression: ${(error as Error).message}` });
      }
      return (value) => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && pattern.test(String(value));
    }
    case 'present':
    case 'absent':
      if (operand !== true) return void issues.push({ path: at, message: 'Must be true' });
      return operator === 'present' ? (value) => value !== absentValue && value !== undefined : (value) => value === absentValue || value === undefined;
    default:
      issues.push({ path: at, message: 'Unknown condition; use one of equals, contains, matches, present, absent' });
      return undefined;
  }
}

function fieldAt(body: unknown, path: string): unknown {
  let current: unknown = body;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return absentValue;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** A query value holds for a test when one of its values does; a missing one is absent. */
const anyOf = (value: string | string[] | undefined, test: Test): boolean =>
  value === undefined ? test(absentValue) : Array.isArray(value) ? value.some(test) || (value.length === 0 && test(absentValue)) : test(value);

/**
 * Checks and compiles a matcher once, its regular expressions included. A problem adds an issue
 * naming the field under `path` (e.g. `match.headers.x-tenant.matches`) and gives no test.
 */
export function compileMatcher(matcher: unknown, path: string, issues: ControlIssue[]): ((request: MatchedRequest) => boolean) | undefined {
  if (typeof matcher !== 'object' || matcher === null || Array.isArray(matcher)) {
    issues.push({ path, message: 'Must be an object with any of sessionId, method, headers, query, body' });
    return undefined;
  }
  const before = issues.length;
  const tests: Array<(request: MatchedRequest) => boolean> = [];
  for (const [field, spec] of Object.entries(matcher)) {
    const at = `${path}.${field}`;
    if (field === 'sessionId' || field === 'method') {
      const test = compileCondition(field === 'method' && typeof spec === 'string' ? spec.toUpperCase() : spec, at, issues, true);
      if (!test) continue;
      tests.push(field === 'method' ? (request) => test(request.method.toUpperCase()) : (request) => test(request.sessionId ?? absentValue));
    } else if (field === 'headers' || field === 'query' || field === 'body') {
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
        issues.push({ path: at, message: 'Must be an object of conditions by name' });
        continue;
      }
      for (const [name, condition] of Object.entries(spec)) {
        const test = compileCondition(condition, `${at}.${name}`, issues, field !== 'body');
        if (!test) continue;
        if (field === 'headers') tests.push((request) => test(request.headers[name.toLowerCase()] ?? absentValue));
        else if (field === 'query') tests.push((request) => anyOf(request.query[name], test));
        else tests.push((request) => test(fieldAt(request.body(), name)));
      }
    } else {
      issues.push({ path: at, message: 'Unknown field; use sessionId, method, headers, query or body' });
    }
  }
  if (issues.length > before) return undefined;
  return (request) => tests.every((test) => test(request));
}

type WireMatcher = Omit<RequestMatcher, 'sessionId'> & { session_id?: ValueMatch };

/** A matcher as the control API carries it (`session_id`). */
export function matcherToWire(matcher: RequestMatcher): WireMatcher {
  const { sessionId, ...rest } = matcher;
  return sessionId === undefined ? rest : { session_id: sessionId, ...rest };
}

/** A matcher of the control API as the controller takes it (`sessionId`). */
export function matcherFromWire(matcher: WireMatcher): RequestMatcher {
  const { session_id: sessionId, ...rest } = matcher;
  return sessionId === undefined ? rest : { sessionId, ...rest };
}
