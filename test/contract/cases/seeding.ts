import { ConflictError, NotFoundError } from 'fold-sessions';
import { mergeData, sessionFixture } from 'fold-sessions-mock';
import { describe, expect, it } from 'vitest';
import { rejection, type CaseContext } from '../context.js';

/** Starting a case from seeded data: fixtures go in through the controller and come out through the API. */
export function seedingCases(c: CaseContext): void {
  describe('seed() and snapshot()', () => {
    it('a seeded expired session with 20 messages reads as such, refuses writes, and stays in its organisation', async () => {
      const now = await c.running.controller.clock.now();
      const data = sessionFixture({ orgId: c.a.orgId, status: 'expired', messages: 20, now });
      const id = data.sessions[0]!.session.id;
      await c.running.controller.seed(data);

      const read = await c.fold.sessions.get(id);
      expect(read).toMatchObject({ id, status: 'expired', message_count: 20 });
      expect(read.messages.map((m) => m.id)).toEqual(data.sessions[0]!.messages.map((m) => m.id));
      const error = await rejection(c.fold.sessions.messages.add(id, { role: 'user', content: 'too late' }));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ details: expect.objectContaining({ status: 'expired' }) });
      expect(await rejection(c.other.sessions.get(id))).toBeInstanceOf(NotFoundError);

      const stored = (await c.running.controller.snapshot()).sessions.filter((doc) => doc.org_id === c.a.orgId);
      expect(stored).toEqual(data.sessions);
    });

    it("a seeded closed session's summary is in its organisation's memory only", async () => {
      const now = await c.running.controller.clock.now();
      const closed = sessionFixture({ orgId: c.a.orgId, status: 'closed', name: 'Seeded billing question', messages: 4, now });
      const active = sessionFixture({ orgId: c.a.orgId, status: 'active', messages: 1, now });
      await c.running.controller.seed(mergeData(closed, active));

      const listed: string[] = [];
      for await (const s of c.fold.sessions.list({ limit: 100 })) listed.push(s.id);
      expect(listed.sort()).toEqual([closed.sessions[0]!.session.id, active.sessions[0]!.session.id].sort());
      const found = await c.fold.memory.query({ query_text: 'Seeded billing question' });
      expect(found.matches.map((m) => m.metadata.session_id)).toEqual([closed.sessions[0]!.session.id]);
      expect((await c.other.memory.query({ query_text: 'Seeded billing question' })).count).toBe(0);
      const memory = (await c.running.controller.snapshot()).memory.filter((entry) => entry.org_id === c.a.orgId);
      expect(memory).toEqual(closed.memory);
    });
  });
}
