import { describe, expect, it } from 'vitest';
import { rejection, settledSummary, type CaseContext } from '../context.js';

/** Another organisation's sessions and memory: 404, never 403, and never listed or found. */
export function isolationCases(c: CaseContext): void {
  describe('organisation isolation', () => {
    /** A session of `a` with one message, and a closed one whose summary is stored. */
    async function sessionsOfA() {
      const open = (await c.api.createSession({ name: 'Private to a: tangerine project' })).body.id as string;
      await c.api.addMessage(open, { role: 'user', content: 'tangerine project budget' });
      const closed = (await c.api.createSession({ name: 'tangerine closed' })).body.id as string;
      await c.api.addMessage(closed, { role: 'user', content: 'tangerine secrets' });
      await c.api.closeSession(closed);
      await settledSummary(c, closed);
      return { open, closed };
    }

    it("every operation on another organisation's session is a 404 naming only the id, and changes nothing", async () => {
      const { open } = await sessionsOfA();
      const b = c.otherApi;
      for (const [operation, reply] of [
        ['getSession', await b.getSession(open)],
        ['addMessage', await b.addMessage(open)],
        ['updateContext', await b.updateContext(open, { hijacked: true })],
        ['closeSession', await b.closeSession(open)],
        ['completeSession', await b.completeSession(open)],
        ['deleteSession', await b.deleteSession(open)],
      ] as const) {
        expect(reply.status, operation).toBe(404);
        expect(reply.body.code, operation).toBe('NOT_FOUND');
        expect(reply.body.details, operation).toEqual({ id: open });
      }
      expect((await c.api.getSession(open)).body).toMatchObject({ status: 'active', message_count: 1, context: {} });
    });

    it('the SDK of another organisation gets NotFound on every operation', async () => {
      const session = await c.fold.sessions.create({ name: 'Pelican secret' });
      await c.fold.sessions.messages.add(session.id, { role: 'user', content: 'pelican plans' });
      for (const attempt of [
        () => c.other.sessions.get(session.id),
        () => c.other.sessions.messages.add(session.id, { role: 'user', content: 'x' }),
        () => c.other.sessions.updateContext(session.id, {}),
        () => c.other.sessions.close(session.id),
        () => c.other.sessions.complete(session.id),
        () => c.other.sessions.delete(session.id),
      ]) {
        expect(await rejection(attempt())).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      }
    });

    it('listSessions shows only your own sessions', async () => {
      await sessionsOfA();
      await c.otherApi.createSession({ name: 'b own' });
      const listed = await c.otherApi.listSessions('?limit=100');
      expect(listed.body.sessions.map((s: { name: string }) => s.name)).toEqual(['b own']);
      const ofA = await c.api.listSessions('?limit=100');
      expect(ofA.body.sessions.map((s: { name: string }) => s.name).sort()).toEqual(['Private to a: tangerine project', 'tangerine closed']);
    });

    it("queryMemory never returns another organisation's summaries", async () => {
      const { closed } = await sessionsOfA();
      const mine = await c.api.queryMemory({ query_text: 'tangerine' });
      expect(mine.body.count).toBe(1);
      expect(mine.body.matches[0].metadata.session_id).toBe(closed);
      expect((await c.otherApi.queryMemory({ query_text: 'tangerine' })).body).toEqual({ matches: [], count: 0 });
    });
  });
}
