import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbSessionStore, openFileStore, type SessionStore } from 'fold-sessions-mock';
import { deferred } from '../../../mock-server/src/store/deferred.js';
import { SessionNotActiveError, SessionNotFoundError, StoreUnavailableError } from '../../../mock-server/src/core/errors.js';
import type { ChangeTag } from '../../../mock-server/src/core/store.js';
import { StoreTransactions } from '../../../mock-server/src/store/transactions.js';
import type { Message, SessionDocument } from '../../../mock-server/src/core/types.js';
import { delegatingStore } from '../../support/delegating-store.js';

/** A write the test settles by hand: it is durable when accepted, undone when refused. */
interface HeldWrite {
  kind: 'insert' | 'save' | 'delete';
  id: string;
  tag: ChangeTag | undefined;
  accept(): void;
  refuse(): void;
}

/**
 * A store whose writes wait until the test accepts or refuses them, and whose `settled` says,
 * like the journal's, whether the writes of a session in flight were all accepted.
 */
function heldStore() {
  const inner = LowdbSessionStore.inMemory();
  const writes: HeldWrite[] = [];
  const inFlight = new Map<string, Promise<boolean>>();
  let last: Promise<boolean> | undefined;
  const hold = (kind: HeldWrite['kind'], id: string, tag?: ChangeTag): Promise<void> => {
    const write = deferred();
    const outcome = write.promise.then(
      () => true,
      () => false,
    );
    inFlight.set(id, outcome);
    last = outcome;
    void outcome.then(() => {
      if (inFlight.get(id) === outcome) inFlight.delete(id);
      if (last === outcome) last = undefined;
    });
    writes.push({ kind, id, tag, accept: () => write.resolve(), refuse: () => write.reject(Object.assign(new Error('EIO: refused by the test'), { code: 'EIO' })) });
    return write.promise;
  };
  const store: SessionStore = {
    ...delegatingStore(inner),
    async insertSession(doc, tag) {
      const written = hold('insert', doc.session.id, tag);
      await inner.insertSession(doc);
      try {
        await written;
      } catch (error) {
        await inner.deleteSession(doc.session.id);
        throw error;
      }
    },
    saveSession: (id, tag) => hold('save', id, tag),
    async deleteSession(id) {
      await hold('delete', id);
      await inner.deleteSession(id);
    },
    settled: (id) => (id === undefined ? last : inFlight.get(id)),
  };
  return { store, writes, transactions: new StoreTransactions(store) };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

function sessionDocument(id = 'sess_0123456789abcdef'): SessionDocument {
  return {
    org_id: 'org_a',
    session: {
      id,
      name: 'held',
      status: 'active',
      ttl_seconds: 3600,
      expires_at: 3_600_000,
      context: { step: 1 },
      created_at: 0,
      updated_at: 0,
      closed_at: null,
      completed_at: null,
      summary_status: 'none',
    },
    messages: [],
  };
}

const message = (content: string, at: number): Message => ({ id: `msg_${content.replace(/\W/g, '_').padEnd(16, '_')}`, role: 'user', content, tool_call_id: null, tool_name: null, created_at: at });

async function withSession() {
  const held = heldStore();
  const doc = sessionDocument();
  const created = held.transactions.create(doc);
  held.writes.shift()!.accept();
  await created;
  return { ...held, doc, id: doc.session.id };
}

const append = (content: string, at: number) => (doc: SessionDocument | undefined) => {
  if (!doc) throw new SessionNotFoundError('sess_0123456789abcdef');
  if (doc.session.status !== 'active') throw new SessionNotActiveError(doc.session.id, doc.session.status);
  doc.messages.push(message(content, at));
  doc.session.updated_at = at;
  return doc.messages.length;
};

describe('StoreTransactions.change', () => {
  it('applies the change at once, answers once it is durable, and hands the tag to the store', async () => {
    const { transactions, writes, doc, id } = await withSession();
    const tag: ChangeTag = { orgId: 'org_a', key: 'key-1', fingerprint: 'f', at: 0, operation: 'addMessage' };
    let answered = false;
    const change = transactions.change(id, append('first', 5), { tag }).then((count) => ((answered = true), count));
    // Applied in the tick it was asked for, not answered before it is durable.
    expect(doc.messages.map((m) => m.content)).toEqual(['first']);
    await turn();
    expect(answered).toBe(false);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ kind: 'save', id, tag });
    writes[0]!.accept();
    await expect(change).resolves.toBe(1);
  });

  it('a change the store refuses is undone and rejects with StoreUnavailableError, the store error as its cause', async () => {
    const { transactions, writes, doc, id } = await withSession();
    const context = doc.session.context;
    const change = transactions.change(id, (found) => {
      found!.messages.push(message('lost', 5));
      found!.session.updated_at = 5;
      found!.session.context = { step: 2 };
    });
    writes.shift()!.refuse();
    const error = await change.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).cause).toMatchObject({ code: 'EIO' });
    expect(doc.messages).toEqual([]);
    expect(doc.session.updated_at).toBe(0);
    expect(doc.session.context).toBe(context);
  });

  it('an undo takes back only what no later change has written since', async () => {
    const { transactions, writes, doc, id } = await withSession();
    const first = transactions.change(id, (found) => {
      found!.session.context = { by: 'first' };
      found!.messages.push(message('first', 1));
      found!.session.updated_at = 1;
    });
    const second = transactions.change(id, append('second', 2));
    writes.shift()!.refuse();
    await expect(first).rejects.toBeInstanceOf(StoreUnavailableError);
    // The first one's context stays (nothing wrote it since), its message goes, the later updated_at stays.
    expect(doc.session.context).toEqual({ step: 1 });
    expect(doc.messages.map((m) => m.content)).toEqual(['second']);
    expect(doc.session.updated_at).toBe(2);
    writes.shift()!.accept();
    await expect(second).resolves.toBe(2);
  });

  it('a refusal resting on a write in flight waits for it: that write refused, the change is made after all', async () => {
    const { transactions, writes, doc, id } = await withSession();
    const close = transactions.change(id, (found) => {
      found!.session.status = 'closed';
    });
    let runs = 0;
    const late = transactions.change(id, (found) => {
      runs += 1;
      return append('after the close', 3)(found);
    });
    await turn();
    expect(runs).toBe(1);
    writes.shift()!.refuse();
    await expect(close).rejects.toBeInstanceOf(StoreUnavailableError);
    await turn();
    expect(runs).toBe(2);
    expect(doc.session.status).toBe('active');
    writes.shift()!.accept();
    await expect(late).resolves.toBe(1);
  });

  it('a refusal resting on a write in flight that is accepted is kept', async () => {
    const { transactions, writes, id } = await withSession();
    void transactions.change(id, (found) => {
      found!.session.status = 'closed';
    });
    const late = transactions.change(id, append('after the close', 3));
    writes.shift()!.accept();
    await expect(late).rejects.toBeInstanceOf(SessionNotActiveError);
    expect(writes).toEqual([]);
  });

  it('a change that changes nothing answers once what it found is durable, and is made again when that was refused', async () => {
    const { transactions, writes, doc, id } = await withSession();
    const close = (found: SessionDocument | undefined) => {
      if (found!.session.status === 'closed') return 'repeat';
      found!.session.status = 'closed';
      return 'first';
    };
    const first = transactions.change(id, close);
    const repeat = transactions.change(id, close);
    let answered = false;
    void repeat.then(() => (answered = true));
    await turn();
    expect(answered).toBe(false);
    writes.shift()!.refuse();
    await expect(first).rejects.toBeInstanceOf(StoreUnavailableError);
    await turn();
    // The repeat found a state a refused write had made: it is the first one now, with a write of its own.
    expect(doc.session.status).toBe('closed');
    expect(writes).toHaveLength(1);
    writes.shift()!.accept();
    await expect(repeat).resolves.toBe('first');
  });

  it('afterInFlight: the change sees the state the writes in flight leave, a refused append gone', async () => {
    const { transactions, writes, id } = await withSession();
    const appended = transactions.change(id, append('refused', 1));
    let seen: number | undefined;
    const close = transactions.change(
      id,
      (found) => {
        seen = found!.messages.length;
        found!.session.status = 'closed';
      },
      { afterInFlight: true },
    );
    writes.shift()!.refuse();
    await expect(appended).rejects.toBeInstanceOf(StoreUnavailableError);
    await turn();
    expect(seen).toBe(0);
    writes.shift()!.accept();
    await close;
  });

  it('a bug in the change is thrown at once, never waited on or retried', async () => {
    const { transactions, id } = await withSession();
    void transactions.change(id, append('in flight', 1));
    let runs = 0;
    const bug = transactions.change(id, () => {
      runs += 1;
      throw new TypeError('a bug');
    });
    await expect(bug).rejects.toBeInstanceOf(TypeError);
    expect(runs).toBe(1);
  });
});

