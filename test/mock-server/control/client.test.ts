import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlError, sessionFixture, type SessionsController } from 'fold-sessions-mock';
import { connectControl } from 'fold-sessions-mock/control';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { zRequestList, zStubList } from '../../../mock-server/src/spec/control/zod.gen.js';

const token = 'client-test-token';
let server: ReferenceServer;
let remote: SessionsController;

beforeAll(async () => {
  server = await startReferenceServer({ control: { token } });
  remote = connectControl({ baseURL: server.url, token });
});
afterAll(() => server.close());

/** A helper written once against the interface, run below with both controllers. */
async function expireOneSession(controller: SessionsController, orgId: string): Promise<string> {
  await controller.reset();
  const data = sessionFixture({ orgId, messages: 3, ttlSeconds: 60, now: await controller.clock.now() });
  await controller.seed(data);
  await controller.clock.advance(61_000);
  return data.sessions[0]!.session.id;
}

async function rejection(promise: Promise<unknown>): Promise<ControlError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ControlError);
  return error as ControlError;
}

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json', ...init.headers } });

describe('connectControl: the in-process controller over HTTP', () => {
  it('a helper written against SessionsController works unchanged with either', async () => {
    for (const controller of [server.controller, remote]) {
      const id = await expireOneSession(controller, 'org_a');
      const read = await (await api(`/sessions/${id}`)).json();
      expect(read).toMatchObject({ status: 'expired', message_count: 3 });
    }
  });

  it('every method round-trips: seed, snapshot, clock, fail, delay, override, requests, flush, reset', async () => {
    await remote.reset();
    const now = await remote.clock.now();
    expect(await remote.clock.set(now + 5000)).toBeGreaterThanOrEqual(now + 5000);
    const data = sessionFixture({ orgId: 'org_a', status: 'closed', messages: 2, now: await remote.clock.now() });
    await remote.seed(data);
    expect(await remote.snapshot()).toEqual(data);

    await remote.fail('getSession', { status: 404, times: 1 });
    await remote.fail('listSessions', { networkError: true });
    await remote.delay('queryMemory', 50);
    await remote.override('deleteSession', { status: 404, body: { error: 'no', code: 'NOT_FOUND', details: null } }, { times: 1 });
    expect((await api(`/sessions/${data.sessions[0]!.session.id}`)).status).toBe(404);
    await expect(api('/sessions')).rejects.toThrow();
    const started = performance.now();
    expect((await api('/vectors/query', { method: 'POST', body: JSON.stringify({ query_text: 'Fixture' }) })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect((await api(`/sessions/${data.sessions[0]!.session.id}`, { method: 'DELETE' })).status).toBe(404);

    const journal = await remote.requests();
    expect(journal.map((entry) => [entry.operation_id, entry.status, entry.injected])).toEqual([
      ['getSession', 404, 'fault'],
      ['listSessions', null, 'fault'],
      ['queryMemory', 200, null],
      ['deleteSession', 404, 'override'],
    ]);
    expect(await remote.requests({ operationId: 'queryMemory', limit: 1 })).toEqual([journal[2]]);
    await remote.requests.clear();
    expect(await remote.requests()).toEqual([]);
    await remote.summaries.flush();
    await remote.reset();
    expect(await remote.snapshot()).toEqual({ sessions: [], memory: [] });
  });

  it('bad inputs reject with a ControlError naming the wire field, and change nothing', async () => {
    await remote.reset();
    const before = await remote.snapshot();
    expect((await rejection(remote.fail('nope' as 'all', { status: 503 }))).issues[0]!.path).toBe('body.operation_id');
    // @ts-expect-error getSession documents no 422: the types refuse it too
    expect((await rejection(remote.fail('getSession', { status: 422 }))).issues[0]!.path).toBe('body.status');
    expect((await rejection(remote.fail('getSession', { status: 503, times: 0 }))).issues[0]!.path).toBe('body.times');
    expect((await rejection(remote.delay('getSession', -1))).issues[0]!.path).toBe('body.ms');
    expect((await rejection(remote.clock.advance(-1))).issues[0]!.path).toBe('body.advance_ms');
    const override = await rejection(remote.override('listSessions', { status: 418, body: {} }));
    expect(override).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    expect(override.issues[0]!.path).toBe('body.status');
    const seed = await rejection(remote.seed({ sessions: [{ org_id: 'org_a', session: { id: 'bad' }, messages: [] }] } as never));
    expect(seed.issues.map((issue) => issue.path)).toContain('body.sessions.0.session.id');
    expect(await remote.snapshot()).toEqual(before);
    expect(await remote.requests()).toEqual([]);
  });

  it("over raw HTTP: a matcher on a session id fails only that session's appends; GET/DELETE /__fold/stubs; bad regex 400", async () => {
    await remote.reset();
    const control = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}/__fold${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
    const create = async () => ((await (await api('/sessions', { method: 'POST', body: JSON.stringify({ name: 'x' }) })).json()) as { id: string }).id;
    const [target, other] = [await create(), await create()];
    const append = async (id: string) => (await api(`/sessions/${id}/messages`, { method: 'POST', body: JSON.stringify({ role: 'user', content: 'hi' }) })).status;

    const added = await control('/faults', { method: 'POST', body: JSON.stringify({ operation_id: 'addMessage', status: 503, times: 2, match: { session_id: target }, name: 'only target' }) });
    expect(added.status).toBe(204);
    const listed = await (await control('/stubs')).json();
    expect(zStubList.parse(listed)).toEqual({
      stubs: [{ id: expect.any(String), name: 'only target', kind: 'fault', operation_id: 'addMessage', match: { session_id: target }, priority: 0, remaining: 2, status: 503, ms: null }],
      count: 1,
    });
    expect([await append(other), await append(target), await append(other), await append(target), await append(target)]).toEqual([201, 503, 201, 503, 201]);
    const journal = zRequestList.parse(await (await control(`/requests?operation_id=addMessage`)).json());
    expect(journal.requests.map((entry) => [entry.session_id === target ? 'target' : 'other', entry.status, entry.stub])).toEqual([
      ['other', 201, null],
      ['target', 503, 'only target'],
      ['other', 201, null],
      ['target', 503, 'only target'],
      ['target', 201, null],
    ]);
    expect((await (await control('/stubs')).json()).count).toBe(0);

    await control('/overrides', { method: 'POST', body: JSON.stringify({ operation_id: 'getSession', status: 500, body: { error: 'x', code: 'INTERNAL_ERROR', details: null }, match: { headers: { 'X-Test': { matches: '^on$' } } } }) });
    const [stub] = (await (await control('/stubs')).json()).stubs;
    expect((await api(`/sessions/${target}`, { headers: { 'x-test': 'on' } })).status).toBe(500);
    expect((await api(`/sessions/${target}`)).status).toBe(200);
    expect((await control(`/stubs/${stub.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/sessions/${target}`, { headers: { 'x-test': 'on' } })).status).toBe(200);
    const gone = await control(`/stubs/${stub.id}`, { method: 'DELETE' });
    expect([gone.status, (await gone.json()).code]).toEqual([404, 'NOT_FOUND']);
    expect((await control('/stubs/x', { method: 'POST' })).status).toBe(405);

    const bad = await control('/delays', { method: 'POST', body: JSON.stringify({ operation_id: 'all', ms: 10, match: { body: { 'a.b': { matches: '(' } }, session_id: { matches: '[' } } }) });
    expect(bad.status).toBe(400);
    const issues = ((await bad.json()) as { details: { issues: Array<{ path: string }> } }).details.issues.map((issue) => issue.path);
    expect(issues.sort()).toEqual(['body.match.body.a.b.matches', 'body.match.session_id.matches']);
    const long = await control('/faults', { method: 'POST', body: JSON.stringify({ operation_id: 'all', status: 503, match: { query: { q: { matches: 'a'.repeat(1001) } } } }) });
    expect(long.status).toBe(400);
    expect((await long.json()).details.issues.map((issue: { path: string }) => issue.path)).toEqual(['body.match.query.q.matches']);
    const typo = await control('/faults', { method: 'POST', body: JSON.stringify({ operation_id: 'all', status: 503, match: { sessionid: target } }) });
    expect((await typo.json()).details.issues.map((issue: { path: string }) => issue.path)).toEqual(['body.match.sessionid']);
    const operator = await control('/faults', { method: 'POST', body: JSON.stringify({ operation_id: 'all', status: 503, match: { headers: { a: { equal: 'x' } } } }) });
    expect((await operator.json()).details.issues.map((issue: { path: string }) => issue.path)).toEqual(['body.match.headers.a']);
    expect((await (await control('/stubs')).json()).count).toBe(0);
  });

  it('a wrong token and an unreachable server are ControlErrors too', async () => {
    const wrong = await rejection(connectControl({ baseURL: server.url, token: 'not-the-token' }).reset());
    expect(wrong).toMatchObject({ status: 401, code: 'AUTH_INVALID' });
    const apiKey = await rejection(connectControl({ baseURL: server.url, token: server.apiKey }).snapshot());
    expect(apiKey.status).toBe(401);
    const down = await rejection(connectControl({ baseURL: 'http://127.0.0.1:9', token }).reset());
    expect(down).toMatchObject({ status: 0, code: 'CONNECTION_ERROR' });
    expect(() => connectControl({ baseURL: '', token })).toThrow(/baseURL/);
  });
});
