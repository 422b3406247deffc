import { clearDeadline, setDeadline } from './deadlines.js';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  describeRequest,
  type FoldSessionsError,
  isFoldSessionsError,
} from './errors.js';
import { logs, write } from './log.js';
import type { ResolvedClientOptions, ResolvedRequestOptions } from './options.js';
import { retryDelay, shouldRetry, sleep } from './retry.js';

/**
 * The retry loop of one logical call, handed to the generated client as its `fetch`. It returns
 * the last response (success or final error status, which the client's error interceptor turns
 * into an `APIError`) or throws a connection, timeout or abort error.
 */
export interface CallTransport {
  fetch: typeof fetch;
  /**
   * The first attempt's signal when the client has its own `fetch`, for the one Request the
   * generated client builds. The global `fetch` gets it in its init instead: undici's `fetch`
   * builds a second Request, and each one that follows a signal adds listeners and a finalizer.
   */
  signal: AbortSignal | undefined;
  /**
   * Clears the attempt's deadline and throws what the caller should see instead of `error`: the
   * same error to every consumer of the call.
   */
  fail(error: unknown): never;
  /** Clears the attempt's deadline and listeners once the response body has been read. */
  release(): void;
  /** Names the call in messages, as `GET /sessions/sess_123`. */
  label(): string;
}

/**
 * Starts the call's first attempt at once (its deadline runs from here), so that its signal exists
 * before the generated client builds its one Request: no attempt costs a second Request but retries.
 */
export function createCallTransport(client: ResolvedClientOptions, call: ResolvedRequestOptions): CallTransport {
  const { signal, timeout, maxRetries } = call;
  const { log, fetch: ownFetch } = client;
  let attempt: AbortController;
  let timedOut = false;
  let request: Request | undefined;
  let explained: unknown;

  const expire = () => {
    timedOut = true;
    attempt.abort();
  };
  const arm = () => {
    attempt = new AbortController();
    timedOut = false;
    setDeadline(expire, timeout);
  };
  const onCallerAbort = () => attempt.abort(signal?.reason);
  const release = () => {
    clearDeadline(expire);
    signal?.removeEventListener('abort', onCallerAbort);
  };
  // Named only when an error needs it: parsing the URL on every call is measurable.
  const label = () => (request ? describeRequest(request) : 'request');
  const userAbort = (cause: unknown) => new APIUserAbortError(`${label()} was aborted by the caller`, { cause });
  const timedOutAfter = () => `timed out after ${timeout} ms`;
  const timeoutError = () => new APITimeoutError(`${label()} ${timedOutAfter()}`);

  arm();
  if (signal) {
    if (signal.aborted) onCallerAbort();
    else signal.addEventListener('abort', onCallerAbort, { once: true });
  }

  // The generated client always calls its `fetch` with the one Request it built.
  const fetchWithRetries = async (input: Request): Promise<Response> => {
    request = input;
    if (signal?.aborted) throw userAbort(signal.reason);
    // One key per logical call, identical on every attempt: this is what makes a retried POST safe.
    // The headers of a constructed Request are mutable, and retries are built from this one.
    if (input.method === 'POST' && (call.idempotencyKey || !input.headers.has('idempotency-key'))) {
      input.headers.set('idempotency-key', call.idempotencyKey ?? crypto.randomUUID());
    }
    // A body can be read once: requests with one keep a copy that each retry clones.
    const spare = input.body && input.clone();

    for (let retry = 0; ; retry++) {
      let source = input;
      if (retry) {
        arm();
        // A retry is the one place a second Request is built: it needs a fresh signal and count.
        source = new Request(spare ? spare.clone() : input, { signal: attempt.signal });
        if (client.identity) source.headers.set('x-fold-retry-count', String(retry));
      }

      let response: Response | undefined;
      let failure: FoldSessionsError | undefined;
      // What the attempt came to, without the request's name: `status 503`, `timed out after 100 ms`, ...
      let outcome: string;
      const started = logs(log, 'debug') ? performance.now() : 0;
      try {
        // Called unbound: browsers throw "Illegal invocation" when fetch runs with another `this`.
        response = await (ownFetch ? ownFetch(source) : fetch(source, { signal: attempt.signal }));
        outcome = `status ${response.status}`;
      } catch (error) {
        clearDeadline(expire);
        if (signal?.aborted) throw userAbort(error);
        if (timedOut) {
          outcome = timedOutAfter();
          failure = timeoutError();
        }
        // fetch rejects with a TypeError when the network fails; anything else is a bug to surface.
        else if (error instanceof TypeError) {
          const cause = error.cause as { code?: string; message?: string } | undefined;
          outcome = `could not reach the server: ${cause?.code ?? cause?.message ?? error.message} ${new URL(input.url).host}`;
          failure = new APIConnectionError(`${label()} ${outcome}`, { cause: error });
        } else throw error;
      }
      if (started) {
        const detail = response ? `${response.status} (request id ${response.headers.get('x-request-id') ?? 'none'})` : outcome;
        write(log, 'debug', `attempt ${retry + 1}: ${input.method} ${input.url} → ${detail} in ${Math.round(performance.now() - started)} ms`);
      }

      if (response?.ok || retry >= maxRetries || !shouldRetry(response?.status, response?.headers)) {
        if (retry && !response?.ok) write(log, 'warn', `${label()} failed after ${retry + 1} attempts: ${outcome}`);
        if (failure) throw failure;
        // The deadline still holds while the generated client reads the body.
        return response as Response;
      }
      clearDeadline(expire);
      // Not awaited: some fetch implementations (MSW's interceptor among them) never settle it.
      response?.body?.cancel().catch(() => undefined);
      const delay = retryDelay(retry, response?.headers);
      write(log, 'info', `retrying ${label()} in ${Math.round(delay)} ms (attempt ${retry + 2} of ${maxRetries + 1}): ${outcome}`);
      try {
        await sleep(delay, signal);
      } catch (reason) {
        throw userAbort(reason);
      }
    }
  };

  return {
    fetch: fetchWithRetries as typeof fetch,
    signal: ownFetch && attempt!.signal,
    release,
    label,
    fail: (error) => {
      release();
      // A call fails with one error (its exchange's, or its body's): every consumer gets the same.
      throw (explained ??= isFoldSessionsError(error) ? error : signal?.aborted ? userAbort(error) : timedOut ? timeoutError() : error);
    },
  };
}
