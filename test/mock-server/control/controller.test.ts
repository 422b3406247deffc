import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordExchanges } from '../../support/contract-coverage.js';
import {
  ControlError,
  createManualClock,
  createSessionsApi,
  operationIds,
  sessionFixture,
  type ApiRequest,
  type SessionsApiOptions,
  type FailureStatus,
} from 'fold-sessions-mock';
import { operationSpecs } from '../../../mock-server/src/spec/spec.gen.js';

const key = 'key_a';
const start = Date.UTC(2025, 0, 1);

const built: Array<ReturnType<typeof createSessionsApi>> = [];
afterEach(async () => {
  for (const api of built.splice(0)) recordExchanges('controller unit tests', await api.controller.requests());
});

function setup(options: SessionsApiOptions = {}) {
  const api = createSessionsApi({ keys: { [key]: 'org_a', key_b: 'org_b' }, clock: createManualClock(start), ...options });
  built.push(api);
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const request: ApiRequest = {
      method,
      path,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { rawBody: typeof body === 'string' ? body : JSON.stringify(body) }),
    };
    return api.handle(request);
  };
  const create = async (name = 'chat', ttl_seconds = 3600) => (await call('POST', '/sessions', { name, ttl_seconds })).body as { id: string };
  return { ...api, call, create };
}

async function rejection(promise: Promise<unknown>): Promise<ControlError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ControlError);
  return error as ControlError;
}

describe('request journal', () => {
  it('records every exchange with its operation, session, redacted headers, parsed body and answer', async () => {
    const { controller, call, create } = setup();
    const { id } = await create('journal');
    await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'hi' }, { 'idempotency-key': 'k1', 'x-request-id': 'req_mine' });
    await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'hi' }, { 'idempotency-key': 'k1' });
    await call('POST', '/sessions', 'not json');
    await call('GET', '/nowhere');

    const all = await controller.requests();
    expect(all.map((entry) => [entry.operation_id, entry.status, entry.replayed])).toEqual([
      ['createSession', 201, false],
      ['addMessage', 201, false],
      ['addMessage', 201, true],
      ['createSession', 400, false],
      [null, 404, false],
    ]);
    expect(all.map((entry) => entry.id)).toEqual([1, 2, 3, 4, 5]);
    const [created, appended] = all;
    expect(created).toMatchObject({ session_id: id, method: 'POST', path: '/sessions', request_body: { name: 'journal', ttl_seconds: 3600 }, injected: null, network_error: false });
    expect(appended).toMatchObject({
      request_id: 'req_mine',
      session_id: id,
      request_headers: { authorization: '[redacted]', 'idempotency-key': 'k1', 'content-type': 'application/json' },
      request_body: { role: 'user', content: 'hi' },
      response_headers: { 'x-request-id': 'req_mine' },
      started_at: start,
    });
    expect(appended!.duration_ms).toBeGreaterThanOrEqual(0);
    expect(all[3]!.request_body).toBe('not json');
    expect(JSON.stringify(all)).not.toContain(key);
  });

  it('filters by operation, status, session, time and limit; "unknown" finds unrouted requests', async () => {
    const { controller, call, create } = setup();
    const first = await create('one');
    await controller.clock.advance(1000);
    const second = await create('two');
    await call('GET', `/sessions/${first.id}`);
    await call('GET', `/sessions/sess_missing_0000000000`);
    await call('GET', '/sessions/a/b/c');

    expect((await controller.requests({ operationId: 'createSession' })).map((e) => e.session_id)).toEqual([first.id, second.id]);
    expect((await controller.requests({ status: 404 })).map((e) => e.operation_id)).toEqual(['getSession', null]);
    expect((await controller.requests({ sessionId: first.id })).map((e) => e.operation_id)).toEqual(['createSession', 'getSession']);
    expect((await controller.requests({ since: start + 1000 })).length).toBe(4);
    expect((await controller.requests({ limit: 2 })).map((e) => e.id)).toEqual([4, 5]);
    expect((await controller.requests({ operationId: 'unknown' })).map((e) => e.path)).toEqual(['/sessions/a/b/c']);
    const bad = await rejection(controller.requests({ limit: 0, status: 700, colour: 'x' } as never));
    expect(bad.issues.map((issue) => issue.path).sort()).toEqual(['colour', 'limit', 'status']);
  });

  it('keeps the last N exchanges, oldest dropped first; clear() empties it; answers are copies', async () => {
    const { controller, call } = setup({ journal: 3 });
    for (let i = 0; i < 5; i++) await call('GET', '/sessions');
    const kept = await controller.requests();
    expect(kept.map((entry) => entry.id)).toEqual([3, 4, 5]);
    kept[0]!.status = 999;
    expect((await controller.requests())[0]!.status).toBe(200);
    await controller.requests.clear();
    expect(await controller.requests()).toEqual([]);
    await call('GET', '/sessions');
    expect((await controller.requests()).map((entry) => entry.id)).toEqual([6]);
  });

  it('marks faults, and dropped connections with no status unless the request was handled first', async () => {
    const { controller, call, create } = setup();
    const { id } = await create();
    await controller.fail('getSession', { status: 503 });
    await controller.fail('addMessage', { networkError: true });
    await controller.fail('addMessage', { networkError: true, afterProcessing: true });
    await call('GET', `/sessions/${id}`);
    await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'lost' });
    await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'stored' });
    const [, failed, dropped, droppedAfter] = await controller.requests();
    expect(failed).toMatchObject({ status: 503, injected: 'fault', network_error: false });
    expect(dropped).toMatchObject({ status: null, injected: 'fault', network_error: true });
    expect(droppedAfter).toMatchObject({ status: 201, injected: 'fault', network_error: true });
    const stored = await call('GET', `/sessions/${id}`);
    expect((stored.body as { messages: Array<{ content: string }> }).messages.map((m) => m.content)).toEqual(['stored']);
  });

  it('can be turned off', async () => {
    const { controller, call } = setup({ journal: false });
    await call('GET', '/sessions');
    expect(await controller.requests()).toEqual([]);
  });
});

