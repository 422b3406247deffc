import { describe, expect, it } from 'vitest';
import { createManualClock, LowdbSessionStore, SessionsService, sessionFixture, type MemoryEntry } from 'fold-sessions-mock';
import { recordingLog } from '../../support/change-logs.js';

const now = Date.UTC(2026, 0, 1);
const session = (name: string, at: number) => sessionFixture({ orgId: 'org_a', name, messages: 1, now: at }).sessions[0]!;
const entry = (id: string, text: string): MemoryEntry => ({ id, org_id: 'org_a', namespace: 'session-memory', text, metadata: { session_id: 'sess_x', closed_at: now } }) as MemoryEntry;

describe('LowdbSessionStore', () => {
  it('in memory: every change is final at once, and nothing is logged', async () => {
    const store = LowdbSessionStore.inMemory();
    const service = new SessionsService({ store, clock: createManualClock(now) });
    const { id } = await service.createSession('org_a', { name: 'kept', ttl_seconds: 60 });
    await service.addMessage('org_a', id, { role: 'user', content: 'hi' });
    expect(store.getSession(id)!.messages.map((message) => message.content)).toEqual(['hi']);
    expect(store.settled?.(id)).toBeUndefined();
  });

  it('restored: lists each organisation newest first whatever order start-up gives, and logs every change', async () => {
    const docs = [session('old', now - 3000), session('new', now - 1000), session('middle', now - 2000)];
    const { log, calls } = recordingLog();
    const store = LowdbSessionStore.restore(docs, [], log);
    expect([...store.sessionsNewestFirst('org_a')].map((doc) => doc.session.name)).toEqual(['new', 'middle', 'old']);
    expect(store.sessionCount('org_a')).toBe(3);
    expect([...store.sessions()]).toHaveLength(3);
    await store.saveSession(docs[0]!.session.id);
    await store.deleteSession(docs[1]!.session.id);
    await store.upsertMemory(entry('mem_1', 'a summary'));
    expect(calls).toEqual([`update ${docs[0]!.session.id}`, `remove ${docs[1]!.session.id}`, 'memory mem_1']);
  });

  it('a change the log refuses leaves no trace: an insert is not found, a delete comes back, a memory entry is as it was, a clear restores all', async () => {
    const kept = session('kept', now - 1000);
    const { log, refuse } = recordingLog();
    const store = LowdbSessionStore.restore([kept], [entry('mem_1', 'before')], log);
    refuse(true);

    const added = session('added', now);
    await expect(store.insertSession(added)).rejects.toThrow('refused');
    expect(store.getSession(added.session.id)).toBeUndefined();
    expect(store.sessionCount('org_a')).toBe(1);

    await expect(store.deleteSession(kept.session.id)).rejects.toThrow('refused');
    expect(store.getSession(kept.session.id)).toBe(kept);

    await expect(store.upsertMemory(entry('mem_1', 'after'))).rejects.toThrow('refused');
    await expect(store.upsertMemory(entry('mem_2', 'new'))).rejects.toThrow('refused');
    expect(store.memoryEntries().map((memory) => memory.text)).toEqual(['before']);
    expect([...store.searchMemory('org_a', new Map([['new', 1]]))]).toEqual([]);

    await expect(store.clear()).rejects.toThrow('refused');
    expect(store.getSession(kept.session.id)).toBe(kept);
    expect([...store.sessionsNewestFirst('org_a')]).toEqual([kept]);
    expect(store.memoryEntries()).toHaveLength(1);

    refuse(false);
    await store.clear();
    expect(store.getSession(kept.session.id)).toBeUndefined();
    expect([...store.organisations()]).toEqual([]);
  });

  it('refuses a second session with an id already stored', async () => {
    const doc = session('one', now);
    const store = LowdbSessionStore.inMemory();
    await store.insertSession(doc);
    await expect(store.insertSession(structuredClone(doc))).rejects.toThrow(`Session id ${doc.session.id} is already stored`);
  });
});
