import fs from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionsApi, openDurableStore, type ApiRequest, type LowdbSessionStore } from 'fold-sessions-mock';
import { readStoredSession } from '../../support/stored-session.js';

// Writes the journal refuses (the disk full or failing), checked at the level of files: a refused
// change must leave no trace in memory, in the documents a compaction writes, in the replays of
// idempotent requests, or after a restart.

const realWrite = fs.write;
/** While set, every `fs.write` fails with this error code, after `delayMs`. */
let failing: { code: string; delayMs: number } | undefined;
function patchWrites(): void {
  (fs as { write: unknown }).write = (...args: unknown[]) => {
    if (!failing) return (realWrite as (...a: unknown[]) => void)(...args);
    const callback = args.at(-1) as (error: Error) => void;
    const error = Object.assign(new Error(`${failing.code}: refused by the test`), { code: failing.code });
    setTimeout(() => callback(error), failing.delayMs);
  };
  syncBuiltinESMExports();
}
function restoreWrites(): void {
  failing = undefined;
  (fs as { write: unknown }).write = realWrite;
  syncBuiltinESMExports();
}

let dir: string;
let db: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-refused-'));
  db = join(dir, 'data', 'sessions.json');
  patchWrites();
});
afterEach(async () => {
  restoreWrites();
  await rm(dir, { recursive: true, force: true });
});

const auth = { authorization: 'Bearer fold_dev_key', 'content-type': 'application/json' };

async function open(options: Parameters<typeof openDurableStore>[1] = {}) {
  const { store, report } = await openDurableStore(db, options);
  const api = createSessionsApi({ store });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const request: ApiRequest = { method, path, headers: { ...auth, ...headers }, ...(body !== undefined && { rawBody: JSON.stringify(body) }) } as ApiRequest;
    const response = await api.handle(request);
    return response as { status: number; body: Record<string, unknown>; headers: Record<string, string> };
  };
  const contents = (store: LowdbSessionStore, id: string) => store.getSession(id)?.messages.map((message) => message.content);
  return { store, report, api, call, contents };
}

