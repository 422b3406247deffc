import { describe, expect, it } from 'vitest';
import { createManualClock, createSessionsApi, sessionFixture } from 'fold-sessions-mock';

const start = Date.UTC(2025, 0, 1);

describe('sessionFixture', () => {
  it('lays the session out at the time of the clock it is given', () => {
    const clock = createManualClock(start);
    const { session } = sessionFixture({ orgId: 'org_a', ttlSeconds: 3600, clock }).sessions[0]!;
    expect(session).toMatchObject({ status: 'active', created_at: start - 60_000, expires_at: start - 60_000 + 3_600_000 });
  });

  it('takes `now` over the clock', () => {
    const clock = createManualClock(start);
    const { session } = sessionFixture({ orgId: 'org_a', status: 'expired', clock, now: start + 10_000_000 }).sessions[0]!;
    expect(session.expires_at).toBe(start + 10_000_000 - 1000);
  });

  it('gives an API on the same manual clock a session that expires when that clock moves past its TTL', async () => {
    const clock = createManualClock(start);
    const api = createSessionsApi({ keys: { key_a: 'org_a' }, clock });
    const data = sessionFixture({ orgId: 'org_a', messages: 4, ttlSeconds: 3600, clock });
    await api.controller.seed(data);
    const status = async () => {
      const read = await api.handle({ method: 'GET', path: `/sessions/${data.sessions[0]!.session.id}`, headers: { authorization: 'Bearer key_a' } });
      return (read.body as { status: string }).status;
    };

    expect(await status()).toBe('active');
    await api.controller.clock.advance(3_600_000 - 60_000 - 1);
    expect(await status()).toBe('active');
    await api.controller.clock.advance(1);
    expect(await status()).toBe('expired');
  });
});
