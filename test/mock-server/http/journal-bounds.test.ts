import { describe, expect, it } from 'vitest';
import { createSessionsApi } from 'fold-sessions-mock';
import { cutJson } from '../../../mock-server/src/http/journal.js';

const control = { authorization: 'Bearer ctl' };

describe('the request journal is bounded', () => {
  it('keeps 200 unauthenticated 1 MiB bodies of zero bytes cut to 16 KiB, and reads them back in one answer', async () => {
    const { handle } = createSessionsApi({ keys: { k: 'org_a' }, control: { token: 'ctl' } });
    const zeros = new Uint8Array(1024 * 1024);
    for (let i = 0; i < 200; i++) {
      const reply = await handle({ method: 'POST', path: '/sessions', headers: { 'content-type': 'application/json' }, rawBody: zeros });
      expect(reply.status).toBe(401);
    }
    const read = await handle({ method: 'GET', path: '/__fold/requests', query: { limit: '200' }, headers: control });
    expect(read.status).toBe(200);
    const { requests } = read.body as { requests: Array<{ request_body: string; request_body_truncated: boolean; response_body_truncated: boolean }> };
    expect(requests).toHaveLength(200);
    for (const request of requests) {
      expect(request.request_body_truncated).toBe(true);
      expect(request.request_body).toHaveLength(16 * 1024);
      expect(request.response_body_truncated).toBe(false);
    }
    expect(JSON.stringify(read.body).length).toBeLessThan(200 * 6 * 16 * 1024 + 200 * 2048);
  });

  it('evicts the oldest exchanges past journalBytes, and keeps a short body whole', async () => {
    const { handle } = createSessionsApi({ keys: { k: 'org_a' }, control: { token: 'ctl' }, limits: { journalBytes: 100_000, journalBodyBytes: 40_000 } });
    const body = (size: number) => JSON.stringify({ name: 'x'.repeat(size) });
    for (let i = 0; i < 5; i++) await handle({ method: 'POST', path: '/sessions', headers: { 'content-type': 'application/json' }, rawBody: body(39_000) });
    const { requests } = (await handle({ method: 'GET', path: '/__fold/requests', headers: control })).body as { requests: Array<{ id: number; request_body: unknown }> };
    expect(requests.map((request) => request.id)).toEqual([4, 5]);
    expect(requests[1]!.request_body).toEqual({ name: 'x'.repeat(39_000) });
  });

  it('cuts a large response body when it is read, marking it', async () => {
    const { handle } = createSessionsApi({ keys: { k: 'org_a' }, control: { token: 'ctl' }, limits: { journalBodyBytes: 1_000 } });
    const headers = { authorization: 'Bearer k', 'content-type': 'application/json' };
    const id = ((await handle({ method: 'POST', path: '/sessions', headers, rawBody: '{"name":"big"}' })).body as { id: string }).id;
    for (let i = 0; i < 3; i++) await handle({ method: 'POST', path: `/sessions/${id}/messages`, headers, rawBody: JSON.stringify({ role: 'user', content: 'y'.repeat(800) }) });
    expect((await handle({ method: 'GET', path: `/sessions/${id}`, headers })).status).toBe(200);
    const { requests } = (await handle({ method: 'GET', path: '/__fold/requests', query: { operation_id: 'getSession' }, headers: control })).body as {
      requests: Array<{ response_body: { id: string; messages: Array<{ content: string }> }; response_body_truncated: boolean }>;
    };
    expect(requests[0]!.response_body_truncated).toBe(true);
    expect(requests[0]!.response_body.id).toBe(id);
    expect(JSON.stringify(requests[0]!.response_body).length).toBeLessThan(1_200);
  });
});

describe('cutJson', () => {
  it('returns a value that fits as it is, and a cut copy of one that does not, without walking past the budget', () => {
    const small = { a: [1, 2, 'three'], b: null };
    expect(cutJson(small, 100)).toEqual({ body: small, truncated: false });
    expect(cutJson(small, 100).body).toBe(small);
    expect(cutJson('x'.repeat(50), 10)).toEqual({ body: 'xxxxxxxx', truncated: true });
    let visited = 0;
    const huge = new Proxy(Array.from({ length: 100_000 }, (_, i) => i), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) visited += 1;
        return Reflect.get(target, key, receiver);
      },
    });
    const cut = cutJson({ huge }, 100);
    expect(cut.truncated).toBe(true);
    expect(visited).toBeLessThan(100);
  });
});
