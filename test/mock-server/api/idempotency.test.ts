import { describe, expect, it } from 'vitest';
import { createManualClock } from 'fold-sessions-mock';
import { IdempotencyInFlightError, IdempotencyKeyReusedError } from '../../../mock-server/src/api/errors.js';
import { IdempotencyStore } from '../../../mock-server/src/api/idempotency.js';

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
});