describe('StoreTransactions.read', () => {
  it('waits for a write in flight it rests on, and computes again when that write is refused', async () => {
    const { transactions, writes, doc, id } = await withSession();
    const appended = transactions.change(id, append('refused', 1));
    const seen: number[] = [];
    const read = transactions.read(id, () => {
      seen.push(doc.messages.length);
      return doc.messages.length;
    });
    await turn();
    expect(seen).toEqual([1]);
    writes.shift()!.refuse();
    await expect(appended).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(read).resolves.toBe(0);
    expect(seen).toEqual([1, 0]);
  });

  it('answers what it computed once the write it rests on is accepted, without computing again', async () => {
    const { transactions, writes, doc, id } = await withSession();
    void transactions.change(id, append('kept', 1));
    let computed = 0;
    const read = transactions.read(id, () => {
      computed += 1;
      return doc.messages.length;
    });
    writes.shift()!.accept();
    await expect(read).resolves.toBe(1);
    expect(computed).toBe(1);
  });

  it('a not-found resting on a delete in flight waits for it: the delete refused, the session is found', async () => {
    const { transactions, writes, store, id } = await withSession();
    const removed = transactions.remove(id, (doc) => {
      if (!doc) throw new SessionNotFoundError(id);
    });
    await turn();
    expect(writes[0]).toMatchObject({ kind: 'delete', id });
    writes.shift()!.refuse();
    await expect(removed).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(transactions.read(id, () => store.getSession(id)?.session.id)).resolves.toBe(id);
  });
});

