import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FoldSessions, type Session } from 'fold-sessions';
import { startChildServer, type ChildServer } from './support.js';

const parallel = 200;

let dir: string;
let db: string;
const servers: ChildServer[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-sessions-concurrency-'));
  db = join(dir, 'sessions.json');
});
afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.kill()));
  await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<{ server: ChildServer; fold: FoldSessions }> {
  const server = await startChildServer(db);
  servers.push(server);
  // No retries: each call is sent once, so every count below is the server's own doing.
  return { server, fold: new FoldSessions({ apiKey: 'test_key_a', baseURL: server.url, maxRetries: 0, timeout: 20_000 }) };
}

async function allSessions(fold: FoldSessions): Promise<Session[]> {
  const sessions: Session[] = [];
  for await (const session of fold.sessions.list({ limit: 100 })) sessions.push(session);
  return sessions;
}

describe(`${parallel} requests at once against one file-backed server`, () => {
  it('appends to one session: every one stored once, message_count exact, also after a SIGKILL and restart', async () => {
    const { server, fold } = await start();
    const session = await fold.sessions.create({ name: 'one busy session' });
    const contents = Array.from({ length: parallel }, (_, i) => `parallel append ${i}`);
    const replies = await Promise.all(contents.map((content) => fold.sessions.messages.add(session.id, { role: 'user', content })));
    expect(new Set(replies.map((message) => message.id)).size).toBe(parallel);

    const check = async (reader: FoldSessions) => {
      const stored = await reader.sessions.get(session.id);
      expect(stored.message_count).toBe(parallel);
      expect(stored.messages).toHaveLength(parallel);
      expect(new Set(stored.messages.map((message) => message.id)).size).toBe(parallel);
      expect(new Set(stored.messages.map((message) => message.content))).toEqual(new Set(contents));
      expect(new Map(stored.messages.map((message) => [message.id, message]))).toEqual(new Map(replies.map((message) => [message.id, message])));
    };
    await check(fold);
    // Acknowledged means written: no graceful shutdown, no final flush.
    await server.kill();
    await check((await start()).fold);
  });

  it('creates: every session stored once, also after a SIGKILL and restart', async () => {
    const { server, fold } = await start();
    const before = new Set((await allSessions(fold)).map((session) => session.id));
    const names = Array.from({ length: parallel }, (_, i) => `parallel create ${i}`);
    const created = await Promise.all(names.map((name) => fold.sessions.create({ name, context: { name } })));
    expect(new Set(created.map((session) => session.id)).size).toBe(parallel);
    await server.kill();

    const { fold: reader } = await start();
    const stored = (await allSessions(reader)).filter((session) => !before.has(session.id));
    expect(stored).toHaveLength(parallel);
    expect(new Set(stored.map((session) => session.name))).toEqual(new Set(names));
    const byId = new Map(stored.map((session) => [session.id, session]));
    for (const session of created) {
      expect(byId.get(session.id)).toMatchObject({ id: session.id, name: session.name, context: session.context, status: 'active' });
    }
  });

  it('context replacements: each answer shows the context it wrote, not a later writer\'s', async () => {
    const { fold } = await start();
    const session = await fold.sessions.create({ name: 'contended context' });
    const writers = 30;
    const rounds = 10;
    let mismatched = 0;
    for (let round = 0; round < rounds; round++) {
      const answers = await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          const context = { writer, round };
          return { context, answer: await fold.sessions.updateContext(session.id, context) };
        }),
      );
      for (const { context, answer } of answers) if (JSON.stringify(answer.context) !== JSON.stringify(context)) mismatched += 1;
    }
    expect(mismatched, `of ${writers * rounds} answers`).toBe(0);
  });
});
