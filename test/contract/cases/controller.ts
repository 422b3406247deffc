import { ControlError, type FailureStatus, operationIds, type OperationId } from 'fold-sessions-mock';
import { zError, zValidationError } from 'fold-sessions/zod';
import { describe, expect, it } from 'vitest';
import { operationSpecs } from '../../../mock-server/src/spec/spec.gen.js';
import { expectPrismAnswer, type CaseContext } from '../context.js';

async function controlRejection(promise: Promise<unknown>): Promise<ControlError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ControlError);
  return error as ControlError;
}

/** A request each operation takes, so that only an injected failure can make it fail. */
const validBodies: Partial<Record<OperationId, unknown>> = {
  createSession: { name: 'x' },
  addMessage: { role: 'user', content: 'x' },
  updateContext: {},
  queryMemory: { query_text: 'x' },
};

const failures = operationIds.flatMap((operationId) =>
  Object.keys(operationSpecs[operationId].responses)
    .map(Number)
    .filter((status) => status >= 400)
    .map((status) => [operationId, status] as const),
);

/** The controller as every target has it: the journal, overrides and `fail()`. */
export function controllerCases(c: CaseContext): void {
  /** How the controller names a field of its input: over HTTP by its wire name under `body`. */
  const field = (name: string) => (c.target.traits.controlApi ? `body.${name}` : name);

  describe('request journal', () => {
    it('records a flow: operations, statuses, sessions, redacted authorization, parsed bodies and a replay', async () => {
      const created = await c.api.createSession({ name: 'journal', ttl_seconds: 600 }, { headers: { 'x-request-id': 'req_journal_1' } });
      const id = created.body.id as string;
      const message = { role: 'user', content: 'hi', tool_call_id: null, tool_name: null };
      const added = await c.api.addMessage(id, message, { headers: { 'idempotency-key': 'journal-1' } });
      const replayed = await c.api.addMessage(id, message, { headers: { 'idempotency-key': 'journal-1' } });
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      const read = await c.api.getSession(id);

      const entries = await c.running.controller.requests({ sessionId: id });
      expect(entries.map((e) => [e.operation_id, e.method, e.path, e.status, e.session_id, e.replayed, e.injected, e.network_error])).toEqual([
        ['createSession', 'POST', '/sessions', 201, id, false, null, false],
        ['addMessage', 'POST', `/sessions/${id}/messages`, 201, id, false, null, false],
        ['addMessage', 'POST', `/sessions/${id}/messages`, 201, id, true, null, false],
        ['getSession', 'GET', `/sessions/${id}`, 200, id, false, null, false],
      ]);
      const [create, append, replay, get] = entries;
      expect(create).toMatchObject({
        request_id: 'req_journal_1',
        request_body: { name: 'journal', ttl_seconds: 600 },
        response_body: created.body,
        response_headers: { 'x-request-id': 'req_journal_1' },
        query: {},
      });
      expect(append).toMatchObject({
        request_body: message,
        request_headers: { authorization: '[redacted]', 'idempotency-key': 'journal-1', 'content-type': 'application/json' },
        response_body: added.body,
      });
      expect(replay!.response_body).toEqual(added.body);
      expect(replay!.request_id).toBe(replayed.headers.get('x-request-id'));
      expect(get).toMatchObject({ request_body: null, response_body: read.body });
      for (const entry of entries) {
        expect(entry.request_headers.authorization).toBe('[redacted]');
        expect(entry.started_at).toEqual(expect.any(Number));
        expect(entry.duration_ms).toBeGreaterThanOrEqual(0);
      }
      expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((x, y) => x - y));
      expect(JSON.stringify(entries)).not.toContain(c.a.apiKey);

      expect((await c.running.controller.requests({ sessionId: id, operationId: 'addMessage' })).map((e) => e.replayed)).toEqual([false, true]);
      expect(await c.running.controller.requests({ sessionId: id, status: 200 })).toEqual([get]);
      expect(await c.running.controller.requests({ sessionId: id, limit: 1 })).toEqual([get]);
      expect((await c.running.controller.requests({ sessionId: id, since: get!.started_at })).at(-1)).toEqual(get);

      await c.api.listSessions('?status=active&limit=5');
      await c.api.listSessions('?limit=1&limit=2');
      const lists = await c.running.controller.requests({ operationId: 'listSessions', limit: 2 });
      expect(lists.map((e) => [e.query, e.status, e.session_id])).toEqual([
        [{ status: 'active', limit: '5' }, 200, null],
        [{ limit: ['1', '2'] }, 400, null],
      ]);
    });

    it('marks injected faults and overrides, and a request of another organisation is recorded under its session too', async () => {
      const id = (await c.api.createSession()).body.id as string;
      await c.running.controller.fail('getSession', { status: 503, retryAfter: 0 });
      await c.running.controller.override('getSession', { status: 404, body: { error: 'gone', code: 'NOT_FOUND', details: null } }, { times: 1 });
      expect((await c.api.getSession(id)).status).toBe(503);
      expect((await c.api.getSession(id)).status).toBe(404);
      expect((await c.otherApi.getSession(id)).status).toBe(404);
      const gets = await c.running.controller.requests({ sessionId: id, operationId: 'getSession' });
      expect(gets.map((e) => [e.status, e.injected])).toEqual([
        [503, 'fault'],
        [404, 'override'],
        [404, null],
      ]);
    });
  });

  describe('override()', () => {
    it('answers with a checked response for `times` calls, then the API again', async () => {
      const id = (await c.api.createSession()).body.id as string;
      const notFound = { error: 'gone', code: 'NOT_FOUND', details: null };
      await c.running.controller.override('getSession', { status: 404, body: notFound, headers: { 'X-Custom': 'yes' } }, { times: 2 });
      for (let i = 0; i < 2; i++) {
        const reply = await c.api.getSession(id);
        expect(reply.status).toBe(404);
        expect(reply.body).toEqual(notFound);
        expect(reply.headers.get('x-custom')).toBe('yes');
      }
      const real = await c.api.getSession(id);
      expect(real.status).toBe(200);
      expect(real.headers.get('x-custom')).toBeNull();
      const sdk = await c.fold.sessions.get(id);
      expect(sdk.id).toBe(id);
    });

    it('refuses an undocumented status and times 0, naming the field, and changes nothing', async () => {
      const id = (await c.api.createSession()).body.id as string;
      const status = await controlRejection(c.running.controller.override('getSession', { status: 418, body: { error: 'x', code: 'NOT_FOUND', details: null } }));
      expect(status).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
      expect(status.issues).toEqual([{ path: field('status'), message: expect.stringContaining('getSession does not document status 418') }]);

      const times = await controlRejection(
        c.running.controller.override('getSession', { status: 500, body: { error: 'x', code: 'INTERNAL_ERROR', details: null } }, { times: 0 }),
      );
      expect(times.issues.map((issue) => issue.path)).toEqual([field('times')]);

      expect((await c.api.getSession(id)).status).toBe(200);
      expect((await c.running.controller.requests({ sessionId: id })).map((e) => e.injected)).toEqual([null, null]);
    });

    it('refuses a body the schema refuses, naming each field of it, and changes nothing', async () => {
      const id = (await c.api.createSession()).body.id as string;
      const body = await controlRejection(c.running.controller.override('getSession', { status: 200, body: { id: 'not-a-session-id', name: 'x' } }));
      expect(body).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
      expect(body.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining([field('body.id'), field('body.status')]));
      expect((await c.api.getSession(id)).status).toBe(200);
    });

    if (c.target.traits.localController) {
      // Functions and unchecked responses cannot cross the wire: over HTTP an override is a fixed, checked response.
      it('in-process: answers with a function of the request', async () => {
        const id = (await c.api.createSession()).body.id as string;
        await c.running.local!.override(
          'addMessage',
          (request) => ({
            status: 201,
            body: { id: 'msg_0000000000000001', role: 'assistant', content: `echo: ${(request.body as { content: string }).content} in ${request.sessionId}`, tool_call_id: null, tool_name: null, created_at: 0 },
          }),
          { times: 1 },
        );
        const echoed = await c.api.addMessage(id, { role: 'user', content: 'ping' });
        expect(echoed.status).toBe(201);
        expect(echoed.body).toMatchObject({ id: 'msg_0000000000000001', content: `echo: ping in ${id}` });
        expect((await c.api.getSession(id)).body.message_count).toBe(0);
      });

      it('in-process: sends an unchecked response as it is', async () => {
        const id = (await c.api.createSession()).body.id as string;
        await c.running.local!.override('addMessage', { status: 299, body: { anything: true } }, { unchecked: true, times: 1 });
        if (c.target.traits.prismInFront) {
          // Prism validates every response: it refuses to pass the undocumented status on, and says why.
          const reply = await c.api.unchecked('POST', `/sessions/${id}/messages`, { body: { role: 'user', content: 'x' } });
          expectPrismAnswer(reply, 500, /VIOLATIONS/);
          expect(reply.headers.get('sl-violations')).toMatch(/Unable to match the returned status code/);
        } else {
          const reply = await c.api.unchecked('POST', `/sessions/${id}/messages`, { body: { role: 'user', content: 'x' } });
          expect(reply.status).toBe(299);
          expect(reply.body).toEqual({ anything: true });
        }
        const [, append] = await c.running.controller.requests({ sessionId: id });
        expect(append).toMatchObject({ operation_id: 'addMessage', status: 299, injected: 'override', response_body: { anything: true } });
      });
    }
  });

  describe('fail(): every error status an operation documents, with a spec-valid body', () => {
    it.each(failures)('%s %i', async (operationId, status) => {
      const spec = operationSpecs[operationId];
      const id = (await c.api.createSession()).body.id as string;
      await c.running.controller.fail(operationId, { status: status as FailureStatus<typeof operationId>, retryAfter: 2 });
      const body = validBodies[operationId];
      const reply = await c.api.request(operationId, spec.method, spec.path.replace('{id}', id), body === undefined ? {} : { body });
      expect(reply.status).toBe(status);
      const schema = status === 400 ? zValidationError : zError;
      expect(schema.safeParse(reply.body).success, JSON.stringify(reply.body)).toBe(true);
      expect(spec.responses[status]!.schema!.safeParse(reply.body).success, JSON.stringify(reply.body)).toBe(true);
      for (const header of spec.responses[status]!.headers.filter((h) => h.required)) {
        expect(reply.headers.get(header.name), header.name).not.toBeNull();
      }
      expect(reply.headers.get('retry-after')).toBe(status === 429 || status === 503 ? '2' : null);
      const [recorded] = await c.running.controller.requests({ operationId, limit: 1 });
      expect(recorded).toMatchObject({ status, injected: 'fault', response_body: reply.body });
    });
  });
}
