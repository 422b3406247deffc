import { APIPromise, type RawResponse } from './api-promise.js';
import { describeRequest, ResponseValidationError } from './errors.js';
import type { Client } from './generated/client/index.js';
import { type RequestOptions, type ResolvedClientOptions, resolveRequestOptions } from './options.js';
import type { Operation } from './response-validator.js';
import { createCallTransport } from './transport.js';

/** What every resource shares: the generated client and the resolved client options. */
export interface Core {
  client: Client;
  options: ResolvedClientOptions;
  /**
   * The prototype of every call's options: it carries `client` where the generated function
   * finds it by name but its spread into `new Request()` does not (Deno refuses a `client` there
   * that is not a `Deno.HttpClient`).
   */
  base: object;
}

/** Builds the client's shared prototype of call options. */
export const callBase = (client: Client): object => Object.defineProperty({}, 'client', { value: client });

/** The per-call options handed to a generated operation function, with its own arguments. */
export type CallOptions<Args> = Args & {
  client: Client;
  fetch: typeof fetch;
  signal: AbortSignal;
  headers: Record<string, string> | undefined;
  throwOnError: true;
};

/** Builds a generated function's options; `parseAs: 'stream'` is in the client's config. */
export type Call = <Args extends object>(args: Args) => CallOptions<Args>;

/**
 * Runs one logical call: resolves its options, sends it through the generated operation with
 * the retrying `fetch`, and, when the result is asked for, reads the body and checks it against
 * the spec if the client has a validator.
 */
export function perform<T>(
  core: Core,
  operation: Operation,
  options: RequestOptions | undefined,
  send: (call: Call) => Promise<{ response: Response; request: Request }>,
): APIPromise<T> {
  let transport: ReturnType<typeof createCallTransport>;
  let headers: Record<string, string> | undefined;
  try {
    const resolved = resolveRequestOptions(core.options, options);
    headers = resolved.headers;
    transport = createCallTransport(core.options, resolved);
  } catch (error) {
    // A bad per-call option rejects the call, before anything is sent.
    return new APIPromise<T>(Promise.reject(error), () => Promise.reject(error));
  }
  const { fetch, signal, release, explain } = transport;
  const call = (<Args extends object>(args: Args) =>
    Object.assign(Object.create(core.base) as { client: Client }, args, { fetch, signal, headers, throwOnError: true as const })) as Call;

  let request: Request | undefined;
  const raw = send(call).then(
    (sent): RawResponse => {
      request = sent.request;
      return { response: sent.response, release };
    },
    (error: unknown) => {
      release();
      throw explain(error);
    },
  );

  return new APIPromise<T>(raw, async ({ response }) => {
    try {
      const text = await response.text();
      const data = (text ? JSON.parse(text) : {}) as T;
      const issues = core.options.validateResponses?.check(operation, data);
      if (issues?.[0]) {
        const { path, message } = issues[0];
        throw new ResponseValidationError(
          `${describeRequest(request as Request)} returned a body that breaks the spec at ${path || '(root)'}: ${message}` +
            (issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''),
          issues,
          data,
        );
      }
      return data;
    } catch (error) {
      throw explain(error);
    } finally {
      release();
    }
  });
}