describe('fail(): every error status an operation documents, with a spec-valid body', () => {
  const cases = operationIds.flatMap((operationId) =>
    Object.keys(operationSpecs[operationId].responses)
      .map(Number)
      .filter((status) => status >= 400)
      .map((status) => [operationId, status] as const),
  );

  it.each(cases)('%s %i', async (operationId, status) => {
    const { controller, call, create } = setup();
    const { id } = await create();
    const spec = operationSpecs[operationId];
    await controller.fail(operationId, { status: status as FailureStatus<typeof operationId>, retryAfter: 2 });
    const path = spec.path.replace('{id}', id);
    const body = spec.requestBody === 'required' ? (operationId === 'queryMemory' ? { query_text: 'x' } : operationId === 'updateContext' ? {} : { name: 'x', role: 'user', content: 'x' }) : undefined;
    const response = await call(spec.method, path, body);
    expect(response.status).toBe(status);
    expect(spec.responses[status]!.schema!.safeParse(response.body).success, JSON.stringify(response.body)).toBe(true);
    for (const header of spec.responses[status]!.headers.filter((h) => h.required)) {
      expect(response.headers[header.name], header.name).toBeDefined();
    }
    expect(response.headers['retry-after']).toBe(status === 429 || status === 503 ? '2' : undefined);
  });

  it("'all' takes only the statuses every operation documents", async () => {
    const { controller } = setup();
    await expect(controller.fail('all', { status: 401 })).resolves.toBeUndefined();
    // @ts-expect-error 404 is not a status every operation documents: the types refuse it too
    const error = await rejection(controller.fail('all', { status: 404 }));
    expect(error.issues).toEqual([{ path: 'status', message: expect.stringContaining('use one of 400, 401, 429, 500, 503') }]);
  });

  it('names every bad field at once and changes nothing', async () => {
    const { controller, call } = setup();
    const error = await rejection(controller.fail('nope' as 'all', { status: 503, times: 0, retryAfter: -1 }));
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['operationId', 'retryAfter', 'times']);
    expect(error.status).toBe(400);
    expect((await rejection(controller.fail('getSession', { status: 503, networkError: true } as never))).issues[0]!.path).toBe('status');
    expect((await rejection(controller.delay('getSession', -5))).issues).toEqual([{ path: 'ms', message: expect.any(String) }]);
    expect((await call('GET', '/sessions')).status).toBe(200);
  });
});

