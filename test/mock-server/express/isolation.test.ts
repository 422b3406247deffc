import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { createTestClient, type TestClient } from '../http.js';

let server: ReferenceServer;
let a: TestClient;
let b: TestClient;
let sessionOfA: string;

beforeAll(async () => {
  server = await startReferenceServer();
  a = createTestClient(server.url, server.apiKey);
  b = createTestClient(server.url, server.otherApiKey);
  sessionOfA = (await a.createSession({ name: 'Private to org_a: tangerine project' })).body.id;
  await a.addMessage(sessionOfA, { role: 'user', content: 'tangerine project budget' });
  const closedOfA = (await a.createSession({ name: 'tangerine closed' })).body.id;
  await a.addMessage(closedOfA, { role: 'user', content: 'tangerine secrets' });
  await a.closeSession(closedOfA);
  await server.service.summaries.flush();
});
afterAll(() => server.close());

describe("organisation isolation: another organisation's session is a 404, never a 403", () => {
  const expectNotFound = (reply: { status: number; body: { code: string; details: unknown } }) => {
    expect(reply.status).toBe(404);
    expect(reply.body.code).toBe('NOT_FOUND');
    expect(reply.body.details).toEqual({ id: sessionOfA });
  };

  it('getSession', async () => expectNotFound(await b.getSession(sessionOfA)));
  it('addMessage', async () => expectNotFound(await b.addMessage(sessionOfA)));
  it('updateContext', async () => expectNotFound(await b.updateContext(sessionOfA, { hijacked: true })));
  it('closeSession', async () => expectNotFound(await b.closeSession(sessionOfA)));
  it('completeSession', async () => expectNotFound(await b.completeSession(sessionOfA)));
  it('deleteSession', async () => expectNotFound(await b.deleteSession(sessionOfA)));

  it('listSessions shows only your own sessions', async () => {
    await b.createSession({ name: 'org_b own' });
    const listed = await b.listSessions('?limit=100');
    expect(listed.body.sessions.map((s: { name: string }) => s.name)).toEqual(['org_b own']);
    const ofA = await a.listSessions('?limit=100');
    expect(ofA.body.sessions.every((s: { name: string }) => s.name !== 'org_b own')).toBe(true);
  });

  it("queryMemory never returns another organisation's summaries", async () => {
    expect((await a.queryMemory({ query_text: 'tangerine' })).body.count).toBe(1);
    expect((await b.queryMemory({ query_text: 'tangerine' })).body).toEqual({ matches: [], count: 0 });
  });

  it("after all of org_b's attempts, org_a's session is unchanged", async () => {
    const read = await a.getSession(sessionOfA);
    expect(read.body).toMatchObject({ status: 'active', message_count: 1, context: {} });
  });

  it('an idempotency key used by one organisation is free for another', async () => {
    const headers = { 'idempotency-key': 'shared-key-1' };
    const first = await a.createSession({ name: 'A with key' }, { headers });
    const other = await b.createSession({ name: 'B with the same key' }, { headers });
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(other.body.id).not.toBe(first.body.id);
  });
});
