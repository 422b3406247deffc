import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from 'fold-sessions-mock';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { createTestClient, type TestClient } from '../http.js';

const start = Date.UTC(2025, 5, 1);
const clock = createManualClock(start);
let server: ReferenceServer;
let api: TestClient;

beforeAll(async () => {
  server = await startReferenceServer({ clock });
  api = createTestClient(server.url, server.apiKey);
});
afterAll(() => server.close());

describe('every operation over HTTP, success shapes', () => {
  it('createSession: 201 with the session, defaults applied', async () => {
    const reply = await api.createSession({ name: 'Customer support chat', context: { customer_id: 'cust_123' } });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      name: 'Customer support chat',
      status: 'active',
      ttl_seconds: 3600,
      expires_at: clock.now() + 3_600_000,
      message_count: 0,
      context: { customer_id: 'cust_123' },
      summary_status: 'none',
    });
    expect(reply.body.id).toMatch(/^sess_[A-Za-z0-9_-]{16,}$/);
    expect((await api.createSession({ name: 'No context' })).body.context).toEqual({});
  });

  it('getSession: 200 with messages oldest first', async () => {
    const { body: session } = await api.createSession({ name: 'read me', ttl_seconds: 60 });
    await api.addMessage(session.id, { role: 'user', content: 'What is my current usage?' });
    await api.addMessage(session.id, { role: 'assistant', content: '1,204 of 5,000', tool_call_id: 'call_8d2f', tool_name: 'get_usage' });
    const reply = await api.getSession(session.id);
    expect(reply.status).toBe(200);
    expect(reply.body.message_count).toBe(2);
    expect(reply.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(reply.body.messages[1]).toMatchObject({ tool_call_id: 'call_8d2f', tool_name: 'get_usage' });
  });

  it('addMessage: 201 with the message; empty content and null tool fields are fine', async () => {
    const { body: session } = await api.createSession();
    const reply = await api.addMessage(session.id, { role: 'assistant', content: '', tool_call_id: null, tool_name: null });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ role: 'assistant', content: '', tool_call_id: null, tool_name: null, created_at: clock.now() });
    expect(reply.body.id).toMatch(/^msg_/);
  });

  it('updateContext: 200 with the session, context replaced not merged', async () => {
    const { body: session } = await api.createSession({ name: 'ctx', context: { a: 1, b: 2 } });
    const reply = await api.updateContext(session.id, { b: 3, nested: { ok: true } });
    expect(reply.status).toBe(200);
    expect(reply.body.context).toEqual({ b: 3, nested: { ok: true } });
  });

  it('closeSession: 200 closed, with or without an empty JSON body; idempotent', async () => {
    const { body: session } = await api.createSession();
    const first = await api.closeSession(session.id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'closed', closed_at: clock.now(), summary_status: 'none' });
    const again = await api.closeSession(session.id, { body: {} });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('completeSession: 200 completed; idempotent; close after complete is 409', async () => {
    const { body: session } = await api.createSession();
    const first = await api.completeSession(session.id);
    expect(first.body).toMatchObject({ status: 'completed', completed_at: clock.now() });
    expect((await api.completeSession(session.id)).body).toEqual(first.body);
    const refused = await api.closeSession(session.id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CONFLICT', details: { id: session.id, status: 'completed' } });
  });

  it('deleteSession: 200 {id, deleted: true}, then 404', async () => {
    const { body: session } = await api.createSession();
    const reply = await api.deleteSession(session.id);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ id: session.id, deleted: true });
    expect((await api.deleteSession(session.id)).status).toBe(404);
    expect((await api.getSession(session.id)).status).toBe(404);
  });

  it('listSessions: 200 pages with limit and cursor, status filter', async () => {
    const own = createTestClient(server.url, server.otherApiKey);
    const names = ['one', 'two', 'three'];
    for (const name of names) {
      await own.createSession({ name });
      clock.advance(1);
    }
    const first = await own.listSessions('?limit=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ count: 2, has_more: true });
    expect(first.body.sessions.map((s: { name: string }) => s.name)).toEqual(['three', 'two']);
    const second = await own.listSessions(`?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(second.body).toMatchObject({ count: 1, has_more: false, next_cursor: null });
    expect(second.body.sessions[0].name).toBe('one');
    const active = await own.listSessions('?status=active');
    expect(active.body.count).toBe(3);
    expect((await own.listSessions('?status=closed')).body.count).toBe(0);
  });

  it('expiry over HTTP: after the TTL the session reads expired and refuses writes with 409', async () => {
    const { body: session } = await api.createSession({ name: 'short', ttl_seconds: 30 });
    clock.advance(30_000);
    const read = await api.getSession(session.id);
    expect(read.body.status).toBe('expired');
    const refused = await api.addMessage(session.id);
    expect(refused.status).toBe(409);
    expect(refused.body.details).toEqual({ id: session.id, status: 'expired' });
    expect((await api.updateContext(session.id, {})).status).toBe(409);
    expect((await api.closeSession(session.id)).status).toBe(409);
    expect((await api.completeSession(session.id)).status).toBe(409);
    const listed = await api.listSessions('?status=active&limit=100');
    expect(listed.body.sessions.map((s: { id: string }) => s.id)).not.toContain(session.id);
  });

  it('queryMemory: the summary of a closed session is found; none for an empty session', async () => {
    const { body: session } = await api.createSession({ name: 'Quota talk' });
    await api.addMessage(session.id, { role: 'user', content: 'How do I raise my monthly quota?' });
    await api.addMessage(session.id, { role: 'assistant', content: 'Upgrade to the pro plan.' });
    const closed = await api.closeSession(session.id);
    expect(closed.body.summary_status).toBe('pending');
    const { body: empty } = await api.createSession({ name: 'Quota nothing' });
    expect((await api.closeSession(empty.id)).body.summary_status).toBe('none');
    await server.service.summaries.flush();
    expect((await api.getSession(session.id)).body.summary_status).toBe('stored');

    const reply = await api.queryMemory({ query_text: 'raise monthly quota', top_k: 3 });
    expect(reply.status).toBe(200);
    expect(reply.body.count).toBe(1);
    expect(reply.body.matches[0]).toMatchObject({ metadata: { session_id: session.id, name: 'Quota talk', message_count: 2 } });
    const named = await api.queryMemory({ query_text: 'Quota', namespace: 'session-memory' });
    expect(named.body.matches.map((m: { metadata: { session_id: string } }) => m.metadata.session_id)).toEqual([session.id]);
  });
});
