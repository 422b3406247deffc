import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from 'fold-sessions-mock';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { createTestClient } from '../http.js';

let server: ReferenceServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startReferenceServer>[0] = {}) {
  server = await startReferenceServer(options);
  return { server, api: createTestClient(server.url, server.apiKey) };
}

describe('x-request-id', () => {
  it('echoes a valid incoming id and replaces an invalid one', async () => {
    const { api } = await start();
    const echoed = await api.listSessions('', { headers: { 'x-request-id': 'req_client.42:a-b' } });
    expect(echoed.headers.get('x-request-id')).toBe('req_client.42:a-b');
    const replaced = await api.listSessions('', { headers: { 'x-request-id': 'has spaces and ünicode' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^req_[A-Za-z0-9]{20}$/);
    const tooLong = await api.listSessions('', { headers: { 'x-request-id': 'a'.repeat(129) } });
    expect(tooLong.headers.get('x-request-id')).not.toBe('a'.repeat(129));
  });

  it('is on errors too, and differs per request', async () => {
    const { api } = await start();
    const a = await api.listSessions('', { key: null });
    const b = await api.request(undefined, 'GET', '/nowhere');
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });
});

describe('CORS', () => {
  it('answers a preflight from any origin and allows the API headers', async () => {
    const { server } = await start();
    const response = await fetch(`${server.url}/sessions/sess_x/messages`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('exposes the headers clients need on real responses', async () => {
    const { api } = await start({ rateLimit: 10 });
    const reply = await api.listSessions('', { headers: { origin: 'https://app.example' } });
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    const exposed = reply.headers.get('access-control-expose-headers')!.split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['x-request-id', 'retry-after', 'idempotent-replayed', 'ratelimit', 'ratelimit-policy']));
  });

  it('can be turned off', async () => {
    const { api } = await start({ cors: false });
    expect((await api.listSessions()).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rate limit', () => {
  it('is off unless asked: no RateLimit headers', async () => {
    const { api } = await start();
    const reply = await api.listSessions();
    expect(reply.headers.get('ratelimit')).toBeNull();
  });

  it('answers 429 with Retry-After and RateLimit headers past N per minute, per organisation', async () => {
    const clock = createManualClock();
    const { api, server } = await start({ rateLimit: { limit: 3 }, clock });
    for (let i = 0; i < 3; i++) {
      const reply = await api.listSessions();
      expect(reply.status).toBe(200);
      expect(reply.headers.get('ratelimit')).toBe(`limit=3, remaining=${2 - i}, reset=60`);
      expect(reply.headers.get('ratelimit-policy')).toBe('3;w=60');
    }
    clock.advance(15_000);
    const limited = await api.listSessions();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 3, window_seconds: 60 } });
    expect(limited.headers.get('retry-after')).toBe('45');
    expect(limited.headers.get('ratelimit')).toBe('limit=3, remaining=0, reset=45');

    const other = createTestClient(server.url, server.otherApiKey);
    expect((await other.listSessions()).status).toBe(200);

    clock.advance(45_000);
    expect((await api.listSessions()).status).toBe(200);
  });
});

describe('fault injection', () => {
  it('adds latency to every request', async () => {
    const { api } = await start({ faults: { latencyMs: 120 } });
    const started = performance.now();
    await api.listSessions();
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('answers a seeded share of requests 503 with Retry-After, the same ones for the same seed', async () => {
    const run = async () => {
      const { api, server } = await start({ faults: { errorRate: 0.3, seed: 42 } });
      const statuses = [];
      for (let i = 0; i < 40; i++) statuses.push((await api.listSessions()).status);
      await server.close();
      return statuses;
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    const failures = first.filter((status) => status === 503).length;
    expect(failures).toBeGreaterThan(4);
    expect(failures).toBeLessThan(24);
    expect(new Set(first)).toEqual(new Set([200, 503]));
  });

  it('503 bodies are spec-shaped with Retry-After', async () => {
    const { api } = await start({ faults: { errorRate: 1, retryAfter: 2 } });
    const reply = await api.createSession();
    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: null });
    expect(reply.headers.get('retry-after')).toBe('2');
  });

  it('one-shot faults hit the next N calls of one operation only', async () => {
    const { api, server } = await start();
    const faults = server.controller;
    const { body: session } = await api.createSession();
    await faults.fail('addMessage', { status: 503, retryAfter: 0, times: 2 });
    expect((await api.getSession(session.id)).status).toBe(200);
    expect((await api.addMessage(session.id)).status).toBe(503);
    expect((await api.addMessage(session.id)).status).toBe(503);
    expect((await api.addMessage(session.id)).status).toBe(201);
    await faults.fail('all', { status: 500 });
    expect((await api.listSessions()).status).toBe(500);
    await faults.fail('listSessions', { status: 429, retryAfter: 3 });
    const limited = await api.listSessions();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await api.getSession(session.id)).body.message_count).toBe(1);
  });

  it('a drop after processing loses the response but keeps the write', async () => {
    const { server, api } = await start();
    await server.controller.fail('createSession', { networkError: true, afterProcessing: true });
    await expect(
      fetch(`${server.url}/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'stored anyway' }),
      }),
    ).rejects.toThrow();
    const listed = await api.listSessions();
    expect(listed.body.sessions.map((s: { name: string }) => s.name)).toEqual(['stored anyway']);
  });

  it('a network fault drops the connection', async () => {
    const { server } = await start();
    await server.controller.fail('listSessions', { networkError: true });
    await expect(fetch(`${server.url}/sessions`, { headers: { authorization: `Bearer ${server.apiKey}` } })).rejects.toThrow();
    const after = await fetch(`${server.url}/sessions`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    expect(after.status).toBe(200);
  });
});
