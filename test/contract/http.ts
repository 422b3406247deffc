import { assertConforms, type Operation, type Reply } from '../mock-server/http.js';
import type { RunningTarget } from './target.js';

export type { Reply };

export interface RawOptions {
  /** JSON-serialised unless `raw` is given. */
  body?: unknown;
  /** Sent as is: a string (fetch labels it text/plain unless `headers` say otherwise) or bytes (no Content-Type). */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Bearer key; `null` sends no Authorization header. @default the client's key */
  key?: string | null;
}

/**
 * Raw HTTP against a target, for what the SDK cannot send (malformed JSON, wrong content types,
 * odd headers). `request` checks every reply against the spec (`assertConforms`) and with the
 * target's `inspect`; `unchecked` returns whatever came back, for answers that are not the
 * API's own (Prism's problem+json, the control API).
 */
export function rawClient(running: RunningTarget, defaultKey: string) {
  async function send(method: string, path: string, options: RawOptions = {}): Promise<{ request: Request; response: Response; reply: Reply }> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? defaultKey : options.key;
    if (key !== null) headers.authorization ??= `Bearer ${key}`;
    let body: string | Uint8Array | undefined = options.raw;
    if (body === undefined && options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const request = new Request(`${running.baseURL}${path}`, { method, headers, body: body as BodyInit | undefined });
    const response = await fetch(request.clone());
    const text = await response.clone().text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { request, response, reply: { status: response.status, headers: response.headers, body: parsed } };
  }

  async function request(operation: Operation | undefined, method: string, path: string, options: RawOptions = {}): Promise<Reply> {
    const { request: sent, response, reply } = await send(method, path, options);
    running.inspect?.(response, sent);
    assertConforms(operation, reply);
    return reply;
  }

  async function unchecked(method: string, path: string, options: RawOptions = {}): Promise<Reply> {
    return (await send(method, path, options)).reply;
  }

  return {
    request,
    unchecked,
    createSession: (body: unknown = { name: 'Support chat' }, options: RawOptions = {}) =>
      request('createSession', 'POST', '/sessions', { body, ...options }),
    listSessions: (query = '', options: RawOptions = {}) => request('listSessions', 'GET', `/sessions${query}`, options),
    getSession: (id: string, options: RawOptions = {}) => request('getSession', 'GET', `/sessions/${id}`, options),
    deleteSession: (id: string, options: RawOptions = {}) => request('deleteSession', 'DELETE', `/sessions/${id}`, options),
    addMessage: (id: string, body: unknown = { role: 'user', content: 'Hello' }, options: RawOptions = {}) =>
      request('addMessage', 'POST', `/sessions/${id}/messages`, { body, ...options }),
    updateContext: (id: string, body: unknown, options: RawOptions = {}) =>
      request('updateContext', 'PUT', `/sessions/${id}/context`, { body, ...options }),
    closeSession: (id: string, options: RawOptions = {}) => request('closeSession', 'POST', `/sessions/${id}/close`, options),
    completeSession: (id: string, options: RawOptions = {}) => request('completeSession', 'POST', `/sessions/${id}/complete`, options),
    queryMemory: (body: unknown, options: RawOptions = {}) => request('queryMemory', 'POST', '/vectors/query', { body, ...options }),
  };
}

export type RawClient = ReturnType<typeof rawClient>;
