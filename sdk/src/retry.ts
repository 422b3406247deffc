/** The longest wait a server may ask for before its advice is ignored in favour of backoff. */
const MAX_ADVISED_DELAY_MS = 60_000;
const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;
const JITTER = 0.25;

/**
 * Whether a failed attempt is worth another one. `status` is undefined when there was no
 * response at all (connection error or timeout). The server's `x-should-retry` has the last word.
 */
export function shouldRetry(status: number | undefined, headers?: Headers): boolean {
  const advice = headers?.get('x-should-retry');
  if (advice === 'true') return true;
  if (advice === 'false') return false;
  if (status === undefined) return true;
  // 409 is a conflict with the session's state, so only retried when the server says so (above).
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Milliseconds to wait before retry number `retry` (0 for the first retry): the server's
 * `retry-after-ms`, else its `Retry-After` (seconds or an HTTP date), when that is between 0 and
 * 60 s; otherwise exponential backoff from 0.5 s, doubling, capped at 8 s, minus up to 25 % jitter.
 */
export function retryDelay(retry: number, headers?: Headers, random: () => number = Math.random): number {
  const advised = advisedDelay(headers);
  if (advised >= 0 && advised <= MAX_ADVISED_DELAY_MS) return advised;
  const backoff = Math.min(INITIAL_BACKOFF_MS * 2 ** retry, MAX_BACKOFF_MS);
  return backoff * (1 - JITTER * random());
}

/** The wait the server asked for, in ms (negative for a date in the past), or NaN when it did not say. */
function advisedDelay(headers: Headers | undefined): number {
  const ms = headers?.get('retry-after-ms');
  if (ms && isNumber(ms)) return Number(ms);
  const retryAfter = headers?.get('retry-after')?.trim() ?? '';
  // RFC 9110 §10.2.3: delay-seconds or an HTTP-date.
  return isNumber(retryAfter) ? Number(retryAfter) * 1000 : Date.parse(retryAfter) - Date.now();
}

const isNumber = (value: string): boolean => /^\s*\d+(\.\d+)?\s*$/.test(value);

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
