import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../support/reference-server.js';
import { connect, type Connected, type TransportKind } from './connect.js';

type Target = 'reference server' | 'sandbox';
// Tool results, loosely typed: the tests walk them like any JSON document.
type Structured = Record<string, any>;

const cases: [TransportKind, Target][] = [
  ['stdio', 'reference server'],
  ['http', 'reference server'],
  ['stdio', 'sandbox'],
  ['http', 'sandbox'],
];

describe.each(cases)('every tool over %s against the %s', (kind, target) => {
  let reference: ReferenceServer | undefined;
  let server: Connected;

  beforeAll(async () => {
    if (target === 'sandbox') {
      server = await connect(kind, ['--sandbox'], {});
    } else {
      reference = await startReferenceServer();
      server = await connect(kind, [], { FOLD_API_KEY: reference.apiKey, FOLD_BASE_URL: reference.url });
    }
  });
  afterAll(async () => {
    await server?.close();
    await reference?.close();
  });

  async function call(name: string, args: Record<string, unknown>): Promise<Structured> {
    const result = await server.client.callTool({ name, arguments: args });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    // Hosts that show only text see the same JSON.
    const text = (result.content as { type: string; text: string }[])[0]!.text;
    expect(JSON.parse(text)).toEqual(result.structuredContent);
    expect(result._meta?.['run.fold/request-id']).toMatch(/\S/);
    return result.structuredContent as Structured;
  }

  async function summaryStored(id: string): Promise<Structured> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const session = await call('getSession', { id });
      if (session.summary_status !== 'pending') return session;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('The summary stayed pending');
  }

  it('create → add → close → queryMemory, then a CONFLICT tool error when adding to the closed session', async () => {
    const session = await call('createSession', { name: 'Refund for order 1042', context: { customer: 'cust_9' } });
    expect(session).toMatchObject({ status: 'active', name: 'Refund for order 1042', context: { customer: 'cust_9' } });
    const message = await call('addMessage', { id: session.id, role: 'user', content: 'I want a refund for the blue kettle' });
    expect(message).toMatchObject({ role: 'user', content: 'I want a refund for the blue kettle', tool_call_id: null });
    await call('addMessage', { id: session.id, role: 'assistant', content: 'The kettle refund is on its way', tool_name: 'issue_refund', tool_call_id: 'call_1' });
    const updated = await call('updateContext', { id: session.id, context: { customer: 'cust_9', refunded: true } });
    expect(updated.context).toEqual({ customer: 'cust_9', refunded: true });
    const closed = await call('closeSession', { id: session.id });
    expect(closed.status).toBe('closed');
    expect((await summaryStored(session.id)).summary_status).toBe('stored');

    const memory = await call('queryMemory', { query_text: 'kettle refund', top_k: 3 });
    expect(memory.count).toBeGreaterThan(0);
    expect(memory.matches[0].metadata.session_id).toBe(session.id);

    const refused = await server.client.callTool({ name: 'addMessage', arguments: { id: session.id, role: 'user', content: 'one more thing' } });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toMatchObject({ code: 'CONFLICT', status: 409, details: { status: 'closed' } });
    const structured = refused.structuredContent as Structured;
    expect(structured.request_id).toMatch(/\S/);
    expect(typeof structured.error).toBe('string');
    const text = (refused.content as { text: string }[])[0]!.text;
    expect(text).toContain('CONFLICT');
    expect(text).toContain(structured.request_id);
    if (structured.hint !== undefined) expect(text).toContain(structured.hint);
  });

  it('getSession, listSessions, completeSession and deleteSession', async () => {
    const session = await call('createSession', { name: 'To complete', ttl_seconds: 600 });
    await call('addMessage', { id: session.id, role: 'user', content: 'hello' });
    const read = await call('getSession', { id: session.id });
    expect(read.messages.map((m: Structured) => m.content)).toEqual(['hello']);

    const page = await call('listSessions', { status: 'active', limit: 100 });
    expect(page.sessions.map((s: Structured) => s.id)).toContain(session.id);
    expect(page).toMatchObject({ count: page.sessions.length, has_more: false, next_cursor: null });
    const small = await call('listSessions', { limit: 1 });
    expect(small.count).toBe(1);
    expect(small.has_more).toBe(true);
    const next = await call('listSessions', { limit: 1, cursor: small.next_cursor });
    expect(next.sessions[0].id).not.toBe(small.sessions[0].id);

    expect((await call('completeSession', { id: session.id })).status).toBe('completed');
    // Idempotent, as annotated: completing again answers the session unchanged.
    expect((await call('completeSession', { id: session.id })).status).toBe('completed');
    expect(await call('deleteSession', { id: session.id })).toEqual({ id: session.id, deleted: true });
    const gone = await server.client.callTool({ name: 'getSession', arguments: { id: session.id } });
    expect(gone.structuredContent).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('answers invalid arguments with the API validation error, so the model can correct them', async () => {
    const result = await server.client.callTool({ name: 'createSession', arguments: { name: '', ttl_seconds: 0, colour: 'red' } });
    expect(result.isError).toBe(true);
    const structured = result.structuredContent as Structured;
    expect(structured).toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
    const paths = structured.details.issues.map((issue: Structured) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.ttl_seconds']));

    const noId = await server.client.callTool({ name: 'getSession', arguments: {} });
    expect(noId.isError).toBe(true);
    expect(noId.structuredContent).toMatchObject({ code: 'VALIDATION_ERROR', status: null, details: { issues: [{ path: 'id' }] } });
  });

  it('lists and reads sessions as fold-session:// resources, as JSON and as Markdown', async () => {
    const session = await call('createSession', { name: 'Resource chat', context: { plan: 'pro' } });
    await call('addMessage', { id: session.id, role: 'user', content: 'What is my plan?' });
    await call('addMessage', { id: session.id, role: 'assistant', content: 'You are on pro.' });

    const templates = await server.client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toContain('fold-session://{id}');
    const { resources } = await server.client.listResources();
    const listed = resources.find((resource) => resource.uri === `fold-session://${session.id}`);
    expect(listed).toMatchObject({ title: 'Resource chat', mimeType: 'application/json' });

    const { contents } = await server.client.readResource({ uri: `fold-session://${session.id}` });
    const json = contents.find((c) => c.mimeType === 'application/json') as { text: string };
    expect(JSON.parse(json.text)).toMatchObject({ id: session.id, context: { plan: 'pro' }, messages: [{ content: 'What is my plan?' }, { content: 'You are on pro.' }] });
    const markdown = contents.find((c) => c.mimeType === 'text/markdown') as { text: string };
    expect(markdown.text).toContain('# Resource chat');
    expect(markdown.text).toContain('"plan": "pro"');
    expect(markdown.text.indexOf('What is my plan?')).toBeLessThan(markdown.text.indexOf('You are on pro.'));

    await expect(server.client.readResource({ uri: 'fold-session://sess_doesnotexist000000' })).rejects.toThrow(/No session/);
  });
});
