import { describe, expect, it } from 'vitest';
import { ControlError, createManualClock, createSessionsApi, type ApiRequest } from 'fold-sessions-mock';

const key = 'key_a';

function setup() {
  const api = createSessionsApi({ keys: { [key]: 'org_a' }, clock: createManualClock(Date.UTC(2025, 0, 1)), sleep: async () => {} });
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const request: ApiRequest = {
      method,
      path,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { rawBody: JSON.stringify(body) }),
    };
    return api.handle(request);
  };
  const create = async (name = 'chat') => ((await call('POST', '/sessions', { name })).body as { id: string }).id;
  return { ...api, call, create };
}

async function rejection(promise: Promise<unknown>): Promise<ControlError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ControlError);
  return error as ControlError;
}

describe('stubs in-process: the same matcher object, plus matcher functions', () => {
  it('a matcher function sees the request, body parsed, and is listed without a matcher', async () => {
    const { controller, call, create } = setup();
    const id = await create();
    const seen: unknown[] = [];
    await controller.fail('addMessage', {
      status: 503,
      times: 5,
      name: 'long messages',
      match: (request) => (seen.push([request.operationId, request.sessionId, request.path]), typeof (request.body as { content?: string })?.content === 'string' && (request.body as { content: string }).content.length > 5),
    });
    expect(await controller.stubs()).toEqual([expect.objectContaining({ name: 'long messages', match: null, remaining: 5, status: 503 })]);
    expect((await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'hi' })).status).toBe(201);
    expect((await call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'a longer one' })).status).toBe(503);
    expect(seen).toEqual([
      ['addMessage', id, `/sessions/${id}/messages`],
      ['addMessage', id, `/sessions/${id}/messages`],
    ]);
    expect((await controller.stubs())[0]!.remaining).toBe(4);
  });

  it('an override function answers only the calls its matcher matches', async () => {
    const { controller, call, create } = setup();
    const [a, b] = [await create('a'), await create('b')];
    await controller.override('getSession', (request) => ({ status: 404, body: { error: `no ${request.sessionId}`, code: 'NOT_FOUND', details: null } }), { match: { sessionId: a } });
    expect((await call('GET', `/sessions/${a}`)).body).toMatchObject({ error: `no ${a}` });
    expect((await call('GET', `/sessions/${b}`)).status).toBe(200);
    expect((await controller.stubs())[0]).toMatchObject({ kind: 'override', status: null, match: { session_id: a } });
  });

  it('reset() removes every stub; delay(target, 0) removes only the plain delays of the target', async () => {
    const { controller, create } = setup();
    const id = await create();
    await controller.delay('getSession', 100);
    await controller.delay('getSession', 200);
    await controller.delay('getSession', 300, { match: { sessionId: id } });
    expect((await controller.stubs()).map((stub) => stub.ms)).toEqual([300, 200]);
    await controller.delay('getSession', 0);
    expect((await controller.stubs()).map((stub) => stub.ms)).toEqual([300]);
    await controller.override('getSession', { status: 500, body: { error: 'x', code: 'INTERNAL_ERROR', details: null } });
    await controller.fail('all', { status: 503 });
    expect(await controller.stubs()).toHaveLength(3);
    await controller.reset();
    expect(await controller.stubs()).toEqual([]);
  });

  it('bad stub options are refused naming each field, and add nothing', async () => {
    const { controller } = setup();
    const error = await rejection(
      controller.override('getSession', { status: 500, body: { error: 'x', code: 'INTERNAL_ERROR', details: null } }, { priority: 1.5, name: '', match: { cookies: {} } as never }),
    );
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['match.cookies', 'name', 'priority']);
    const regex = await rejection(controller.fail('all', { status: 503, match: { method: { matches: '(?<' } } }));
    expect(regex.issues).toEqual([{ path: 'match.method.matches', message: expect.stringContaining('Not a valid regular expression') }]);
    expect((await rejection(controller.stubs.remove('stub_404'))).status).toBe(404);
    expect(await controller.stubs()).toEqual([]);
  });

  it('a request whose body is not JSON has no body fields: absent holds for it', async () => {
    const { controller, create, handle } = setup();
    const id = await create();
    await controller.fail('addMessage', { status: 503, match: { body: { role: { absent: true } } } });
    const notJson = await handle({ method: 'POST', path: `/sessions/${id}/messages`, headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' }, rawBody: 'role=user' });
    // No JSON body: every field is absent, so `absent` holds; the fault answers first.
    expect(notJson.status).toBe(503);
    expect(await controller.stubs()).toEqual([]);
  });
});
