import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  FoldSessions,
  NotFoundError,
  UnprocessableEntityError,
  type Session,
} from 'fold-sessions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContractTarget, RunningTarget } from './target.js';

/**
 * The behaviour of the API, written once against the SDK and run unchanged against every
 * target. Responses are validated against the spec by the SDK (`validateResponses`) and, where
 * the target can, by the target's own `inspect`.
 */
export function contractSuite(target: ContractTarget): void {
  describe(`contract: ${target.name}`, () => {
    let running: RunningTarget;
    let fold: FoldSessions;
    let other: FoldSessions;
    const seen: Array<{ request: Request; response: Response }> = [];
    let ran = 0;
    let inspectionFailures: string[] = [];

    function client(apiKey: string): FoldSessions {
      return new FoldSessions({
        apiKey,
        baseURL: running.baseURL,
        maxRetries: 0,
        timeout: 10_000,
        validateResponses: true,
        fetch: async (input, init) => {
          const request = new Request(input, init);
          const response = await globalThis.fetch(request.clone());
          seen.push({ request, response });
          try {
            running.inspect?.(response.clone(), request);
          } catch (error) {
            inspectionFailures.push(String(error));
          }
          return response;
        },
      });
    }

    beforeAll(async () => {
      running = await target.start();
      fold = client(running.apiKey);
      other = client(running.otherApiKey);
    });
    afterEach(() => {
      ran += 1;
      const failures = inspectionFailures;
      inspectionFailures = [];
      expect(failures).toEqual([]);
    });
    afterAll(async () => {
      console.log(`contract[${target.name}]: ${ran} cases ran`);
      await running?.stop();
    });

    const lastResponse = () => seen.at(-1)!.response;

    async function settledSummary(id: string): Promise<Session> {
      for (let attempt = 0; attempt < 100; attempt++) {
        const session = await fold.sessions.get(id);
        if (session.summary_status !== 'pending') return session;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`summary of ${id} still pending after 100 polls`);
    }

    async function rejection(promise: Promise<unknown>): Promise<unknown> {
      try {
        await promise;
      } catch (error) {
        return error;
      }
      throw new Error('expected the call to fail');
    }

    describe('lifecycle', () => {
      it('creates an active session with the documented defaults', async () => {
        const session = await fold.sessions.create({ name: 'defaults' });
        expect(lastResponse().status).toBe(201);
        expect(session).toMatchObject({
          name: 'defaults',
          status: 'active',
          ttl_seconds: 3600,
          message_count: 0,
          context: {},
          closed_at: null,
          completed_at: null,
          summary_status: 'none',
        });
        expect(session.id).toMatch(/^sess_[A-Za-z0-9_-]{16,}$/);
        expect(session.expires_at).toBe(session.created_at + 3600 * 1000);
        expect(lastResponse().headers.get('x-request-id')).toBeTruthy();
      });

      it('stores messages oldest first and counts them', async () => {
        const session = await fold.sessions.create({ name: 'chat', context: { plan: 'pro' } });
        const first = await fold.sessions.messages.add(session.id, { role: 'user', content: 'hi' });
        const second = await fold.sessions.messages.add(session.id, {
          role: 'assistant',
          content: 'usage is 12',
          tool_call_id: 'call_1',
          tool_name: 'get_usage',
        });
        expect(first).toMatchObject({ role: 'user', content: 'hi', tool_call_id: null, tool_name: null });
        expect(first.id).toMatch(/^msg_/);
        const read = await fold.sessions.get(session.id);
        expect(read.message_count).toBe(2);
        expect(read.messages.map((m) => m.id)).toEqual([first.id, second.id]);
        expect(read.messages[1]).toMatchObject({ tool_call_id: 'call_1', tool_name: 'get_usage' });
        expect(read.context).toEqual({ plan: 'pro' });
      });

      it('replaces the context entirely', async () => {
        const session = await fold.sessions.create({ name: 'ctx', context: { a: 1, keep: true } });
        const updated = await fold.sessions.updateContext(session.id, { b: [1, 2], nested: { c: null } });
        expect(updated.context).toEqual({ b: [1, 2], nested: { c: null } });
        expect((await fold.sessions.get(session.id)).context).toEqual({ b: [1, 2], nested: { c: null } });
      });

      it('closes once, writes a summary in the background, and closing again changes nothing', async () => {
        const session = await fold.sessions.create({ name: 'Quantum billing dispute' });
        await fold.sessions.messages.add(session.id, { role: 'user', content: 'my quantum invoice is wrong' });
        await fold.sessions.messages.add(session.id, { role: 'assistant', content: 'I refunded the quantum invoice' });
        const closed = await fold.sessions.close(session.id);
        expect(closed.status).toBe('closed');
        expect(closed.closed_at).toEqual(expect.any(Number));
        expect(['pending', 'stored']).toContain(closed.summary_status);

        const settled = await settledSummary(session.id);
        expect(settled.summary_status).toBe('stored');
        const again = await fold.sessions.close(session.id);
        const { messages, ...settledSession } = settled as Session & { messages: unknown[] };
        expect(messages).toHaveLength(2);
        expect(again).toEqual(settledSession);

        const found = await fold.memory.query({ query_text: 'quantum invoice', top_k: 5 });
        expect(found.matches[0]?.metadata).toEqual({
          session_id: session.id,
          name: 'Quantum billing dispute',
          message_count: 2,
          closed_at: closed.closed_at,
        });
        expect(found.count).toBe(found.matches.length);
      });

      it('closes an empty session without writing a summary', async () => {
        const session = await fold.sessions.create({ name: 'Zanzibar empty xylophone' });
        const closed = await fold.sessions.close(session.id);
        expect(closed.summary_status).toBe('none');
        const found = await fold.memory.query({ query_text: 'Zanzibar xylophone' });
        expect(found.matches.map((m) => m.metadata.session_id)).not.toContain(session.id);
      });

      it('completes idempotently and refuses every other transition from a terminal state', async () => {
        const session = await fold.sessions.create({ name: 'done' });
        const completed = await fold.sessions.complete(session.id);
        expect(completed).toMatchObject({ status: 'completed', summary_status: 'none' });
        expect(completed.completed_at).toEqual(expect.any(Number));
        expect(await fold.sessions.complete(session.id)).toEqual(completed);

        for (const attempt of [
          () => fold.sessions.close(session.id),
          () => fold.sessions.messages.add(session.id, { role: 'user', content: 'late' }),
          () => fold.sessions.updateContext(session.id, { late: true }),
        ]) {
          const error = await rejection(attempt());
          expect(error).toBeInstanceOf(ConflictError);
          expect(error).toMatchObject({ status: 409, code: 'CONFLICT', details: expect.objectContaining({ status: 'completed' }) });
        }
        const closed = await fold.sessions.create({ name: 'closed' });
        await fold.sessions.close(closed.id);
        const error = await rejection(fold.sessions.complete(closed.id));
        expect(error).toMatchObject({ status: 409, details: expect.objectContaining({ status: 'closed' }) });
      });

      it('expires when the clock passes expires_at, and stays readable but read-only', async () => {
        const session = await fold.sessions.create({ name: 'short', ttl_seconds: 60 });
        await fold.sessions.messages.add(session.id, { role: 'user', content: 'before expiry' });
        running.advanceClock(59_000);
        expect((await fold.sessions.get(session.id)).status).toBe('active');
        running.advanceClock(1_000);

        const expired = await fold.sessions.get(session.id);
        expect(expired.status).toBe('expired');
        expect(expired.messages).toHaveLength(1);
        for (const attempt of [
          () => fold.sessions.messages.add(session.id, { role: 'user', content: 'after' }),
          () => fold.sessions.updateContext(session.id, {}),
          () => fold.sessions.close(session.id),
          () => fold.sessions.complete(session.id),
        ]) {
          expect(await rejection(attempt())).toMatchObject({ status: 409, details: expect.objectContaining({ status: 'expired' }) });
        }
        const active: string[] = [];
        for await (const s of fold.sessions.list({ status: 'active', limit: 100 })) active.push(s.id);
        expect(active).not.toContain(session.id);
        const expiredIds: string[] = [];
        for await (const s of fold.sessions.list({ status: 'expired', limit: 100 })) expiredIds.push(s.id);
        expect(expiredIds).toContain(session.id);
      });

      it('deletes in any state; a second delete is 404', async () => {
        const session = await fold.sessions.create({ name: 'gone' });
        await fold.sessions.close(session.id);
        expect(await fold.sessions.delete(session.id)).toEqual({ id: session.id, deleted: true });
        expect(await rejection(fold.sessions.get(session.id))).toBeInstanceOf(NotFoundError);
        expect(await rejection(fold.sessions.delete(session.id))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      });
    });

    describe('errors', () => {
      it('rejects invalid input with VALIDATION_ERROR and the offending paths', async () => {
        const error = await rejection(fold.sessions.create({ name: '', ttl_seconds: 0 }));
        expect(error).toBeInstanceOf(BadRequestError);
        const paths = (error as BadRequestError).issues.map((issue) => issue.path);
        expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.ttl_seconds']));
      });

      it('rejects unknown fields outside context', async () => {
        const body = { name: 'x', colour: 'red' } as unknown as { name: string };
        const error = await rejection(fold.sessions.create(body));
        expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
      });

      it('rejects a role other than user or assistant', async () => {
        const session = await fold.sessions.create({ name: 'roles' });
        const body = { role: 'system', content: 'x' } as unknown as { role: 'user'; content: string };
        expect(await rejection(fold.sessions.messages.add(session.id, body))).toBeInstanceOf(BadRequestError);
        expect((await fold.sessions.get(session.id)).message_count).toBe(0);
      });

      it('rejects bad query values', async () => {
        expect(await rejection(fold.sessions.list({ limit: 0 }))).toBeInstanceOf(BadRequestError);
        expect(await rejection(fold.sessions.list({ limit: 101 }))).toBeInstanceOf(BadRequestError);
      });

      it('answers 401 AUTH_INVALID to an unknown key', async () => {
        const stranger = new FoldSessions({ apiKey: 'not_a_key', baseURL: running.baseURL, maxRetries: 0 });
        const error = await rejection(stranger.sessions.list());
        expect(error).toBeInstanceOf(AuthenticationError);
        expect(error).toMatchObject({ status: 401, code: 'AUTH_INVALID' });
      });

      it('answers 404 to an unknown id', async () => {
        expect(await rejection(fold.sessions.get('sess_doesNotExist000000'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      });
    });

    describe('idempotency', () => {
      it('replays the first response for a repeated key, and stores one session', async () => {
        const name = `idem-${Math.random()}`;
        const first = await fold.sessions.create({ name }, { idempotencyKey: `k-${name}` });
        const replay = await fold.sessions.create({ name }, { idempotencyKey: `k-${name}` });
        expect(replay).toEqual(first);
        expect(lastResponse().headers.get('idempotent-replayed')).toBe('true');
        const names: string[] = [];
        for await (const s of fold.sessions.list({ limit: 100 })) names.push(s.name);
        expect(names.filter((n) => n === name)).toHaveLength(1);
      });

      it('stores one message for a retried append with the same key', async () => {
        const session = await fold.sessions.create({ name: 'append once' });
        const a = await fold.sessions.messages.add(session.id, { role: 'user', content: 'once' }, { idempotencyKey: 'append-1' });
        const b = await fold.sessions.messages.add(session.id, { role: 'user', content: 'once' }, { idempotencyKey: 'append-1' });
        expect(b).toEqual(a);
        expect((await fold.sessions.get(session.id)).message_count).toBe(1);
      });

      it('refuses the same key for a different request with 422', async () => {
        await fold.sessions.create({ name: 'one' }, { idempotencyKey: 'reused-key' });
        const error = await rejection(fold.sessions.create({ name: 'two' }, { idempotencyKey: 'reused-key' }));
        expect(error).toBeInstanceOf(UnprocessableEntityError);
        expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      });

      it('keeps keys per organisation', async () => {
        const mine = await fold.sessions.create({ name: 'org a' }, { idempotencyKey: 'shared-key' });
        const theirs = await other.sessions.create({ name: 'org a' }, { idempotencyKey: 'shared-key' });
        expect(theirs.id).not.toBe(mine.id);
      });
    });

    describe('organisation isolation', () => {
      it('hides every session of another organisation behind 404', async () => {
        const session = await fold.sessions.create({ name: 'Pelican secret' });
        await fold.sessions.messages.add(session.id, { role: 'user', content: 'pelican plans' });
        for (const attempt of [
          () => other.sessions.get(session.id),
          () => other.sessions.messages.add(session.id, { role: 'user', content: 'x' }),
          () => other.sessions.updateContext(session.id, {}),
          () => other.sessions.close(session.id),
          () => other.sessions.complete(session.id),
          () => other.sessions.delete(session.id),
        ]) {
          expect(await rejection(attempt())).toMatchObject({ status: 404, code: 'NOT_FOUND' });
        }
        const theirs: string[] = [];
        for await (const s of other.sessions.list({ limit: 100 })) theirs.push(s.id);
        expect(theirs).not.toContain(session.id);

        await fold.sessions.close(session.id);
        await settledSummary(session.id);
        const found = await other.memory.query({ query_text: 'pelican plans secret' });
        expect(found.matches.map((m) => m.metadata.session_id)).not.toContain(session.id);
        const mine = await fold.memory.query({ query_text: 'pelican plans secret' });
        expect(mine.matches.map((m) => m.metadata.session_id)).toContain(session.id);
      });
    });

    describe('pagination', () => {
      it('pages newest first and iterates every item across pages', async () => {
        const created: string[] = [];
        for (let i = 0; i < 5; i++) {
          created.push((await other.sessions.create({ name: `page ${i}` })).id);
          running.advanceClock(1);
        }
        const first = await other.sessions.list({ limit: 2 });
        expect(first.items).toHaveLength(2);
        expect(first.hasNextPage()).toBe(true);
        const all: string[] = [];
        for await (const s of other.sessions.list({ limit: 2 })) all.push(s.id);
        const ours = all.filter((id) => created.includes(id));
        expect(ours).toEqual([...created].reverse());
        expect(new Set(all).size).toBe(all.length);
      });

      it('filters by status', async () => {
        const a = await other.sessions.create({ name: 'to complete' });
        await other.sessions.complete(a.id);
        const completed: Session[] = [];
        for await (const s of other.sessions.list({ status: 'completed' })) completed.push(s);
        expect(completed.map((s) => s.id)).toContain(a.id);
        expect(completed.every((s) => s.status === 'completed')).toBe(true);
      });
    });

    describe('memory', () => {
      it('returns at most top_k matches, best first, scores in [0, 1]', async () => {
        for (const topic of ['walrus tusk care', 'walrus diet', 'walrus habitat']) {
          const s = await fold.sessions.create({ name: topic });
          await fold.sessions.messages.add(s.id, { role: 'user', content: `tell me about ${topic}` });
          await fold.sessions.close(s.id);
          await settledSummary(s.id);
        }
        const found = await fold.memory.query({ query_text: 'walrus diet', top_k: 2 });
        expect(found.matches).toHaveLength(2);
        expect(found.count).toBe(2);
        expect(found.matches[0]!.metadata.name).toBe('walrus diet');
        const scores = found.matches.map((m) => m.score);
        expect([...scores].sort((x, y) => y - x)).toEqual(scores);
        for (const score of scores) expect(score).toBeGreaterThanOrEqual(0), expect(score).toBeLessThanOrEqual(1);
      });

      it('rejects top_k out of range', async () => {
        expect(await rejection(fold.memory.query({ query_text: 'x', top_k: 101 }))).toBeInstanceOf(BadRequestError);
      });
    });
  });
}
