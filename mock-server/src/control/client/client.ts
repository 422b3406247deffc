import { ControlError, matcherToWire, type ControlIssue, type FailureStatus, type InjectedFailure, type OperationTarget, type OverrideResponse, type RecordedRequest, type RequestFilter, type SessionsController, type SessionsData, type Stub, type StubOptions } from '../contract.js';
import { createClient, createConfig } from '../../spec/control/client/index.js';
import * as routes from '../../spec/control/sdk.gen.js';
import type { FaultRequest, OperationId, RequestMatcher, SeedData } from '../../spec/control/types.gen.js';

/** The stub fields of a fault, delay or override, as the wire names them. */
function wireStubOptions(options: StubOptions | undefined): { match?: RequestMatcher; priority?: number; name?: string } {
  if (!options) return {};
  return {
    ...(options.match !== undefined && { match: matcherToWire(options.match) as RequestMatcher }),
    ...(options.priority !== undefined && { priority: options.priority }),
    ...(options.name !== undefined && { name: options.name }),
  };
}

export interface ConnectControlOptions {
  /** Where the server listens, e.g. `http://127.0.0.1:4010`. */
  baseURL: string;
  /** The control token the server printed at start-up (or was given with `--control-token`). */
  token: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

interface Outcome {
  data?: unknown;
  error?: unknown;
  response?: Response;
}

/** Turns an answer of the control API into its data, or a `ControlError` like the in-process controller's. */
async function settle<T>(call: string, pending: Promise<Outcome>): Promise<T> {
  let outcome: Outcome;
  try {
    outcome = await pending;
  } catch (error) {
    throw Object.assign(new ControlError(`${call}: could not reach the control API (${String(error)})`, 0, 'CONNECTION_ERROR'), { cause: error });
  }
  if (!outcome.response) {
    throw Object.assign(new ControlError(`${call}: could not reach the control API (${String(outcome.error)})`, 0, 'CONNECTION_ERROR'), { cause: outcome.error });
  }
  const status = outcome.response.status;
  if (status >= 200 && status < 300) return outcome.data as T;
  const body = outcome.error as { error?: string; code?: string; details?: { issues?: ControlIssue[] } | null } | undefined;
  const issues = body?.details?.issues ?? [];
  const detail = issues.length > 0 ? issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') : (body?.error ?? `status ${status}`);
  throw new ControlError(`${call}: ${detail}`, status, body?.code ?? 'UNKNOWN', issues);
}

/**
 * A typed client of a running server's control API, with the same methods and arguments as the
 * in-process controller: a test helper written against `SessionsController` works with either.
 * Browser-safe.
 *
 * @example
 * const control = connectControl({ baseURL: 'http://127.0.0.1:4010', token: process.env.FOLD_SESSIONS_CONTROL_TOKEN! });
 * await control.reset();
 * await control.clock.advance(61_000);
 * const appends = await control.requests({ operationId: 'addMessage' });
 */
export function connectControl(options: ConnectControlOptions): SessionsController {
  if (typeof options?.baseURL !== 'string' || options.baseURL === '') throw new TypeError('connectControl() needs a baseURL');
  if (typeof options.token !== 'string' || options.token === '') throw new TypeError('connectControl() needs the control token');
  const client = createClient(
    createConfig({
      baseUrl: options.baseURL.replace(/\/+$/, ''),
      headers: { authorization: `Bearer ${options.token}` },
      ...(options.fetch && { fetch: options.fetch }),
    }),
  );
  const moveClock = async (body: { advance_ms: number } | { set_ms: number }, call: string) =>
    (await settle<{ now: number }>(call, routes.moveClock({ client, body }))).now;

  const requests = Object.assign(
    async (filter: RequestFilter = {}): Promise<RecordedRequest[]> => {
      const query = {
        ...(filter.operationId !== undefined && { operation_id: filter.operationId }),
        ...(filter.status !== undefined && { status: filter.status }),
        ...(filter.sessionId !== undefined && { session_id: filter.sessionId }),
        ...(filter.since !== undefined && { since: filter.since }),
        ...(filter.limit !== undefined && { limit: filter.limit }),
      };
      const list = await settle<{ requests: RecordedRequest[] }>('control.requests()', routes.listRequests({ client, query }));
      return list.requests;
    },
    { clear: () => settle<void>('control.requests.clear()', routes.clearRequests({ client })) },
  );

  return {
    reset: () => settle<void>('control.reset()', routes.reset({ client })),
    seed: (data) => settle<void>('control.seed()', routes.seed({ client, body: data as SeedData })),
    snapshot: () => settle<SessionsData>('control.snapshot()', routes.snapshot({ client })),
    clock: {
      now: async () => (await settle<{ now: number }>('control.clock.now()', routes.getClock({ client }))).now,
      advance: (ms) => moveClock({ advance_ms: ms }, 'control.clock.advance()'),
      set: (epochMs) => moveClock({ set_ms: epochMs }, 'control.clock.set()'),
    },
    summaries: { flush: () => settle<void>('control.summaries.flush()', routes.flushSummaries({ client })) },
    fail(operationId, failure) {
      const body: FaultRequest = { operation_id: operationId as OperationId, ...wireStubOptions(failure) };
      if ('networkError' in failure) {
        body.network_error = failure.networkError;
        if (failure.afterProcessing !== undefined) body.after_processing = failure.afterProcessing;
      } else {
        body.status = failure.status;
        if (failure.retryAfter !== undefined) body.retry_after = failure.retryAfter;
      }
      if (failure.times !== undefined) body.times = failure.times;
      return settle<void>('control.fail()', routes.fail({ client, body }));
    },
    delay: (operationId, ms, delayOptions) =>
      settle<void>(
        'control.delay()',
        routes.delay({ client, body: { operation_id: operationId as OperationId, ms, ...(delayOptions?.times !== undefined && { times: delayOptions.times }), ...wireStubOptions(delayOptions) } }),
      ),
    override(operationId, response: OverrideResponse, overrideOptions = {}) {
      const body = {
        operation_id: operationId,
        status: response.status,
        ...(response.body !== undefined && { body: response.body }),
        ...(response.headers && { headers: response.headers }),
        ...(overrideOptions.times !== undefined && { times: overrideOptions.times }),
        ...wireStubOptions(overrideOptions),
      };
      return settle<void>('control.override()', routes.override({ client, body }));
    },
    stubs: Object.assign(async () => (await settle<{ stubs: Stub[] }>('control.stubs()', routes.listStubs({ client }))).stubs, {
      remove: (id: string) => settle<void>('control.stubs.remove()', routes.removeStub({ client, path: { id } })),
    }),
    requests,
  };
}
