import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createSessionsApi, openFileStore, sessionFile, type LowdbSessionStore, type SessionsService } from 'fold-sessions-mock';
import { zError, zValidationError } from 'fold-sessions/zod';
import { hashFiles } from './support.js';
import { readStoredSession } from '../support/stored-session.js';

const MiB = 1024 * 1024;
const keys = { test_key_a: 'org_a', test_key_b: 'org_b' };

interface Running {
  url: string;
  store: LowdbSessionStore;
  service: SessionsService;
  close(): Promise<void>;
}

/** The reference server in this process on a file database, as the CLI would run it. */
async function serve(db: string): Promise<Running> {
  const store = await openFileStore(db);
  const api = createSessionsApi({ store, keys });
  const { service } = api;
  const app = createApp({ api, logger: false });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    service,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await service.summaries.flush();
      await store.close();
    },
  };
}

interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as is; a string is UTF-8. */
  body?: string | Buffer;
  /** Send the body in 256 KiB chunks without a Content-Length. */
  chunked?: boolean;
}

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request over a fresh connection, with full control of headers and body framing. */
function send(base: string, spec: RawRequest): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...spec.headers };
    const body = typeof spec.body === 'string' ? Buffer.from(spec.body, 'utf8') : spec.body;
    if (body && !spec.chunked) headers['content-length'] = String(body.length);
    const req = httpRequest(new URL(spec.path, base), { method: spec.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer an oversized body early and close: a write error after that is expected.
    req.on('error', (error) => (req.headersSent ? undefined : reject(error)));
    if (body && spec.chunked) {
      for (let at = 0; at < body.length; at += 256 * 1024) req.write(body.subarray(at, at + 256 * 1024));
      req.end();
    } else req.end(body);
  });
}

const json = (value: unknown) => JSON.stringify(value);
const jsonType = { 'content-type': 'application/json' };

// Filled in by `beforeAll`: an active session, a closed one, and an idempotency key already used.
const ids = { active: '', closed: '' };
const usedKey = 'reliability-used-key';

type Expected = [status: number, code: string];

interface Case {
  name: string;
  request: () => RawRequest;
  /** Bearer key; `null` sends none. @default 'test_key_a' */
  key?: string | null;
  expect: Expected;
}

const bad400: Expected = [400, 'VALIDATION_ERROR'];
const notFound: Expected = [404, 'NOT_FOUND'];
const methodNotAllowed: Expected = [405, 'METHOD_NOT_ALLOWED'];
const tooLarge: Expected = [413, 'PAYLOAD_TOO_LARGE'];
const unsupported: Expected = [415, 'UNSUPPORTED_MEDIA_TYPE'];

const create = (body: string | Buffer, headers: Record<string, string> = jsonType): RawRequest => ({ method: 'POST', path: '/sessions', headers, body });
const append = (body: string | Buffer, headers: Record<string, string> = jsonType, id = ids.active): RawRequest => ({
  method: 'POST',
  path: `/sessions/${id}/messages`,
  headers,
  body,
});
const putContext = (body: string | Buffer, headers: Record<string, string> = jsonType, id = ids.active): RawRequest => ({
  method: 'PUT',
  path: `/sessions/${id}/context`,
  headers,
  body,
});
const get = (path: string): RawRequest => ({ method: 'GET', path });
const twoMiB = (prefix: string, suffix: string) => `${prefix}${'x'.repeat(2 * MiB)}${suffix}`;

