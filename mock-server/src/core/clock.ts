/** Where the domain reads the time from. Epoch milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to: for tests, and for the MSW controller. */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms` (negative values are refused). */
  advance(ms: number): void;
  /** Jumps to an absolute epoch-ms time. */
  set(epochMs: number): void;
}

/**
 * @example
 * const clock = createManualClock(Date.UTC(2025, 0, 1));
 * clock.advance(3_600_000); // one hour later
 */
export function createManualClock(start = 1_700_000_000_000): ManualClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance() takes a non-negative number of ms, got ${ms}`);
      current += ms;
    },
    set(epochMs) {
      if (!Number.isFinite(epochMs)) throw new RangeError(`set() takes an epoch-ms number, got ${epochMs}`);
      current = epochMs;
    },
  };
}
