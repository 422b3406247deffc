import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LowdbSessionStore, type SessionStore } from 'fold-sessions-mock';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { assertConforms, createTestClient, type Reply } from '../http.js';

// What only Node's HTTP server shows: bodies refused by their declared or streamed length, and a
// store that fails. Every other error the API answers is in the contract suite (test/contract/cases/errors.ts).

let server: ReferenceServer;

beforeAll(async () => {
  server = await startReferenceServer();
});
afterAll(() => server.close());

/** Sends a request with raw control over headers, for cases fetch cannot express. */
function rawRequest(path: string, headers: Record<string, string>, body: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.url);
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        const reply = { status: res.statusCode!, headers: new Headers(res.headers as Record<string, string>), body: JSON.parse(text) };
        resolve(reply);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A raw HTTP/1.1 connection: what was written, what came back, and whether the server ended it. */
async function openExchange(head: string) {
  const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
  const exchange = {
    socket,
    received: '',
    ended: false,
    failures: [] as Error[],
    write: (data: string | Buffer) => new Promise<void>((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve()))),
    /** Waits (at most 5 s) until `done` holds for what was received. */
    async until(done: (received: string, ended: boolean) => boolean) {
      for (let waited = 0; waited < 5_000 && !done(exchange.received, exchange.ended); waited += 20) await delay(20);
    },
  };
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (exchange.received += chunk));
  socket.on('error', (error) => exchange.failures.push(error));
  socket.on('close', () => (exchange.ended = true));
  await new Promise((resolve) => socket.once('connect', resolve));
  await exchange.write(head);
  return exchange;
}

const statusLines = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d+)/g)].map((match) => match[1]);

describe('413 PAYLOAD_TOO_LARGE over Node HTTP', () => {
  it('a Content-Length over 1 MiB is refused before the body is read', async () => {
    const reply = await rawRequest(
      '/sessions',
      { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
      Buffer.alloc(0),
    );
    assertConforms('createSession', reply);
    expect(reply.status).toBe(413);
  });

  it('a client that goes on sending after the early 413 is read to the end: no broken pipe, and the connection is reused', async () => {
    const size = 5 * 1024 * 1024;
    const exchange = await openExchange(
      `POST /sessions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${server.apiKey}\r\n` +
        `content-type: application/json\r\ncontent-length: ${size}\r\n\r\n`,
    );
    // The body goes out in pieces, well after the server has answered.
    for (let sent = 0; sent < size; sent += 512 * 1024) {
      await exchange.write(Buffer.alloc(512 * 1024, 120));
      await delay(5);
    }
    await exchange.write(`GET /sessions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${server.apiKey}\r\n\r\n`);
    await exchange.until((text) => statusLines(text).length === 2);
    exchange.socket.destroy();
    expect(exchange.failures).toEqual([]);
    expect(statusLines(exchange.received)).toEqual(['413', '200']);
    expect(exchange.received.split('\r\n\r\n')[0]!.toLowerCase()).not.toContain('connection: close');
  });

  it('a declared length past the drain limit is answered at once, and the connection closed', async () => {
    const exchange = await openExchange(
      `POST /sessions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${server.apiKey}\r\n` +
        `content-type: application/json\r\ncontent-length: ${64 * 1024 * 1024}\r\n\r\n`,
    );
    await exchange.until((_, ended) => ended);
    expect(statusLines(exchange.received)).toEqual(['413']);
    expect(exchange.received.split('\r\n\r\n')[0]!.toLowerCase()).toContain('connection: close');
  });

  it('a chunked body that grows past 1 MiB', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new Uint8Array(512 * 1024).fill(32));
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    const reply = { status: response.status, headers: response.headers, body: await response.json() };
    assertConforms('createSession', reply);
    expect(reply.status).toBe(413);
  });
});

describe('a store that cannot write: 503 SERVICE_UNAVAILABLE, and the change is not applied', () => {
  it('a create the store refuses is 503 with Retry-After, leaks nothing and is not listed', async () => {
    const inner = LowdbSessionStore.inMemory();
    let refuse = true;
    const broken: SessionStore = Object.assign(Object.create(inner) as SessionStore, {
      insertSession: (doc: Parameters<SessionStore['insertSession']>[0]) => (refuse ? Promise.reject(new Error('ENOSPC: disk full at /secret/path')) : inner.insertSession(doc)),
      sessionsOf: (org: string) => inner.sessionsOf(org),
      sessionCount: (org: string) => inner.sessionCount(org),
      sessionsNewestFirst: (org: string) => inner.sessionsNewestFirst(org),
      getSession: (id: string) => inner.getSession(id),
      settled: (id?: string) => inner.settled(id),
      taggedChanges: () => inner.taggedChanges(),
    });
    const failing = await startReferenceServer({ store: broken });
    try {
      const api = createTestClient(failing.url, failing.apiKey);
      const reply = await api.createSession();
      assertConforms('createSession', reply);
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(reply.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: null });
      expect(JSON.stringify(reply.body)).not.toContain('secret');
      expect((await api.listSessions()).body.sessions).toEqual([]);
      refuse = false;
      expect((await api.createSession()).status).toBe(201);
    } finally {
      await failing.close();
    }
  });

  it('an append, a context update or a close the store refuses is undone', async () => {
    const inner = LowdbSessionStore.inMemory();
    let refuse = false;
    const store: SessionStore = Object.assign(Object.create(inner) as SessionStore, {
      saveSession: (id: string) => (refuse ? Promise.reject(new Error('EIO')) : inner.saveSession(id)),
      insertSession: (doc: Parameters<SessionStore['insertSession']>[0]) => inner.insertSession(doc),
      sessionCount: (org: string) => inner.sessionCount(org),
      getSession: (id: string) => inner.getSession(id),
      settled: (id?: string) => inner.settled(id),
      taggedChanges: () => inner.taggedChanges(),
    });
    const server = await startReferenceServer({ store });
    try {
      const api = createTestClient(server.url, server.apiKey);
      const { body: session } = await api.createSession({ name: 'kept', context: { step: 1 } });
      refuse = true;
      expect((await api.addMessage(session.id, { role: 'user', content: 'lost' })).status).toBe(503);
      expect((await api.updateContext(session.id, { step: 2 })).status).toBe(503);
      expect((await api.closeSession(session.id)).status).toBe(503);
      const read = await api.getSession(session.id);
      expect(read.body).toMatchObject({ status: 'active', message_count: 0, context: { step: 1 }, closed_at: null, updated_at: session.updated_at });
      refuse = false;
      expect((await api.addMessage(session.id, { role: 'user', content: 'kept' })).status).toBe(201);
    } finally {
      await server.close();
    }
  });
});

describe('500 INTERNAL_ERROR', () => {
  it('a bug answers a bare 500 that leaks nothing', async () => {
    const inner = LowdbSessionStore.inMemory();
    const buggy: SessionStore = Object.assign(Object.create(inner) as SessionStore, {
      sessionsNewestFirst: () => {
        throw new TypeError('cannot read x of undefined at /secret/path');
      },
      sessionCount: (org: string) => inner.sessionCount(org),
      settled: (id?: string) => inner.settled(id),
      taggedChanges: () => inner.taggedChanges(),
    });
    const failing = await startReferenceServer({ store: buggy });
    try {
      const reply = await createTestClient(failing.url, failing.apiKey).listSessions();
      expect(reply.status).toBe(500);
      expect(reply.body).toEqual({ error: 'Internal server error', code: 'INTERNAL_ERROR', details: null });
    } finally {
      await failing.close();
    }
  });
});