const cases: Case[] = [
  // Broken JSON
  { name: 'create: truncated JSON', request: () => create('{"name": '), expect: bad400 },
  { name: 'create: unquoted key', request: () => create('{name: "x"}'), expect: bad400 },
  { name: 'create: trailing comma', request: () => create('{"name": "x",}'), expect: bad400 },
  { name: 'create: single quotes', request: () => create("{'name': 'x'}"), expect: bad400 },
  { name: 'create: NaN', request: () => create('NaN'), expect: bad400 },
  { name: 'create: invalid UTF-8', request: () => create(Buffer.from([0x7b, 0x22, 0x6e, 0xff, 0xfe, 0x22, 0x7d])), expect: bad400 },
  { name: 'create: empty JSON body', request: () => create(''), expect: bad400 },
  { name: 'create: two JSON documents', request: () => create('{"name":"a"}{"name":"b"}'), expect: bad400 },
  { name: 'append: truncated JSON', request: () => append('{"role": "user", "content": '), expect: bad400 },
  { name: 'context: truncated JSON', request: () => putContext('{"a": [1, 2'), expect: bad400 },
  { name: 'memory query: broken JSON', request: () => ({ method: 'POST', path: '/vectors/query', headers: jsonType, body: '{"query_text"' }), expect: bad400 },
  // Wrong types and out-of-range values
  { name: 'create: body is null', request: () => create('null'), expect: bad400 },
  { name: 'create: body is an array', request: () => create('[]'), expect: bad400 },
  { name: 'create: body is a string', request: () => create('"support chat"'), expect: bad400 },
  { name: 'create: body is a number', request: () => create('42'), expect: bad400 },
  { name: 'create: name missing', request: () => create('{}'), expect: bad400 },
  { name: 'create: name is a number', request: () => create(json({ name: 123 })), expect: bad400 },
  { name: 'create: name is null', request: () => create(json({ name: null })), expect: bad400 },
  { name: 'create: name is empty', request: () => create(json({ name: '' })), expect: bad400 },
  { name: 'create: ttl_seconds is a string', request: () => create(json({ name: 'x', ttl_seconds: '3600' })), expect: bad400 },
  { name: 'create: ttl_seconds is 0', request: () => create(json({ name: 'x', ttl_seconds: 0 })), expect: bad400 },
  { name: 'create: ttl_seconds is negative', request: () => create(json({ name: 'x', ttl_seconds: -1 })), expect: bad400 },
  { name: 'create: ttl_seconds over 30 days', request: () => create(json({ name: 'x', ttl_seconds: 2_592_001 })), expect: bad400 },
  { name: 'create: ttl_seconds is fractional', request: () => create(json({ name: 'x', ttl_seconds: 1.5 })), expect: bad400 },
  { name: 'append: role system', request: () => append(json({ role: 'system', content: 'x' })), expect: bad400 },
  { name: 'append: role missing', request: () => append(json({ content: 'x' })), expect: bad400 },
  { name: 'append: content is a number', request: () => append(json({ role: 'user', content: 5 })), expect: bad400 },
  { name: 'append: content is null', request: () => append(json({ role: 'user', content: null })), expect: bad400 },
  { name: 'append: content is an object', request: () => append(json({ role: 'user', content: { text: 'x' } })), expect: bad400 },
  { name: 'append: tool_call_id is a number', request: () => append(json({ role: 'assistant', content: 'x', tool_call_id: 5 })), expect: bad400 },
  { name: 'memory query: top_k 0', request: () => ({ method: 'POST', path: '/vectors/query', headers: jsonType, body: json({ query_text: 'x', top_k: 0 }) }), expect: bad400 },
  { name: 'memory query: top_k 101', request: () => ({ method: 'POST', path: '/vectors/query', headers: jsonType, body: json({ query_text: 'x', top_k: 101 }) }), expect: bad400 },
  { name: 'memory query: query_text a number', request: () => ({ method: 'POST', path: '/vectors/query', headers: jsonType, body: json({ query_text: 1 }) }), expect: bad400 },
  // Huge strings (under the body limit)
  { name: 'create: name of 257 characters', request: () => create(json({ name: 'n'.repeat(257) })), expect: bad400 },
  { name: 'create: name of 500,000 characters', request: () => create(json({ name: 'n'.repeat(500_000) })), expect: bad400 },
  { name: 'append: content of 200,001 characters', request: () => append(json({ role: 'user', content: 'c'.repeat(200_001) })), expect: bad400 },
  { name: 'append: tool_name of 257 characters', request: () => append(json({ role: 'assistant', content: 'x', tool_name: 't'.repeat(257) })), expect: bad400 },
  { name: 'create: context over 64 KiB', request: () => create(json({ name: 'x', context: { blob: 'b'.repeat(70_000) } })), expect: bad400 },
  { name: 'context: over 64 KiB', request: () => putContext(json({ blob: 'b'.repeat(70_000) })), expect: bad400 },
  { name: 'memory query: query_text of 10,001 characters', request: () => ({ method: 'POST', path: '/vectors/query', headers: jsonType, body: json({ query_text: 'q'.repeat(10_001) }) }), expect: bad400 },
  // 2 MiB bodies
  { name: 'create: 2 MiB JSON', request: () => create(twoMiB('{"name":"x","context":{"blob":"', '"}}')), expect: tooLarge },
  { name: 'append: 2 MiB content', request: () => append(twoMiB('{"role":"user","content":"', '"}')), expect: tooLarge },
  { name: 'context: 2 MiB object', request: () => putContext(twoMiB('{"blob":"', '"}')), expect: tooLarge },
  { name: 'append: 2 MiB chunked, no Content-Length', request: () => ({ ...append(twoMiB('{"role":"user","content":"', '"}')), chunked: true }), expect: tooLarge },
  { name: 'create: 2 MiB of text/plain', request: () => create(twoMiB('', ''), { 'content-type': 'text/plain' }), expect: tooLarge },
  // Wrong content types
  { name: 'create: text/plain', request: () => create(json({ name: 'x' }), { 'content-type': 'text/plain' }), expect: unsupported },
  { name: 'create: form-urlencoded', request: () => create('name=x', { 'content-type': 'application/x-www-form-urlencoded' }), expect: unsupported },
  { name: 'create: multipart', request: () => create('--b\r\n\r\nx\r\n--b--', { 'content-type': 'multipart/form-data; boundary=b' }), expect: unsupported },
  { name: 'create: no Content-Type', request: () => create(json({ name: 'x' }), {}), expect: unsupported },
  { name: 'create: application/json-patch+json', request: () => create(json({ name: 'x' }), { 'content-type': 'application/json-patch+json' }), expect: unsupported },
  { name: 'append: text/xml', request: () => append('<message role="user">x</message>', { 'content-type': 'text/xml' }), expect: unsupported },
  { name: 'context: text/plain', request: () => putContext(json({ a: 1 }), { 'content-type': 'text/plain' }), expect: unsupported },
  { name: 'close: a text/plain body', request: () => ({ method: 'POST', path: `/sessions/${ids.active}/close`, headers: { 'content-type': 'text/plain' }, body: 'now' }), expect: unsupported },
  // Unknown fields (outside context)
  { name: 'create: unknown field', request: () => create(json({ name: 'x', colour: 'blue' })), expect: bad400 },
  { name: 'create: top-level constructor field', request: () => create('{"name":"x","constructor":{"prototype":{"polluted":true}}}'), expect: bad400 },
  { name: 'append: unknown field', request: () => append(json({ role: 'user', content: 'x', metadata: {} })), expect: bad400 },
  { name: 'append: top-level __proto__ field', request: () => append('{"role":"user","content":"x","__proto__":{"polluted":true}}'), expect: bad400 },
  { name: 'memory query: unknown field', request: () => ({ method: 'POST', path: '/vectors/query', headers: jsonType, body: json({ query_text: 'x', filter: {} }) }), expect: bad400 },
  { name: 'close: a body other than {}', request: () => ({ method: 'POST', path: `/sessions/${ids.active}/close`, headers: jsonType, body: json({ reason: 'done' }) }), expect: bad400 },
  // Non-object context, with and without prototype keys
  { name: 'create: context is an array', request: () => create(json({ name: 'x', context: [] })), expect: bad400 },
  { name: 'create: context is a string', request: () => create(json({ name: 'x', context: 'x' })), expect: bad400 },
  { name: 'create: context is null', request: () => create(json({ name: 'x', context: null })), expect: bad400 },
  { name: 'create: context is a number', request: () => create(json({ name: 'x', context: 5 })), expect: bad400 },
  { name: 'context: an array', request: () => putContext('[{"__proto__":{"polluted":true}}]'), expect: bad400 },
  { name: 'context: a string', request: () => putContext('"x"'), expect: bad400 },
  { name: 'context: null', request: () => putContext('null'), expect: bad400 },
  { name: 'context: a number', request: () => putContext('5'), expect: bad400 },
  { name: 'create: __proto__ context with a bad name', request: () => create('{"name":7,"context":{"__proto__":{"polluted":true}}}'), expect: bad400 },
  { name: 'context: __proto__ keys over 64 KiB', request: () => putContext(`{"__proto__":{"polluted":"${'p'.repeat(70_000)}"}}`), expect: bad400 },
  // Bad ids and other organisations' sessions
  { name: 'get: malformed id', request: () => get('/sessions/garbage'), expect: notFound },
  { name: 'get: unknown id', request: () => get('/sessions/sess_AAAAAAAAAAAAAAAAAAAA'), expect: notFound },
  { name: 'get: non-ASCII id', request: () => get('/sessions/%E2%98%83'), expect: notFound },
  { name: 'get: undecodable id', request: () => get('/sessions/%ZZ'), expect: notFound },
  { name: 'get: id over 255 characters', request: () => get(`/sessions/sess_${'a'.repeat(251)}`), expect: bad400 },
  { name: 'append: unknown id', request: () => append(json({ role: 'user', content: 'x' }), jsonType, 'sess_doesNotExist000000'), expect: notFound },
  { name: 'context: unknown id', request: () => putContext(json({ a: 1 }), jsonType, 'nope'), expect: notFound },
  { name: 'delete: unknown id', request: () => ({ method: 'DELETE', path: '/sessions/sess_doesNotExist000000' }), expect: notFound },
  { name: "get: another organisation's session", key: 'test_key_b', request: () => get(`/sessions/${ids.active}`), expect: notFound },
  { name: "append: another organisation's session", key: 'test_key_b', request: () => append(json({ role: 'user', content: 'x' })), expect: notFound },
  { name: "delete: another organisation's session", key: 'test_key_b', request: () => ({ method: 'DELETE', path: `/sessions/${ids.active}` }), expect: notFound },
  // Bad query values
  { name: 'list: limit=0', request: () => get('/sessions?limit=0'), expect: bad400 },
  { name: 'list: limit=101', request: () => get('/sessions?limit=101'), expect: bad400 },
  { name: 'list: limit=ten', request: () => get('/sessions?limit=ten'), expect: bad400 },
  { name: 'list: limit=-1', request: () => get('/sessions?limit=-1'), expect: bad400 },
  { name: 'list: limit=1.5', request: () => get('/sessions?limit=1.5'), expect: bad400 },
  { name: 'list: limit given twice', request: () => get('/sessions?limit=1&limit=2'), expect: bad400 },
  { name: 'list: unknown status', request: () => get('/sessions?status=archived'), expect: bad400 },
  { name: 'list: cursor not base64', request: () => get('/sessions?cursor=!!!'), expect: bad400 },
  { name: 'list: cursor of another shape', request: () => get('/sessions?cursor=eyJub3QiOiJhIGN1cnNvciJ9'), expect: bad400 },
  { name: 'list: unknown parameter', request: () => get('/sessions?sort=name'), expect: bad400 },
  { name: 'get: unknown parameter', request: () => get(`/sessions/${ids.active}?verbose=1`), expect: bad400 },
  { name: 'create: unknown query parameter', request: () => ({ ...create(json({ name: 'x' })), path: '/sessions?dry_run=1' }), expect: bad400 },
  // Bad and missing tokens
  { name: 'list: no Authorization', key: null, request: () => get('/sessions'), expect: [401, 'AUTH_REQUIRED'] },
  { name: 'append: no Authorization', key: null, request: () => append(json({ role: 'user', content: 'x' })), expect: [401, 'AUTH_REQUIRED'] },
  { name: 'create: Basic credentials', key: null, request: () => create(json({ name: 'x' }), { ...jsonType, authorization: 'Basic dXNlcjpwYXNz' }), expect: [401, 'AUTH_REQUIRED'] },
  { name: 'create: Bearer without a token', key: null, request: () => create(json({ name: 'x' }), { ...jsonType, authorization: 'Bearer ' }), expect: [401, 'AUTH_REQUIRED'] },
  { name: 'create: unknown key', key: 'not_a_key', request: () => create(json({ name: 'x' })), expect: [401, 'AUTH_INVALID'] },
  { name: 'delete: unknown key', key: 'test_key_a_but_longer', request: () => ({ method: 'DELETE', path: `/sessions/${ids.active}` }), expect: [401, 'AUTH_INVALID'] },
  { name: 'context: unknown key', key: 'TEST_KEY_A', request: () => putContext(json({ a: 1 })), expect: [401, 'AUTH_INVALID'] },
  // Writes the session's state refuses, and idempotency keys misused
  { name: 'append: closed session', request: () => append(json({ role: 'user', content: 'x' }), jsonType, ids.closed), expect: [409, 'CONFLICT'] },
  { name: 'context: closed session', request: () => putContext(json({ a: 1 }), jsonType, ids.closed), expect: [409, 'CONFLICT'] },
  { name: 'complete: closed session', request: () => ({ method: 'POST', path: `/sessions/${ids.closed}/complete` }), expect: [409, 'CONFLICT'] },
  {
    name: 'append: used idempotency key, other body',
    request: () => append(json({ role: 'user', content: 'something else' }), { ...jsonType, 'idempotency-key': usedKey }),
    expect: [422, 'IDEMPOTENCY_KEY_REUSED'],
  },
  { name: 'append: idempotency key of 256 characters', request: () => append(json({ role: 'user', content: 'x' }), { ...jsonType, 'idempotency-key': 'k'.repeat(256) }), expect: bad400 },
  // Unknown routes
  { name: 'unknown path', request: () => get('/nope'), expect: notFound },
  { name: 'a method the path does not take', request: () => ({ method: 'PATCH', path: `/sessions/${ids.active}`, headers: jsonType, body: json({ name: 'y' }) }), expect: methodNotAllowed },
];

