import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionsApi, type SessionsData } from 'fold-sessions-mock';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { call, controlToken, createProxy, renameOrgs } from './support.js';

let upstream: ReferenceServer;

beforeEach(async () => {
  upstream = await startReferenceServer();
});
afterEach(() => upstream.close());

const idOf = (response: { body: unknown }) => (response.body as { id: string }).id;

describe('--proxy: recording', () => {
  it('records a short conversation that seeds a fresh server to the upstream state', async () => {
    const proxy = createProxy(upstream.url);
    const a = idOf(await call(proxy, 'POST', '/sessions', upstream.apiKey, { name: 'support chat', context: { plan: 'pro' } }));
    await call(proxy, 'POST', `/sessions/${a}/messages`, upstream.apiKey, { role: 'user', content: 'My invoice is wrong' });
    await call(proxy, 'POST', `/sessions/${a}/messages`, upstream.apiKey, { role: 'assistant', content: 'Let me look' });
    await call(proxy, 'PATCH', `/sessions/${a}/context`, upstream.apiKey, { plan: 'team' });
    await call(proxy, 'POST', `/sessions/${a}/complete`, upstream.apiKey);
    const b = idOf(await call(proxy, 'POST', '/sessions', upstream.otherApiKey, { name: 'other organisation' }));
    await call(proxy, 'POST', `/sessions/${b}/messages`, upstream.otherApiKey, { role: 'user', content: 'Hello' });
    const gone = idOf(await call(proxy, 'POST', '/sessions', upstream.apiKey, { name: 'deleted' }));
    await call(proxy, 'DELETE', `/sessions/${gone}`, upstream.apiKey);
    // What the proxy last saw of each session is its latest state.
    await call(proxy, 'GET', `/sessions/${a}`, upstream.apiKey);
    await call(proxy, 'GET', `/sessions/${b}`, upstream.otherApiKey);

    const recording = proxy.recording();
    expect(recording.memory).toEqual([]);
    expect(recording.sessions.map((doc) => [doc.org_id, doc.session.id, doc.messages.length])).toEqual([
      ['org_recorded_1', a, 2],
      ['org_recorded_2', b, 1],
    ]);

    const fresh = createSessionsApi({ initialData: recording });
    const seeded = await fresh.controller.snapshot();
    const original = await upstream.controller.snapshot();
    expect(seeded.sessions).toEqual(renameOrgs(original, { org_a: 'org_recorded_1', org_b: 'org_recorded_2' }));

    // The control API serves the same recording.
    const served = await proxy.handle({ method: 'GET', path: '/__fold/recording', headers: { authorization: `Bearer ${controlToken}` } });
    expect(served.status).toBe(200);
    expect(served.body).toEqual(recording);
  });

  it('keeps a session whose messages it saw only in part as a valid seed document', async () => {
    const proxy = createProxy(upstream.url);
    const id = idOf(await call(proxy, 'POST', '/sessions', upstream.apiKey, { name: 'partly seen' }));
    await upstream.service.addMessage('org_a', id, { role: 'user', content: 'sent around the proxy' });
    await call(proxy, 'POST', `/sessions/${id}/messages`, upstream.apiKey, { role: 'assistant', content: 'seen' });

    const recording = proxy.recording();
    const fresh = createSessionsApi({ keys: { k: 'org_recorded_1' } });
    await fresh.controller.seed(recording);
    const session = await call(fresh, 'GET', `/sessions/${id}`, 'k');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ id, message_count: 1, messages: [{ content: 'seen' }] });
  });

  it('never keeps an API key: not in the recording, not in the journal', async () => {
    const proxy = createProxy(upstream.url);
    const id = idOf(await call(proxy, 'POST', '/sessions', upstream.apiKey, { name: 'secret keeper' }));
    await call(proxy, 'POST', `/sessions/${id}/messages`, upstream.apiKey, { role: 'user', content: 'hi' });
    await call(proxy, 'GET', '/sessions', upstream.otherApiKey);
    const recording: SessionsData = proxy.recording();
    const journal = await proxy.controller.requests();
    expect(journal).toHaveLength(3);
    expect(recording.sessions).toHaveLength(1);
    for (const text of [JSON.stringify(recording), JSON.stringify(journal)]) {
      expect(text).not.toContain(upstream.apiKey);
      expect(text).not.toContain(upstream.otherApiKey);
    }
  });
});
