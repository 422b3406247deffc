import { APIPromise, type Exchange, type Sent } from './api-promise.js';
import { ResponseValidationError } from './errors.js';
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
  signal: AbortSignal | undefined;
  headers: Record<string, string>;
  /** None: the client's headers already carry `Authorization`, so the generated auth step is skipped. */
  security: undefined;
  /** Never set per call: the client's config throws on every error status. Typed for the result's type. */
  throwOnError?: true;
};

/** A generated operation function, called with its arguments and the call's options. */
export type Send<Args> = (options: CallOptions<Args>) => Promise<Sent>;

/**
 * Runs one logical call: resolves its options, sends `args` through the generated operation
 * `send` with the retrying `fetch`, and, when the result is asked for, reads the body and checks
 * it against the spec if the client has a validator. `parseAs: 'stream'` is in the client's config.
 */
export function perform<T, Args extends object = object>(
  core: Core,
  operation: Operation,
  options: RequestOptions | undefined,
  send: Send<Args>,
  args: Args,
): APIPromise<T> {
  let transport: ReturnType<typeof createCallTransport>;
  let call: ReturnType<typeof resolveRequestOptions>;
  try {
    call = resolveRequestOptions(core.options, options);
    transport = createCallTransport(core.options, call);
  } catch (error) {
    // A bad per-call option rejects the call, before anything is sent; the body is never read.
    return new APIPromise<T>(Promise.reject(error), refused);
  }
  const { release, fail } = transport;
  const sent = Object.assign(Object.create(core.base) as CallOptions<Args>, args);
  sent.fetch = transport.fetch;
  sent.signal = transport.signal;
  sent.headers = call.headers;
  sent.security = undefined;

  const read = (text: string): T => {
    try {
      const data = (text ? JSON.parse(text) : {}) as T;
      const issues = core.options.validateResponses?.check(operation, data);
      if (issues?.[0]) {
        const { path, message } = issues[0];
        throw new ResponseValidationError(
          `${transport.label()} returned a body that breaks the spec at ${path || '(root)'}: ${message}` +
            (issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''),
          issues,
          data,
        );
      }
      release();
      return data;
    } catch (error) {
      return fail(error);
    }
  };

  return new APIPromise<T>(send(sent), { parse: ({ response }) => response.text().then(read, fail), release, fail });
}

/**
 * The exchange of a call refused before anything was sent. Its promise only ever rejects, and
 * without a `fail` the rejection passes through `then` unchanged: none of its functions runs.
 */
const refused = {} as Exchange<never>;
