import { InjectedInternalError, RateLimitedError, ServiceUnavailableError } from './errors.js';
import type { OperationId } from './types.js';

/** A failure to inject: an error status with its spec-shaped body, or a dropped connection. */
export type Fault =
  | { status: 503; retryAfterSeconds?: number }
  | { status: 429; retryAfterSeconds?: number }
  | { status: 500 }
  | {
      networkError: true;
      /**
       * Drop the connection only after the request was fully handled and its write stored: to
       * the client it looks like any lost connection, but the server did the work.
       */
      afterProcessing?: boolean;
    };

export interface FaultOptions {
  /** Delay added before every request is handled, in ms. @default 0 */
  latencyMs?: number;
  /** Share of requests, 0..1, answered 503 with `Retry-After`. @default 0 */
  errorRate?: number;
  /** Share of requests, 0..1, handled and stored but whose connection is then dropped. @default 0 */
  dropRate?: number;
  /** Seed of the generator that picks which requests fail, for reproducible runs. @default 1 */
  seed?: number;
  /** `Retry-After` of the random 503s, in seconds. @default 1 */
  retryAfterSeconds?: number;
}

/** What happens to one request: wait `latencyMs`, then fail with `fault` if set. */
export interface FaultDecision {
  latencyMs: number;
  fault?: Fault;
}

/** mulberry32: a tiny seeded generator; good enough to spread faults, reproducible by seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Injected latency and failures, for consumers' tests of their retry and error handling.
 * Shared by the reference server and the MSW handlers; change it at any time while serving.
 *
 * @example
 * const faults = new FaultInjector();
 * faults.failNext('addMessage', { status: 503, retryAfterSeconds: 0 }, 2); // the next two appends
 */
export class FaultInjector {
  #latencyMs = 0;
  readonly #retryAfterSeconds: number;
  #errorRate = 0;
  #dropRate = 0;
  #random: () => number;
  readonly #oneShots: Array<{ operationId: OperationId | '*'; fault: Fault; remaining: number }> = [];

  constructor(options: FaultOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.errorRate = options.errorRate ?? 0;
    this.dropRate = options.dropRate ?? 0;
    this.#random = seededRandom(options.seed ?? 1);
    this.#retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }

  /** Delay added before every request, in ms. */
  get latencyMs(): number {
    return this.#latencyMs;
  }

  set latencyMs(ms: number) {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`Latency must be a non-negative number of ms, got ${ms}`);
    this.#latencyMs = ms;
  }

  /** Share of requests, 0..1, answered 503. */
  get errorRate(): number {
    return this.#errorRate;
  }

  set errorRate(rate: number) {
    this.#errorRate = checkRate(rate);
  }

  get dropRate(): number {
    return this.#dropRate;
  }

  set dropRate(rate: number) {
    this.#dropRate = checkRate(rate);
  }

  /** Fails the next `times` calls of `operationId` (or of any operation, with `'*'`). */
  failNext(operationId: OperationId | '*', fault: Fault, times = 1): void {
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
    this.#oneShots.push({ operationId, fault, remaining: times });
  }

  /** Clears one-shot faults; latency and rate stay. */
  clearOneShots(): void {
    this.#oneShots.length = 0;
  }

  /** Restarts the random sequence, e.g. between tests. */
  reseed(seed: number): void {
    this.#random = seededRandom(seed);
  }

  /** Decides the fate of one request to `operationId`, consuming a one-shot fault if one applies. */
  decide(operationId: OperationId): FaultDecision {
    const decision: FaultDecision = { latencyMs: this.latencyMs };
    const at = this.#oneShots.findIndex((planned) => planned.operationId === operationId || planned.operationId === '*');
    const planned = this.#oneShots[at];
    if (planned) {
      planned.remaining -= 1;
      if (planned.remaining === 0) this.#oneShots.splice(at, 1);
      decision.fault = planned.fault;
    } else if (this.#errorRate > 0 || this.#dropRate > 0) {
      const draw = this.#random();
      if (draw < this.#errorRate) decision.fault = { status: 503, retryAfterSeconds: this.#retryAfterSeconds };
      else if (draw < this.#errorRate + this.#dropRate) decision.fault = { networkError: true, afterProcessing: true };
    }
    return decision;
  }
}

function checkRate(rate: number): number {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`Fault rate must be between 0 and 1, got ${rate}`);
  return rate;
}

/** The error an injected status fault answers with. */
export function faultError(fault: Exclude<Fault, { networkError: true }>): Error {
  switch (fault.status) {
    case 503:
      return new ServiceUnavailableError(fault.retryAfterSeconds ?? 1);
    case 429:
      // As if the provider default (100 requests per minute) were used up.
      return new RateLimitedError(100, 60, fault.retryAfterSeconds ?? 1);
    case 500:
      return new InjectedInternalError();
  }
}
