import { expect } from 'vitest';
import type { z } from 'zod';
import {
  zAddMessageResponse,
  zCloseSessionResponse,
  zCompleteSessionResponse,
  zCreateSessionResponse,
  zDeleteSessionResponse,
  zError,
  zGetSessionResponse,
  zListSessionsResponse,
  zQueryMemoryResponse,
  zRequestId,
  zUpdateContextResponse,
  zValidationError,
} from 'fold-sessions/zod';
import type { OperationId } from 'fold-sessions-mock';

export type Operation = OperationId;

const successSchemas: Record<Operation, z.ZodType> = {
  createSession: zCreateSessionResponse,
  listSessions: zListSessionsResponse,
  getSession: zGetSessionResponse,
  deleteSession: zDeleteSessionResponse,
  addMessage: zAddMessageResponse,
  updateContext: zUpdateContextResponse,
  closeSession: zCloseSessionResponse,
  completeSession: zCompleteSessionResponse,
  queryMemory: zQueryMemoryResponse,
};

// The spec's Error has additionalProperties: false; the generated object is not strict.
const zErrorStrict = zError.strict();

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  /** JSON-serialised unless `raw` is given. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Bearer key; `null` sends no Authorization header. */
  key?: string | null;
}

/**
 * Asserts that a reply conforms to the spec: `x-request-id` on every response, success bodies
 * match the operation's generated response schema, error bodies match `Error` (and
 * `ValidationError` for 400s).
 */
export function assertConforms(operation: Operation | undefined, reply: Reply): void {
  const requestId = reply.headers.get('x-request-id');
  expect(requestId, 'x-request-id header').not.toBeNull();
  expect(zRequestId.safeParse(requestId).success, `x-request-id ${requestId}`).toBe(true);
  if (reply.status >= 400) {
    const parsed = zErrorStrict.safeParse(reply.body);
    expect(parsed.success, `error body ${JSON.stringify(reply.body)}: ${parsed.error?.message}`).toBe(true);
    if (reply.status === 400) expect(zValidationError.safeParse(reply.body).success, JSON.stringify(reply.body)).toBe(true);
    // A limit reached is final: no Retry-After, and x-should-retry: false instead.
    const final = reply.body?.code === 'USAGE_LIMIT_EXCEEDED';
    if (final) expect([reply.headers.get('retry-after'), reply.headers.get('x-should-retry')]).toEqual([null, 'false']);
    else if (reply.status === 429 || reply.status === 503) expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
    return;
  }
  if (!operation) throw new Error(`Unexpected success ${reply.status} without an operation`);
  const parsed = successSchemas[operation].safeParse(reply.body);
  expect(parsed.success, `${operation} body ${JSON.stringify(reply.body)}: ${parsed.error?.message}`).toBe(true);
}

/** A small client for the tests: every reply it returns has been checked with `assertConforms`. */
export function createTestClient(baseUrl: string, defaultKey: string) {
  async function request(operation: Operation | undefined, method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? defaultKey : options.key;
    if (key !== null) headers.authorization ??= `Bearer ${key}`;
    let body: string | undefined = options.raw;
    if (body === undefined && options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    const reply: Reply = { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
    assertConforms(operation, reply);
    return reply;
  }

  return {
    request,
    createSession: (body: unknown = { name: 'Support chat' }, options: RequestOptions = {}) =>
      request('createSession', 'POST', '/sessions', { body, ...options }),
    listSessions: (query = '', options: RequestOptions = {}) => request('listSessions', 'GET', `/sessions${query}`, options),
    getSession: (id: string, options: RequestOptions = {}) => request('getSession', 'GET', `/sessions/${id}`, options),
    deleteSession: (id: string, options: RequestOptions = {}) => request('deleteSession', 'DELETE', `/sessions/${id}`, options),
    addMessage: (id: string, body: unknown = { role: 'user', content: 'Hello' }, options: RequestOptions = {}) =>
      request('addMessage', 'POST', `/sessions/${id}/messages`, { body, ...options }),
    updateContext: (id: string, body: unknown, options: RequestOptions = {}) =>
      request('updateContext', 'PUT', `/sessions/${id}/context`, { body, ...options }),
    closeSession: (id: string, options: RequestOptions = {}) => request('closeSession', 'POST', `/sessions/${id}/close`, options),
    completeSession: (id: string, options: RequestOptions = {}) => request('completeSession', 'POST', `/sessions/${id}/complete`, options),
    queryMemory: (body: unknown, options: RequestOptions = {}) => request('queryMemory', 'POST', '/vectors/query', { body, ...options }),
  };
}

export type TestClient = ReturnType<typeof createTestClient>;
