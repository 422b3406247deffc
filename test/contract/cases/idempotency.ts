import { UnprocessableEntityError } from 'fold-sessions';
import { describe, expect, it } from 'vitest';
import { expectPrismAnswer, rejection, type CaseContext } from '../context.js';

const key = (value: string) => ({ headers: { 'idempotency-key': value } });

/** Idempotency-Key semantics (the in-flight 409 and the unstored 5xx need a held or failing store: express/idempotency.test.ts). */
export function idempotencyCases(c: CaseContext): void {
  describe('idempotency', () => {
    it('replays the first response with Idempotent-Replayed: true and creates one session', async () => {
      const first = await c.api.createSession({ name: 'once' }, key('create-1'));
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const again = await c.api.createSession({ name: 'once' }, key('create-1'));
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
      expect((await c.api.listSessions()).body.count).toBe(1);
    });

    it('the SDK gets the replayed session, and one session is stored', async () => {
      const first = await c.fold.sessions.create({ name: 'idem' }, { idempotencyKey: 'k-idem' });
      const replay = await c.fold.sessions.create({ name: 'idem' }, { idempotencyKey: 'k-idem' });
      expect(replay).toEqual(first);
      expect(c.lastResponse().headers.get('idempotent-replayed')).toBe('true');
      const names: string[] = [];
      for await (const s of c.fold.sessions.list({ limit: 100 })) names.push(s.name);
      expect(names).toEqual(['idem']);
    });

    it('a retried append with the same key stores one message', async () => {
      const { body: session } = await c.api.createSession();
      const message = { role: 'user', content: 'charge my card once' };
      const replies = [];
      for (let i = 0; i < 3; i++) replies.push(await c.api.addMessage(session.id, message, key('append-1')));
      expect(new Set(replies.map((reply) => reply.body.id)).size).toBe(1);
      expect(replies.map((reply) => reply.headers.get('idempotent-replayed'))).toEqual([null, 'true', 'true']);
      expect((await c.api.getSession(session.id)).body.message_count).toBe(1);

      const viaSdk = await c.fold.sessions.create({ name: 'append once' });
      const a = await c.fold.sessions.messages.add(viaSdk.id, { role: 'user', content: 'once' }, { idempotencyKey: 'append-2' });
      const b = await c.fold.sessions.messages.add(viaSdk.id, { role: 'user', content: 'once' }, { idempotencyKey: 'append-2' });
      expect(b).toEqual(a);
      expect((await c.fold.sessions.get(viaSdk.id)).message_count).toBe(1);
    });

    it('compares JSON bodies by content, not by key order or spacing', async () => {
      const headers = { 'content-type': 'application/json', 'idempotency-key': 'k' };
      await c.api.request('createSession', 'POST', '/sessions', { raw: '{"name":"x","ttl_seconds":60}', headers });
      const again = await c.api.request('createSession', 'POST', '/sessions', { raw: '{ "ttl_seconds": 60, "name": "x" }', headers });
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    });

    it('the same key with a different body, path or method is 422', async () => {
      const { body: session } = await c.api.createSession({ name: 'a' }, key('k1'));
      const differentBody = await c.api.createSession({ name: 'b' }, key('k1'));
      expect(differentBody.status).toBe(422);
      expect(differentBody.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { idempotency_key: 'k1' } });
      const differentPath = await c.api.closeSession(session.id, key('k1'));
      expect(differentPath.status).toBe(422);
      expect((await c.api.getSession(session.id)).body.status).toBe('active');

      await c.fold.sessions.create({ name: 'one' }, { idempotencyKey: 'reused-key' });
      const error = await rejection(c.fold.sessions.create({ name: 'two' }, { idempotencyKey: 'reused-key' }));
      expect(error).toBeInstanceOf(UnprocessableEntityError);
      expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('a 4xx is stored and replayed like any completed response', async () => {
      const first = await c.api.createSession({ name: '' }, key('bad-1'));
      expect(first.status).toBe(400);
      const again = await c.api.createSession({ name: '' }, key('bad-1'));
      expect(again.status).toBe(400);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
    });

    it('an injected 503 is not stored: the retry runs afresh', async () => {
      await c.running.controller.fail('createSession', { status: 503 });
      expect((await c.api.createSession({ name: 'flaky' }, key('flaky-1'))).status).toBe(503);
      const retry = await c.api.createSession({ name: 'flaky' }, key('flaky-1'));
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
    });

    it('a retry after a connection dropped once the write was done replays it: one message is stored', async () => {
      const { body: session } = await c.api.createSession();
      await c.running.controller.fail('addMessage', { networkError: true, afterProcessing: true });
      const message = { role: 'user', content: 'sent while the network failed' };
      if (c.target.traits.prismInFront) {
        // Prism answers the dropped upstream connection with its own 500.
        expectPrismAnswer(await c.api.unchecked('POST', `/sessions/${session.id}/messages`, { body: message, ...key('lost-1') }), 500, /socket hang up/);
      } else {
        await expect(c.api.addMessage(session.id, message, key('lost-1'))).rejects.toThrow();
      }
      const retry = await c.api.addMessage(session.id, message, key('lost-1'));
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect((await c.api.getSession(session.id)).body.messages.map((m: { content: string }) => m.content)).toEqual([message.content]);
      const appends = await c.running.controller.requests({ sessionId: session.id, operationId: 'addMessage' });
      expect(appends.map((e) => [e.status, e.injected, e.network_error, e.replayed])).toEqual([
        [201, 'fault', true, false],
        [201, null, false, true],
      ]);
    });

    it('works on close, complete and memory queries', async () => {
      const { api } = c;
      const { body: session } = await api.createSession();
      await api.addMessage(session.id);
      const closed = await api.closeSession(session.id, key('close-1'));
      const replayed = await api.closeSession(session.id, key('close-1'));
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect(replayed.body).toEqual(closed.body);
      const other = (await api.createSession()).body.id;
      await api.completeSession(other, key('complete-1'));
      expect((await api.completeSession(other, key('complete-1'))).headers.get('idempotent-replayed')).toBe('true');
      await api.queryMemory({ query_text: 'hello' }, key('query-1'));
      expect((await api.queryMemory({ query_text: 'hello' }, key('query-1'))).headers.get('idempotent-replayed')).toBe('true');
    });

    it('keeps a key for 24 hours', async () => {
      await c.api.createSession({ name: 'day one' }, key('daily'));
      await c.running.controller.clock.advance(23 * 3600 * 1000);
      expect((await c.api.createSession({ name: 'day two' }, key('daily'))).status).toBe(422);
      await c.running.controller.clock.advance(3600 * 1000);
      const fresh = await c.api.createSession({ name: 'day two' }, key('daily'));
      expect(fresh.status).toBe(201);
      expect(fresh.body.name).toBe('day two');
    });

    it('keeps keys per organisation', async () => {
      const mine = await c.api.createSession({ name: 'A with key' }, key('shared-key-1'));
      const theirs = await c.otherApi.createSession({ name: 'B with the same key' }, key('shared-key-1'));
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.body.id).not.toBe(mine.body.id);
    });
  });
}
