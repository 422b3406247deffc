/** How the kit retries transient answers: bounded, so that a run against a sick deployment ends. */
export interface RetryPolicy {
  /** Attempts per request, the first included. @default 5 */
  maxTries: number;
  /** The longest single wait, whatever `Retry-After` asks for, in ms. @default 10000 */
  maxWaitMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxTries: 5, maxWaitMs: 10_000 };

const INITIAL_BACKOFF_MS = 250;

/**
 * Whether an answer is transient: 503, and 429 unless the server says `x-should-retry: false`
 * (a plan limit, docs/decisions.md#limits). `undefined` is no answer at all (a connection error).
 */
export function isTransient(status: number | undefined, headers?: Headers): boolean {
  if (status === undefined) return true;
  if (status === 503) return true;
  return status === 429 && headers?.get('x-should-retry') !== 'false';
}

/**
 * Milliseconds before retry number `retry` (0 for the first): the server's `Retry-After` (seconds
 * or an HTTP date) when it sends one, else backoff from 250 ms, doubling, minus up to 25 % jitter;
 * never more than `maxWaitMs`.
 */
export function retryDelay(retry: number, headers: Headers | undefined, policy: RetryPolicy, random: () => number = Math.random): number {
  const advised = advisedDelay(headers);
  const wait = advised ?? INITIAL_BACKOFF_MS * 2 ** retry * (1 - 0.25 * random());
  return Math.min(Math.max(0, wait), policy.maxWaitMs);
}

function advisedDelay(headers: Headers | undefined): number | undefined {
  const retryAfter = headers?.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  // RFC 9110 §10.2.3: delay-seconds or an HTTP-date.
  if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : date - Date.now();
}

/** Waits `ms`, or rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
