import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  describeRequest,
  type FoldSessionsError,
  isFoldSessionsError,
} from './errors.js';
import type { ResolvedClientOptions, ResolvedRequestOptions } from './options.js';
import { retryDelay, shouldRetry, sleep } from './retry.js';

/**
 * The retry loop of one logical call, handed to the generated client as its `fetch`. It returns
 * the last response (success or final error status, which the client's error interceptor turns
 * into an `APIError`) or throws a connection, timeout or abort error.
 */
export interface CallTransport {
  fetch: typeof fetch;
  /** Turns what a settled call threw into the error the caller should see. */
  explain(error: unknown): unknown;
  /** Stops the attempt's timer and listeners once the response body has been read. */
  release(): void;
}

export function createCallTransport(client: ResolvedClientOptions, call: ResolvedRequestOptions): CallTransport {
  const { signal } = call;
  let attempt: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  let label = 'request';

  const onCallerAbort = () => attempt?.abort(signal?.reason);
  const release = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  };
  const userAbort = (cause: unknown) => new APIUserAbortError(`${label} was aborted by the caller`, { cause });
  const timeout = () =>
    new APITimeoutError(`${label} timed out after ${call.timeout} ms`);

  const fetchWithRetries = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    label = describeRequest(request);
    const headers = new Headers(request.headers);
    // One key per logical call, identical on every attempt: this is what makes a retried POST safe.
    if (request.method === 'POST' && (call.idempotencyKey || !headers.has('idempotency-key'))) {
      headers.set('idempotency-key', call.idempotencyKey ?? crypto.randomUUID());
    }
    if (signal?.aborted) throw userAbort(signal.reason);
    signal?.addEventListener('abort', onCallerAbort, { once: true });

    for (let retry = 0; ; retry++) {
      attempt = new AbortController();
      timedOut = false;
      timer = setTimeout(() => {
        timedOut = true;
        attempt?.abort();
      }, call.timeout);

      let response: Response | undefined;
      let failure: FoldSessionsError | undefined;
      try {
        response = await client.fetch(new Request(request.clone(), { headers, signal: attempt.signal }));
      } catch (error) {
        clearTimeout(timer);
        if (signal?.aborted) throw userAbort(error);
        if (timedOut) failure = timeout();
        // fetch rejects with a TypeError when the network fails; anything else is a bug to surface.
        else if (error instanceof TypeError) {
          const cause = error.cause as { code?: string } | undefined;
          failure = new APIConnectionError(`${label} could not reach the server (${cause?.code ?? error.message})`, { cause: error });
        } else throw error;
      }

      const settled = response?.ok || retry >= call.maxRetries || !shouldRetry(response?.status, response?.headers);
      if (settled) {
        if (failure) throw failure;
        // The timer keeps running while the generated client reads the body.
        return response as Response;
      }
      clearTimeout(timer);
      // Not awaited: some fetch implementations (MSW's interceptor among them) never settle it.
      response?.body?.cancel().catch(() => undefined);
      try {
        await sleep(retryDelay(retry, response?.headers), signal);
      } catch (reason) {
        throw userAbort(reason);
      }
    }
  };

  return {
    fetch: fetchWithRetries,
    release,
    explain(error) {
      if (isFoldSessionsError(error)) return error;
      if (signal?.aborted) return userAbort(error);
      if (timedOut) return timeout();
      return error;
    },
  };
}
