import { ControlError } from 'fold-sessions-mock';
import { zStubList } from '../../../mock-server/src/spec/control/zod.gen.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseContext } from '../context.js';

async function controlRejection(promise: Promise<unknown>): Promise<ControlError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ControlError);
  return error as ControlError;
}

/** Request matching: faults, delays and overrides that apply only to the calls they match. */
export function stubCases(c: CaseContext): void {
  const field = (name: string) => (c.target.traits.controlApi ? `body.${name}` : name);
  const newSession = async (name = 'stubbed') => (await c.api.createSession({ name })).body.id as string;

  // Every case leaves no stub behind: the instance is shared by the whole suite.
  afterEach(async () => {
    for (const stub of await c.running.controller.stubs()) await c.running.controller.stubs.remove(stub.id);
  });

  describe('request matching', () => {
    it("a matcher on a session id fails only that session's appends", async () => {
      const [target, other] = [await newSession('target'), await newSession('other')];
      await c.running.controller.fail('addMessage', { status: 503, times: 2, retryAfter: 0, match: { sessionId: target }, name: 'target down' });
      expect((await c.api.addMessage(other)).status).toBe(201);
      expect((await c.api.getSession(target)).status).toBe(200);
      expect((await c.api.addMessage(target)).status).toBe(503);
      expect((await c.api.addMessage(other)).status).toBe(201);
      expect((await c.api.addMessage(target)).status).toBe(503);
      expect((await c.api.addMessage(target)).status).toBe(201);
      const journal = await c.running.controller.requests({ sessionId: target, operationId: 'addMessage' });
      expect(journal.map((entry) => [entry.status, entry.injected, entry.stub])).toEqual([
        [503, 'fault', 'target down'],
        [503, 'fault', 'target down'],
        [201, null, null],
      ]);
      expect((await c.running.controller.requests({ sessionId: other })).every((entry) => entry.stub === null)).toBe(true);
    });

    it('headers: equals (and the string shorthand), contains, matches, present, absent; names in any case', async () => {
      const id = await newSession();
      const cases: Array<[Record<string, unknown>, Record<string, string>, Record<string, string>]> = [
        [{ 'X-Tenant': 'acme' }, { 'x-tenant': 'acme' }, { 'x-tenant': 'acme-2' }],
        [{ 'x-tenant': { equals: 'acme' } }, { 'x-tenant': 'acme' }, { 'x-tenant': 'other' }],
        [{ 'x-tenant': { contains: 'cm' } }, { 'x-tenant': 'acme' }, { 'x-tenant': 'other' }],
        [{ 'x-tenant': { matches: '^ac.e$' } }, { 'x-tenant': 'acme' }, { 'x-tenant': 'acme!' }],
        [{ 'x-tenant': { present: true } }, { 'x-tenant': '' }, {}],
        [{ 'x-tenant': { absent: true } }, {}, { 'x-tenant': 'acme' }],
      ];
      for (const [headers, hit, miss] of cases) {
        await c.running.controller.override('getSession', { status: 404, body: { error: 'gone', code: 'NOT_FOUND', details: null } }, { match: { headers } as never, times: 1 });
        expect((await c.api.getSession(id, { headers: miss })).status, JSON.stringify(headers)).toBe(200);
        expect((await c.api.getSession(id, { headers: hit })).status, JSON.stringify(headers)).toBe(404);
        expect(await c.running.controller.stubs()).toEqual([]);
      }
    });

    it('query values: every operator, and a repeated parameter holds when one of its values does', async () => {
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ status: 'closed' }, '?status=closed', '?status=active'],
        [{ status: { contains: 'los' } }, '?status=closed', '?status=active'],
        [{ limit: { matches: '^[0-9]+$' } }, '?limit=5', '?limit=-1x'],
        [{ cursor: { present: true } }, '?cursor=abc', '?limit=5'],
        [{ limit: { absent: true } }, '', '?limit=5'],
        [{ status: 'closed' }, '?status=active&status=closed', '?status=active&status=completed'],
      ];
      for (const [query, hit, miss] of cases) {
        await c.running.controller.fail('listSessions', { status: 500, match: { query } as never });
        expect((await c.api.listSessions(miss)).status, `${JSON.stringify(query)} ${miss}`).not.toBe(500);
        expect((await c.api.listSessions(hit)).status, `${JSON.stringify(query)} ${hit}`).toBe(500);
      }
    });

    it('JSON-body fields by a dotted path: equals (any JSON value), contains, matches, present, absent', async () => {
      const id = await newSession();
      const cases: Array<[Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]> = [
        [{ 'context.plan': { equals: { tier: 'pro', seats: 3 } } }, { context: { plan: { tier: 'pro', seats: 3 } } }, { context: { plan: { tier: 'pro', seats: 4 } } }],
        [{ 'context.tags': { contains: 'vip' } }, { context: { tags: ['new', 'vip'] } }, { context: { tags: ['vipx'] } }],
        [{ 'context.note': { contains: 'urgent' } }, { context: { note: 'very urgent' } }, { context: { note: 'later' } }],
        [{ 'context.items.1.sku': { matches: '^SKU-\\d{3}$' } }, { context: { items: [{}, { sku: 'SKU-123' }] } }, { context: { items: [{ sku: 'SKU-123' }] } }],
        [{ 'context.flag': { present: true } }, { context: { flag: false } }, { context: {} }],
        [{ 'context.flag': { absent: true } }, { context: {} }, { context: { flag: null } }],
      ];
      for (const [body, hit, miss] of cases) {
        await c.running.controller.fail('updateContext', { status: 409, match: { body } as never });
        expect((await c.api.updateContext(id, miss)).status, JSON.stringify(body)).toBe(200);
        expect((await c.api.updateContext(id, hit)).status, JSON.stringify(body)).toBe(409);
      }
    });

    it('method and session id take conditions too', async () => {
      const id = await newSession();
      await c.running.controller.fail('all', { status: 500, match: { method: 'delete', sessionId: { matches: `^${id}$` } } });
      expect((await c.api.getSession(id)).status).toBe(200);
      expect((await c.api.deleteSession(id)).status).toBe(500);
      expect((await c.api.deleteSession(id)).status).toBeLessThan(300);
    });

    it('priority: higher first; among equals the newest override first; times counts down and removes the stub', async () => {
      const id = await newSession();
      const answer = (name: string) => ({ status: 404, body: { error: name, code: 'NOT_FOUND', details: null } });
      await c.running.controller.override('getSession', answer('low'), { match: { sessionId: id }, priority: -1, name: 'low' });
      await c.running.controller.override('getSession', answer('high'), { match: { sessionId: id }, priority: 5, times: 2, name: 'high' });
      await c.running.controller.override('getSession', answer('old'), { match: { sessionId: id }, times: 1, name: 'old' });
      await c.running.controller.override('getSession', answer('new'), { match: { sessionId: id }, times: 1, name: 'new' });
      expect((await c.running.controller.stubs()).map((stub) => [stub.name, stub.priority, stub.remaining])).toEqual([
        ['high', 5, 2],
        ['new', 0, 1],
        ['old', 0, 1],
        ['low', -1, null],
      ]);
      const seen = [];
      for (let i = 0; i < 5; i++) seen.push((await c.api.getSession(id)).body.error);
      expect(seen).toEqual(['high', 'high', 'new', 'old', 'low']);
      const journal = await c.running.controller.requests({ sessionId: id, operationId: 'getSession' });
      expect(journal.map((entry) => entry.stub)).toEqual(['high', 'high', 'new', 'old', 'low']);
      expect((await c.running.controller.stubs()).map((stub) => stub.name)).toEqual(['low']);
    });

    it('a stub without a name is named in the journal by its id', async () => {
      const id = await newSession();
      await c.running.controller.fail('getSession', { status: 500, match: { sessionId: id } });
      const [stub] = await c.running.controller.stubs();
      expect(stub).toMatchObject({ id: expect.stringMatching(/^stub_/), name: null, kind: 'fault', operation_id: 'getSession', match: { session_id: id }, priority: 0, remaining: 1, status: 500, ms: null });
      await c.api.getSession(id);
      expect((await c.running.controller.requests({ sessionId: id, operationId: 'getSession' }))[0]!.stub).toBe(stub!.id);
    });

    it('a matched delay holds only the calls it matches, for its times, and is named in the journal', async () => {
      const [slow, quick] = [await newSession(), await newSession()];
      await c.running.controller.delay('getSession', 300, { match: { sessionId: slow }, times: 1, name: 'slow read' });
      expect(await c.running.controller.stubs()).toEqual([expect.objectContaining({ kind: 'delay', ms: 300, remaining: 1, name: 'slow read' })]);
      let began = performance.now();
      await c.api.getSession(quick);
      expect(performance.now() - began).toBeLessThan(250);
      began = performance.now();
      await c.api.getSession(slow);
      expect(performance.now() - began).toBeGreaterThanOrEqual(280);
      expect(await c.running.controller.stubs()).toEqual([]);
      const [entry] = await c.running.controller.requests({ sessionId: slow, operationId: 'getSession' });
      expect(entry).toMatchObject({ status: 200, injected: null, stub: 'slow read' });
    });

    it('stubs() lists the active stubs with what they do; stubs.remove(id) removes one; an unknown id is 404', async () => {
      const id = await newSession();
      await c.running.controller.fail('addMessage', { networkError: true, times: 3, match: { sessionId: id, headers: { 'x-a': { present: true } } }, name: 'drop' });
      await c.running.controller.override('getSession', { status: 500, body: { error: 'x', code: 'INTERNAL_ERROR', details: null } }, { match: { sessionId: id } });
      const listed = await c.running.controller.stubs();
      expect(zStubList.safeParse({ stubs: listed, count: listed.length }).success).toBe(true);
      // Newest first at equal priority.
      expect(listed.map((stub) => [stub.kind, stub.operation_id, stub.remaining, stub.status])).toEqual([
        ['override', 'getSession', null, 500],
        ['fault', 'addMessage', 3, null],
      ]);
      expect(listed[1]!.match).toEqual({ session_id: id, headers: { 'x-a': { present: true } } });
      expect((await c.api.getSession(id)).status).toBe(500);
      await c.running.controller.stubs.remove(listed[0]!.id);
      expect((await c.api.getSession(id)).status).toBe(200);
      expect((await c.running.controller.stubs()).map((stub) => stub.id)).toEqual([listed[1]!.id]);
      const missing = await controlRejection(c.running.controller.stubs.remove(listed[0]!.id));
      expect([missing.status, missing.code]).toEqual([404, 'NOT_FOUND']);
    });
  });

  describe('request matching: bad matchers are refused, naming the field, and change nothing', () => {
    it('an invalid regular expression, or one over 1000 characters', async () => {
      const invalid = await controlRejection(c.running.controller.fail('getSession', { status: 500, match: { headers: { 'x-tenant': { matches: '([a-z' } } } }));
      expect(invalid.status).toBe(400);
      expect(invalid.issues).toEqual([{ path: field('match.headers.x-tenant.matches'), message: expect.stringMatching(/regular expression/) }]);
      const long = await controlRejection(c.running.controller.override('getSession', { status: 500, body: { error: 'x', code: 'INTERNAL_ERROR', details: null } }, { match: { body: { name: { matches: 'a'.repeat(1001) } } } }));
      expect(long.status).toBe(400);
      expect(long.issues.map((issue) => issue.path)).toEqual([field('match.body.name.matches')]);
      const session = await controlRejection(c.running.controller.delay('getSession', 10, { match: { sessionId: { matches: '*' } } }));
      expect(session.issues.map((issue) => issue.path)).toEqual([field(c.target.traits.controlApi ? 'match.session_id.matches' : 'match.sessionId.matches')]);
      expect(await c.running.controller.stubs()).toEqual([]);
    });

    it('a condition with no operator or two', async () => {
      const none = await controlRejection(c.running.controller.fail('getSession', { status: 500, match: { query: { limit: {} as never } } }));
      expect(none.issues.map((issue) => issue.path)).toEqual([field('match.query.limit')]);
      const two = await controlRejection(c.running.controller.fail('getSession', { status: 500, match: { query: { limit: { equals: '1', absent: true } as never } } }));
      expect(two.issues.map((issue) => issue.path)).toEqual([field('match.query.limit')]);
      expect(await c.running.controller.stubs()).toEqual([]);
    });
  });
}
