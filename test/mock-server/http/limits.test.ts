import { setupServer } from 'msw/node';
import { FoldSessions, RateLimitError } from 'fold-sessions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionsApi, defaultLimits, resolveLimits, type Limits } from 'fold-sessions-mock';
import { createSessionsHandlers } from 'fold-sessions-mock/msw';

const headers = { authorization: 'Bearer k', 'content-type': 'application/json' };

function api(limits: Partial<Limits>) {
  const { handle } = createSessionsApi({ keys: { k: 'org_a' }, limits });
  const post = (path: string, body: unknown) => handle({ method: 'POST', path, headers, rawBody: JSON.stringify(body) });
  return { handle, post };
}

const usageLimit = (limit: string, value: number) => ({
  status: 429,
  headers: expect.objectContaining({ 'x-should-retry': 'false' }),
  body: expect.objectContaining({ code: 'USAGE_LIMIT_EXCEEDED', details: { limit, value } }),
});

describe('limits of a session and an organisation', () => {
  it('have documented defaults, and refuse a value that is not a whole number >= 1, naming it', () => {
    expect(defaultLimits).toMatchObject({ messagesPerSession: 10_000, sessionBytes: 16 * 1024 * 1024, sessionsPerOrganisation: 100_000 });
    expect(() => resolveLimits({ messagesPerSession: 0 })).toThrow('The limit messagesPerSession must be a whole number >= 1, got 0');
    expect(() => resolveLimits({ nope: 1 } as never)).toThrow(/Unknown limit "nope"/);
    expect(() => createSessionsApi({ limits: { sessionBytes: 1.5 } })).toThrow(/sessionBytes/);
  });

  it('messages per session: the next append is 429 USAGE_LIMIT_EXCEEDED, without Retry-After, and the session keeps what it had', async () => {
    const { handle, post } = api({ messagesPerSession: 3 });
    const id = ((await post('/sessions', { name: 'full' })).body as { id: string }).id;
    for (let i = 0; i < 3; i++) expect((await post(`/sessions/${id}/messages`, { role: 'user', content: `m${i}` })).status).toBe(201);
    const refused = await post(`/sessions/${id}/messages`, { role: 'user', content: 'one too many' });
    expect(refused).toMatchObject(usageLimit('messages_per_session', 3));
    expect(refused.headers['retry-after']).toBeUndefined();
    const read = await handle({ method: 'GET', path: `/sessions/${id}`, headers });
    expect((read.body as { messages: unknown[] }).messages).toHaveLength(3);
  });

  it('bytes per session count UTF-8 bytes of content and tool fields; a message that fits exactly is taken', async () => {
    const { post } = api({ sessionBytes: 20 });
    const id = ((await post('/sessions', { name: 'bytes' })).body as { id: string }).id;
    expect((await post(`/sessions/${id}/messages`, { role: 'user', content: 'ééééé' })).status).toBe(201); // 10 bytes
    expect(await post(`/sessions/${id}/messages`, { role: 'assistant', content: '12345', tool_name: 'abcdef' })).toMatchObject(usageLimit('session_bytes', 20));
    expect((await post(`/sessions/${id}/messages`, { role: 'assistant', content: '12345', tool_name: 'abcde' })).status).toBe(201); // exactly 20
    expect(await post(`/sessions/${id}/messages`, { role: 'user', content: '😀' })).toMatchObject(usageLimit('session_bytes', 20));
  });

  it('sessions per organisation: the next create is refused until one is deleted', async () => {
    const { handle, post } = api({ sessionsPerOrganisation: 2 });
    const first = ((await post('/sessions', { name: 'one' })).body as { id: string }).id;
    expect((await post('/sessions', { name: 'two' })).status).toBe(201);
    expect(await post('/sessions', { name: 'three' })).toMatchObject(usageLimit('sessions_per_organisation', 2));
    expect((await handle({ method: 'DELETE', path: `/sessions/${first}`, headers })).status).toBe(200);
    expect((await post('/sessions', { name: 'three' })).status).toBe(201);
  });

  it('are counted per organisation', async () => {
    const { handle } = createSessionsApi({ keys: { a: 'org_a', b: 'org_b' }, limits: { sessionsPerOrganisation: 1 } });
    const create = (key: string) => handle({ method: 'POST', path: '/sessions', headers: { ...headers, authorization: `Bearer ${key}` }, rawBody: '{"name":"x"}' });
    expect((await create('a')).status).toBe(201);
    expect((await create('b')).status).toBe(201);
    expect((await create('a')).status).toBe(429);
  });
});

describe('limits in the MSW handlers, through the SDK', () => {
  const { handlers } = createSessionsHandlers({ limits: { messagesPerSession: 1 } });
  const server = setupServer(...handlers);
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());

  it('are the same option, and the SDK does not retry a USAGE_LIMIT_EXCEEDED', async () => {
    const attempts: number[] = [];
    const fold = new FoldSessions({
      apiKey: 'test',
      maxRetries: 3,
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const response = await fetch(input, init);
        attempts.push(response.status);
        return response;
      },
    });
    const session = await fold.sessions.create({ name: 'one message' });
    await fold.sessions.messages.add(session.id, { role: 'user', content: 'first' });
    attempts.length = 0;
    const error = await fold.sessions.messages.add(session.id, { role: 'user', content: 'second' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'USAGE_LIMIT_EXCEEDED' });
    expect(attempts).toEqual([429]);
  });
});