describe('tags of idempotent requests', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const tagged = (key: string, operation: string): ChangeTag => ({ orgId: 'org_a', key, fingerprint: `POST ${key}`, at: Date.now(), operation });

  it('a create and a change keep their tags for replays, after a restart too', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fold-transactions-'));
    const db = join(dir, 'sessions.json');
    const store = await openFileStore(db);
    const transactions = new StoreTransactions(store);
    const doc = sessionDocument();
    const created = tagged('create', 'createSession');
    const appended = tagged('append', 'addMessage');
    await transactions.create(doc, created);
    await transactions.change(doc.session.id, append('kept', 5), { tag: appended });
    const expected = [
      { tag: created, session: expect.objectContaining({ id: doc.session.id }), messageCount: 0 },
      { tag: appended, message: expect.objectContaining({ content: 'kept' }) },
    ];
    expect([...store.taggedChanges()]).toEqual(expected);
    await store.close();

    const reopened = await openFileStore(db);
    expect([...reopened.taggedChanges()]).toEqual(expected);
    await reopened.close();
  });

  it('a refused change hands its tag to the store with the write that was refused', async () => {
    const { transactions, writes, id } = await withSession();
    const tag = tagged('refused', 'addMessage');
    const change = transactions.change(id, append('refused', 1), { tag });
    expect(writes[0]).toMatchObject({ kind: 'save', tag });
    writes.shift()!.refuse();
    await expect(change).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('StoreTransactions.record', () => {
  it('writes state that holds whatever the disk says, and leaves it applied when the write is refused', async () => {
    const { transactions, writes, doc, id } = await withSession();
    const recorded = transactions.record(id, (found) => {
      found.session.summary_status = 'stored';
      return true;
    });
    writes.shift()!.refuse();
    await expect(recorded).rejects.toMatchObject({ code: 'EIO' });
    expect(doc.session.summary_status).toBe('stored');
    await transactions.record(id, () => false);
    expect(writes).toEqual([]);
  });
});
