import { ControlError } from 'fold-sessions-mock';
import { connectControl } from 'fold-sessions-mock/control';
import { zError, zValidationError } from 'fold-sessions/zod';
import { describe, expect, it } from 'vitest';
import type { CaseContext } from '../context.js';

interface ControlReply {
  status: number;
  headers: Headers;
  body: any;
}

const fixedError = { error: 'x', code: 'NOT_FOUND', details: null };

/** Bad inputs of the control API, each with the field its 400 must name. */
const badInputs: Array<[name: string, method: string, path: string, body: string, field: string]> = [
  ['an unknown operation id', 'POST', '/faults', JSON.stringify({ operation_id: 'addMessages', status: 503 }), 'body.operation_id'],
  ['a status the operation does not document (fault)', 'POST', '/faults', JSON.stringify({ operation_id: 'getSession', status: 422 }), 'body.status'],
  ['times 0', 'POST', '/faults', JSON.stringify({ operation_id: 'getSession', status: 503, times: 0 }), 'body.times'],
  ['negative ms of a delay', 'POST', '/delays', JSON.stringify({ operation_id: 'getSession', ms: -1 }), 'body.ms'],
  ['a negative clock move', 'POST', '/clock', JSON.stringify({ advance_ms: -1 }), 'body.advance_ms'],
  ['a status the operation does not document (override)', 'POST', '/overrides', JSON.stringify({ operation_id: 'listSessions', status: 404, body: fixedError }), 'body.status'],
  ['an unchecked override, which only the in-process controller takes', 'POST', '/overrides', JSON.stringify({ operation_id: 'getSession', status: 404, body: fixedError, unchecked: true }), 'body.unchecked'],
  ['a malformed seed', 'POST', '/seed', JSON.stringify({ sessions: [{ org_id: 'org_1', session: { id: 'bad' }, messages: [] }] }), 'body.sessions.0.session.id'],
  ['malformed JSON', 'POST', '/faults', '{"operation_id": ', 'body'],
];

/**
 * The control API's own HTTP: auth, `--no-control`, and bad inputs sent raw. Only targets whose
 * controller is the control API over HTTP have it; the others steer the API in-process, where
 * there is no token and no wire to send a malformed request on.
 */
