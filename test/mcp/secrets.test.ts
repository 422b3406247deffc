import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../support/reference-server.js';
import { connect, type TransportKind } from './connect.js';

const apiKey = 'sk_live_mcp_secret_7f3a9c01';
const wrongKey = 'sk_live_mcp_wrong_55e2b8d4';

describe.each<TransportKind>(['stdio', 'http'])('the API key over %s', (kind) => {
  let reference: ReferenceServer;
  beforeAll(async () => {
    reference = await startReferenceServer({ keys: { [apiKey]: 'org_a' } });
  });
  afterAll(() => reference?.close());

  it('never appears in the logs, even at debug level', async () => {
    const server = await connect(kind, [], { FOLD_API_KEY: apiKey, FOLD_BASE_URL: reference.url, FOLD_LOG: 'debug' });
    try {
      const created = await server.client.callTool({ name: 'createSession', arguments: { name: 'secret keeping' } });
      const id = (created.structuredContent as { id: string }).id;
      await server.client.callTool({ name: 'addMessage', arguments: { id, role: 'user', content: 'hi' } });
      await server.client.callTool({ name: 'getSession', arguments: { id: 'sess_unknown0000000000' } });
      await server.client.listResources();
    } finally {
      await server.close();
    }
    const log = server.stderr();
    // The logs did run: every attempt is logged at debug level, with its method and path.
    expect(log).toContain('/sessions');
    expect(log).toContain(reference.url);
    expect(log).not.toContain(apiKey);
    expect(log).not.toContain(apiKey.slice(8));
  });

  it('is not echoed by the tool error of a refused key', async () => {
    const server = await connect(kind, [], { FOLD_API_KEY: wrongKey, FOLD_BASE_URL: reference.url, FOLD_LOG: 'debug' });
    try {
      const result = await server.client.callTool({ name: 'listSessions', arguments: {} });
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toMatchObject({ code: 'AUTH_INVALID', status: 401 });
      expect(JSON.stringify(result)).not.toContain(wrongKey);
    } finally {
      await server.close();
    }
    expect(server.stderr()).not.toContain(wrongKey);
  });
});
