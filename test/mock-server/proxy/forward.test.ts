import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { call, closedPort, controlToken, createProxy } from './support.js';

let upstream: ReferenceServer;

beforeAll(async () => {
  upstream = await startReferenceServer();
});
afterAll(() => upstream.close());

describe('--proxy: forwarding', () => {
  it('forwards method, path, query, body and headers, and returns the upstream answer unchanged', async () => {
    const proxy = createProxy(upstream.url);
    const created = await call(proxy, 'POST', '/sessions', upstream.apiKey, { name: 'forwarded', context: { plan: 'pro' } }, { 'idempotency-key': 'create-1', 'x-request-id': 'req_forwarded_1' });
    expect(created.status).toBe(201);
    expect(created.headers['fold-violations']).toBeUndefined();
    expect(created.headers['x-request-id']).toBe('req_forwarded_1');
    const id = (created.body as { id: string }).id;

    // The session is the upstream's: it answers it directly, identically.
    const direct = await fetch(`${upstream.url}/sessions/${id}`, { headers: { authorization: `Bearer ${upstream.apiKey}` } });
    const proxied = await call(proxy, 'GET', `/sessions/${id}`, upstream.apiKey);
    expect(proxied.status).toBe(direct.status);
    expect(proxied.body).toEqual(await direct.json());
    expect(proxied.headers['content-type']).toBe(direct.headers.get('content-type'));

    // The idempotency key reached the upstream: the repeat is its replay.
    const repeat = await call(proxy, 'POST', '/sessions', upstream.apiKey, { name: 'forwarded', context: { plan: 'pro' } }, { 'idempotency-key': 'create-1' });
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body).toEqual(created.body);

    // The query reached it too.
    await call(proxy, 'POST', '/sessions', upstream.apiKey, { name: 'second' });
    const page = await proxy.handle({ method: 'GET', path: '/sessions', query: { limit: '1' }, headers: { authorization: `Bearer ${upstream.apiKey}` } });
    expect(page.body).toMatchObject({ count: 1, has_more: true });

    // An upstream error is forwarded as it is, and it is no violation: the spec documents it.
    const wrongKey = await call(proxy, 'GET', '/sessions', 'not_a_key');
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body).toMatchObject({ code: 'AUTH_INVALID' });
    expect(wrongKey.headers['fold-violations']).toBeUndefined();

    const journal = await proxy.controller.requests();
    expect(journal.map((entry) => [entry.operation_id, entry.status, entry.violations])).toEqual([
      ['createSession', 201, []],
      ['getSession', 200, []],
      ['createSession', 201, []],
      ['createSession', 201, []],
      ['listSessions', 200, []],
      ['listSessions', 401, []],
    ]);
    expect(journal[0]).toMatchObject({ session_id: id, request_body: { name: 'forwarded', context: { plan: 'pro' } }, request_headers: { authorization: '[redacted]' } });
    expect(journal[2]!.replayed).toBe(true);
  });

  it('keeps the control API local', async () => {
    const proxy = createProxy(upstream.url);
    const response = await proxy.handle({ method: 'GET', path: '/__fold/clock', headers: { authorization: `Bearer ${controlToken}` } });
    expect(response.status).toBe(200);
    expect(await proxy.controller.requests()).toEqual([]);
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After, naming the upstream, when it cannot be reached', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const proxy = createProxy(unreachable);
    const response = await call(proxy, 'GET', '/sessions', upstream.apiKey);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.headers['x-request-id']).toMatch(/^\S+$/);
    expect(response.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect((response.body as { error: string }).error).toContain(unreachable);
    const [entry] = await proxy.controller.requests();
    expect(entry).toMatchObject({ status: 503, operation_id: 'listSessions' });
    expect(entry!.violations.join(' ')).toContain(unreachable);
  });
});

describe('--proxy over HTTP', () => {
  it('passes the upstream body on byte for byte, JSON or not', async () => {
    const answers = [
      { status: 200, text: '{ "sessions": [],\n  "count": 0, "has_more": false, "next_cursor": null }', type: 'application/json' },
      { status: 502, text: 'Bad gateway, says the load balancer', type: 'text/plain' },
    ];
    let next = 0;
    const stub: typeof fetch = async () => {
      const answer = answers[next++]!;
      return new Response(answer.text, { status: answer.status, headers: { 'content-type': answer.type, 'x-request-id': 'req_stubbed' } });
    };
    const proxy = await startReferenceServer({ proxy: { upstream: 'http://upstream.invalid', fetch: stub } });
    try {
      for (const answer of answers) {
        const response = await fetch(`${proxy.url}/sessions`, { headers: { authorization: 'Bearer any' } });
        expect(response.status).toBe(answer.status);
        expect(response.headers.get('content-type')).toBe(answer.type);
        expect(await response.text()).toBe(answer.text);
      }
      const journal = await proxy.controller.requests();
      expect(journal[0]!.violations).toEqual([]);
      expect(journal[1]!.violations).toEqual([expect.stringMatching(/^answer: status 502 is not documented for listSessions/)]);
      expect(journal[1]!.response_body).toBe(answers[1]!.text);
    } finally {
      await proxy.close();
    }
  });
});