export function controlApiCases(c: CaseContext): void {
  if (!c.target.traits.controlApi) return;

  async function control(method: string, path: string, options: { token?: string | null; raw?: string; contentType?: string } = {}): Promise<ControlReply> {
    const token = options.token === undefined ? c.running.controlToken : options.token;
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (options.raw !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const response = await fetch(`${c.running.baseURL}/__fold${path}`, { method, headers, body: options.raw });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
  }

  /** An error of the control API in the Sessions API's error shape, with a request id. */
  function expectError(reply: ControlReply, status: number, code: string): void {
    expect(reply.status, JSON.stringify(reply.body)).toBe(status);
    expect(reply.body.code).toBe(code);
    expect(zError.strict().safeParse(reply.body).success, JSON.stringify(reply.body)).toBe(true);
    if (status === 400) expect(zValidationError.safeParse(reply.body).success, JSON.stringify(reply.body)).toBe(true);
    expect(reply.headers.get('x-request-id')).toMatch(/^req_/);
  }

  describe('the control API over HTTP', () => {
    it('answers 401 without a token, with a wrong one and with a Sessions API key; the control token never opens the Sessions API', async () => {
      expectError(await control('GET', '/snapshot', { token: null }), 401, 'AUTH_REQUIRED');
      expectError(await control('GET', '/snapshot', { token: 'not-the-control-token' }), 401, 'AUTH_INVALID');
      expectError(await control('POST', '/reset', { token: c.a.apiKey }), 401, 'AUTH_INVALID');
      const wrong = await connectControl({ baseURL: c.running.baseURL, token: c.a.apiKey }).snapshot().catch((error: unknown) => error);
      expect(wrong).toBeInstanceOf(ControlError);
      expect(wrong).toMatchObject({ status: 401, code: 'AUTH_INVALID' });

      const asApiKey = await c.api.listSessions('', { key: c.running.controlToken! });
      expect(asApiKey.status).toBe(401);
      expect(asApiKey.body.code).toBe('AUTH_INVALID');
      const create = await c.api.createSession({ name: 'with the control token' }, { key: c.running.controlToken! });
      expect(create.status).toBe(401);
      expect((await c.api.listSessions()).body.count).toBe(0);
    });

    it('is a plain 404 of the Sessions API when the server runs with --no-control', async () => {
      const off = await c.target.start({ control: false });
      try {
        expect(off.controlToken).toBeUndefined();
        for (const [method, path] of [
          ['POST', '/__fold/reset'],
          ['GET', '/__fold/snapshot'],
          ['GET', '/__fold'],
        ] as const) {
          const response = await fetch(`${off.baseURL}${path}`, { method, headers: { authorization: `Bearer ${c.running.controlToken}` } });
          const reply = { status: response.status, headers: response.headers, body: await response.json() };
          expectError(reply, 404, 'NOT_FOUND');
          expect(reply.body.details).toEqual({ method, path });
        }
        const { apiKey } = off.organisation();
        const sessions = await fetch(`${off.baseURL}/sessions`, { headers: { authorization: `Bearer ${apiKey}` } });
        expect(sessions.status).toBe(200);
      } finally {
        await off.stop();
      }
    });

    it('is neither recorded in the journal nor fault-injected', async () => {
      const id = (await c.api.createSession()).body.id as string;
      await c.running.controller.fail('all', { status: 503, retryAfter: 0 });
      expect((await control('GET', '/snapshot')).status).toBe(200);
      expect((await control('GET', '/clock')).status).toBe(200);
      expect((await c.api.getSession(id)).status).toBe(503);
      const journal = await c.running.controller.requests();
      expect(journal.filter((entry) => entry.path.startsWith('/__fold'))).toEqual([]);
      expect(journal.at(-1)).toMatchObject({ operation_id: 'getSession', session_id: id, status: 503, injected: 'fault' });
    });

    it.each(badInputs)('refuses %s with 400 naming the field, and changes nothing', async (_name, method, path, raw, field) => {
      const id = (await c.api.createSession({ name: 'before', ttl_seconds: 60 })).body.id as string;
      const before = await c.running.controller.snapshot();
      const clockBefore = await c.running.controller.clock.now();

      const reply = await control(method, path, { raw });
      expectError(reply, 400, 'VALIDATION_ERROR');
      expect(reply.body.details.issues.map((issue: { path: string }) => issue.path)).toContain(field);

      expect(await c.running.controller.snapshot()).toEqual(before);
      expect((await c.running.controller.clock.now()) - clockBefore).toBeLessThan(5_000);
      // No fault or override took hold: the API answers as before, and the journal says so.
      expect((await c.api.getSession(id)).body).toMatchObject({ id, status: 'active' });
      expect((await c.api.listSessions()).status).toBe(200);
      const journal = await c.running.controller.requests();
      expect(journal.slice(-2).map((entry) => [entry.operation_id, entry.status, entry.injected])).toEqual([
        ['getSession', 200, null],
        ['listSessions', 200, null],
      ]);
    });

    it('refuses a body that is not JSON with 415 naming its content type, and changes nothing', async () => {
      const before = await c.running.controller.snapshot();
      const reply = await control('POST', '/faults', { raw: 'operation_id=all&status=503', contentType: 'text/plain' });
      expectError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(reply.body.details).toEqual({ content_type: 'text/plain' });
      expect(await c.running.controller.snapshot()).toEqual(before);
      expect((await c.api.listSessions()).status).toBe(200);
    });

    it('refuses a bad journal filter with 400 naming the query parameter', async () => {
      const reply = await control('GET', '/requests?limit=0&colour=red');
      expectError(reply, 400, 'VALIDATION_ERROR');
      expect(reply.body.details.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['query.colour', 'query.limit']);
    });
  });
}
