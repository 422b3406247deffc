import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, LowdbSessionStore, type SessionStore } from 'fold-sessions-mock';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { createTestClient } from '../http.js';

let server: ReferenceServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A store whose next session write waits until released, or fails once when told to. */
function controllableStore() {
  const inner = LowdbSessionStore.inMemory();
  let gate: Promise<void> | undefined;
  let failNext = false;
  const store: SessionStore = {
    getSession: (id) => inner.getSession(id),
    sessionsOf: (org) => inner.sessionsOf(org),
    memoryOf: (org) => inner.memoryOf(org),
    upsertMemory: (entry) => inner.upsertMemory(entry),
    deleteSession: (id) => inner.deleteSession(id),
    organisations: () => inner.organisations(),
    clear: () => inner.clear(),
    flush: () => inner.flush(),
    async insertSession(doc) {
      if (failNext) {
        failNext = false;
        throw new Error('write failed');
      }
      await gate;
      return inner.insertSession(doc);
    },
    async saveSession(id) {
      await gate;
      return inner.saveSession(id);
    },
  };
  return {
    store,
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
    failOnce() {
      failNext = true;
    },
  };
}

async function start(store?: SessionStore, clock = createManualClock()) {
  server = await startReferenceServer({ ...(store && { store }), clock });
  return { server, api: createTestClient(server.url, server.apiKey) };
}

const key = (value: string) => ({ headers: { 'idempotency-key': value } });

describe('Idempotency-Key', () => {
  it('replays the first response with Idempotent-Replayed: true and creates one session', async () => {
    const { api } = await start();
    const first = await api.createSession({ name: 'once' }, key('create-1'));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await api.createSession({ name: 'once' }, key('create-1'));
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect((await api.listSessions()).body.count).toBe(1);
  });

  it('a retried append with the same key stores one message', async () => {
    const { api } = await start();
    const { body: session } = await api.createSession();
    const message = { role: 'user', content: 'charge my card once' };
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await api.addMessage(session.id, message, key('append-1')));
    expect(new Set(replies.map((reply) => reply.body.id)).size).toBe(1);
    expect(replies.map((reply) => reply.headers.get('idempotent-replayed'))).toEqual([null, 'true', 'true']);
    expect((await api.getSession(session.id)).body.message_count).toBe(1);
  });

  it('compares JSON bodies by content, not by key order or spacing', async () => {
    const { api } = await start();
    await api.request('createSession', 'POST', '/sessions', { raw: '{"name":"x","ttl_seconds":60}', headers: { 'content-type': 'application/json', 'idempotency-key': 'k' } });
    const again = await api.request('createSession', 'POST', '/sessions', {
      raw: '{ "ttl_seconds": 60, "name": "x" }',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('the same key with a different body, path or method is 422', async () => {
    const { api } = await start();
    const { body: session } = await api.createSession({ name: 'a' }, key('k1'));
    const differentBody = await api.createSession({ name: 'b' }, key('k1'));
    expect(differentBody.status).toBe(422);
    expect(differentBody.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { idempotency_key: 'k1' } });
    const differentPath = await api.closeSession(session.id, key('k1'));
    expect(differentPath.status).toBe(422);
    expect((await api.getSession(session.id)).body.status).toBe('active');
  });

  it('a repeat while the first is still running is 409', async () => {
    const control = controllableStore();
    const { api } = await start(control.store);
    const release = control.hold();
    const first = api.createSession({ name: 'slow' }, key('slow-1'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const concurrent = await api.createSession({ name: 'slow' }, key('slow-1'));
    expect(concurrent.status).toBe(409);
    expect(concurrent.body).toMatchObject({ code: 'CONFLICT', details: { idempotency_key: 'slow-1' } });
    release();
    expect((await first).status).toBe(201);
    expect((await api.createSession({ name: 'slow' }, key('slow-1'))).headers.get('idempotent-replayed')).toBe('true');
  });

  it('a 5xx is not stored: the retry runs afresh', async () => {
    const control = controllableStore();
    const { api } = await start(control.store);
    control.failOnce();
    expect((await api.createSession({ name: 'flaky' }, key('flaky-1'))).status).toBe(500);
    const retry = await api.createSession({ name: 'flaky' }, key('flaky-1'));
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a 4xx is stored and replayed like any completed response', async () => {
    const { api } = await start();
    const first = await api.createSession({ name: '' }, key('bad-1'));
    expect(first.status).toBe(400);
    const again = await api.createSession({ name: '' }, key('bad-1'));
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('works on close, complete and memory queries', async () => {
    const { api } = await start();
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
    const clock = createManualClock();
    const { api } = await start(undefined, clock);
    await api.createSession({ name: 'day one' }, key('daily'));
    clock.advance(23 * 3600 * 1000);
    expect((await api.createSession({ name: 'day two' }, key('daily'))).status).toBe(422);
    clock.advance(3600 * 1000);
    const fresh = await api.createSession({ name: 'day two' }, key('daily'));
    expect(fresh.status).toBe(201);
    expect(fresh.body.name).toBe('day two');
  });
});
