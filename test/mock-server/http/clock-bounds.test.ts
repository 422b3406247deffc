import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, createSessionsApi, openFileStore, sessionFixture } from 'fold-sessions-mock';

// Control values are checked against what the store can hold: a clock the store could not write
// its own sessions at is refused, naming the field, and nothing changes.
const latest = 8_640_000_000_000_000 - 2_592_000 * 1000;
const key = { authorization: 'Bearer k', 'content-type': 'application/json' };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-clock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the controller clock stays within what the store can hold', () => {
  it('refuses set_ms and advance_ms past the latest storable time over HTTP, naming the field, and keeps the clock', async () => {
    const api = createSessionsApi({ keys: { k: 'org_a' }, clock: createManualClock(1_000), control: { token: 'ctl' } });
    const move = (body: unknown) =>
      api.handle({ method: 'POST', path: '/__fold/clock', headers: { authorization: 'Bearer ctl', 'content-type': 'application/json' }, rawBody: JSON.stringify(body) });

    const tooLate = await move({ set_ms: Number.MAX_SAFE_INTEGER });
    expect(tooLate.status).toBe(400);
    expect(tooLate.body).toMatchObject({ code: 'VALIDATION_ERROR', details: { issues: [{ path: 'body.set_ms' }] } });
    expect((await move({ set_ms: latest + 1 })).status).toBe(400);
    const past = await move({ advance_ms: latest });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ details: { issues: [{ path: 'body.advance_ms' }] } });
    expect(await api.controller.clock.now()).toBe(1_000);

    expect((await move({ set_ms: latest })).body).toEqual({ now: latest });
  });

  it('refuses the same in-process, and fractions of a millisecond', async () => {
    const api = createSessionsApi({ clock: createManualClock(1_000) });
    await expect(api.controller.clock.set(latest + 1)).rejects.toThrow(/epochMs: Must be a whole epoch-ms time from 0 to/);
    await expect(api.controller.clock.set(1.5)).rejects.toThrow(/epochMs/);
    await expect(api.controller.clock.advance(0.5)).rejects.toThrow(/ms: Must be a whole number/);
    await expect(api.controller.clock.advance(latest)).rejects.toThrow(/ms: Would move the clock past/);
    expect(await api.controller.clock.now()).toBe(1_000);
  });

  it('refuses seed data with a time past the latest date, naming the field, and stores nothing', async () => {
    const api = createSessionsApi({ keys: { k: 'org_a' }, clock: createManualClock(1_000) });
    const [doc] = sessionFixture({ orgId: 'org_a', messages: 1, now: 1_000 }).sessions;
    const late = { ...doc!, session: { ...doc!.session, expires_at: Number.MAX_SAFE_INTEGER } };
    await expect(api.controller.seed({ sessions: [late] })).rejects.toThrow(/sessions\.0\.session\.expires_at: Must be at most 8640000000000000/);
    const lateMessage = { ...doc!, messages: [{ ...doc!.messages[0]!, created_at: 8_640_000_000_000_001 }] };
    await expect(api.controller.seed({ sessions: [lateMessage] })).rejects.toThrow(/sessions\.0\.messages\.0\.created_at/);
    expect((await api.controller.snapshot()).sessions).toEqual([]);
  });

  it('at the latest time it allows, a session with the longest TTL is written, closed and read back after a restart', async () => {
    const db = join(dir, 'sessions.json');
    const store = await openFileStore(db);
    const api = createSessionsApi({ keys: { k: 'org_a' }, store, clock: createManualClock(1_000) });
    await api.controller.clock.set(latest);
    const created = await api.handle({ method: 'POST', path: '/sessions', headers: key, rawBody: JSON.stringify({ name: 'last', ttl_seconds: 2_592_000 }) });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect((await api.handle({ method: 'POST', path: `/sessions/${id}/messages`, headers: key, rawBody: '{"role":"user","content":"hi"}' })).status).toBe(201);
    expect((await api.handle({ method: 'POST', path: `/sessions/${id}/close`, headers: key })).status).toBe(200);
    await api.service.summaries.flush();
    await store.close();

    const reopened = await openFileStore(db);
    const again = createSessionsApi({ keys: { k: 'org_a' }, store: reopened, clock: createManualClock(latest) });
    const read = await again.handle({ method: 'GET', path: `/sessions/${id}`, headers: key });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'closed', expires_at: 8_640_000_000_000_000 });
    await reopened.close();
  });
});
