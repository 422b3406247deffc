import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp } from './connect.js';

type HttpServer = Awaited<ReturnType<typeof connectHttp>>;

function post(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } };

describe('Streamable HTTP', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await connectHttp(['--sandbox'], {});
  });
  afterAll(() => server?.close());

  it('listens on loopback at /mcp by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('answers an initialize from a loopback Host', async () => {
    const answer = await post(server.url, {}, initialize);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).result.serverInfo.name).toBe('fold-sessions-mcp');
  });

  it('refuses a request whose Host is not loopback (DNS rebinding)', async () => {
    const answer = await post(server.url, { host: 'attacker.example' }, initialize);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error.message).toMatch(/loopback/);
  });

  it('answers 404 outside /mcp', async () => {
    const answer = await post(server.url.replace(/\/mcp$/, '/other'), {}, initialize);
    expect(answer.status).toBe(404);
  });
});