describe('override()', () => {
  it('answers with a checked response for `times` calls, the newest override first, then the API again', async () => {
    const { controller, call, create } = setup();
    const { id } = await create();
    const notFound = { error: 'gone', code: 'NOT_FOUND' as const, details: null };
    await controller.override('getSession', { status: 404, body: notFound, headers: { 'X-Custom': 'yes' } });
    await controller.override('getSession', { status: 500, body: { error: 'boom', code: 'INTERNAL_ERROR', details: null } }, { times: 1 });
    const first = await call('GET', `/sessions/${id}`);
    expect(first.status).toBe(500);
    const second = await call('GET', `/sessions/${id}`);
    expect(second).toMatchObject({ status: 404, body: notFound, headers: { 'x-custom': 'yes', 'content-type': expect.stringMatching(/json/) } });
    expect(second.headers['x-request-id']).toMatch(/^req_/);
    expect((await controller.requests({ operationId: 'getSession' })).map((e) => e.injected)).toEqual(['override', 'override']);
    await controller.reset();
    expect((await call('GET', '/sessions')).status).toBe(200);
  });

  it('refuses a status the operation does not document, or a body its schema refuses, naming the field', async () => {
    const { controller, call } = setup();
    const status = await rejection(controller.override('listSessions', { status: 404, body: { error: 'x', code: 'NOT_FOUND', details: null } }));
    expect(status.issues[0]).toEqual({ path: 'status', message: expect.stringContaining('listSessions does not document status 404') });
    const body = await rejection(controller.override('createSession', { status: 201, body: { id: 'not-a-session-id', name: 'x' } }));
    expect(body.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['body.id', 'body.status']));
    const headers = await rejection(controller.override('getSession', { status: 500, body: { error: 'x', code: 'INTERNAL_ERROR', details: null }, headers: { 'bad header': 'x' } }));
    expect(headers.issues[0]!.path).toBe('headers.bad header');
    const times = await rejection(controller.override('getSession', { status: 500, body: { error: 'x', code: 'INTERNAL_ERROR', details: null } }, { times: 0 }));
    expect(times.issues[0]!.path).toBe('times');
    expect((await call('GET', '/sessions')).status).toBe(200);
  });

  it('takes a function of the request, and unchecked responses on purpose', async () => {
    const onInternalError = vi.fn();
    const { controller, call, create } = setup({ onInternalError });
    const { id } = await create();
    await controller.override('addMessage', (request) => ({
      status: 201,
      body: { id: 'msg_0000000000000001', role: 'assistant', content: `echo: ${(request.body as { content: string }).content}`, tool_call_id: null, tool_name: null, created_at: 0 },
    }), { times: 1 });
    const echoed = await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'ping' });
    expect(echoed.body).toMatchObject({ content: 'echo: ping' });

    await controller.override('addMessage', () => ({ status: 299, body: {} }), { times: 1 });
    const refused = await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'x' });
    expect(refused.status).toBe(500);
    expect(onInternalError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('addMessage does not document status 299') }), expect.anything());

    await controller.override('addMessage', { status: 299, body: { anything: true } }, { unchecked: true, times: 1 });
    expect(await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'x' })).toMatchObject({ status: 299, body: { anything: true } });
  });
});

