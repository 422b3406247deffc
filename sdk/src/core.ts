import { describeRequest, ResponseValidationError } from './errors.js';
import type { Client } from './generated/client/index.js';
import { type RequestOptions, type ResolvedClientOptions, resolveRequestOptions } from './options.js';
import { createCallTransport } from './transport.js';
import type { Operation } from './response-validator.js';

/** What every resource shares: the generated client and the resolved client options. */
export interface Core {
  client: Client;
  options: ResolvedClientOptions;
}

/** The per-call options handed to a generated operation function. */
export interface CallHooks {
  client: Client;
  fetch: typeof fetch;
  headers: Record<string, string> | undefined;
  throwOnError: true;
}

/**
 * Runs one logical call: resolves its options, sends it through the generated operation with
 * the retrying `fetch`, and checks the body against the spec when the client asks for it.
 */
export async function perform<T>(
  core: Core,
  operation: Operation,
  options: RequestOptions | undefined,
  send: (hooks: CallHooks) => Promise<{ data: T; request: Request }>,
): Promise<T> {
  const transport = createCallTransport(core.options, resolveRequestOptions(core.options, options));
  try {
    const { data, request } = await send({
      client: core.client,
      fetch: transport.fetch,
      headers: options?.headers,
      throwOnError: true,
    });
    if (core.options.validateResponses) {
      const issues = core.options.validateResponses.check(operation, data);
      if (issues[0]) {
        const { path, message } = issues[0];
        throw new ResponseValidationError(
          `${describeRequest(request)} returned a body that breaks the spec at ${path || '(root)'}: ${message}` +
            (issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''),
          issues,
          data,
        );
      }
    }
    return data;
  } catch (error) {
    throw transport.explain(error);
  } finally {
    transport.release();
  }
}