describe('refused writes leave no trace', () => {
  it('a keyed append refused with 503 is not replayed after a restart: its retry stores it, once', async () => {
    const first = await open();
    const { body: session } = await first.call('POST', '/sessions', { name: 'refused key' });
    failing = { code: 'ENOSPC', delayMs: 0 };
    const refused = await first.call('POST', `/sessions/${session.id}/messages`, { role: 'user', content: 'retried' }, { 'idempotency-key': 'key-1' });
    expect(refused.status).toBe(503);
    failing = undefined;
    await first.store.close();

    const second = await open();
    const retried = await second.call('POST', `/sessions/${session.id}/messages`, { role: 'user', content: 'retried' }, { 'idempotency-key': 'key-1' });
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(second.contents(second.store, session.id as string)).toEqual(['retried']);
    await second.store.close();
  });

  it('a compaction that waits on a batch the disk refuses never writes that batch into the documents', async () => {
    // Two records per journal file: the refused append's batch is the one the rotation waits on.
    const first = await open({ journalLimits: { maxRecords: 2 } });
    const { body: session } = await first.call('POST', '/sessions', { name: 'compacted' });
    const id = session.id as string;
    expect((await first.call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'kept' })).status).toBe(201);
    failing = { code: 'EIO', delayMs: 30 };
    expect((await first.call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'refused' })).status).toBe(503);
    failing = undefined;
    await first.store.compact();
    expect(first.contents(first.store, id)).toEqual(['kept']);
    const document = (await readStoredSession(db, id))!;
    expect(document.messages.map((message) => message.content)).toEqual(['kept']);
    await first.store.close();

    const second = await open();
    expect(second.contents(second.store, id)).toEqual(['kept']);
    await second.store.close();
  });

  it('a close summarises only stored messages: an append refused while the close waited is in neither the session nor its memory entry', async () => {
    const first = await open();
    const { body: session } = await first.call('POST', '/sessions', { name: 'closing' });
    const id = session.id as string;
    await first.call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'kept message' });
    failing = { code: 'EIO', delayMs: 20 };
    const append = first.call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'refused secret' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    failing = undefined;
    const close = first.call('POST', `/sessions/${id}/close`);
    expect((await append).status).toBe(503);
    const closed = await close;
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', message_count: 1, summary_status: 'pending' });
    await first.api.controller.summaries.flush();
    const entries = [...first.store.memoryEntries()];
    expect(entries).toHaveLength(1);
    expect(entries[0]!.metadata.message_count).toBe(1);
    expect(entries[0]!.text).not.toContain('secret');
    expect(first.contents(first.store, id)).toEqual(['kept message']);
    await first.store.close();
  });

  it('a context replacement and a close refused together leave the original context, in memory and after a restart', async () => {
    const first = await open();
    const { body: session } = await first.call('POST', '/sessions', { name: 'both refused', context: { v: 'original' } });
    const id = session.id as string;
    failing = { code: 'EIO', delayMs: 10 };
    const [context, close] = await Promise.all([first.call('PUT', `/sessions/${id}/context`, { context: { v: 'refused' } }), first.call('POST', `/sessions/${id}/close`)]);
    failing = undefined;
    expect(context.status).toBe(503);
    expect(close.status).toBe(503);
    const read = await first.call('GET', `/sessions/${id}`);
    expect(read.body).toMatchObject({ status: 'active', context: { v: 'original' } });
    // A later write journals the session whole (its journal image is unknown after a refusal).
    expect((await first.call('POST', `/sessions/${id}/messages`, { role: 'user', content: 'later' })).status).toBe(201);
    await first.store.close();

    const second = await open();
    expect(second.store.getSession(id)!.session).toMatchObject({ status: 'active', context: { v: 'original' } });
    await second.store.close();
  });

  it('a read while a clear is on its way to disk waits for it: the clear refused, the session is still there', async () => {
    const first = await open();
    const { body: session } = await first.call('POST', '/sessions', { name: 'survives' });
    failing = { code: 'EIO', delayMs: 30 };
    const clearing = first.store.clear();
    const read = first.call('GET', `/sessions/${session.id}`);
    await expect(clearing).rejects.toMatchObject({ code: 'EIO' });
    failing = undefined;
    expect((await read).status).toBe(200);
    await first.store.close();
  });

  it('a batch that reached the file in part and could not be cut off again is not replayed after a crash', async () => {
    const first = await open({ durability: 'process' });
    const { body: session } = await first.call('POST', '/sessions', { name: 'short write' });
    const id = session.id as string;
    const realTruncate = fs.ftruncate;
    const realOpen = fs.open;
    let mode: 'short' | 'broken' | undefined = 'short';
    // The next write stops after its first line and a few bytes; then writes and cut-offs fail,
    // and so does opening the next journal file (no compaction can take the file away).
    (fs as { open: unknown }).open = (...args: unknown[]) => {
      if (mode !== 'broken') return (realOpen as (...a: unknown[]) => void)(...args);
      const callback = args.at(-1) as (error: Error) => void;
      setImmediate(() => callback(Object.assign(new Error('EIO'), { code: 'EIO' })));
    };
    (fs as { write: unknown }).write = (fd: number, buffer: Buffer, offset: number, length: number, position: number, callback: (...a: unknown[]) => void) => {
      if (mode === 'short') {
        mode = 'broken';
        return realWrite(fd, buffer, offset, buffer.indexOf(10, offset) + 1 + 5 - offset, position, callback);
      }
      if (mode === 'broken') return setImmediate(() => callback(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' })));
      return realWrite(fd, buffer, offset, length, position, callback);
    };
    (fs as { ftruncate: unknown }).ftruncate = (fd: number, length: number, callback: (error: Error | null) => void) =>
      mode === 'broken' ? setImmediate(() => callback(Object.assign(new Error('EIO'), { code: 'EIO' }))) : realTruncate(fd, length, callback);
    syncBuiltinESMExports();
    try {
      const answers = await Promise.all(['A', 'B'].map((content) => first.call('POST', `/sessions/${id}/messages`, { role: 'user', content })));
      expect(answers.map((answer) => answer.status)).toEqual([503, 503]);
      expect(first.contents(first.store, id)).toEqual([]);
      // The process dies here: the folder as it is now is what the next start finds.
      await cp(join(dir, 'data'), join(dir, 'crashed'), { recursive: true });
    } finally {
      mode = undefined;
      (fs as { ftruncate: unknown }).ftruncate = realTruncate;
      (fs as { open: unknown }).open = realOpen;
      patchWrites();
    }
    await first.store.close();
    const reopened = await openDurableStore(join(dir, 'crashed', 'sessions.json'));
    expect(reopened.report.tornRecord).toBe(true);
    expect(reopened.store.getSession(id)!.messages).toEqual([]);
    await reopened.store.close();
  });

  it('a refused clear keeps the idempotency replays: a keyed create retried after a restart is replayed, not repeated', async () => {
    const first = await open();
    const created = await first.call('POST', '/sessions', { name: 'kept' }, { 'idempotency-key': 'create-1' });
    failing = { code: 'EIO', delayMs: 0 };
    await expect(first.store.clear()).rejects.toMatchObject({ code: 'EIO' });
    failing = undefined;
    expect([...first.store.taggedChanges()]).toHaveLength(1);
    await first.store.close();

    const second = await open();
    const retried = await second.call('POST', '/sessions', { name: 'kept' }, { 'idempotency-key': 'create-1' });
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body.id).toBe(created.body.id);
    expect([...second.store.sessionsOf('org_dev')]).toHaveLength(1);
    await second.store.close();
  });
});

