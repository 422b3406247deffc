import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LowdbSessionStore, type SessionStore } from 'fold-sessions-mock';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { assertConforms, createTestClient, type Reply, type TestClient } from '../http.js';

let server: ReferenceServer;
let api: TestClient;
let sessionId: string;

beforeAll(async () => {
  server = await startReferenceServer();
  api = createTestClient(server.url, server.apiKey);
  sessionId = (await api.createSession()).body.id;
});
afterAll(() => server.close());

function expectIssues(reply: Reply, ...paths: string[]) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(400);
  expect(reply.body.code).toBe('VALIDATION_ERROR');
  expect(reply.body.details.issues.map((issue: { path: string }) => issue.path)).toEqual(paths);
}

describe('400 VALIDATION_ERROR', () => {
  it('malformed JSON', async () => {
    const reply = await api.request('createSession', 'POST', '/sessions', { raw: '{"name": ', headers: { 'content-type': 'application/json' } });
    expectIssues(reply, 'body');
    expect(reply.body.details.issues[0].message).toMatch(/^Malformed JSON/);
  });

  it('a missing body where one is required', async () => {
    expectIssues(await api.request('createSession', 'POST', '/sessions', { headers: { 'content-type': 'application/json' } }), 'body');
  });

  it('wrong types and out-of-range values, every one listed', async () => {
    expectIssues(await api.createSession({ name: '', ttl_seconds: 0 }), 'body.name', 'body.ttl_seconds');
    expectIssues(await api.createSession({ name: 'x'.repeat(257), ttl_seconds: 2_592_001 }), 'body.name', 'body.ttl_seconds');
    expectIssues(await api.createSession({ name: 'x', ttl_seconds: 1.5 }), 'body.ttl_seconds');
    expectIssues(await api.createSession({ name: 'x', context: [] }), 'body.context');
    expectIssues(await api.createSession([]), 'body');
    expectIssues(await api.addMessage(sessionId, { role: 'system', content: 'x' }), 'body.role');
    expectIssues(await api.addMessage(sessionId, { role: 'user', content: 'x'.repeat(200_001) }), 'body.content');
    expectIssues(await api.addMessage(sessionId, { role: 'user', content: 'x', tool_name: 'y'.repeat(257) }), 'body.tool_name');
    expectIssues(await api.updateContext(sessionId, ['not', 'an', 'object']), 'body');
    expectIssues(await api.queryMemory({ query_text: '', top_k: 101, namespace: 'other' }), 'body.query_text', 'body.top_k', 'body.namespace');
  });

  it('unknown fields, except inside context', async () => {
    expectIssues(await api.createSession({ name: 'x', colour: 'blue' }), 'body.colour');
    expectIssues(await api.addMessage(sessionId, { role: 'user', content: 'x', metadata: {} }), 'body.metadata');
    expectIssues(await api.queryMemory({ query_text: 'x', filter: {} }), 'body.filter');
    expect((await api.createSession({ name: 'x', context: { anything: { goes: [1, 2] } } })).status).toBe(201);
  });

  it('context over 64 KiB', async () => {
    expectIssues(await api.updateContext(sessionId, { blob: 'x'.repeat(70_000) }), 'body');
    expectIssues(await api.createSession({ name: 'x', context: { blob: 'x'.repeat(70_000) } }), 'body.context');
  });

  it('bad query values, unknown query parameters, and undecodable cursors', async () => {
    expectIssues(await api.listSessions('?limit=0'), 'query.limit');
    expectIssues(await api.listSessions('?limit=101'), 'query.limit');
    expectIssues(await api.listSessions('?limit=ten'), 'query.limit');
    expectIssues(await api.listSessions('?status=archived'), 'query.status');
    expectIssues(await api.listSessions('?cursor=!!!'), 'query.cursor');
    expectIssues(await api.listSessions('?cursor=eyJub3QiOiJhIGN1cnNvciJ9'), 'query.cursor');
    expectIssues(await api.listSessions('?sort=name'), 'query.sort');
    expectIssues(await api.listSessions('?limit=1&limit=2'), 'query.limit');
    expectIssues(await api.getSession(`${sessionId}?verbose=1`), 'query.verbose');
    expectIssues(await api.request('createSession', 'POST', '/sessions?dry_run=1', { body: { name: 'x' } }), 'query.dry_run');
  });

  it('a body on close or complete other than {}', async () => {
    expectIssues(await api.closeSession(sessionId, { body: { reason: 'done' } }), 'body');
    expectIssues(await api.completeSession(sessionId, { body: [] }), 'body');
    expect((await api.getSession(sessionId)).body.status).toBe('active');
  });

  it('an Idempotency-Key over 255 characters', async () => {
    expectIssues(await api.createSession({ name: 'x' }, { headers: { 'idempotency-key': 'k'.repeat(256) } }), 'header.idempotency-key');
  });

  it('a session id over 255 characters', async () => {
    expectIssues(await api.getSession(`sess_${'a'.repeat(251)}`), 'path.id');
  });
});

