import { describe, expect, it } from 'vitest';
import { zMessage, zSession, zSessionList, zSessionWithMessages } from 'fold-sessions/zod';
import {
  createManualClock,
  LowdbSessionStore,
  SessionsService,
  sequentialIds,
} from 'fold-sessions-mock';
import { encodeCursor } from '../../../mock-server/src/core/cursor.js';
import { InvalidFieldError, SessionNotActiveError, SessionNotFoundError } from '../../../mock-server/src/core/errors.js';

const start = Date.UTC(2025, 0, 1);

function setup() {
  const clock = createManualClock(start);
  const store = LowdbSessionStore.inMemory();
  const service = new SessionsService({ store, clock, ids: sequentialIds() });
  return { clock, store, service };
}

const create = (service: SessionsService, org = 'org_a', ttl = 3600, name = 'Chat') =>
  service.createSession(org, { name, ttl_seconds: ttl, context: { plan: 'pro' } });

describe('SessionsService: create and read', () => {
  it('creates an active session with expires_at = created_at + ttl * 1000', async () => {
    const { service } = setup();
    const session = zSession.parse(await create(service, 'org_a', 60));
    expect(session).toMatchObject({
      name: 'Chat',
      status: 'active',
      ttl_seconds: 60,
      created_at: start,
      updated_at: start,
      expires_at: start + 60_000,
      message_count: 0,
      context: { plan: 'pro' },
      closed_at: null,
      completed_at: null,
      summary_status: 'none',
    });
  });

  it('returns messages oldest first with the session, and counts them', async () => {
    const { service, clock } = setup();
    const { id } = await create(service);
    await service.addMessage('org_a', id, { role: 'user', content: 'first' });
    clock.advance(1000);
    const second = zMessage.parse(await service.addMessage('org_a', id, { role: 'assistant', content: 'second', tool_call_id: 'call_1', tool_name: 'lookup' }));
    expect(second).toMatchObject({ role: 'assistant', tool_call_id: 'call_1', tool_name: 'lookup', created_at: start + 1000 });
    const read = zSessionWithMessages.parse(await service.getSession('org_a', id));
    expect(read.messages.map((message) => message.content)).toEqual(['first', 'second']);
    expect(read.message_count).toBe(2);
    expect(read.updated_at).toBe(start + 1000);
    expect(read.messages[0]).toMatchObject({ tool_call_id: null, tool_name: null });
  });

  it('hands out copies: changing a returned session does not change the store', async () => {
    const { service } = setup();
    const created = await create(service);
    (created.context as Record<string, unknown>).plan = 'changed';
    expect((await service.getSession('org_a', created.id)).context).toEqual({ plan: 'pro' });
  });

  it('replaces the context entirely', async () => {
    const { service, clock } = setup();
    const { id } = await create(service);
    clock.advance(5);
    const updated = await service.updateContext('org_a', id, { step: 2 });
    expect(updated.context).toEqual({ step: 2 });
    expect(updated.updated_at).toBe(start + 5);
  });

  it('refuses a context over 64 KiB serialized, and accepts one just under', async () => {
    const { service } = setup();
    const { id } = await create(service);
    const overhead = JSON.stringify({ x: '' }).length;
    await expect(service.updateContext('org_a', id, { x: 'a'.repeat(65536 - overhead) })).resolves.toBeDefined();
    const error = await service.updateContext('org_a', id, { x: 'a'.repeat(65537 - overhead) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidFieldError);
    expect((error as InvalidFieldError).field).toBe('context');
    const onCreate = await service.createSession('org_a', { name: 'big', ttl_seconds: 60, context: { x: 'é'.repeat(40000) } }).catch((e: unknown) => e);
    expect((onCreate as InvalidFieldError).field).toBe('context');
  });
});

describe('SessionsService: lifecycle', () => {
  it('close: active → closed with closed_at; a second close returns it unchanged', async () => {
    const { service, clock } = setup();
    const { id } = await create(service);
    clock.advance(10);
    const closed = await service.closeSession('org_a', id);
    expect(closed).toMatchObject({ status: 'closed', closed_at: start + 10, summary_status: 'none' });
    clock.advance(10);
    expect(await service.closeSession('org_a', id)).toEqual(closed);
  });

  it('complete: active → completed with completed_at; a second complete returns it unchanged', async () => {
    const { service, clock } = setup();
    const { id } = await create(service);
    clock.advance(10);
    const completed = await service.completeSession('org_a', id);
    expect(completed).toMatchObject({ status: 'completed', completed_at: start + 10, closed_at: null, summary_status: 'none' });
    clock.advance(10);
    expect(await service.completeSession('org_a', id)).toEqual(completed);
  });

  it.each([
    ['closed', 'completeSession'],
    ['completed', 'closeSession'],
  ] as const)('a %s session refuses %s and every write with 409 naming its status', async (status, other) => {
    const { service } = setup();
    const { id } = await create(service);
    await (status === 'closed' ? service.closeSession('org_a', id) : service.completeSession('org_a', id));
    for (const attempt of [
      () => service[other]('org_a', id),
      () => service.addMessage('org_a', id, { role: 'user', content: 'x' }),
      () => service.updateContext('org_a', id, {}),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SessionNotActiveError);
      expect(error).toMatchObject({ sessionId: id, status });
    }
    expect((await service.getSession('org_a', id)).status).toBe(status);
  });

  it('expires exactly at expires_at: reads say expired, writes are 409, it stays readable', async () => {
    const { service, clock } = setup();
    const { id } = await create(service, 'org_a', 60);
    await service.addMessage('org_a', id, { role: 'user', content: 'hi' });
    clock.advance(59_999);
    expect((await service.getSession('org_a', id)).status).toBe('active');
    clock.advance(1);
    const expired = await service.getSession('org_a', id);
    expect(expired).toMatchObject({ status: 'expired', message_count: 1 });
    expect(expired.messages).toHaveLength(1);
    for (const attempt of [
      () => service.addMessage('org_a', id, { role: 'user', content: 'late' }),
      () => service.updateContext('org_a', id, { late: true }),
      () => service.closeSession('org_a', id),
      () => service.completeSession('org_a', id),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SessionNotActiveError);
      expect(error).toMatchObject({ sessionId: id, status: 'expired' });
    }
  });

  it('an expired session stays expired if the clock goes back, once a write has seen it', async () => {
    const { service, clock } = setup();
    const { id } = await create(service, 'org_a', 60);
    clock.advance(60_000);
    await expect(service.addMessage('org_a', id, { role: 'user', content: 'x' })).rejects.toBeInstanceOf(SessionNotActiveError);
    clock.set(start);
    expect((await service.getSession('org_a', id)).status).toBe('expired');
  });

  it('a closed or completed session never becomes expired', async () => {
    const { service, clock } = setup();
    const a = await create(service, 'org_a', 60);
    const b = await create(service, 'org_a', 60);
    await service.closeSession('org_a', a.id);
    await service.completeSession('org_a', b.id);
    clock.advance(10 * 60_000);
    expect((await service.getSession('org_a', a.id)).status).toBe('closed');
    expect((await service.getSession('org_a', b.id)).status).toBe('completed');
  });

  it('delete works in every state; a second delete and later reads are 404', async () => {
    const { service, clock } = setup();
    const active = await create(service);
    const closed = await create(service);
    const completed = await create(service);
    const expired = await create(service, 'org_a', 1);
    await service.closeSession('org_a', closed.id);
    await service.completeSession('org_a', completed.id);
    clock.advance(1000);
    for (const { id } of [active, closed, completed, expired]) {
      expect(await service.deleteSession('org_a', id)).toEqual({ id, deleted: true });
      await expect(service.deleteSession('org_a', id)).rejects.toBeInstanceOf(SessionNotFoundError);
      await expect(service.getSession('org_a', id)).rejects.toBeInstanceOf(SessionNotFoundError);
    }
  });

  it('unknown and malformed ids are not found', async () => {
    const { service } = setup();
    for (const id of ['sess_doesnotexist00000', 'nonsense', '../etc/passwd']) {
      await expect(service.getSession('org_a', id)).rejects.toBeInstanceOf(SessionNotFoundError);
    }
  });

  it('two concurrent closes write one transition and one summary job', async () => {
    const { service } = setup();
    const { id } = await create(service);
    await service.addMessage('org_a', id, { role: 'user', content: 'x' });
    const [first, second] = await Promise.all([service.closeSession('org_a', id), service.closeSession('org_a', id)]);
    expect(first.closed_at).toBe(second.closed_at);
    expect(service.summaries.pending).toBe(1);
    await service.summaries.flush();
  });

  it('an append racing a close is either stored before it or refused', async () => {
    const { service } = setup();
    const { id } = await create(service);
    const [append, close] = await Promise.allSettled([
      service.addMessage('org_a', id, { role: 'user', content: 'x' }),
      service.closeSession('org_a', id),
    ]);
    expect(close.status).toBe('fulfilled');
    const stored = await service.getSession('org_a', id);
    expect(stored.message_count).toBe(append.status === 'fulfilled' ? 1 : 0);
  });
});

describe('SessionsService: organisation scoping', () => {
  it('another organisation sees nothing and can change nothing', async () => {
    const { service } = setup();
    const { id } = await create(service, 'org_a');
    const attempts = [
      () => service.getSession('org_b', id),
      () => service.addMessage('org_b', id, { role: 'user', content: 'x' }),
      () => service.updateContext('org_b', id, {}),
      () => service.closeSession('org_b', id),
      () => service.completeSession('org_b', id),
      () => service.deleteSession('org_b', id),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(SessionNotFoundError);
    expect((await service.listSessions('org_b', { limit: 100 })).sessions).toEqual([]);
    const untouched = await service.getSession('org_a', id);
    expect(untouched).toMatchObject({ status: 'active', message_count: 0, context: { plan: 'pro' } });
  });
});

describe('SessionsService: list', () => {
  it('pages newest first by (created_at, id) with a cursor until next_cursor is null', async () => {
    const { service, clock } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await create(service)).id);
      if (i % 2 === 1) clock.advance(1); // some share a created_at: the id breaks the tie
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = zSessionList.parse(await service.listSessions('org_a', { limit: 2, cursor }));
      pages += 1;
      expect(page.count).toBe(page.sessions.length);
      seen.push(...page.sessions.map((session) => session.id));
      expect(page.has_more).toBe(page.next_cursor !== null);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters by effective status: list?status=active never returns a timed-out session', async () => {
    const { service, clock } = setup();
    const short = await create(service, 'org_a', 1, 'short');
    const long = await create(service, 'org_a', 3600, 'long');
    const closed = await create(service, 'org_a', 3600, 'closed');
    await service.closeSession('org_a', closed.id);
    clock.advance(1000);
    const names = async (status: 'active' | 'expired' | 'closed' | 'completed') =>
      (await service.listSessions('org_a', { status, limit: 20 })).sessions.map((session) => session.name);
    expect(await names('active')).toEqual(['long']);
    expect(await names('expired')).toEqual(['short']);
    expect(await names('closed')).toEqual(['closed']);
    expect(await names('completed')).toEqual([]);
    expect(short.id).not.toBe(long.id);
  });

  it('a cursor keeps its place when sessions are added or deleted between pages', async () => {
    const { service, clock } = setup();
    const created = [];
    for (let i = 0; i < 4; i++) {
      created.push(await create(service, 'org_a', 3600, `s${i}`));
      clock.advance(1);
    }
    const first = await service.listSessions('org_a', { limit: 2 });
    expect(first.sessions.map((s) => s.name)).toEqual(['s3', 's2']);
    await create(service, 'org_a', 3600, 'newer');
    await service.deleteSession('org_a', created[2]!.id);
    const second = await service.listSessions('org_a', { limit: 2, cursor: first.next_cursor! });
    expect(second.sessions.map((s) => s.name)).toEqual(['s1', 's0']);
    expect(second.next_cursor).toBeNull();
  });

  it('a cursor that does not decode is refused, naming the cursor', async () => {
    const { service } = setup();
    for (const cursor of ['not a cursor!', 'abc', btoa('{"t":"x","i":1}'), encodeCursor({ created_at: 1, id: 'x' }).slice(0, 5)]) {
      const error = await service.listSessions('org_a', { limit: 20, cursor }).catch((e: unknown) => e);
      expect(error, cursor).toBeInstanceOf(InvalidFieldError);
      expect((error as InvalidFieldError).field).toBe('cursor');
    }
  });
});
