import type { OperationId } from './types.js';

/** How an operation takes its body. */
export type BodyKind = 'json' | 'none' | 'ignored';

export interface Route {
  operationId: OperationId;
  /** The session id from the path, still percent-decoded but not validated. */
  sessionId?: string;
  body: BodyKind;
  /** Every POST accepts `Idempotency-Key`. */
  idempotent: boolean;
  /** Query parameters the operation knows; any other is a 400. */
  query: readonly string[];
}

function route(operationId: OperationId, body: BodyKind, sessionId?: string, query: readonly string[] = []): Route {
  const found: Route = { operationId, body, idempotent: false, query };
  if (sessionId !== undefined) found.sessionId = sessionId;
  return found;
}

const subresources: Record<string, { method: string; operationId: OperationId; body: BodyKind }> = {
  messages: { method: 'POST', operationId: 'addMessage', body: 'json' },
  context: { method: 'PUT', operationId: 'updateContext', body: 'json' },
  close: { method: 'POST', operationId: 'closeSession', body: 'none' },
  complete: { method: 'POST', operationId: 'completeSession', body: 'none' },
};

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Finds the operation for a method and path, or undefined for an unknown route. */
export function matchRoute(method: string, path: string): Route | undefined {
  const verb = method.toUpperCase();
  const segments = path.split('/').slice(1);
  if (path[0] !== '/' || segments.some((segment) => segment === '')) return undefined;
  const found = matchSegments(verb, segments);
  if (found) found.idempotent = verb === 'POST';
  return found;
}

function matchSegments(verb: string, segments: string[]): Route | undefined {
  const [first, second, third, ...rest] = segments;
  if (rest.length > 0) return undefined;
  if (first === 'vectors' && second === 'query' && third === undefined) {
    return verb === 'POST' ? route('queryMemory', 'json') : undefined;
  }
  if (first !== 'sessions') return undefined;
  if (second === undefined) {
    if (verb === 'POST') return route('createSession', 'json');
    if (verb === 'GET') return route('listSessions', 'ignored', undefined, ['status', 'limit', 'cursor']);
    return undefined;
  }
  const id = decodeSegment(second);
  if (id === undefined) return undefined;
  if (third === undefined) {
    if (verb === 'GET') return route('getSession', 'ignored', id);
    if (verb === 'DELETE') return route('deleteSession', 'ignored', id);
    return undefined;
  }
  const sub = Object.hasOwn(subresources, third) ? subresources[third] : undefined;
  return sub && sub.method === verb ? route(sub.operationId, sub.body, id) : undefined;
}
