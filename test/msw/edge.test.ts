import { gzipSync } from 'node:zlib';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionsHandlers } from 'fold-sessions-mock/msw';
import { startReferenceServer, type ReferenceServer } from '../support/reference-server.js';

const mswBase = 'https://edge.test';
const keys = { test_key_a: 'org_a', test_key_b: 'org_b' };
const { handlers, controller } = createSessionsHandlers({ baseUrl: mswBase, keys });
const msw = setupServer(...handlers);
let server: ReferenceServer;

beforeAll(async () => {
  msw.listen({ onUnhandledFrame: 'bypass' });
  server = await startReferenceServer();
});
afterAll(async () => {
  msw.close();
  await server.close();
  await controller.summaries.flush();
});

interface Edge {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array<ArrayBuffer> | string;
}

const bearer = { authorization: 'Bearer test_key_a' };
const json = { ...bearer, 'content-type': 'application/json' };
const edges: Edge[] = [
  { name: 'an undecodable escape in the id', method: 'GET', path: '/sessions/%FF', headers: bearer },
  { name: 'a lone escape in the id', method: 'GET', path: '/sessions/%', headers: bearer },
  { name: 'a double slash', method: 'GET', path: '//', headers: bearer },
  { name: 'a double slash inside the path', method: 'GET', path: '/sessions//messages', headers: bearer },
  { name: 'a CORS preflight', method: 'OPTIONS', path: '/sessions', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } },
  { name: 'an unknown Content-Encoding on a GET', method: 'GET', path: '/sessions', headers: { ...bearer, 'content-encoding': 'foo' } },
  { name: 'an unknown Content-Encoding without a token', method: 'POST', path: '/sessions', headers: { 'content-type': 'application/json', 'content-encoding': 'foo' }, body: '{"name":"x"}' },
  { name: 'a gzip body', method: 'POST', path: '/sessions', headers: { ...json, 'content-encoding': 'gzip' }, body: new Uint8Array(gzipSync('{"name":"zipped"}')) },
  { name: 'a gzip header on a plain body', method: 'POST', path: '/sessions', headers: { ...json, 'content-encoding': 'gzip' }, body: '{"name":"x"}' },
  { name: 'an unknown body coding', method: 'POST', path: '/sessions', headers: { ...json, 'content-encoding': 'br' }, body: '{"name":"x"}' },
  { name: 'limit=+5', method: 'GET', path: '/sessions?limit=%2B5', headers: bearer },
  { name: 'limit=5.0', method: 'GET', path: '/sessions?limit=5.0', headers: bearer },
  { name: 'an unknown route', method: 'GET', path: '/sessionz', headers: bearer },
  { name: 'a wrong method', method: 'PATCH', path: '/sessions', headers: bearer },
];

async function answer(base: string, edge: Edge) {
  const response = await fetch(`${base}${edge.path}`, { method: edge.method, headers: edge.headers, body: edge.body });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as { code?: string; details?: unknown }) : undefined;
  return {
    status: response.status,
    code: body?.code,
    details: body?.details,
    requestId: /^req_/.test(response.headers.get('x-request-id') ?? ''),
    nosniff: response.status === 204 || response.headers.get('x-content-type-options') === 'nosniff',
    allowOrigin: response.headers.get('access-control-allow-origin'),
  };
}

describe('the MSW handlers and the server answer edge requests alike', () => {
  it.each(edges.map((edge) => [edge.name, edge] as const))('%s', async (_name, edge) => {
    const [fromMsw, fromServer] = [await answer(mswBase, edge), await answer(server.url, edge)];
    expect(fromMsw).toEqual(fromServer);
    expect(fromServer.status).toBeLessThan(500);
    expect(fromServer.requestId).toBe(true);
  });
});
