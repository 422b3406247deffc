import { operationSpecs, type OperationId, type OperationSpec } from '../spec/spec.gen.js';

/** How an operation takes its body: `json` (required), `none` (no body), `ignored` (GET and DELETE). */
export type BodyKind = 'json' | 'none' | 'ignored';

export interface Route {
  operationId: OperationId;
  spec: OperationSpec;
  /** The session id from the path, percent-decoded but not validated. */
  sessionId: string | undefined;
  body: BodyKind;
  /** Whether the operation documents the `Idempotency-Key` header. */
  idempotent: boolean;
}

interface Template {
  spec: OperationSpec;
  segments: string[];
  body: BodyKind;
  idempotent: boolean;
}

// Bodies of GET and DELETE are ignored whatever they are (docs/decisions.md#check-order).
function bodyKind(spec: OperationSpec): BodyKind {
  if (spec.method === 'GET' || spec.method === 'DELETE') return 'ignored';
  return spec.requestBody === 'required' ? 'json' : 'none';
}

const templates: Template[] = Object.values(operationSpecs).map((spec) => ({
  spec,
  segments: spec.path.split('/').slice(1),
  body: bodyKind(spec),
  idempotent: spec.headers.includes('idempotency-key'),
}));

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Finds the operation for a method and path, from the spec's route table, or undefined. */
export function matchRoute(method: string, path: string): Route | undefined {
  const verb = method.toUpperCase();
  const segments = pathSegments(path);
  if (!segments) return undefined;
  for (const template of templates) {
    if (template.spec.method !== verb) continue;
    const matched = matchSegments(template, segments);
    if (matched) {
      return { operationId: template.spec.operationId, spec: template.spec, sessionId: matched.sessionId, body: template.body, idempotent: template.idempotent };
    }
  }
  return undefined;
}

/** The methods the operations of `path` take, in the spec's order; none for a path of no operation. */
export function allowedMethods(path: string): string[] {
  const segments = pathSegments(path);
  if (!segments) return [];
  return [...new Set(templates.filter((template) => matchSegments(template, segments)).map((template) => template.spec.method))];
}

function pathSegments(path: string): string[] | undefined {
  if (path[0] !== '/') return undefined;
  const segments = path.split('/').slice(1);
  return segments.some((segment) => segment === '') ? undefined : segments;
}

function matchSegments(template: Template, segments: string[]): { sessionId: string | undefined } | undefined {
  if (template.segments.length !== segments.length) return undefined;
  let sessionId: string | undefined;
  for (const [i, part] of template.segments.entries()) {
    const actual = segments[i]!;
    if (part.startsWith('{')) {
      sessionId = decodeSegment(actual);
      if (sessionId === undefined) return undefined;
    } else if (part !== actual) {
      return undefined;
    }
  }
  return { sessionId };
}
