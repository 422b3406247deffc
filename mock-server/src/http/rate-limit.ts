import type { Clock } from '../core/clock.js';
import { RateLimitedError } from './errors.js';

export interface RateLimitOptions {
  /** Requests allowed per window, per organisation. */
  limit: number;
  /** @default 60 */
  windowSeconds?: number;
}

interface Window {
  startedAt: number;
  used: number;
}

export interface RateLimitDecision {
  /** `RateLimit` and `RateLimit-Policy`, for every response to this request. */
  headers: Record<string, string>;
  /** Set when the window is used up: the request must be refused with it. */
  refusal?: RateLimitedError;
}

/**
 * A fixed-window counter per organisation. `take` counts one request and says whether it may
 * proceed, with the headers that describe the window.
 */
export class RateLimiter {
  readonly limit: number;
  readonly windowSeconds: number;
  readonly #clock: Clock;
  readonly #windows = new Map<string, Window>();

  constructor(options: RateLimitOptions, clock: Clock) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new RangeError(`Rate limit must be a positive integer, got ${options.limit}`);
    }
    this.limit = options.limit;
    this.windowSeconds = options.windowSeconds ?? 60;
    this.#clock = clock;
  }

  /** Forgets every window. */
  reset(): void {
    this.#windows.clear();
  }

  take(orgId: string): RateLimitDecision {
    const now = this.#clock.now();
    const windowMs = this.windowSeconds * 1000;
    let window = this.#windows.get(orgId);
    if (!window || now - window.startedAt >= windowMs || now < window.startedAt) {
      window = { startedAt: now, used: 0 };
      this.#windows.set(orgId, window);
    }
    const resetSeconds = Math.max(1, Math.ceil((window.startedAt + windowMs - now) / 1000));
    const allowed = window.used < this.limit;
    if (allowed) window.used += 1;
    const headers = {
      ratelimit: `limit=${this.limit}, remaining=${this.limit - window.used}, reset=${resetSeconds}`,
      'ratelimit-policy': `${this.limit};w=${this.windowSeconds}`,
    };
    return allowed ? { headers } : { headers, refusal: new RateLimitedError(this.limit, this.windowSeconds, resetSeconds) };
  }
}
