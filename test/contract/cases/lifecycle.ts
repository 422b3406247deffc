import type { Session } from 'fold-sessions';
import { ConflictError, NotFoundError } from 'fold-sessions';
import { describe, expect, it } from 'vitest';
import { rejection, settledSummary, type CaseContext } from '../context.js';

/** The lifecycle, pagination and memory, through the SDK. */
export function lifecycleCases(c: CaseContext): void {
  describe('lifecycle', () => {
    it('creates an active session with the documented defaults', async () => {
      const session = await c.fold.sessions.create({ name: 'defaults' });
      expect(c.lastResponse().status).toBe(201);
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
      expect(c.lastResponse().headers.get('x-request-id')).toBeTruthy();
    });

    it('stores messages oldest first and counts them', async () => {
      const session = await c.fold.sessions.create({ name: 'chat', context: { plan: 'pro' } });
      const first = await c.fold.sessions.messages.add(session.id, { role: 'user', content: 'hi' });
      const second = await c.fold.sessions.messages.add(session.id, {
        role: 'assistant',
        content: 'usage is 12',
        tool_call_id: 'call_1',
        tool_name: 'get_usage',
      });
      expect(first).toMatchObject({ role: 'user', content: 'hi', tool_call_id: null, tool_name: null });
      expect(first.id).toMatch(/^msg_/);
      const read = await c.fold.sessions.get(session.id);
      expect(read.message_count).toBe(2);
      expect(read.messages.map((m) => m.id)).toEqual([first.id, second.id]);
      expect(read.messages[1]).toMatchObject({ tool_call_id: 'call_1', tool_name: 'get_usage' });
      expect(read.context).toEqual({ plan: 'pro' });
    });

    it('replaces the context entirely', async () => {
      const session = await c.fold.sessions.create({ name: 'ctx', context: { a: 1, keep: true } });
      const updated = await c.fold.sessions.updateContext(session.id, { b: [1, 2], nested: { c: null } });
      expect(updated.context).toEqual({ b: [1, 2], nested: { c: null } });
      expect((await c.fold.sessions.get(session.id)).context).toEqual({ b: [1, 2], nested: { c: null } });
    });

    it('closes once, writes a summary in the background, and closing again changes nothing', async () => {
      const session = await c.fold.sessions.create({ name: 'Quantum billing dispute' });
      await c.fold.sessions.messages.add(session.id, { role: 'user', content: 'my quantum invoice is wrong' });
      await c.fold.sessions.messages.add(session.id, { role: 'assistant', content: 'I refunded the quantum invoice' });
      const closed = await c.fold.sessions.close(session.id);
      expect(closed.status).toBe('closed');
      expect(closed.closed_at).toEqual(expect.any(Number));
      expect(['pending', 'stored']).toContain(closed.summary_status);

      const settled = await settledSummary(c, session.id);
      expect(settled.summary_status).toBe('stored');
      const again = await c.fold.sessions.close(session.id);
      const { messages, ...settledSession } = settled as Session & { messages: unknown[] };
      expect(messages).toHaveLength(2);
      expect(again).toEqual(settledSession);

      const found = await c.fold.memory.query({ query_text: 'quantum invoice', top_k: 5 });
      expect(found.matches[0]?.metadata).toEqual({
        session_id: session.id,
        name: 'Quantum billing dispute',
        message_count: 2,
        closed_at: closed.closed_at,
      });
      expect(found.count).toBe(found.matches.length);
    });

    it('closes an empty session without writing a summary', async () => {
      const session = await c.fold.sessions.create({ name: 'Zanzibar empty xylophone' });
      const closed = await c.fold.sessions.close(session.id);
      expect(closed.summary_status).toBe('none');
      await c.running.controller.summaries.flush();
      const found = await c.fold.memory.query({ query_text: 'Zanzibar xylophone' });
      expect(found.matches.map((m) => m.metadata.session_id)).not.toContain(session.id);
      expect(found.count).toBe(0);
    });

    it('completes idempotently and refuses every other transition from a terminal state', async () => {
      const session = await c.fold.sessions.create({ name: 'done' });
      const completed = await c.fold.sessions.complete(session.id);
      expect(completed).toMatchObject({ status: 'completed', summary_status: 'none' });
      expect(completed.completed_at).toEqual(expect.any(Number));
      expect(await c.fold.sessions.complete(session.id)).toEqual(completed);

      for (const attempt of [
        () => c.fold.sessions.close(session.id),
        () => c.fold.sessions.messages.add(session.id, { role: 'user', content: 'late' }),
        () => c.fold.sessions.updateContext(session.id, { late: true }),
      ]) {
        const error = await rejection(attempt());
        expect(error).toBeInstanceOf(ConflictError);
        expect(error).toMatchObject({ status: 409, code: 'CONFLICT', details: expect.objectContaining({ status: 'completed' }) });
      }
      const closed = await c.fold.sessions.create({ name: 'closed' });
      await c.fold.sessions.close(closed.id);
      const error = await rejection(c.fold.sessions.complete(closed.id));
      expect(error).toMatchObject({ status: 409, details: expect.objectContaining({ status: 'closed' }) });
    });

    it('expires when the controller moves the clock past expires_at, and stays readable but read-only', async () => {
      const session = await c.fold.sessions.create({ name: 'short', ttl_seconds: 60 });
      await c.fold.sessions.messages.add(session.id, { role: 'user', content: 'before expiry' });
      await c.running.controller.clock.advance(59_000);
      expect((await c.fold.sessions.get(session.id)).status).toBe('active');
      await c.running.controller.clock.advance(1_000);

      const expired = await c.fold.sessions.get(session.id);
      expect(expired.status).toBe('expired');
      expect(expired.messages).toHaveLength(1);
      for (const attempt of [
        () => c.fold.sessions.messages.add(session.id, { role: 'user', content: 'after' }),
        () => c.fold.sessions.updateContext(session.id, {}),
        () => c.fold.sessions.close(session.id),
        () => c.fold.sessions.complete(session.id),
      ]) {
        expect(await rejection(attempt())).toMatchObject({ status: 409, details: expect.objectContaining({ status: 'expired' }) });
      }
      const active: string[] = [];
      for await (const s of c.fold.sessions.list({ status: 'active', limit: 100 })) active.push(s.id);
      expect(active).not.toContain(session.id);
      const expiredIds: string[] = [];
      for await (const s of c.fold.sessions.list({ status: 'expired', limit: 100 })) expiredIds.push(s.id);
      expect(expiredIds).toEqual([session.id]);
    });

    it('deletes in any state; a second delete is 404', async () => {
      const session = await c.fold.sessions.create({ name: 'gone' });
      await c.fold.sessions.close(session.id);
      expect(await c.fold.sessions.delete(session.id)).toEqual({ id: session.id, deleted: true });
      expect(await rejection(c.fold.sessions.get(session.id))).toBeInstanceOf(NotFoundError);
      expect(await rejection(c.fold.sessions.delete(session.id))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });
  });

  describe('pagination', () => {
    it('pages newest first and iterates every item across pages', async () => {
      const created: string[] = [];
      for (let i = 0; i < 5; i++) {
        created.push((await c.fold.sessions.create({ name: `page ${i}` })).id);
        await c.running.controller.clock.advance(1);
      }
      const first = await c.fold.sessions.list({ limit: 2 });
      expect(first.items).toHaveLength(2);
      expect(first.hasNextPage()).toBe(true);
      const all: string[] = [];
      for await (const s of c.fold.sessions.list({ limit: 2 })) all.push(s.id);
      expect(all).toEqual([...created].reverse());
    });

    it('filters by status', async () => {
      const a = await c.fold.sessions.create({ name: 'to complete' });
      await c.fold.sessions.create({ name: 'stays active' });
      await c.fold.sessions.complete(a.id);
      const completed: Session[] = [];
      for await (const s of c.fold.sessions.list({ status: 'completed' })) completed.push(s);
      expect(completed.map((s) => s.id)).toEqual([a.id]);
      expect(completed.every((s) => s.status === 'completed')).toBe(true);
    });
  });

  describe('memory', () => {
    it('returns at most top_k matches, best first, scores in [0, 1]', async () => {
      for (const topic of ['walrus tusk care', 'walrus diet', 'walrus habitat']) {
        const s = await c.fold.sessions.create({ name: topic });
        await c.fold.sessions.messages.add(s.id, { role: 'user', content: `tell me about ${topic}` });
        await c.fold.sessions.close(s.id);
        await settledSummary(c, s.id);
      }
      const found = await c.fold.memory.query({ query_text: 'walrus diet', top_k: 2 });
      expect(found.matches).toHaveLength(2);
      expect(found.count).toBe(2);
      expect(found.matches[0]!.metadata.name).toBe('walrus diet');
      const scores = found.matches.map((m) => m.score);
      expect([...scores].sort((x, y) => y - x)).toEqual(scores);
      for (const score of scores) expect(score).toBeGreaterThanOrEqual(0), expect(score).toBeLessThanOrEqual(1);
    });
  });
}
