import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlError, sessionFixture, type SessionsController } from 'fold-sessions-mock';
import { connectControl } from 'fold-sessions-mock/control';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';

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
