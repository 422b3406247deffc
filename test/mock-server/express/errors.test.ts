import { request as httpRequest } from 'node:http';
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

describe('500 INTERNAL_ERROR', () => {
  it('a failing store answers a bare 500 that leaks nothing', async () => {
    const inner = LowdbSessionStore.inMemory();
    const broken: SessionStore = Object.assign(Object.create(inner) as SessionStore, {
      insertSession: () => Promise.reject(new Error('disk on fire at /secret/path')),
      sessionsOf: (org: string) => inner.sessionsOf(org),
    });
    const failing = await startReferenceServer({ store: broken });
    try {
      const reply = await createTestClient(failing.url, failing.apiKey).createSession();
      expect(reply.status).toBe(500);
      expect(reply.body).toEqual({ error: 'Internal server error', code: 'INTERNAL_ERROR', details: null });
    } finally {
      await failing.close();
    }
  });
});
