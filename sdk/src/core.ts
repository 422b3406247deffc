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
}

/** The per-call options handed to a generated operation function, with its own arguments. */
export type CallOptions<Args> = Args & {
  client: Client;
  fetch: typeof fetch;
  headers: Record<string, string> | undefined;
  throwOnError: true;
  parseAs: 'stream';
};

/**
 * Builds a generated function's options. `client` is not enumerable: the generated client
 * spreads its options into `new Request()`, and Deno refuses a `client` there that is not a
 * `Deno.HttpClient`; the generated function still finds it by name.
 */
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
  try {
    transport = createCallTransport(core.options, resolveRequestOptions(core.options, options));
  } catch (error) {
    // A bad per-call option rejects the call, before anything is sent.
    return new APIPromise<T>(Promise.reject(error), () => Promise.reject(error));
  }
  const call: Call = (args) =>
    Object.defineProperty(
      { ...args, fetch: transport.fetch, headers: options?.headers, throwOnError: true as const, parseAs: 'stream' as const },
      'client',
      { value: core.client, enumerable: false },
    ) as CallOptions<typeof args>;

  const raw = (async (): Promise<RawResponse & { request: Request }> => {
    try {
      const { response, request } = await send(call);
      return { response, request, release: transport.release };
    } catch (error) {
      transport.release();
      throw transport.explain(error);
    }
  })();

  return new APIPromise<T>(raw, async ({ response }) => {
    try {
      const text = await response.text();
      const data = (text ? JSON.parse(text) : {}) as T;
      const validator = core.options.validateResponses;
      const issues = validator?.check(operation, data) ?? [];
      if (issues[0]) {
        const { path, message } = issues[0];
        const request = (await raw).request;
        throw new ResponseValidationError(
          `${describeRequest(request)} returned a body that breaks the spec at ${path || '(root)'}: ${message}` +
            (issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''),
          issues,
          data,
        );
      }
      return data;
    } catch (error) {
      throw transport.explain(error);
    } finally {
      transport.release();
    }
  });
}
