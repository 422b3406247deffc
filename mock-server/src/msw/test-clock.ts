import type { ManualClock } from '../core/clock.js';

/**
 * Real time plus an offset that tests can move: time flows as usual, and `advance()` jumps
 * ahead (expiry without sleeping). `set()` jumps to an absolute time and flows on from there.
 */
export function createTestClock(now: () => number = Date.now): ManualClock {
  let offset = 0;
  return {
    now: () => now() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance() takes a non-negative number of ms, got ${ms}`);
      offset += ms;
    },
    set(epochMs) {
      if (!Number.isFinite(epochMs)) throw new RangeError(`clock.set() takes an epoch-ms number, got ${epochMs}`);
      offset = epochMs - now();
    },
  };
}
