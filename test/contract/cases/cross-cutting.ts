import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient } from '../http.js';
import { expectPrismAnswer, type CaseContext } from '../context.js';
import type { RunningTarget } from '../target.js';

/** Request ids, the rate limit and fault injection. */
export function crossCuttingCases(c: CaseContext): void {
  const prism = c.target.traits.prismInFront;

  describe('x-request-id', () => {
    it('echoes a valid incoming id and replaces an invalid one', async () => {
      const echoed = await c.api.listSessions('', { headers: { 'x-request-id': 'req_client.42:a-b' } });
      expect(echoed.headers.get('x-request-id')).toBe('req_client.42:a-b');
      const replaced = await c.api.listSessions('', { headers: { 'x-request-id': 'has spaces and ünicode' } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^req_[A-Za-z0-9]{20}$/);
      const tooLong = await c.api.listSessions('', { headers: { 'x-request-id': 'a'.repeat(129) } });
      expect(tooLong.headers.get('x-request-id')).not.toBe('a'.repeat(129));
    });

    it('is on errors too, and differs per request', async () => {
      // Behind Prism a request without a key gets Prism's own 401 (no request id): send an unknown key there.
      const unauthenticated = await c.api.listSessions('', { key: prism ? 'not_a_key' : null });
      expect(unauthenticated.status).toBe(401);
      const missing = await c.api.getSession('sess_AAAAAAAAAAAAAAAAAAAA');
      expect(unauthenticated.headers.get('x-request-id')).not.toBe(missing.headers.get('x-request-id'));
    });
  });

  describe('rate limit', () => {
    let limited: RunningTarget;
    beforeAll(async () => {
      limited = await c.target.start({ rateLimit: 3 });
    });
    afterAll(() => limited?.stop());

    it('is off unless asked: no RateLimit headers', async () => {
      const reply = await c.api.listSessions();
      expect(reply.headers.get('ratelimit')).toBeNull();
    });

    it('answers 429 with Retry-After and RateLimit headers past N per minute, per organisation', async () => {
      const api = rawClient(limited, limited.organisation().apiKey);
      for (let i = 0; i < 3; i++) {
        const reply = await api.listSessions();
        expect(reply.status).toBe(200);
        expect(reply.headers.get('ratelimit')).toBe(`limit=3, remaining=${2 - i}, reset=60`);
        expect(reply.headers.get('ratelimit-policy')).toBe('3;w=60');
      }
      await limited.controller.clock.advance(15_000);
      const refused = await api.listSessions();
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 3, window_seconds: 60 } });
      expect(refused.headers.get('retry-after')).toBe('45');
      expect(refused.headers.get('ratelimit')).toBe('limit=3, remaining=0, reset=45');

      const other = rawClient(limited, limited.organisation().apiKey);
      expect((await other.listSessions()).status).toBe(200);

      await limited.controller.clock.advance(45_000);
      expect((await api.listSessions()).status).toBe(200);
    });
  });

  describe('fault injection', () => {
    it('a delay holds every request of an operation until removed', async () => {
      // A delay far longer than a slow machine needs for one request, so that "held" and "no
      // longer held" stay apart whatever the load.
      await c.running.controller.delay('all', 1_500);
      try {
        const started = performance.now();
        await c.api.listSessions();
        expect(performance.now() - started).toBeGreaterThanOrEqual(1_490);
      } finally {
        await c.running.controller.delay('all', 0);
      }
      const started = performance.now();
      await c.api.listSessions();
      expect(performance.now() - started).toBeLessThan(1_000);
    });

    it('answers a seeded share of requests 503 with Retry-After, the same ones for the same seed', async () => {
      const [one, two] = await Promise.all([c.target.start({ faultRate: { rate: 0.3, seed: 42 } }), c.target.start({ faultRate: { rate: 0.3, seed: 42 } })]);
      try {
        const run = async (instance: RunningTarget) => {
          const api = rawClient(instance, instance.organisation().apiKey);
          const statuses = [];
          for (let i = 0; i < 40; i++) {
            const reply = await api.listSessions();
            if (reply.status === 503) {
              expect(reply.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: null });
              expect(reply.headers.get('retry-after')).toBe('1');
            }
            statuses.push(reply.status);
          }
          return statuses;
        };
        const first = await run(one);
        const second = await run(two);
        expect(second).toEqual(first);
        const failures = first.filter((status) => status === 503).length;
        expect(failures).toBeGreaterThan(4);
        expect(failures).toBeLessThan(24);
        expect(new Set(first)).toEqual(new Set([200, 503]));
        // reset() restarts the seeded sequence.
        await one.controller.reset();
        expect(await run(one)).toEqual(first);
      } finally {
        await Promise.all([one.stop(), two.stop()]);
      }
    });

    it('503 bodies are spec-shaped with Retry-After', async () => {
      await c.running.controller.fail('all', { status: 503, retryAfter: 2 });
      const reply = await c.api.createSession();
      expect(reply.status).toBe(503);
      expect(reply.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: null });
      expect(reply.headers.get('retry-after')).toBe('2');
      expect((await c.api.listSessions()).body.count).toBe(0);
    });

    it('one-shot faults hit the next N calls of one operation only', async () => {
      const { api } = c;
      const faults = c.running.controller;
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

    const post = (name: string) => ({
      method: 'POST',
      headers: { authorization: `Bearer ${c.a.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });

    if (prism) {
      // Prism's upstream request fails with the dropped socket, and Prism answers that with its own 500.
      it('a drop after processing reaches the client as Prism\'s 500, and the write is kept', async () => {
        await c.running.controller.fail('createSession', { networkError: true, afterProcessing: true });
        const reply = await c.api.unchecked('POST', '/sessions', { body: { name: 'stored anyway' } });
        expectPrismAnswer(reply, 500, /socket hang up/);
        const listed = await c.api.listSessions();
        expect(listed.body.sessions.map((s: { name: string }) => s.name)).toEqual(['stored anyway']);
      });

      it("a network fault reaches the client as Prism's 500; the next request is answered", async () => {
        await c.running.controller.fail('listSessions', { networkError: true });
        expectPrismAnswer(await c.api.unchecked('GET', '/sessions'), 500, /socket hang up/);
        expect((await c.api.listSessions()).status).toBe(200);
      });
    } else {
      it('a drop after processing loses the response but keeps the write', async () => {
        await c.running.controller.fail('createSession', { networkError: true, afterProcessing: true });
        await expect(fetch(`${c.running.baseURL}/sessions`, post('stored anyway'))).rejects.toThrow();
        const listed = await c.api.listSessions();
        expect(listed.body.sessions.map((s: { name: string }) => s.name)).toEqual(['stored anyway']);
      });

      it('a network fault drops the connection', async () => {
        await c.running.controller.fail('listSessions', { networkError: true });
        const headers = { authorization: `Bearer ${c.a.apiKey}` };
        await expect(fetch(`${c.running.baseURL}/sessions`, { headers })).rejects.toThrow();
        const after = await fetch(`${c.running.baseURL}/sessions`, { headers });
        expect(after.status).toBe(200);
      });
    }
  });
}
