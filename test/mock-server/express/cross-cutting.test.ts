import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { createTestClient } from '../http.js';

// CORS is the Express adapter's own; the rest of the cross-cutting behaviour (request ids, rate
// limit, faults) is in the contract suite (test/contract/cases/cross-cutting.ts).

let server: ReferenceServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof startReferenceServer>[0] = {}) {
  server = await startReferenceServer(options);
  return { server, api: createTestClient(server.url, server.apiKey) };
}

describe('CORS', () => {
  it('answers a preflight from any origin and allows the API headers', async () => {
    const { server } = await start();
    const response = await fetch(`${server.url}/sessions/sess_x/messages`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('exposes the headers clients need on real responses', async () => {
    const { api } = await start({ rateLimit: 10 });
    const reply = await api.listSessions('', { headers: { origin: 'https://app.example' } });
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    const exposed = reply.headers.get('access-control-expose-headers')!.split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['x-request-id', 'retry-after', 'idempotent-replayed', 'ratelimit', 'ratelimit-policy']));
  });

  it('can be turned off', async () => {
    const { api } = await start({ cors: false });
    expect((await api.listSessions()).headers.get('access-control-allow-origin')).toBeNull();
  });
});
