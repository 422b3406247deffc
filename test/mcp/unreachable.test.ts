import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { connect, type Connected } from './connect.js';

describe('an API that cannot be reached', () => {
  let server: Connected;
  beforeAll(async () => {
    // A port nobody listens on: every attempt is refused.
    const port = await freePort();
    server = await connect('stdio', [], { FOLD_API_KEY: 'k', FOLD_BASE_URL: `http://127.0.0.1:${port}` });
  });
  afterAll(() => server?.close());

  it('is a tool error that says so, after the SDK retried', async () => {
    const result = await server.client.callTool({ name: 'listSessions', arguments: {} });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect((result.content as { text: string }[])[0]!.text).toMatch(/^GET \/sessions could not reach the server: ECONNREFUSED/);
  });
});