describe('401', () => {
  it('AUTH_REQUIRED without a bearer token, AUTH_INVALID with an unknown one', async () => {
    const missing = await api.listSessions('', { key: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ code: 'AUTH_REQUIRED', details: null });
    const basic = await api.listSessions('', { key: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.body.code).toBe('AUTH_REQUIRED');
    const unknown = await api.listSessions('', { key: 'not_a_key' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ code: 'AUTH_INVALID', details: null });
  });
});

describe('404 NOT_FOUND', () => {
  it('unknown, malformed and deleted ids', async () => {
    for (const id of ['sess_AAAAAAAAAAAAAAAAAAAA', 'garbage', '%E2%98%83']) {
      const reply = await api.getSession(id);
      expect(reply.status, id).toBe(404);
      expect(reply.body.code).toBe('NOT_FOUND');
    }
  });

  it('unknown routes and methods', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/sessions/x/messages'],
      ['PATCH', `/sessions/${sessionId}`],
      ['GET', '/vectors/query'],
      ['POST', '/sessions/x/y/z'],
    ] as const) {
      const reply = await api.request(undefined, method, path);
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.body).toMatchObject({ code: 'NOT_FOUND', details: { method, path } });
    }
  });
});

describe('409 CONFLICT', () => {
  it('a write to a closed session names its status', async () => {
    const { body } = await api.createSession();
    await api.closeSession(body.id);
    const reply = await api.addMessage(body.id);
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({ code: 'CONFLICT', details: { id: body.id, status: 'closed' } });
  });
});

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

describe('413 PAYLOAD_TOO_LARGE', () => {
  it('a body over 1 MiB', async () => {
    const reply = await api.request('createSession', 'POST', '/sessions', {
      raw: JSON.stringify({ name: 'x', context: { blob: 'x'.repeat(1024 * 1024) } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 1048576 } });
  });

  it('a Content-Length over 1 MiB is refused before the body is read', async () => {
    const reply = await rawRequest(
      '/sessions',
      { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
      Buffer.alloc(0),
    );
    assertConforms('createSession', reply);
    expect(reply.status).toBe(413);
  });

  it('a 5 MiB upload gets its 413, not a broken connection', async () => {
    const reply = await api.request('createSession', 'POST', '/sessions', {
      raw: 'x'.repeat(5 * 1024 * 1024),
      headers: { 'content-type': 'application/json' },
    });
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

  it('exactly 1 MiB is not too large', async () => {
    const body = JSON.stringify({ name: 'x', pad: '' });
    const raw = body.replace('""', `"${' '.repeat(1024 * 1024 - body.length)}"`);
    expect(Buffer.byteLength(raw)).toBe(1024 * 1024);
    const reply = await api.request('createSession', 'POST', '/sessions', { raw, headers: { 'content-type': 'application/json' } });
    expectIssues(reply, 'body.pad');
  });
});

describe('415 UNSUPPORTED_MEDIA_TYPE', () => {
  it('a body that is not application/json', async () => {
    const reply = await api.request('createSession', 'POST', '/sessions', { raw: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect(reply.status).toBe(415);
    expect(reply.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { content_type: 'text/plain' } });
    const form = await api.request('addMessage', 'POST', `/sessions/${sessionId}/messages`, {
      raw: 'role=user',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const close = await api.request('closeSession', 'POST', `/sessions/${sessionId}/close`, { raw: 'please', headers: { 'content-type': 'text/plain' } });
    expect(close.status).toBe(415);
  });

  it('a JSON body without any Content-Type', async () => {
    const reply = await rawRequest('/sessions', { authorization: `Bearer ${server.apiKey}` }, Buffer.from('{"name":"x"}'));
    assertConforms('createSession', reply);
    expect(reply.status).toBe(415);
  });

  it('application/json with a charset is fine', async () => {
    const reply = await api.createSession({ name: 'x' }, { headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(reply.status).toBe(201);
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
