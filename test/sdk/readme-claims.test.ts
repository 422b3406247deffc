// The sentences of sdk/README.md about the SDK's methods and options, each checked against the
// reference server. (Its code blocks run in test/readme.)
import { APIPromise, CursorPage, FoldSessions } from 'fold-sessions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ReferenceServer, startReferenceServer } from '../support/reference-server.js';

let server: ReferenceServer;
let fold: FoldSessions;

beforeAll(async () => {
  server = await startReferenceServer();
});
afterAll(() => server?.close());
beforeEach(async () => {
  await server.controller.reset();
  fold = new FoldSessions({ apiKey: server.apiKey, baseURL: server.url });
});

/** Every method but the two that poll, called on a fresh session, with per-call options last. */
async function everyMethod(options: { headers?: Record<string, string> } = {}) {
  const { id } = await fold.sessions.create({ name: 'readme' });
  const { id: other } = await fold.sessions.create({ name: 'readme, other' });
  await fold.sessions.messages.add(id, { role: 'user', content: 'hi' });
  return {
    'sessions.create': () => fold.sessions.create({ name: 'readme, created' }, options),
    'sessions.get': () => fold.sessions.get(id, options),
    'sessions.list': () => fold.sessions.list({}, options),
    'sessions.updateContext': () => fold.sessions.updateContext(id, { step: 2 }, options),
    'sessions.messages.add': () => fold.sessions.messages.add(id, { role: 'assistant', content: 'hello' }, options),
    'memory.query': () => fold.memory.query({ query_text: 'hi' }, options),
    'sessions.complete': () => fold.sessions.complete(other, options),
    'sessions.close': () => fold.sessions.close(id, options),
    'sessions.delete': () => fold.sessions.delete(other, options),
  };
}

describe('sdk/README.md, Methods', () => {
  it('"Every method returns an APIPromise: await it for the parsed body, or call .withResponse() for { data, response, requestId }"', async () => {
    for (const [name, call] of Object.entries(await everyMethod())) {
      const promise = call();
      expect(promise, name).toBeInstanceOf(APIPromise);
      const { data, response, requestId } = await promise.withResponse();
      expect(response.ok, name).toBe(true);
      expect(requestId, name).toMatch(/^req_/);
      expect(requestId, name).toBe(response.headers.get('x-request-id'));
      expect(await promise, `${name}: awaiting gives the same data`).toBe(data);
    }
  });

  it('"or .asResponse() for the raw Response (body unread)", lists included', async () => {
    for (const [name, call] of Object.entries(await everyMethod())) {
      const response = await call().asResponse();
      expect(response, name).toBeInstanceOf(Response);
      expect(response.bodyUsed, name).toBe(false);
      expect(response.ok, name).toBe(true);
      expect(await response.json(), name).toEqual(expect.any(Object));
    }
  });

  it('"On sessions.list() they give the first page with its response, or that response unread"', async () => {
    for (let i = 0; i < 3; i++) await fold.sessions.create({ name: `page ${i}` });
    const { data: page, response, requestId } = await fold.sessions.list({ limit: 2 }).withResponse();
    expect(page).toBeInstanceOf(CursorPage);
    expect(page.items).toHaveLength(2);
    expect(page.response).toBe(response);
    expect(requestId).toBe(response.headers.get('x-request-id'));
    const raw = await fold.sessions.list({ limit: 2 }).asResponse();
    expect(((await raw.json()) as { sessions: unknown[] }).sessions).toHaveLength(2);
  });

  it('"(but waitForSummary, and close with waitForSummary, which poll and return a plain Promise)"', async () => {
    const { id } = await fold.sessions.create({ name: 'polled' });
    const waiting = fold.sessions.waitForSummary(id);
    expect(waiting).not.toBeInstanceOf(APIPromise);
    await waiting;
    const closing = fold.sessions.close(id, { waitForSummary: true });
    expect(closing).not.toBeInstanceOf(APIPromise);
    expect((await closing).summary_status).not.toBe('pending');
  });

  it('"Every method takes per-call options last": headers reach the server on every method', async () => {
    const methods = await everyMethod({ headers: { 'x-tenant': 'acme' } });
    await server.controller.requests.clear();
    for (const call of Object.values(methods)) await call();
    const sent = await server.controller.requests();
    expect(sent.map((exchange) => exchange.request_headers['x-tenant'])).toEqual(Object.keys(methods).map(() => 'acme'));
  });
});

describe('sdk/README.md, Options', () => {
  it('defaults: baseURL https://api.fold.run, timeout 60000 (sent as X-Fold-Timeout: 60), maxRetries 2', async () => {
    const seen: Request[] = [];
    const offline = new FoldSessions({
      apiKey: 'key',
      logLevel: 'off',
      fetch: async (request) => {
        seen.push(request as Request);
        return new Response('{"error":"down","code":"SERVICE_UNAVAILABLE"}', { status: 503, headers: { 'retry-after': '0' } });
      },
    });
    await expect(offline.sessions.get('sess_1')).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(3);
    expect(seen.map((request) => request.url)).toEqual(Array(3).fill('https://api.fold.run/sessions/sess_1'));
    expect(seen.map((request) => request.headers.get('x-fold-timeout'))).toEqual(['60', '60', '60']);
    expect(seen.map((request) => request.headers.get('x-fold-retry-count'))).toEqual(['0', '1', '2']);
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer key');
  });

  it('"defaultHeaders ... sent with every request; per-call headers win"', async () => {
    const tenant = new FoldSessions({ apiKey: server.apiKey, baseURL: server.url, defaultHeaders: { 'x-tenant': 'acme', 'x-team': 'support' } });
    const { id } = await tenant.sessions.create({ name: 'tenant' });
    await tenant.sessions.get(id, { headers: { 'x-team': 'billing' } });
    const sent = (await server.controller.requests()).map((exchange) => [exchange.request_headers['x-tenant'], exchange.request_headers['x-team']]);
    expect(sent).toEqual([
      ['acme', 'support'],
      ['acme', 'billing'],
    ]);
  });
});
