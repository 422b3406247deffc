import { describe, expect, it } from 'vitest';
import { createManualClock } from 'fold-sessions-mock';
import { IdempotencyInFlightError, IdempotencyKeyReusedError } from '../../../mock-server/src/http/errors.js';
import { IdempotencyStore } from '../../../mock-server/src/http/idempotency.js';

function setup() {
  const clock = createManualClock(0);
  return { clock, store: new IdempotencyStore<string>({ clock }) };
}

describe('IdempotencyStore', () => {
  it('claims a new key, then replays the completed response', () => {
    const { store } = setup();
    const claim = store.begin('org_a', 'k1', 'fp');
    expect(claim.kind).toBe('new');
    if (claim.kind === 'new') claim.complete('first response');
    expect(store.begin('org_a', 'k1', 'fp')).toEqual({ kind: 'replay', response: 'first response' });
  });

  it('refuses the same key for a different request, even while the first is running', () => {
    const { store } = setup();
    store.begin('org_a', 'k1', 'fp-1');
    expect(() => store.begin('org_a', 'k1', 'fp-2')).toThrow(IdempotencyKeyReusedError);
  });

  it('refuses a repeat while the first is still running', () => {
    const { store } = setup();
    store.begin('org_a', 'k1', 'fp');
    expect(() => store.begin('org_a', 'k1', 'fp')).toThrow(IdempotencyInFlightError);
  });

  it('scopes keys per organisation', () => {
    const { store } = setup();
    const a = store.begin('org_a', 'k1', 'fp');
    if (a.kind === 'new') a.complete('a');
    expect(store.begin('org_b', 'k1', 'other').kind).toBe('new');
  });

  it('forgets an abandoned key so a retry runs afresh', () => {
    const { store } = setup();
    const claim = store.begin('org_a', 'k1', 'fp');
    if (claim.kind === 'new') claim.abandon();
    expect(store.begin('org_a', 'k1', 'fp').kind).toBe('new');
  });

  it('keeps a response for 24 hours, then forgets it', () => {
    const { store, clock } = setup();
    const claim = store.begin('org_a', 'k1', 'fp');
    if (claim.kind === 'new') claim.complete('r');
    clock.advance(24 * 3600 * 1000 - 1);
    expect(store.begin('org_a', 'k1', 'fp').kind).toBe('replay');
    clock.advance(1);
    expect(store.begin('org_a', 'k1', 'other request').kind).toBe('new');
    expect(store.size).toBe(1);
  });

  it('keeps at most maxRecords and maxBytes of answers, forgetting the oldest answered first, never one still running', () => {
    const clock = createManualClock(0);
    const store = new IdempotencyStore<string>({ clock, maxRecords: 3, maxBytes: 10, sizeOf: (response) => response.length });
    const answer = (key: string, response: string) => {
      const claim = store.begin('org_a', key, 'fp');
      if (claim.kind === 'new') claim.complete(response);
    };
    const running = store.begin('org_a', 'running', 'fp');
    answer('k1', 'aaa');
    answer('k2', 'bbb');
    answer('k3', 'ccc'); // four records: k1 goes
    expect(store.size).toBe(3);
    expect(store.begin('org_a', 'k2', 'fp')).toEqual({ kind: 'replay', response: 'bbb' });
    expect(() => store.begin('org_a', 'running', 'fp')).toThrow(IdempotencyInFlightError);
    answer('k4', 'dddddddd'); // 3 + 3 + 8 bytes: k2 and k3 go, the running claim stays
    expect(store.bytes).toBe(8);
    expect(store.begin('org_a', 'k4', 'fp')).toEqual({ kind: 'replay', response: 'dddddddd' });
    expect(() => store.begin('org_a', 'running', 'fp')).toThrow(IdempotencyInFlightError);
    expect(store.begin('org_a', 'k1', 'other request').kind).toBe('new');
    if (running.kind === 'new') running.complete('r');
    store.clear();
    expect([store.size, store.bytes]).toEqual([0, 0]);
  });

  it('counts a restored answer and one replaced after its retention', () => {
    const clock = createManualClock(0);
    const store = new IdempotencyStore<string>({ clock, retentionMs: 10, maxBytes: 100, sizeOf: (response) => response.length });
    store.restore('org_a', 'k1', 'fp', 0, 'restored');
    expect(store.bytes).toBe(8);
    clock.advance(10);
    const claim = store.begin('org_a', 'k1', 'fp');
    expect(claim.kind).toBe('new');
    expect(store.bytes).toBe(0);
  });
});
