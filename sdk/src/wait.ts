import { APIUserAbortError, FoldSessionsError } from './errors.js';
import type { SessionWithMessages } from './generated/types.gen.js';
import { check } from './options.js';
import { sleep } from './retry.js';

/** How `sessions.waitForSummary()` polls. */
export interface WaitForSummaryOptions {
  /** The first wait between polls, in ms; each next one is 1.5 times longer, up to 2 s. @default 200 */
  intervalMs?: number | undefined;
  /** Give up after this many ms with a `WaitTimeoutError`. @default 30000 */
  timeoutMs?: number | undefined;
  /** Stops waiting (and the poll in flight) with an `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
}

/** `waitForSummary` gave up: the summary was still `pending` after `timeoutMs`. */
export class WaitTimeoutError extends FoldSessionsError {
  static override readonly kind: string = 'WaitTimeoutError';
}

const MAX_INTERVAL_MS = 2_000;
const settled = new Set(['stored', 'failed', 'none']);

const checkWhole = (name: string, value: number, min: number): number =>
  check(name, value, Number.isSafeInteger(value) && value >= min, `a whole number ≥ ${min}`);

const aborted = (cause: unknown) => new APIUserAbortError('waitForSummary was aborted by the caller', { cause });

/** Polls `get` with backoff until the session's summary is settled. */
export async function waitForSummary(
  get: (signal: AbortSignal | undefined) => PromiseLike<SessionWithMessages>,
  options: WaitForSummaryOptions = {},
): Promise<SessionWithMessages> {
  let interval = checkWhole('intervalMs', options.intervalMs ?? 200, 1);
  const timeoutMs = checkWhole('timeoutMs', options.timeoutMs ?? 30_000, 0);
  const { signal } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) throw aborted(signal.reason);
    const session = await get(signal);
    if (settled.has(session.summary_status)) return session;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new WaitTimeoutError(`The summary of ${session.id} was still ${session.summary_status} after ${timeoutMs} ms; pass a longer timeoutMs`);
    }
    try {
      await sleep(Math.min(interval, left), signal);
    } catch (reason) {
      throw aborted(reason);
    }
    interval = Math.min(interval * 1.5, MAX_INTERVAL_MS);
  }
}
