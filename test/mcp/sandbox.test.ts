import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connected } from './connect.js';

// Tool results, loosely typed: the tests walk them like any JSON document.
type Structured = Record<string, any>;

describe('--sandbox: the clock tool', () => {
  let server: Connected;
  beforeAll(async () => {
    server = await connect('stdio', ['--sandbox'], {});
  });
  afterAll(() => server?.close());

  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await server.client.callTool({ name, arguments: args });
    return { isError: result.isError === true, structured: result.structuredContent as Structured, text: (result.content as { text: string }[])[0]!.text };
  };

  it('expires a session once its TTL has passed on the moved clock', async () => {
    const { structured: session } = await call('createSession', { name: 'Short chat', ttl_seconds: 60 });
    await call('addMessage', { id: session.id, role: 'user', content: 'still here?' });

    const early = await call('advanceClock', { seconds: 59 });
    expect(early.isError).toBe(false);
    expect(early.structured.now).toBe(session.created_at + 59_000);
    expect((await call('getSession', { id: session.id })).structured.status).toBe('active');

    const late = await call('advanceClock', { seconds: 1 });
    expect(late.structured.now).toBe(session.expires_at);
    expect(late.structured.iso).toBe(new Date(session.expires_at).toISOString());
    const expired = await call('getSession', { id: session.id });
    expect(expired.structured).toMatchObject({ status: 'expired', message_count: 1 });

    const refused = await call('addMessage', { id: session.id, role: 'user', content: 'hello?' });
    expect(refused.isError).toBe(true);
    expect(refused.structured).toMatchObject({ code: 'CONFLICT', status: 409, details: { status: 'expired' } });
    const active = await call('listSessions', { status: 'active' });
    expect(active.structured.sessions.map((s: Structured) => s.id)).not.toContain(session.id);
  });

  it('refuses a negative or missing number of seconds', async () => {
    const result = await call('advanceClock', { seconds: -1 });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/seconds.*>= 0/);
    expect((await call('advanceClock', {})).isError).toBe(true);
  });

  it('answers an unknown tool with a protocol error that points at tools/list', async () => {
    await expect(server.client.callTool({ name: 'dropSession', arguments: {} })).rejects.toThrow(/Unknown tool dropSession: list the tools with tools\/list/);
  });
});
