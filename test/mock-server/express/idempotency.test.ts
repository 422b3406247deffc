import { afterEach, describe, expect, it } from 'vitest';
import { LowdbSessionStore, type SessionStore } from 'fold-sessions-mock';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { createTestClient } from '../http.js';
import { delegatingStore } from '../../support/delegating-store.js';

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
  // Resolved when a write reaches the held gate: the test knows the first request got there.
  let entered: (() => void) | undefined;
  const store: SessionStore = {
    ...delegatingStore(inner),
    async insertSession(doc) {
      if (failNext) {
        failNext = false;
        throw new Error('write failed');
      }
      entered?.();
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
    /** Holds the next writes; resolves `reached` once one of them is waiting. */
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      const reached = new Promise<void>((resolve) => (entered = resolve));
      return {
        reached,
        release: () => {
          gate = undefined;
          entered = undefined;
          release();
        },
      };
    },
    failOnce() {
      failNext = true;
    },
  };
}

async function start(store: SessionStore) {
  server = await startReferenceServer({ store });
  return { server, api: createTestClient(server.url, server.apiKey) };
}

const key = (value: string) => ({ headers: { 'idempotency-key': value } });

// What needs a store held mid-write or failing for real; the rest of the Idempotency-Key semantics
// is in the contract suite (test/contract/cases/idempotency.ts).
describe('Idempotency-Key with a controllable store', () => {
  it('a repeat while the first is still running is 409', async () => {
    const control = controllableStore();
    const { api } = await start(control.store);
    const { reached, release } = control.hold();
    const first = api.createSession({ name: 'slow' }, key('slow-1'));
    await reached;
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
    expect((await api.createSession({ name: 'flaky' }, key('flaky-1'))).status).toBe(503);
    const retry = await api.createSession({ name: 'flaky' }, key('flaky-1'));
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });
});
