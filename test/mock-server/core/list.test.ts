import { describe, expect, it } from 'vitest';
import { zSessionList } from 'fold-sessions/zod';
import {
  createManualClock,
  LowdbSessionStore,
  SessionsService,
  sequentialIds,
  type SessionDocument,
  type SessionStore,
} from 'fold-sessions-mock';
import type { ListPosition } from '../../../mock-server/src/core/cursor.js';
import { withTransactions } from '../../../mock-server/src/store/transactions.js';
import { recordingLog } from '../../support/change-logs.js';
import type { Session, SessionStatus } from '../../../mock-server/src/core/types.js';
import { delegatingStore } from '../../support/delegating-store.js';

const start = Date.UTC(2025, 0, 1);

/**
 * A store that counts every session document the service pulls out of it, by either way of
 * reading an organisation's sessions.
 */
function countingStore(inner: LowdbSessionStore, withOrder = true) {
  const counts = { visited: 0, sessionsOfCalls: 0 };
  function* counted(docs: Iterable<SessionDocument>) {
    for (const doc of docs) {
      counts.visited += 1;
      yield doc;
    }
  }
  const store: SessionStore = {
    ...delegatingStore(inner),
    sessionsOf(orgId) {
      counts.sessionsOfCalls += 1;
      return counted(inner.sessionsOf(orgId));
    },
  };
  if (withOrder) store.sessionsNewestFirst = (orgId: string, after?: ListPosition) => counted(inner.sessionsNewestFirst(orgId, after));
  return { store, counts };
}

function setup(withOrder = true) {
  const clock = createManualClock(start);
  const { store, counts } = countingStore(LowdbSessionStore.inMemory(), withOrder);
  const service = new SessionsService({ store: withTransactions(store), clock, ids: sequentialIds() });
  return { clock, store, counts, service };
}

async function createMany(service: SessionsService, clock: { advance(ms: number): void }, org: string, count: number, ttl = 3600) {
  const created: Session[] = [];
  for (let n = 0; n < count; n++) {
    created.push(await service.createSession(org, { name: `${org} ${n}`, ttl_seconds: ttl }));
    if (n % 3 === 2) clock.advance(1); // some share a created_at
  }
  return created;
}

async function listAll(service: SessionsService, org: string, limit: number, status?: SessionStatus) {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    if (seen.length > 10_000) throw new Error('Paging did not end: a cursor led back to sessions already listed');
    const page = zSessionList.parse(await service.listSessions(org, { limit, cursor, status }));
    expect(page.count).toBe(page.sessions.length);
    expect(page.has_more).toBe(page.next_cursor !== null);
    if (page.has_more) expect(page.count).toBe(limit);
    seen.push(...page.sessions.map((session) => session.id));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return seen;
}

/** Newest first by (created_at, id), computed independently of the store's order. */
const expectedOrder = (sessions: { id: string; created_at: number }[]) =>
  [...sessions].sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : -1)).map((session) => session.id);

describe('SessionsService: list cost follows the page, not the organisation', () => {
  it('visits limit + 1 sessions whether the organisation holds 30 or 3,000, on the first page and deep in', async () => {
    const { service, clock, counts } = setup();
    await createMany(service, clock, 'org_small', 30);
    await createMany(service, clock, 'org_large', 3000);

    const visitsFor = async (org: string, cursor?: string) => {
      counts.visited = 0;
      const page = await service.listSessions(org, { limit: 20, cursor });
      expect(page.count).toBe(20);
      expect(page.has_more).toBe(true);
      return { visited: counts.visited, next: page.next_cursor! };
    };
    const small = await visitsFor('org_small');
    const large = await visitsFor('org_large');
    expect(small.visited).toBe(21);
    expect(large.visited).toBe(21);

    // 50 pages in: the cursor's place is looked up, not walked to.
    let cursor = large.next;
    for (let n = 0; n < 50; n++) cursor = (await visitsFor('org_large', cursor)).next;
    expect((await visitsFor('org_large', cursor)).visited).toBe(21);
    expect(counts.sessionsOfCalls).toBe(0);
  });

  it('with a status filter, stops at the first match past the page', async () => {
    const { service, clock, counts } = setup();
    await createMany(service, clock, 'org_a', 200, 3600);
    clock.advance(1);
    const short = await createMany(service, clock, 'org_a', 5, 1); // newest, soon expired
    clock.advance(1000);
    counts.visited = 0;
    const page = await service.listSessions('org_a', { status: 'active', limit: 20 });
    expect(page.sessions.map((s) => s.status)).toEqual(Array(20).fill('active'));
    expect(page.sessions.map((s) => s.id)).not.toContain(short[0]!.id);
    expect(counts.visited).toBe(5 + 21);
  });
});

