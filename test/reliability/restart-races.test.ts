import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FoldSessions } from 'fold-sessions';
import { childServers, seededRun } from './support.js';

const auth = { authorization: 'Bearer test_key_a', 'content-type': 'application/json' };

let dir: string;
const { start, kill, killAll } = childServers();
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-restart-races-'));
});
afterEach(async () => {
  await killAll();
  await rm(dir, { recursive: true, force: true });
});

/** The status of a request, or `undefined` when the server went away before answering. */
async function statusOf(url: string, method: string, path: string, body?: unknown): Promise<number | undefined> {
  try {
    const response = await fetch(`${url}${path}`, { method, headers: auth, ...(body !== undefined && { body: JSON.stringify(body) }), signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

async function json(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${url}${path}`, { method, headers: auth, ...(body !== undefined && { body: JSON.stringify(body) }) });
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}`);
  return response.json();
}

/**
 * A TCP relay in front of the server. The first connection reaches `first` and is cut as soon
 * as the server starts answering, so the client never sees the answer; later connections wait
 * until `next` is given, then reach it.
 */
async function cuttingRelay(first: string) {
  let target: URL | undefined = new URL(first);
  let connections = 0;
  let cut!: () => void;
  const firstCut = new Promise<void>((resolve) => (cut = resolve));
  let release!: (url: URL) => void;
  const nextTarget = new Promise<URL>((resolve) => (release = resolve));
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (client) => {
    sockets.add(client);
    const cutThis = connections++ === 0;
    client.pause();
    const to = cutThis ? target! : await nextTarget;
    const upstream = connect(Number(to.port), to.hostname);
    sockets.add(upstream);
    client.pipe(upstream);
    client.resume();
    upstream.on('data', (chunk) => {
      if (!cutThis) {
        client.write(chunk);
        return;
      }
      // The server has stored the message and is answering: the answer is lost on the way.
      client.destroy();
      upstream.destroy();
      cut();
    });
    upstream.on('end', () => client.end());
    for (const socket of [client, upstream]) socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    firstCut,
    release: (url: string) => {
      target = undefined;
      release(new URL(url));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('an idempotent retry across a crash', () => {
  it('stores the message once when the first attempt was stored, its answer lost, and the server killed before the retry', async () => {
    const db = join(dir, 'sessions.json');
    const first = await start(db);
    const session = await json(first.url, 'POST', '/sessions', { name: 'retried across a crash', ttl_seconds: 86_400 });
    const relay = await cuttingRelay(first.url);
    try {
      const fold = new FoldSessions({ apiKey: 'test_key_a', baseURL: relay.url, maxRetries: 3, timeout: 20_000 });
      const adding = fold.sessions.messages.add(session.id, { role: 'user', content: 'only once, please' }).withResponse();
      await relay.firstCut;
      await kill(first);
      const second = await start(db);
      relay.release(second.url);
      const { data: message, response } = await adding;
      expect(response.headers.get('idempotent-replayed')).toBe('true');
      const stored = await json(second.url, 'GET', `/sessions/${session.id}`);
      expect(stored.message_count).toBe(1);
      expect(stored.messages).toEqual([message]);
    } finally {
      await relay.close();
    }
  });

  it('replays every kind of idempotent write after a kill -9 and refuses another request under the same key with 422', async () => {
    const db = join(dir, 'sessions.json');
    const first = await start(db);
    const post = async (url: string, path: string, key: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, { method: 'POST', headers: { ...auth, 'idempotency-key': key }, ...(body !== undefined && { body: JSON.stringify(body) }) });
      return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: await response.json() };
    };
    const created = await post(first.url, '/sessions', 'key-create', { name: 'keyed', ttl_seconds: 86_400, context: { plan: 'pro' } });
    const id = created.body.id;
    const added = await post(first.url, `/sessions/${id}/messages`, 'key-add', { role: 'user', content: 'hello' });
    const other = (await post(first.url, '/sessions', 'key-create-2', { name: 'to complete', ttl_seconds: 86_400 })).body.id;
    const completed = await post(first.url, `/sessions/${other}/complete`, 'key-complete');
    const closed = await post(first.url, `/sessions/${id}/close`, 'key-close');
    await kill(first);

    const second = await start(db);
    const again = {
      created: await post(second.url, '/sessions', 'key-create', { name: 'keyed', ttl_seconds: 86_400, context: { plan: 'pro' } }),
      added: await post(second.url, `/sessions/${id}/messages`, 'key-add', { role: 'user', content: 'hello' }),
      completed: await post(second.url, `/sessions/${other}/complete`, 'key-complete'),
      closed: await post(second.url, `/sessions/${id}/close`, 'key-close'),
    };
    for (const [name, original] of Object.entries({ created, added, completed, closed })) {
      const replay = again[name as keyof typeof again];
      expect(replay.status, name).toBe(original.status);
      expect(replay.replayed, name).toBe('true');
      expect(replay.body, name).toEqual(original.body);
    }
    expect((await json(second.url, 'GET', `/sessions/${id}`)).message_count).toBe(1);
    expect((await json(second.url, 'GET', '/sessions')).count).toBe(2);
    const reused = await post(second.url, `/sessions/${id}/messages`, 'key-add', { role: 'user', content: 'something else' });
    expect(reused.status).toBe(422);
  });
});

describe('two identical requests racing a kill', () => {
  it('whatever was answered holds after the restart: closes, completes and deletes in 20 seeded trials each', { timeout: 120_000 }, async () => {
    const { seed, random } = seededRun('restart races', 'RACE_SEED');
    const db = join(dir, 'races', 'sessions.json');
    const trials = 20;
    let answered = 0;
    let server = await start(db);
    let previous: { close: string; complete: string; remove: string; closeAcked: boolean; completeAcked: boolean; removeAnswered: boolean } | undefined;
    for (let trial = 1; trial <= trials + 1; trial++) {
      const { url } = server;
      if (previous) {
        const where = `trial ${trial - 1} (seed ${seed})`;
        const close = await json(url, 'GET', `/sessions/${previous.close}`);
        const complete = await json(url, 'GET', `/sessions/${previous.complete}`);
        if (previous.closeAcked) expect(close.status, `${where}: an answered close was undone`).toBe('closed');
        if (previous.completeAcked) expect(complete.status, `${where}: an answered complete was undone`).toBe('completed');
        // A 404 to the second delete says the session is gone just as a 200 does.
        if (previous.removeAnswered) expect(await statusOf(url, 'GET', `/sessions/${previous.remove}`), `${where}: an answered delete was undone`).toBe(404);
      }
      if (trial > trials) break;
      const ids = [];
      for (let i = 0; i < 3; i++) {
        const id = (await json(url, 'POST', '/sessions', { name: `race ${trial}.${i}`, ttl_seconds: 86_400 })).id;
        await json(url, 'POST', `/sessions/${id}/messages`, { role: 'user', content: 'a message to summarise' });
        ids.push(id);
      }
      const [close, complete, remove] = ids as [string, string, string];
      const twice = (method: string, path: string) => Promise.all([statusOf(url, method, path), statusOf(url, method, path)]);
      const racing = Promise.all([twice('POST', `/sessions/${close}/close`), twice('POST', `/sessions/${complete}/complete`), twice('DELETE', `/sessions/${remove}`)]);
      await new Promise((resolve) => setTimeout(resolve, random() * 8));
      await kill(server);
      const [closes, completes, deletes] = await racing;
      previous = {
        close,
        complete,
        remove,
        closeAcked: closes.includes(200),
        completeAcked: completes.includes(200),
        removeAnswered: deletes.some((status) => status === 200 || status === 404),
      };
      answered += [previous.closeAcked, previous.completeAcked, previous.removeAnswered].filter(Boolean).length;
      server = await start(db);
    }
    await kill(server);
    console.log(`restart races: ${trials} trials × 3 races, ${answered} of ${trials * 3} answered before the kill`);
  });
});
