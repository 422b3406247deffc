import { AuthenticationError, FoldSessions } from 'fold-sessions';
import { describe, expect, it } from 'vitest';
import { expectIssues, expectPrismAnswer, prismHoldsBody, rejection, type CaseContext } from '../context.js';
import { contractLimits } from '../target.js';

const json = { 'content-type': 'application/json' };

/** The errors the API answers by itself beyond bad input: 401, 404, 409, 413, 415. */
export function errorCases(c: CaseContext): void {
  const prism = c.target.traits.prismInFront;

  describe('401', () => {
    if (prism) {
      // Prism checks the spec's security scheme itself: a request without a bearer token never reaches the server.
      it('without a bearer token, Prism answers its own 401 and forwards nothing', async () => {
        await c.running.controller.requests.clear();
        for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }] as Array<Record<string, string>>) {
          const reply = await c.api.unchecked('GET', '/sessions', { key: null, headers });
          expectPrismAnswer(reply, 401, /UNAUTHORIZED/);
          expect(reply.headers.get('www-authenticate')).toBe('Bearer');
        }
        expect(await c.running.controller.requests()).toEqual([]);
      });
    }

    it(prism ? 'AUTH_INVALID with an unknown bearer token' : 'AUTH_REQUIRED without a bearer token, AUTH_INVALID with an unknown one', async () => {
      if (!prism) {
        const missing = await c.api.listSessions('', { key: null });
        expect(missing.status).toBe(401);
        expect(missing.body).toMatchObject({ code: 'AUTH_REQUIRED', details: null });
        const basic = await c.api.listSessions('', { key: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
        expect(basic.body.code).toBe('AUTH_REQUIRED');
      }
      const unknown = await c.api.listSessions('', { key: 'not_a_key' });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toMatchObject({ code: 'AUTH_INVALID', details: null });
    });

    it('the SDK turns an unknown key into AuthenticationError', async () => {
      const stranger = new FoldSessions({ apiKey: 'not_a_key', baseURL: c.running.baseURL, maxRetries: 0 });
      const error = await rejection(stranger.sessions.list());
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 401, code: 'AUTH_INVALID' });
    });
  });

  describe('404 NOT_FOUND', () => {
    it('unknown, malformed and deleted ids', async () => {
      const { body: session } = await c.api.createSession();
      await c.api.deleteSession(session.id);
      for (const id of ['sess_AAAAAAAAAAAAAAAAAAAA', 'garbage', '%E2%98%83', session.id]) {
        const reply = await c.api.getSession(id);
        expect(reply.status, id).toBe(404);
        expect(reply.body.code).toBe('NOT_FOUND');
      }
      expect(await rejection(c.fold.sessions.get('sess_doesNotExist000000'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });

    /** Requests no operation takes, and what Prism, which resolves them against the spec first, answers. */
    const strayRequests = (sessionId: string) =>
      [
        ['GET', '/nope', 404],
        ['GET', '/sessions/x/messages', 405],
        ['PATCH', `/sessions/${sessionId}`, 405],
        ['GET', '/vectors/query', 405],
        ['POST', '/sessions/x/y/z', 404],
      ] as const;

    if (prism) {
      // Prism answers what it cannot match to the spec itself: 404 for a path, 405 for a method.
      it('unknown routes and methods are answered by Prism itself, never forwarded', async () => {
        const { body: session } = await c.api.createSession();
        await c.running.controller.requests.clear();
        for (const [method, path, status] of strayRequests(session.id)) {
          expectPrismAnswer(await c.api.unchecked(method, path), status, status === 404 ? /NO_PATH_MATCHED/ : /NO_METHOD_MATCHED/);
        }
        expect(await c.running.controller.requests()).toEqual([]);
      });
    } else {
      it('an unknown path is 404; a known path with another method is 405 with Allow', async () => {
        const { body: session } = await c.api.createSession();
        const allowed: Record<string, string> = {
          '/sessions/x/messages': 'POST',
          [`/sessions/${session.id}`]: 'GET, DELETE',
          '/vectors/query': 'POST',
        };
        for (const [method, path, status] of strayRequests(session.id)) {
          const reply = await c.api.request(undefined, method, path);
          expect(reply.status, `${method} ${path}`).toBe(status);
          if (status === 404) {
            expect(reply.body).toMatchObject({ code: 'NOT_FOUND', details: { method, path } });
            continue;
          }
          expect(reply.headers.get('allow'), `${method} ${path}`).toBe(allowed[path]);
          expect(reply.body).toMatchObject({ code: 'METHOD_NOT_ALLOWED', details: { method, path, allowed: allowed[path]!.split(', ') } });
        }
      });
    }
  });

  describe('429 USAGE_LIMIT_EXCEEDED', () => {
    it('a session at its message limit refuses the next append, not to be retried, and keeps what it had', async () => {
      const { body: session } = await c.api.createSession();
      for (let i = 0; i < contractLimits.messagesPerSession; i++) expect((await c.api.addMessage(session.id)).status).toBe(201);
      const refused = await c.api.addMessage(session.id);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: 'USAGE_LIMIT_EXCEEDED', details: { limit: 'messages_per_session', value: contractLimits.messagesPerSession } });
      expect(refused.headers.get('x-should-retry')).toBe('false');
      expect(refused.headers.get('retry-after')).toBeNull();
      expect((await c.api.getSession(session.id)).body.message_count).toBe(contractLimits.messagesPerSession);
      const error = await rejection(c.fold.sessions.messages.add(session.id, { role: 'user', content: 'one more' }));
      expect(error).toMatchObject({ status: 429, code: 'USAGE_LIMIT_EXCEEDED' });
    });
  });

  describe('409 CONFLICT', () => {
    it('a write to a closed session names its status', async () => {
      const { body } = await c.api.createSession();
      await c.api.closeSession(body.id);
      const reply = await c.api.addMessage(body.id);
      expect(reply.status).toBe(409);
      expect(reply.body).toMatchObject({ code: 'CONFLICT', details: { id: body.id, status: 'closed' } });
    });
  });

  describe('413 PAYLOAD_TOO_LARGE', () => {
    it('a body over 1 MiB', async () => {
      const reply = await c.api.request('createSession', 'POST', '/sessions', {
        raw: JSON.stringify({ name: 'x', context: { blob: 'x'.repeat(1024 * 1024) } }),
        headers: json,
      });
      expect(reply.status).toBe(413);
      expect(reply.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 1048576 } });
    });

    if (prism) {
      // Prism reads and parses the body before forwarding: 5 MiB that is not JSON is held like any
      // malformed JSON, and nothing reaches the server.
      it('a 5 MiB upload that is not JSON is held by Prism without an answer (Prism 5.15+), and never reaches the server', async () => {
        await c.running.controller.requests.clear();
        expect(await prismHoldsBody(c.running.baseURL, 'x'.repeat(5 * 1024 * 1024), c.a.apiKey)).toBe('TimeoutError');
        expect(await c.running.controller.requests()).toEqual([]);
      });
    } else {
      it('a 5 MiB upload gets its 413, not a broken connection', async () => {
        const reply = await c.api.request('createSession', 'POST', '/sessions', { raw: 'x'.repeat(5 * 1024 * 1024), headers: json });
        expect(reply.status).toBe(413);
      });
    }

    it('exactly 1 MiB is not too large', async () => {
      const body = JSON.stringify({ name: 'x', pad: '' });
      const raw = body.replace('""', `"${' '.repeat(1024 * 1024 - body.length)}"`);
      expect(Buffer.byteLength(raw)).toBe(1024 * 1024);
      expectIssues(await c.api.request('createSession', 'POST', '/sessions', { raw, headers: json }), 'body.pad');
    });
  });

  describe('415 UNSUPPORTED_MEDIA_TYPE', () => {
    it('a body that is not application/json', async () => {
      const sessionId = (await c.api.createSession()).body.id;
      const reply = await c.api.request('createSession', 'POST', '/sessions', { raw: 'name=x', headers: { 'content-type': 'text/plain' } });
      expect(reply.status).toBe(415);
      expect(reply.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { content_type: 'text/plain' } });
      const form = await c.api.request('addMessage', 'POST', `/sessions/${sessionId}/messages`, {
        raw: 'role=user',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(415);
      const close = await c.api.request('closeSession', 'POST', `/sessions/${sessionId}/close`, { raw: 'please', headers: { 'content-type': 'text/plain' } });
      expect(close.status).toBe(415);
      expect((await c.api.getSession(sessionId)).body).toMatchObject({ status: 'active', message_count: 0 });
    });

    it('a JSON body without any Content-Type', async () => {
      const reply = await c.api.request('createSession', 'POST', '/sessions', { raw: new TextEncoder().encode('{"name":"x"}') });
      expect(reply.status).toBe(415);
      // Prism's upstream client labels a body without a type text/plain on the way.
      expect(reply.body.details).toEqual({ content_type: prism ? 'text/plain;charset=UTF-8' : null });
      expect((await c.api.listSessions()).body.count).toBe(0);
    });

    it('application/json with a charset is fine', async () => {
      const reply = await c.api.createSession({ name: 'x' }, { headers: { 'content-type': 'application/json; charset=utf-8' } });
      expect(reply.status).toBe(201);
    });
  });
}