describe('SessionsService: list order and cursors', () => {
  it('orders sessions created while the clock went back, and pages through them exactly once', async () => {
    const { service, clock } = setup();
    const created: Session[] = [];
    for (const at of [50, 10, 90, 10, 30, 70, 20, 90, 0, 60, 40, 80]) {
      clock.set(start + at);
      created.push(await service.createSession('org_a', { name: `at ${at}`, ttl_seconds: 3600 }));
    }
    expect(await listAll(service, 'org_a', 5)).toEqual(expectedOrder(created));
    expect(await listAll(service, 'org_a', 1)).toEqual(expectedOrder(created));
  });

  it('orders seeded documents inserted in any order, and documents loaded from a source in any order', async () => {
    const times = [7, 3, 9, 1, 3, 8, 2, 9, 5, 0, 6, 4];
    const docs: SessionDocument[] = times.map((at, n) => ({
      org_id: 'org_a',
      session: {
        id: `sess_seed${String((n * 5) % 12).padStart(12, '0')}`,
        name: `seed ${n}`,
        status: 'active',
        ttl_seconds: 3600,
        expires_at: start + at + 3_600_000,
        context: {},
        created_at: start + at,
        updated_at: start + at,
        closed_at: null,
        completed_at: null,
        summary_status: 'none',
      },
      messages: [],
    }));
    const expected = expectedOrder(docs.map((d) => d.session));

    const { service, store } = setup();
    for (const d of docs) await store.insertSession(structuredClone(d));
    expect(await listAll(service, 'org_a', 4)).toEqual(expected);

    // The same documents restored in another order, as start-up hands them over.
    const reopened = LowdbSessionStore.restore(structuredClone(docs).reverse(), [], recordingLog().log);
    const fromSource = new SessionsService({ store: reopened, clock: createManualClock(start + 4) });
    expect(await listAll(fromSource, 'org_a', 4)).toEqual(expected);
    // Created after the load, at a time in the middle of the loaded ones.
    const fresh = await fromSource.createSession('org_a', { name: 'after load', ttl_seconds: 60 });
    expect(await listAll(fromSource, 'org_a', 4)).toEqual(expectedOrder([...docs.map((d) => d.session), fresh]));
  });

  it('a cursor whose session, and the one after it, were deleted continues with the next one', async () => {
    const { service, clock } = setup();
    const created = await createMany(service, clock, 'org_a', 10);
    const order = expectedOrder(created);
    const first = await service.listSessions('org_a', { limit: 3 });
    expect(first.sessions.map((s) => s.id)).toEqual(order.slice(0, 3));
    await service.deleteSession('org_a', order[2]!); // the cursor's own session
    await service.deleteSession('org_a', order[3]!); // the first one of the next page
    const second = await service.listSessions('org_a', { limit: 3, cursor: first.next_cursor! });
    expect(second.sessions.map((s) => s.id)).toEqual(order.slice(4, 7));
    expect(second.has_more).toBe(true);

    for (const id of order.slice(7)) await service.deleteSession('org_a', id);
    const third = await service.listSessions('org_a', { limit: 3, cursor: second.next_cursor! });
    expect(third).toEqual({ sessions: [], count: 0, has_more: false, next_cursor: null });
  });

  it('has_more is false on a last page that is exactly full', async () => {
    const { service, clock } = setup();
    await createMany(service, clock, 'org_a', 6);
    const first = await service.listSessions('org_a', { limit: 3 });
    const second = await service.listSessions('org_a', { limit: 3, cursor: first.next_cursor! });
    expect([first.has_more, second.has_more, second.count, second.next_cursor]).toEqual([true, false, 3, null]);
  });

  it('a store without sessionsNewestFirst lists the same pages, by sorting', async () => {
    const indexed = setup();
    const sorting = setup(false);
    for (const { service, clock } of [indexed, sorting]) {
      for (const at of [5, 1, 5, 3, 9, 0, 2, 2, 8]) {
        clock.set(start + at);
        await service.createSession('org_a', { name: `at ${at}`, ttl_seconds: at + 1 });
      }
      clock.set(start + 4000);
    }
    for (const status of [undefined, 'active', 'expired'] as const) {
      expect(await listAll(sorting.service, 'org_a', 2, status)).toEqual(await listAll(indexed.service, 'org_a', 2, status));
    }
    expect(sorting.counts.sessionsOfCalls).toBeGreaterThan(0);
  });

  it('listed sessions are copies: changing one, nested context included, leaves the store as it was', async () => {
    const { service } = setup();
    const context = { plan: 'pro', nested: { tags: ['a'] }, ['__proto__']: { kept: true } };
    const { id } = await service.createSession('org_a', { name: 'Chat', ttl_seconds: 60, context: JSON.parse(JSON.stringify(context)) });
    const listed = (await service.listSessions('org_a', { limit: 1 })).sessions[0]!;
    expect(Object.getPrototypeOf(listed.context)).toBe(Object.prototype);
    expect(Object.keys(listed.context)).toEqual(['plan', 'nested', '__proto__']);
    (listed.context.nested as { tags: string[] }).tags.push('b');
    listed.context.plan = 'free';
    listed.name = 'changed';
    const again = (await service.listSessions('org_a', { limit: 1 })).sessions[0]!;
    expect(again.name).toBe('Chat');
    expect(JSON.stringify(again.context)).toBe(JSON.stringify(JSON.parse(JSON.stringify(context))));
    expect((await service.getSession('org_a', id)).context).toEqual(again.context);
  });
});
