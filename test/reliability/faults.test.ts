import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FoldSessions, isFoldSessionsError, type Message, type Session } from 'fold-sessions';
import { startReferenceServer, type ReferenceServer } from '../support/reference-server.js';
import { runPool, seededRandom, seedFrom } from './support.js';

const creates = 100;
const appends = 800;
const contextUpdates = 100;
const faultRate = { errorRate: 0.15, dropRate: 0.15 };

let server: ReferenceServer;
const seed = seedFrom('FAULT_SEED');

beforeAll(async () => {
  console.log(`faults test: seed ${seed} (replay with FAULT_SEED=${seed})`);
  server = await startReferenceServer({ faults: { ...faultRate, retryAfter: 0, seed } });
});
afterAll(() => server.close());

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

describe(`${creates + appends + contextUpdates} SDK calls with ${(faultRate.errorRate + faultRate.dropRate) * 100} % of requests failing`, () => {
  it('store nothing twice, lose nothing acknowledged, and end in success or a typed error', async () => {
    const random = seededRandom(seed);
    // Enough retries that nearly every call gets through: ten failures in a row are 0.3^11 likely.
    const fold = new FoldSessions({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 10, timeout: 10_000 });
    const outcomes: Array<Outcome<unknown>> = [];

    // Creates first, so that appends and context updates have sessions to go to.
    const created = new Map<string, Outcome<Session>>();
    await runPool(
      Array.from({ length: creates }, (_, i) => async () => {
        const name = `faulty ${i}`;
        const outcome = await settle(() => fold.sessions.create({ name, context: { step: 0 } }));
        created.set(name, outcome);
        outcomes.push(outcome);
      }),
      50,
    );
    const sessions = [...created.values()].flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
    expect(sessions.length).toBeGreaterThan(creates * 0.9);

    // Appends and context updates, interleaved in a seeded order. Each session gets at most one
    // context update, so the one it was given is the one it must end with.
    const appended = new Map<string, { sessionId: string; outcome: Outcome<Message> }>();
    const updated = new Map<string, { context: Record<string, unknown>; outcome: Outcome<Session> }>();
    const tasks: Array<() => Promise<void>> = [];
    for (let i = 0; i < appends; i++) {
      const sessionId = sessions[Math.floor(random() * sessions.length)]!.id;
      const content = `faulty append ${i}`;
      tasks.push(async () => {
        const outcome = await settle(() => fold.sessions.messages.add(sessionId, { role: i % 2 ? 'assistant' : 'user', content }));
        appended.set(content, { sessionId, outcome });
        outcomes.push(outcome);
      });
    }
    for (let i = 0; i < contextUpdates; i++) {
      const sessionId = sessions[i % sessions.length]!.id;
      if (updated.has(sessionId)) continue;
      const context = { step: 1, note: `update ${i}`, nested: { at: i } };
      updated.set(sessionId, { context, outcome: { ok: false, error: 'not run' } });
      tasks.push(async () => {
        const outcome = await settle(() => fold.sessions.updateContext(sessionId, context));
        updated.set(sessionId, { context, outcome });
        outcomes.push(outcome);
      });
    }
    for (let i = tasks.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [tasks[i], tasks[j]] = [tasks[j]!, tasks[i]!];
    }
    await runPool(tasks, 50);

    // Every call ended, in success or in one of the SDK's typed errors; nearly all succeeded.
    const logical = creates + appends + Math.min(contextUpdates, sessions.length);
    expect(outcomes).toHaveLength(logical);
    const failures = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.error]));
    for (const error of failures) expect(isFoldSessionsError(error), String(error)).toBe(true);
    expect(failures.length).toBeLessThanOrEqual(logical * 0.01);
    console.log(`faults test: ${logical} calls, ${failures.length} failed with typed errors`);

    // The server's own view, past the fault injector.
    const stored = [...server.service.store.sessionsOf('org_a')];
    const storedByName = new Map<string, number>();
    for (const doc of stored) storedByName.set(doc.session.name, (storedByName.get(doc.session.name) ?? 0) + 1);
    for (const [name, outcome] of created) {
      // A create the client gave up on may have happened; it never happened twice.
      expect(storedByName.get(name) ?? 0, name).toBeLessThanOrEqual(1);
      if (outcome.ok) expect(server.service.store.getSession(outcome.value.id)?.session.name).toBe(name);
    }
    expect(stored.length).toBe(storedByName.size);

    const where = new Map<string, { sessionId: string; message: Message }[]>();
    for (const doc of stored) {
      expect(doc.messages).toHaveLength((await server.service.getSession('org_a', doc.session.id)).message_count);
      for (const message of doc.messages) {
        const list = where.get(message.content) ?? [];
        list.push({ sessionId: doc.session.id, message });
        where.set(message.content, list);
      }
    }
    let duplicates = 0;
    for (const [content, found] of where) {
      if (found.length > 1) duplicates++;
      expect(appended.has(content), `stored but never sent: ${content}`).toBe(true);
    }
    expect(duplicates).toBe(0);
    for (const [content, { sessionId, outcome }] of appended) {
      if (!outcome.ok) continue;
      const found = where.get(content) ?? [];
      expect(found, `acknowledged but lost: ${content}`).toHaveLength(1);
      expect(found[0]).toEqual({ sessionId, message: outcome.value });
    }

    for (const [sessionId, { context, outcome }] of updated) {
      const current = server.service.store.getSession(sessionId)!.session.context;
      if (outcome.ok) expect(current).toEqual(context);
      else expect([{ step: 0 }, context]).toContainEqual(current);
    }
  }, 60_000);
});
