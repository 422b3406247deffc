import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../../support/reference-server.js';
import { breakResponses } from '../../support/break-response.js';
import { call, createProxy } from './support.js';

let upstream: ReferenceServer | undefined;
afterEach(() => upstream?.close());

/** An upstream as a fetch function: every request answered with `status`, `body` and `headers`. */
function stubUpstream(status: number, body: unknown, headers: Record<string, string>): typeof fetch {
  return async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

describe('--proxy: an upstream or a client that breaks the spec', () => {
  it('names an answer body missing a required field, passes the answer on, and does not record the session', async () => {
    upstream = await startReferenceServer({ wrap: breakResponses({ operationId: 'createSession', kind: 'missing-field' }) });
    const proxy = createProxy(upstream.url);
    const created = await call(proxy, 'POST', '/sessions', upstream.apiKey, { name: 'broken' });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('id');
    expect(created.headers['fold-violations']).toMatch(/^answer: 201 of createSession: body\.id /);
    const [entry] = await proxy.controller.requests();
    expect(entry!.violations).toEqual([created.headers['fold-violations']]);
    expect(proxy.recording().sessions).toEqual([]);
  });

  it('names a status the operation does not document', async () => {
    upstream = await startReferenceServer({ wrap: breakResponses({ operationId: 'createSession', kind: 'wrong-status' }) });
    const proxy = createProxy(upstream.url);
    const created = await call(proxy, 'POST', '/sessions', upstream.apiKey, { name: 'accepted?' });
    expect(created.status).toBe(202);
    expect(created.headers['fold-violations']).toMatch(/^answer: status 202 is not documented for createSession/);
    expect((await proxy.controller.requests({ status: 202 }))[0]!.violations).toHaveLength(1);
  });

  it('names a missing required header and a body that does not match, from an upstream of any kind', async () => {
    const proxy = createProxy('http://upstream.invalid', { fetch: stubUpstream(200, { sessions: [] }, {}) });
    const listed = await call(proxy, 'GET', '/sessions', 'any_key');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ sessions: [] });
    const [entry] = await proxy.controller.requests();
    expect(entry!.violations).toEqual([
      'answer: 200 of listSessions lacks the required header x-request-id',
      expect.stringMatching(/^answer: 200 of listSessions: body\.count .*body\.has_more .*body\.next_cursor /),
    ]);
    expect(listed.headers['fold-violations']).toBe(entry!.violations.join('; '));
    // The proxy still gives the exchange a request id.
    expect(listed.headers['x-request-id']).toMatch(/^\S+$/);
  });

  it('names a request that breaks the spec, and still forwards it', async () => {
    upstream = await startReferenceServer();
    const proxy = createProxy(upstream.url);
    const refused = await call(proxy, 'POST', '/sessions', upstream.apiKey, { name: '', colour: 'blue' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_ERROR' });
    const violations = (await proxy.controller.requests())[0]!.violations;
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/^request body: .*body\.name .*body\.colour Unknown field/);

    const badQuery = await proxy.handle({ method: 'GET', path: '/sessions', query: { limit: 'many' }, headers: { authorization: `Bearer ${upstream.apiKey}` } });
    expect(badQuery.status).toBe(400);
    expect(badQuery.headers['fold-violations']).toMatch(/^request query: query\.limit /);
  });
});
