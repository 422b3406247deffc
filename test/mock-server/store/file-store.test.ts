import { mkdtemp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDurableStore, openFileStore, sessionFile, sessionsDirectory, StoreOpenError } from 'fold-sessions-mock';
import { readStoredSession } from '../../support/stored-session.js';
import { startReferenceServer } from '../../support/reference-server.js';
import { createTestClient } from '../http.js';

let dir: string;
let db: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-sessions-mock-'));
  db = join(dir, 'data', 'sessions.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const storedSession = async (id: string) => (await readStoredSession(db, id))!;

async function serve() {
  const store = await openFileStore(db);
  const server = await startReferenceServer({ store });
  return {
    store,
    server,
    api: createTestClient(server.url, server.apiKey),
    async stop() {
      await server.close();
      await store.close();
    },
  };
}

describe('file store: persistence', () => {
  it('keeps sessions, messages, lifecycle, summaries and memory across a restart on the same file', async () => {
    const first = await serve();
    const { body: kept } = await first.api.createSession({ name: 'Persisted chat', context: { plan: 'pro' } });
    await first.api.addMessage(kept.id, { role: 'user', content: 'the saffron invoice is wrong' });
    await first.api.addMessage(kept.id, { role: 'assistant', content: 'corrected' });
    await first.api.closeSession(kept.id);
    const { body: open } = await first.api.createSession({ name: 'Still open' });
    const { body: deleted } = await first.api.createSession({ name: 'Deleted' });
    await first.api.deleteSession(deleted.id);
    await first.server.service.summaries.flush();
    await first.stop();

    const second = await serve();
    try {
      const read = await second.api.getSession(kept.id);
      expect(read.body).toMatchObject({ status: 'closed', summary_status: 'stored', message_count: 2, context: { plan: 'pro' } });
      expect(read.body.messages.map((m: { content: string }) => m.content)).toEqual(['the saffron invoice is wrong', 'corrected']);
      expect((await second.api.getSession(deleted.id)).status).toBe(404);
      const listed = await second.api.listSessions();
      expect(listed.body.sessions.map((s: { id: string }) => s.id)).toEqual([open.id, kept.id]);
      const memory = await second.api.queryMemory({ query_text: 'saffron invoice' });
      expect(memory.body.matches[0].metadata.session_id).toBe(kept.id);
      expect((await second.api.addMessage(open.id)).status).toBe(201);
    } finally {
      await second.stop();
    }
  });

  it('acknowledges an append only once it is in the journal, and writes the documents on close', async () => {
    const { api, stop } = await serve();
    const { body: session } = await api.createSession();
    const reply = await api.addMessage(session.id, { role: 'user', content: 'durable?' });
    expect(reply.status).toBe(201);
    const journal = (await readdir(sessionsDirectory(db))).filter((name) => name.endsWith('.ndjson'));
    expect(journal).toHaveLength(1);
    // Each batch starts with a header line (its checksum and offset), then one record a line.
    const records = (await readFile(join(sessionsDirectory(db), journal[0]!), 'utf8'))
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => JSON.parse(line));
    expect(records.map((record) => record.t)).toEqual(['doc', 'update']);
    expect(records[1].messages.map((m: { id: string }) => m.id)).toEqual([reply.body.id]);
    await stop();
    const onDisk = await storedSession(session.id);
    expect(onDisk.messages.map((m: { id: string }) => m.id)).toEqual([reply.body.id]);
    // Compact JSON: the size follows the data, not its nesting.
    expect(await readFile(sessionFile(db, session.id), 'utf8')).not.toContain('\n');
  });

  it('keeps sessions in segment files, rewrites only the changed segments, and removes one left empty', async () => {
    const first = await serve();
    const a = (await first.api.createSession()).body.id;
    // Ids are random: a second session in another segment than the first.
    let b = (await first.api.createSession()).body.id;
    for (let tries = 0; sessionFile(db, b) === sessionFile(db, a) && tries < 20; tries++) b = (await first.api.createSession()).body.id;
    expect(sessionFile(db, b)).not.toBe(sessionFile(db, a));
    await first.stop();
    const documents = async () => (await readdir(sessionsDirectory(db))).filter((name) => name.endsWith('.json') && name !== 'manifest.json' && name !== 'replays.json');
    expect(await documents()).toContain(basename(sessionFile(db, a)));
    expect(await documents()).toContain(basename(sessionFile(db, b)));
    expect((await documents()).every((name) => /^segment-\d\d\.json$/.test(name))).toBe(true);
    const before = await stat(sessionFile(db, b));
    const second = await serve();
    await second.api.addMessage(a);
    await second.api.deleteSession(a);
    await second.stop();
    const sessionsOf = async (file: string) => (JSON.parse(await readFile(file, 'utf8')) as { sessions: Array<{ session: { id: string } }> }).sessions.map((doc) => doc.session.id);
    // a's segment holds what it held but a: removed when nothing is left.
    if (await stat(sessionFile(db, a)).catch(() => undefined)) expect(await sessionsOf(sessionFile(db, a))).not.toContain(a);
    expect(await sessionsOf(sessionFile(db, b))).toContain(b);
    expect((await stat(sessionFile(db, b))).mtimeMs).toBe(before.mtimeMs);
  });

  it('creates the database file and folder on first start', async () => {
    const store = await openFileStore(db);
    await store.flush();
    expect(JSON.parse(await readFile(db, 'utf8'))).toEqual({ format: 1, memory: [] });
    expect((await stat(sessionsDirectory(db))).isDirectory()).toBe(true);
  });
});