describe('reset(), seed(), fixtures and the clock', () => {
  it('reset() restores the initial data and clears faults, overrides, idempotency keys, rate windows, the journal and the clock', async () => {
    const initialData = sessionFixture({ orgId: 'org_a', name: 'initial', now: start });
    const { controller, call, create } = setup({ initialData, rateLimit: 3 });
    await create('extra');
    await call('POST', '/sessions', { name: 'keyed' }, { 'idempotency-key': 'same' });
    await controller.fail('all', { status: 503, times: 10 });
    await controller.delay('all', 10_000);
    await controller.override('listSessions', { status: 500, body: { error: 'x', code: 'INTERNAL_ERROR', details: null } });
    await controller.clock.advance(5000);

    await controller.reset();
    expect(await controller.clock.now()).toBe(start);
    expect(await controller.requests()).toEqual([]);
    expect((await controller.snapshot()).sessions.map((doc) => doc.session.name)).toEqual(['initial']);
    const listed = await call('GET', '/sessions');
    expect(listed.status).toBe(200);
    expect(listed.headers.ratelimit).toBe('limit=3, remaining=2, reset=60');
    const again = await call('POST', '/sessions', { name: 'other body' }, { 'idempotency-key': 'same' });
    expect(again.status).toBe(201);
  });

  it('seed() checks every document, adds nothing when one is bad, and refuses ids already stored', async () => {
    const { controller } = setup();
    const good = sessionFixture({ orgId: 'org_a', now: start });
    const bad = { sessions: [...good.sessions, { org_id: '', session: { id: 'nope' }, messages: [{}] }], memory: [{ id: 'm' }] };
    const error = await rejection(controller.seed(bad as never));
    expect(error.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['sessions.1.org_id', 'sessions.1.session.id', 'sessions.1.messages.0.id', 'memory.0.org_id', 'memory.0.metadata']),
    );
    expect((await controller.snapshot()).sessions).toEqual([]);
    await controller.seed(good);
    const again = await rejection(controller.seed(good));
    expect(again.issues[0]!.message).toMatch(/already stored/);
  });

  it.each(['active', 'closed', 'completed', 'expired'] as const)('sessionFixture builds a %s session the API reports as such', async (status) => {
    const { controller, call } = setup();
    const data = sessionFixture({ orgId: 'org_a', status, messages: 20, now: await controller.clock.now() });
    await controller.seed(data);
    const id = data.sessions[0]!.session.id;
    const read = await call('GET', `/sessions/${id}`);
    expect(read.body).toMatchObject({ status, message_count: 20, summary_status: status === 'closed' ? 'stored' : 'none' });
    const messages = (read.body as { messages: Array<{ role: string; tool_name: string | null }> }).messages;
    expect(new Set(messages.map((m) => m.role))).toEqual(new Set(['user', 'assistant']));
    expect(messages.some((m) => m.tool_name === 'lookup')).toBe(true);
    const append = await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'more' });
    expect(append.status).toBe(status === 'active' ? 201 : 409);
    const memory = await call('POST', '/vectors/query', { query_text: 'Fixture session user message' });
    expect((memory.body as { count: number }).count).toBe(status === 'closed' ? 1 : 0);
  });

  it('the clock moves expiry at once, refuses negative moves, and set() jumps anywhere', async () => {
    const { controller, call, create } = setup();
    const { id } = await create('short', 60);
    expect(await controller.clock.advance(60_000)).toBe(start + 60_000);
    expect((await call('GET', `/sessions/${id}`)).body).toMatchObject({ status: 'expired' });
    expect((await rejection(controller.clock.advance(-1))).issues[0]!.path).toBe('ms');
    expect(await controller.clock.set(start)).toBe(start);
  });
});

describe('control API over handle', () => {
  const token = 'control-secret';

  it('is a plain 404 when off, and routes under /__fold with its own token when on', async () => {
    const off = setup();
    expect((await off.call('POST', '/__fold/reset', undefined, { authorization: `Bearer ${token}` })).status).toBe(404);

    const on = setup({ control: { token } });
    await on.create('journaled');
    const control = (method: string, path: string, body?: unknown, auth = token) =>
      on.call(method, path, body, { authorization: `Bearer ${auth}` });
    expect((await control('GET', '/__fold/clock')).body).toEqual({ now: start });
    expect((await control('GET', '/__fold/clock', undefined, key)).status).toBe(401);
    expect((await on.call('GET', '/sessions', undefined, { authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await control('GET', '/__fold/nothing')).status).toBe(404);
    const requests = await control('GET', '/__fold/requests');
    expect((requests.body as { count: number }).count).toBe(2); // the create and the 401 with the control token; no control call
    expect((await control('POST', '/__fold/faults', { operation_id: 'addMessages', status: 503 })).body).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { issues: [{ path: 'body.operation_id' }] },
    });
    expect((await control('POST', '/__fold/faults', { operation_id: 'getSession', status: 422 })).body).toMatchObject({
      details: { issues: [{ path: 'body.status' }] },
    });
    expect((await control('POST', '/__fold/clock', { advance_ms: 1, set_ms: 2 })).status).toBe(400);
  });

  it('refuses a control token that is also an API key', () => {
    expect(() => createSessionsApi({ keys: { same: 'org_a' }, control: { token: 'same' } })).toThrow(/control token must differ/);
  });

  it('openapi/control.yaml lists exactly the operations of the Sessions API', () => {
    const control = parse(readFileSync('openapi/control.yaml', 'utf8'));
    expect([...control.components.schemas.OperationId.enum].sort()).toEqual([...operationIds].sort());
  });
});
