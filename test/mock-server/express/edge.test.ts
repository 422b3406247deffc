import { connect } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zError, zValidationError } from 'fold-sessions/zod';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';

let server: ReferenceServer;
beforeAll(async () => {
  server = await startReferenceServer();
});
afterAll(() => server.close());

const auth = () => ({ authorization: `Bearer ${server.apiKey}` });

/** Sends bytes as they are on a raw socket and returns the status line, headers and body. */
function raw(request: string | Buffer): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', ...rest] = data.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.setTimeout(5_000, () => socket.destroy());
    socket.end(request);
  });
}

describe('the order of checks: routing, then authentication, then the body', () => {
  it('GET and DELETE ignore the body with its Content-Encoding and Content-Type', async () => {
    const created = await (await fetch(`${server.url}/sessions`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"name":"x"}' })).json();
    for (const encoding of ['foo', 'gzip']) {
      const read = await fetch(`${server.url}/sessions/${created.id}`, { method: 'GET', headers: { ...auth(), 'content-encoding': encoding, 'content-type': 'text/plain' } });
      expect(read.status, encoding).toBe(200);
    }
    const withBody = await raw(`GET /sessions/${created.id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.apiKey}\r\nContent-Encoding: gzip\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot gzip!`);
    expect(withBody.status).toBe(200);
  });

  it('a request without a token is 401 whatever its body and encoding', async () => {
    const deleted = await fetch(`${server.url}/sessions/sess_AAAAAAAAAAAAAAAAAAAA`, { method: 'DELETE', headers: { 'content-encoding': 'foo' }, body: 'x' });
    expect(deleted.status).toBe(401);
    const created = await fetch(`${server.url}/sessions`, { method: 'POST', headers: { 'content-encoding': 'foo', 'content-type': 'text/plain' }, body: 'x' });
    expect(created.status).toBe(401);
    expect(zError.parse(await created.json()).code).toBe('AUTH_REQUIRED');
  });

  it('gzip and deflate bodies are accepted; another coding is 415 naming it; a body that does not decode is 400', async () => {
    const post = (body: Uint8Array<ArrayBuffer> | string, encoding: string) =>
      fetch(`${server.url}/sessions`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json', 'content-encoding': encoding }, body });
    expect((await post(new Uint8Array(gzipSync('{"name":"zipped"}')), 'gzip')).status).toBe(201);
    expect((await post(new Uint8Array(deflateSync('{"name":"deflated"}')), 'deflate')).status).toBe(201);
    const br = await post('{"name":"x"}', 'br');
    expect(br.status).toBe(415);
    expect(await br.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { content_encoding: 'br' } });
    const broken = await post('{"name":"x"}', 'gzip');
    expect(broken.status).toBe(400);
    expect(zValidationError.parse(await broken.json()).details.issues[0]).toMatchObject({ path: 'body' });
  });
});

describe('request targets and query values', () => {
  it.each(['//', '//a:99999/x', '//evil.example/sessions', '/sessions//', 'http://[/x'])('%s is the API\'s JSON 404, never a 500 or another route', async (target) => {
    const reply = await raw(`GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.apiKey}\r\nConnection: close\r\n\r\n`);
    expect(reply.status).toBe(404);
    expect(reply.headers['x-request-id']).toMatch(/^req_/);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(zError.parse(JSON.parse(reply.body)).code).toBe('NOT_FOUND');
  });

  it('limit takes plain integers only: +5 and 5.0 are refused alike', async () => {
    for (const [limit, status] of [['5', 200], ['+5', 400], ['5.0', 400], ['5e0', 400], ['-5', 400]] as const) {
      expect((await fetch(`${server.url}/sessions?limit=${encodeURIComponent(limit)}`, { headers: auth() })).status, limit).toBe(status);
    }
  });

  it('every answer says X-Content-Type-Options: nosniff', async () => {
    expect((await fetch(`${server.url}/sessions`, { headers: auth() })).headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${server.url}/sessions`)).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the idempotency fingerprint includes the query string', async () => {
    const created = await (await fetch(`${server.url}/sessions`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"name":"q"}' })).json();
    const close = (suffix: string) => fetch(`${server.url}/sessions/${created.id}/close${suffix}`, { method: 'POST', headers: { ...auth(), 'idempotency-key': 'same-key-q' } });
    expect((await close('')).status).toBe(200);
    const other = await close('?x=1');
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(other.status).toBe(422);
  });
});

describe('what Node refuses before the app still gets the API\'s JSON and a request id', () => {
  it('a header block over 16 KiB: 431', async () => {
    const reply = await raw(`GET /sessions HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    expect(reply.status).toBe(431);
    expect(reply.headers['x-request-id']).toMatch(/^req_/);
    expect(zError.parse(JSON.parse(reply.body)).code).toBe('VALIDATION_ERROR');
  });

  it('a bad chunk size: 400', async () => {
    const reply = await raw(`POST /sessions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.apiKey}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`);
    expect(reply.status).toBe(400);
    expect(reply.headers['x-request-id']).toMatch(/^req_/);
    expect(zValidationError.parse(JSON.parse(reply.body)).details.issues[0]?.message).toMatch(/chunk size/);
  });
});
