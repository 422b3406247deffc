/** Where the domain reads the time from. Epoch milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that tests can move. */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms` (negative values are refused). */
  advance(ms: number): void;
  /** Jumps to an absolute epoch-ms time. */
  set(epochMs: number): void;
}

/** A movable clock that can be put back where it started: what the controller moves. */
export interface MovableClock extends ManualClock {
  /** Undoes every `advance` and `set`. */
  reset(): void;
}

function checkAdvance(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance() takes a non-negative number of ms, got ${ms}`);
}

function checkSet(epochMs: number): void {
  if (!Number.isFinite(epochMs)) throw new RangeError(`clock.set() takes an epoch-ms number, got ${epochMs}`);
}

/**
 * A clock that moves only when told to.
 *
 * @example
 * const clock = createManualClock(Date.UTC(2025, 0, 1));
 * clock.advance(3_600_000); // one hour later
 */
export function createManualClock(start = 1_700_000_000_000): MovableClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      checkAdvance(ms);
      current += ms;
    },
    set(epochMs) {
      checkSet(epochMs);
      current = epochMs;
    },
    reset() {
      current = start;
    },
  };
}

/**
 * `base` time plus an offset that tests move: time flows as usual, `advance()` jumps ahead
 * (expiry without sleeping), `set()` jumps to an absolute time and flows on from there, and
 * `reset()` drops the offset.
 *
 * @example
 * const clock = createTestClock();
 * clock.advance(61_000); // a 60 s session is now expired
 */
export function createTestClock(base: Clock = systemClock): MovableClock {
  let offset = 0;
  return {
    now: () => base.now() + offset,
    advance(ms) {
      checkAdvance(ms);
      offset += ms;
    },
    set(epochMs) {
      checkSet(epochMs);
      offset = epochMs - base.now();
    },
    reset() {
      offset = 0;
    },
  };
}
