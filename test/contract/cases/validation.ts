import { BadRequestError } from 'fold-sessions';
import { describe, expect, it } from 'vitest';
import { expectIssues, prismHoldsBody, rejection, type CaseContext } from '../context.js';

const json = { 'content-type': 'application/json' };

/** 400 VALIDATION_ERROR: every bad input named by its path. */
export function validationCases(c: CaseContext): void {
  const prism = c.target.traits.prismInFront;

  describe('400 VALIDATION_ERROR', () => {
    it('rejects invalid input with VALIDATION_ERROR and the offending paths (SDK)', async () => {
      const error = await rejection(c.fold.sessions.create({ name: '', ttl_seconds: 0 }));
      expect(error).toBeInstanceOf(BadRequestError);
      const paths = (error as BadRequestError).issues.map((issue) => issue.path);
      expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.ttl_seconds']));
    });

    it('rejects unknown fields outside context (SDK)', async () => {
      const body = { name: 'x', colour: 'red' } as unknown as { name: string };
      const error = await rejection(c.fold.sessions.create(body));
      expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    });

    it('rejects a role other than user or assistant (SDK)', async () => {
      const session = await c.fold.sessions.create({ name: 'roles' });
      const body = { role: 'system', content: 'x' } as unknown as { role: 'user'; content: string };
      expect(await rejection(c.fold.sessions.messages.add(session.id, body))).toBeInstanceOf(BadRequestError);
      expect((await c.fold.sessions.get(session.id)).message_count).toBe(0);
    });

    it('rejects bad query values and top_k out of range (SDK)', async () => {
      expect(await rejection(c.fold.sessions.list({ limit: 0 }))).toBeInstanceOf(BadRequestError);
      expect(await rejection(c.fold.sessions.list({ limit: 101 }))).toBeInstanceOf(BadRequestError);
      expect(await rejection(c.fold.memory.query({ query_text: 'x', top_k: 101 }))).toBeInstanceOf(BadRequestError);
    });

    if (prism) {
      // Prism parses every JSON body before it forwards the request, and holds one it cannot parse.
      it('malformed JSON is held by Prism without an answer (Prism 5.15+), and never reaches the server', async () => {
        await c.running.controller.requests.clear();
        expect(await prismHoldsBody(c.running.baseURL, '{"name": ', c.a.apiKey)).toBe('TimeoutError');
        expect(await c.running.controller.requests()).toEqual([]);
      });
    } else {
      it('malformed JSON', async () => {
        const reply = await c.api.request('createSession', 'POST', '/sessions', { raw: '{"name": ', headers: json });
        expectIssues(reply, 'body');
        expect(reply.body.details.issues[0].message).toMatch(/^Malformed JSON/);
      });
    }

    it('a missing body where one is required', async () => {
      expectIssues(await c.api.request('createSession', 'POST', '/sessions', { headers: json }), 'body');
    });

    it('wrong types and out-of-range values, every one listed', async () => {
      const { api } = c;
      const sessionId = (await api.createSession()).body.id;
      expectIssues(await api.createSession({ name: '', ttl_seconds: 0 }), 'body.name', 'body.ttl_seconds');
      expectIssues(await api.createSession({ name: 'x'.repeat(257), ttl_seconds: 2_592_001 }), 'body.name', 'body.ttl_seconds');
      expectIssues(await api.createSession({ name: 'x', ttl_seconds: 1.5 }), 'body.ttl_seconds');
      expectIssues(await api.createSession({ name: 'x', context: [] }), 'body.context');
      expectIssues(await api.createSession([]), 'body');
      expectIssues(await api.addMessage(sessionId, { role: 'system', content: 'x' }), 'body.role');
      expectIssues(await api.addMessage(sessionId, { role: 'user', content: 'x'.repeat(200_001) }), 'body.content');
      expectIssues(await api.addMessage(sessionId, { role: 'user', content: 'x', tool_name: 'y'.repeat(257) }), 'body.tool_name');
      expectIssues(await api.updateContext(sessionId, ['not', 'an', 'object']), 'body');
      expectIssues(await api.queryMemory({ query_text: '', top_k: 101, namespace: 'other' }), 'body.query_text', 'body.top_k', 'body.namespace');
    });

    it('unknown fields, except inside context', async () => {
      const { api } = c;
      const sessionId = (await api.createSession()).body.id;
      expectIssues(await api.createSession({ name: 'x', colour: 'blue' }), 'body.colour');
      expectIssues(await api.addMessage(sessionId, { role: 'user', content: 'x', metadata: {} }), 'body.metadata');
      expectIssues(await api.queryMemory({ query_text: 'x', filter: {} }), 'body.filter');
      expect((await api.createSession({ name: 'x', context: { anything: { goes: [1, 2] } } })).status).toBe(201);
    });

    it('context over 64 KiB', async () => {
      const sessionId = (await c.api.createSession()).body.id;
      expectIssues(await c.api.updateContext(sessionId, { blob: 'x'.repeat(70_000) }), 'body');
      expectIssues(await c.api.createSession({ name: 'x', context: { blob: 'x'.repeat(70_000) } }), 'body.context');
    });

    it('bad query values, unknown query parameters, and undecodable cursors', async () => {
      const { api } = c;
      const sessionId = (await api.createSession()).body.id;
      expectIssues(await api.listSessions('?limit=0'), 'query.limit');
      expectIssues(await api.listSessions('?limit=101'), 'query.limit');
      expectIssues(await api.listSessions('?limit=ten'), 'query.limit');
      expectIssues(await api.listSessions('?status=archived'), 'query.status');
      expectIssues(await api.listSessions('?cursor=!!!'), 'query.cursor');
      expectIssues(await api.listSessions('?cursor=eyJub3QiOiJhIGN1cnNvciJ9'), 'query.cursor');
      expectIssues(await api.listSessions('?sort=name'), 'query.sort');
      expectIssues(await api.listSessions('?limit=1&limit=2'), 'query.limit');
      expectIssues(await api.getSession(`${sessionId}?verbose=1`), 'query.verbose');
      expectIssues(await api.request('createSession', 'POST', '/sessions?dry_run=1', { body: { name: 'x' } }), 'query.dry_run');
    });

    it('a body on close or complete other than {}', async () => {
      const sessionId = (await c.api.createSession()).body.id;
      expectIssues(await c.api.closeSession(sessionId, { body: { reason: 'done' } }), 'body');
      expectIssues(await c.api.completeSession(sessionId, { body: [] }), 'body');
      expect((await c.api.getSession(sessionId)).body.status).toBe('active');
    });

    it('an Idempotency-Key over 255 characters', async () => {
      expectIssues(await c.api.createSession({ name: 'x' }, { headers: { 'idempotency-key': 'k'.repeat(256) } }), 'header.idempotency-key');
    });

    it('a session id over 255 characters', async () => {
      expectIssues(await c.api.getSession(`sess_${'a'.repeat(251)}`), 'path.id');
    });
  });
}
