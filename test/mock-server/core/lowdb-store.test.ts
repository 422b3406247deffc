import { describe, expect, it } from 'vitest';
import type { Adapter } from 'lowdb';
import {
  createManualClock,
  LowdbSessionStore,
  SessionsService,
} from 'fold-sessions-mock';
import { memoryDocuments, type DocumentSource } from '../../../mock-server/src/core/lowdb-store.js';
import { WriteCoalescer } from '../../../mock-server/src/core/write-coalescer.js';

/** A memory source that counts writes and can hold them back. */
function countingSource() {
  const inner = memoryDocuments();
  const writes: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  const counted = <T>(name: string, adapter: Adapter<T>): Adapter<T> => ({
    read: () => adapter.read(),
    async write(data: T) {
      await gate;
      writes.push(name);
      await adapter.write(data);
    },
  });
  const source: DocumentSource = {
    root: () => counted('root', inner.root()),
    session: (id) => counted(id, inner.session(id)),
    sessionIds: () => inner.sessionIds(),
    removeSession: (id) => inner.removeSession(id),
  };
  return {
    source,
    writes,
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return release;
    },
  };
}

describe('WriteCoalescer', () => {
  it('serves many concurrent requests with at most two writes, each settling after its change is written', async () => {
    let written = 0;
    let value = 0;
    let writes = 0;
    const coalescer = new WriteCoalescer(async () => {
      writes += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      written = value;
    });
    const waits = [];
    for (let i = 1; i <= 50; i++) {
      value = i;
      const at = i;
      waits.push(coalescer.request().then(() => expect(written).toBeGreaterThanOrEqual(at)));
    }
    await Promise.all(waits);
    expect(writes).toBe(1);
    value = 51;
    const late = [coalescer.request(), coalescer.request()];
    await Promise.all(late);
    expect(written).toBe(51);
    expect(writes).toBe(2);
  });

  it('rejects the waiters of a failed write and recovers for the next', async () => {
    let fail = true;
    const coalescer = new WriteCoalescer(async () => {
      if (fail) throw new Error('disk full');
    });
    await expect(Promise.all([coalescer.request(), coalescer.request()])).rejects.toThrow('disk full');
    fail = false;
    await expect(coalescer.request()).resolves.toBeUndefined();
    await coalescer.idle();
  });
});

describe('LowdbSessionStore', () => {
  it('coalesces concurrent appends to one session into few document writes', async () => {
    const { source, writes, hold } = countingSource();
    const store = await LowdbSessionStore.open(source);
    const service = new SessionsService({ store, clock: createManualClock() });
    const { id } = await service.createSession('org_a', { name: 'busy', ttl_seconds: 60 });
    writes.length = 0;
    const release = hold();
    const appends = Array.from({ length: 100 }, (_, i) => service.addMessage('org_a', id, { role: 'user', content: `m${i}` }));
    release();
    await Promise.all(appends);
    expect(writes.length).toBeLessThanOrEqual(2);
    expect((await service.getSession('org_a', id)).message_count).toBe(100);
  });

  it('an append writes only its own session document, however many others are stored', async () => {
    const { source, writes } = countingSource();
    const store = await LowdbSessionStore.open(source);
    const service = new SessionsService({ store });
    const ids = [];
    for (let i = 0; i < 50; i++) ids.push((await service.createSession('org_a', { name: `s${i}`, ttl_seconds: 60 })).id);
    writes.length = 0;
    await service.addMessage('org_a', ids[7]!, { role: 'user', content: 'hi' });
    expect(writes).toEqual([ids[7]]);
  });

  it('reopens from the same documents with sessions, messages and memory intact', async () => {
    const { source } = countingSource();
    const first = new SessionsService({ store: await LowdbSessionStore.open(source) });
    const { id } = await first.createSession('org_a', { name: 'Persisted', ttl_seconds: 600 });
    await first.addMessage('org_a', id, { role: 'user', content: 'remember me' });
    await first.closeSession('org_a', id);
    await first.summaries.flush();
    const gone = (await first.createSession('org_a', { name: 'Deleted', ttl_seconds: 600 })).id;
    await first.deleteSession('org_a', gone);

    const second = new SessionsService({ store: await LowdbSessionStore.open(source) });
    const read = await second.getSession('org_a', id);
    expect(read).toMatchObject({ status: 'closed', summary_status: 'stored', message_count: 1 });
    expect((await second.listSessions('org_a', { limit: 10 })).sessions.map((s) => s.id)).toEqual([id]);
    const memory = await second.queryMemory('org_a', { query_text: 'remember', top_k: 5, namespace: 'session-memory' });
    expect(memory.count).toBe(1);
  });

  it('flush() waits for a deletion still being written', async () => {
    const { source, hold } = countingSource();
    const store = await LowdbSessionStore.open(source);
    const service = new SessionsService({ store });
    const { id } = await service.createSession('org_a', { name: 'x', ttl_seconds: 60 });
    const release = hold();
    const addition = service.addMessage('org_a', id, { role: 'user', content: 'x' });
    const deletion = service.deleteSession('org_a', id);
    let flushed = false;
    const flushing = store.flush().then(() => (flushed = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(flushed).toBe(false);
    release();
    await Promise.all([addition, deletion, flushing]);
    expect(await source.sessionIds()).toEqual([]);
  });
});