describe('malformed requests against a file-backed server', () => {
  let dir: string;
  let server: Running;
  let before: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fold-sessions-bad-input-'));
    server = await serve(join(dir, 'sessions.json'));
    const { service } = server;
    ids.active = (await service.createSession('org_a', { name: 'target', ttl_seconds: 86_400, context: { kept: true } })).id;
    ids.closed = (await service.createSession('org_a', { name: 'closed', ttl_seconds: 86_400 })).id;
    await service.addMessage('org_a', ids.closed, { role: 'user', content: 'before closing' });
    await service.closeSession('org_a', ids.closed);
    const used = await send(server.url, append(json({ role: 'user', content: 'first' }), { ...jsonType, authorization: 'Bearer test_key_a', 'idempotency-key': usedKey }));
    expect(used.status).toBe(201);
    await service.summaries.flush();
    await server.store.compact();
    before = await hashFiles(dir);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`has a table of at least 60 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)('$name → $expect.0 $expect.1', async ({ request, key, expect: [status, code] }) => {
    const spec = request();
    const headers = { ...spec.headers };
    const bearer = key === undefined ? 'test_key_a' : key;
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    const reply = await send(server.url, { ...spec, headers });

    expect(reply.status, reply.text.slice(0, 300)).toBe(status);
    expect(reply.headers['x-request-id']).toMatch(/^\S+$/);
    const body: unknown = JSON.parse(reply.text);
    const parsed = (status === 400 ? zValidationError : zError.strict()).safeParse(body);
    expect(parsed.success, `${reply.text.slice(0, 300)}: ${parsed.error?.message}`).toBe(true);
    expect(body).toMatchObject({ code });
    if (status === 400) expect((body as { details: { issues: unknown[] } }).details.issues.length).toBeGreaterThan(0);
  });

  it('left every database file byte-for-byte as it was, and polluted no prototype', async () => {
    await server.service.summaries.flush();
    await server.store.flush();
    expect(await hashFiles(dir)).toEqual(before);
    expect(Object.keys(before)).toContain('sessions.json');
    // Both sessions are in the snapshot the hashes cover, not only in the journal.
    const segments = new Set([ids.active, ids.closed].map((id) => `sessions/${basename(sessionFile(join(dir, 'sessions.json'), id!))}`));
    for (const segment of segments) expect(Object.keys(before)).toContain(segment);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('__proto__ and constructor keys inside context', () => {
  // Plain data: own keys named like prototype machinery, at the top and nested.
  const contextText =
    '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},' +
    '"nested":{"__proto__":{"isAdmin":true},"list":[{"__proto__":{"polluted":"yes"}}]},"toString":"plain"}';
  const expected = (): unknown => JSON.parse(contextText);

  function expectPlainData(context: unknown) {
    const object = context as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.hasOwn(object, '__proto__')).toBe(true);
    expect(Object.hasOwn(object.nested!, '__proto__')).toBe(true);
    expect(object).toEqual(expected());
    expect(JSON.stringify(object)).toBe(contextText);
  }

  it('are stored and returned as plain data, survive a restart, and pollute nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fold-sessions-proto-'));
    const db = join(dir, 'sessions.json');
    try {
      const first = await serve(db);
      const auth = { ...jsonType, authorization: 'Bearer test_key_a' };
      const created = await send(first.url, create(`{"name":"proto","context":${contextText}}`, auth));
      expect(created.status, created.text).toBe(201);
      const id = (JSON.parse(created.text) as { id: string }).id;
      expectPlainData((JSON.parse(created.text) as { context: unknown }).context);

      const other = await send(first.url, create(json({ name: 'replaced' }), auth));
      const otherId = (JSON.parse(other.text) as { id: string }).id;
      const replaced = await send(first.url, putContext(contextText, auth, otherId));
      expect(replaced.status, replaced.text).toBe(200);
      expectPlainData((JSON.parse(replaced.text) as { context: unknown }).context);

      for (const sessionId of [id, otherId]) {
        const got = await send(first.url, { ...get(`/sessions/${sessionId}`), headers: auth });
        expectPlainData((JSON.parse(got.text) as { context: unknown }).context);
      }
      const listed = await send(first.url, { ...get('/sessions'), headers: auth });
      for (const session of (JSON.parse(listed.text) as { sessions: Array<{ context: unknown }> }).sessions) expectPlainData(session.context);
      await first.close();

      const onDisk = (await readStoredSession(db, id))!;
      expectPlainData(onDisk.session.context);

      const second = await serve(db);
      const reread = await send(second.url, { ...get(`/sessions/${otherId}`), headers: auth });
      expectPlainData((JSON.parse(reread.text) as { context: unknown }).context);
      await second.close();

      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect(typeof ({} as { toString: unknown }).toString).toBe('function');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
