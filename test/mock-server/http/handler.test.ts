import { describe, expect, it } from 'vitest';
import { zError, zSession } from 'fold-sessions/zod';
import { createManualClock, createSessionsApi, type ApiRequest } from 'fold-sessions-mock';
import { matchRoute } from '../../../mock-server/src/http/routes.js';

function setup() {
  const { handle, controller } = createSessionsApi({ keys: { k: 'org_1' }, clock: createManualClock() });
  const request = (partial: Partial<ApiRequest>): ApiRequest => ({
    method: 'GET',
    path: '/sessions',
    headers: { authorization: 'Bearer k' },
    ...partial,
  });
  return { controller, handle, request };
}

describe('createApiHandler (plain data in, plain data out)', () => {
  it('serves a request with a string body and reports the operation it routed to', async () => {
    const { handle, request } = setup();
    const response = await handle(
      request({ method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, rawBody: '{"name":"plain"}' }),
    );
    expect(response.status).toBe(201);
    expect(response.operationId).toBe('createSession');
    expect(zSession.parse(response.body).name).toBe('plain');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['x-request-id']).toMatch(/^req_/);
  });

  it('accepts Uint8Array bodies and record queries', async () => {
    const { handle, request } = setup();
    await handle(request({ method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, rawBody: new TextEncoder().encode('{"name":"bytes"}') }));
    const listed = await handle(request({ query: { limit: '1' } }));
    expect(listed.status).toBe(200);
    expect((listed.body as { sessions: Array<{ name: string }> }).sessions[0]?.name).toBe('bytes');
    const bad = await handle(request({ query: { limit: ['1', '2'] } }));
    expect(bad.status).toBe(400);
  });

  it('keys per-operation faults on the operationId and flags network faults for the adapter', async () => {
    const { handle, request, controller } = setup();
    await controller.fail('listSessions', { networkError: true });
    const dropped = await handle(request({}));
    expect(dropped.networkError).toBe(true);
    expect(dropped.operationId).toBe('listSessions');
    expect((await handle(request({}))).status).toBe(200);
  });

  it('uses the request id an adapter already chose', async () => {
    const { handle, request } = setup();
    expect((await handle(request({ requestId: 'req_chosen' }))).headers['x-request-id']).toBe('req_chosen');
  });

  it('answers 413 when the adapter says it stopped reading (not for GET, which ignores bodies), and an unknown route 404 with no operation', async () => {
    const { handle, request } = setup();
    const tooLarge = await handle(request({ method: 'POST', bodyTooLarge: true }));
    expect(tooLarge.status).toBe(413);
    expect(zError.parse(tooLarge.body).code).toBe('PAYLOAD_TOO_LARGE');
    expect((await handle(request({ bodyTooLarge: true }))).status).toBe(200);
    const unknown = await handle(request({ path: '/elsewhere' }));
    expect(unknown.status).toBe(404);
    expect(unknown.operationId).toBeUndefined();
  });

  it('matchRoute maps every operation of the spec', () => {
    expect(
      [
        ['POST', '/sessions'],
        ['GET', '/sessions'],
        ['GET', '/sessions/s1'],
        ['DELETE', '/sessions/s1'],
        ['POST', '/sessions/s1/messages'],
        ['PUT', '/sessions/s1/context'],
        ['POST', '/sessions/s1/close'],
        ['POST', '/sessions/s1/complete'],
        ['POST', '/vectors/query'],
      ].map(([method, path]) => matchRoute(method!, path!)?.operationId),
    ).toEqual(['createSession', 'listSessions', 'getSession', 'deleteSession', 'addMessage', 'updateContext', 'closeSession', 'completeSession', 'queryMemory']);
    expect(matchRoute('GET', '/sessions/')).toBeUndefined();
    expect(matchRoute('POST', '/sessions/s1/__proto__')).toBeUndefined();
  });
});