describe('start-up after crashes', () => {
  it('a database whose root file is missing gets it back with the memory entries its journal holds', async () => {
    const first = await open();
    const { body: session } = await first.call('POST', '/sessions', { name: 'remembered' });
    await first.call('POST', `/sessions/${session.id}/messages`, { role: 'user', content: 'the saffron invoice' });
    await first.call('POST', `/sessions/${session.id}/close`);
    await first.api.controller.summaries.flush();
    await first.store.flush();
    const crashed = join(dir, 'crashed');
    await cp(join(dir, 'data'), crashed, { recursive: true });
    await first.store.close();
    await rm(join(crashed, 'sessions.json'));

    const reopened = await openDurableStore(join(crashed, 'sessions.json'));
    await reopened.store.compact();
    const root = JSON.parse(await readFile(join(crashed, 'sessions.json'), 'utf8')) as { memory: Array<{ metadata: { session_id: string } }> };
    expect(root.memory.map((entry) => entry.metadata.session_id)).toEqual([session.id]);
    await reopened.store.close();
  });

  it('accepts a journal file that ends in a record cut short when a later file exists, and says so', async () => {
    const first = await open();
    const { body: session } = await first.call('POST', '/sessions', { name: 'torn' });
    const id = session.id as string;
    for (const content of ['one', 'two']) await first.call('POST', `/sessions/${id}/messages`, { role: 'user', content });
    await first.store.flush();
    // The folder as a crash left it: the last batch of file 1 cut short, file 2 already created.
    const crashed = join(dir, 'crashed');
    await cp(join(dir, 'data'), crashed, { recursive: true });
    await first.store.close();
    const journals = (await readdir(join(crashed, 'sessions'))).filter((name) => name.startsWith('journal-')).sort();
    const last = join(crashed, 'sessions', journals.at(-1)!);
    const size = (await readFile(last)).length;
    await truncate(last, size - 10);
    const next = Number(/journal-(\d+)/.exec(journals.at(-1)!)![1]) + 1;
    await writeFile(join(crashed, 'sessions', `journal-${String(next).padStart(6, '0')}.ndjson`), '');

    const reopened = await openDurableStore(join(crashed, 'sessions.json'));
    expect(reopened.report.tornRecord).toBe(true);
    expect(reopened.store.getSession(id)!.messages.map((message) => message.content)).toEqual(['one']);
    await reopened.store.close();
  });
});