describe('file store: a database it cannot read stops start-up and stays untouched', () => {
  async function expectRefused(path: string, content: string, message: RegExp) {
    const before = await stat(path);
    const error = await openFileStore(db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path);
    expect(await readFile(path, 'utf8')).toBe(content);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
  }

  it('a root file that is not JSON', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(db, '{"format": 1, "memory": [');
    await expectRefused(db, '{"format": 1, "memory": [', /not valid JSON/);
    await expect(stat(sessionsDirectory(db))).rejects.toThrow();
  });

  it('a root file of another shape', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(db, '[1, 2, 3]');
    await expectRefused(db, '[1, 2, 3]', /not a fold-sessions-mock database/);
  });

  it('a segment file that is corrupt', async () => {
    const store = await openFileStore(db);
    await store.close();
    const id = 'sess_AAAAAAAAAAAAAAAAAAAA';
    const broken = sessionFile(db, id);
    await writeFile(broken, `{"format": 1, "sessions": [{"org_id": "org_a", "session": {"id": "${id}"}, "messages": []}]}`);
    await expectRefused(broken, await readFile(broken, 'utf8'), /sessions\.0\.session\.name is not a valid session document/);
  });

  it('a session file of the older layout (one document per session) that is corrupt', async () => {
    await mkdir(sessionsDirectory(db), { recursive: true });
    await writeFile(db, '{"format": 1, "memory": []}');
    const broken = join(sessionsDirectory(db), 'sess_AAAAAAAAAAAAAAAAAAAA.json');
    await writeFile(broken, '{"org_id": "org_a", "session": {"id": "sess_AAAAAAAAAAAAAAAAAAAA"}, "messages": []}');
    await expectRefused(broken, await readFile(broken, 'utf8'), /not a valid session document: document\.session\.name/);
  });

  it('a database path that is a directory', async () => {
    await mkdir(db, { recursive: true });
    const error = await openFileStore(db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toMatch(/directory/);
  });
});

describe('file store: the journal at start-up', () => {
  /** A database with one session and two appends still in the journal (as a kill leaves it). */
  async function crashedDatabase() {
    const { store } = await openDurableStore(db);
    const api = await startReferenceServer({ store });
    const client = createTestClient(api.url, api.apiKey);
    const { body: session } = await client.createSession({ name: 'journaled' });
    await client.addMessage(session.id, { role: 'user', content: 'one' });
    await client.addMessage(session.id, { role: 'user', content: 'two' });
    await api.close();
    await store.flush();
    const journal = (await readdir(sessionsDirectory(db))).find((name) => name.endsWith('.ndjson'))!;
    return { id: session.id as string, journal: join(sessionsDirectory(db), journal) };
  }

  it('replays the journal, then compacts it into the documents', async () => {
    const { id, journal } = await crashedDatabase();
    const { store, report } = await openDurableStore(db);
    expect(report).toEqual({ replayed: 3, tornRecord: false, dropped: [] });
    expect(store.getSession(id)!.messages.map((message) => message.content)).toEqual(['one', 'two']);
    await store.close();
    expect((await storedSession(id)).messages).toHaveLength(2);
    await expect(stat(journal)).rejects.toThrow();
  });

  it('ignores a last record cut short by a crash, and says so', async () => {
    const { id, journal } = await crashedDatabase();
    const text = await readFile(journal, 'utf8');
    await writeFile(journal, text.slice(0, text.length - 10));
    const { store, report } = await openDurableStore(db);
    const lastBatch = text.lastIndexOf('\n#') + 1;
    expect(report).toEqual({ replayed: 2, tornRecord: true, torn: { file: journal, offset: lastBatch }, dropped: [] });
    expect(store.getSession(id)!.messages.map((message) => message.content)).toEqual(['one']);
    await store.close();
  });

  it('ignores a last batch whose records are complete but whose end was never written, and says so', async () => {
    const { id, journal } = await crashedDatabase();
    const text = await readFile(journal, 'utf8');
    expect(text.endsWith('\n\n')).toBe(true);
    await writeFile(journal, text.slice(0, -1));
    const { store, report } = await openDurableStore(db);
    expect(report).toEqual({ replayed: 2, tornRecord: true, torn: { file: journal, offset: text.lastIndexOf('\n#') + 1 }, dropped: [] });
    expect(store.getSession(id)!.messages.map((message) => message.content)).toEqual(['one']);
    await store.close();
  });

  it('refuses a damaged record before the end, and a journal that does not fit the documents, touching nothing', async () => {
    const { journal } = await crashedDatabase();
    const text = await readFile(journal, 'utf8');
    const lines = text.split('\n');
    const damaged = [lines[0], '{"t":"update", oops', ...lines.slice(1)].join('\n');
    await writeFile(journal, damaged);
    const before = await stat(journal);
    const error = await openFileStore(db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toMatch(/line 2 is not valid JSON/);
    expect((error as Error).message).toContain(journal);
    expect(await readFile(journal, 'utf8')).toBe(damaged);
    expect((await stat(journal)).mtimeMs).toBe(before.mtimeMs);

    await writeFile(journal, `${JSON.stringify({ t: 'update', id: 'sess_AAAAAAAAAAAAAAAAAAAA', session: { id: 'sess_AAAAAAAAAAAAAAAAAAAA' } })}\n\n`);
    const orphan = await openFileStore(db).catch((e: unknown) => e);
    expect(orphan).toBeInstanceOf(StoreOpenError);
    expect((orphan as Error).message).toMatch(/does not belong to these documents/);

    await writeFile(journal, `${JSON.stringify({ t: 'rename', id: 'x' })}\n\n`);
    expect(((await openFileStore(db).catch((e: unknown) => e)) as Error).message).toMatch(/line 1 is not a journal record: its type "rename" is unknown/);
  });
});
