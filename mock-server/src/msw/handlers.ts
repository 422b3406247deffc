import { http, HttpResponse, type HttpHandler } from 'msw';
import { createApiHandler } from '../api/handler.js';
import { FaultInjector } from '../api/faults.js';
import { matchRoute } from '../api/routes.js';
import { operationIds, type ApiHandler, type ApiResponse, type OperationId } from '../api/types.js';
import type { Clock, ManualClock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import { LowdbSessionStore } from '../core/lowdb-store.js';
import { SessionsService } from '../core/service.js';
import type { Summarizer } from '../core/summarizer.js';
import { checkSeed, loadSeed, takeSnapshot, type SessionsData } from './seed.js';
import { createTestClock } from './test-clock.js';

/** The spec's production server: what the SDK calls unless told otherwise. */
export const defaultBaseUrl = 'https://api.fold.run';

/** The organisation of every bearer token when no `keys` are given. */
export const defaultOrgId = 'org_test';

export interface SessionsHandlersOptions {
  /**
   * Where the API is mounted. `'*'` matches any origin (a relative path prefix such as
   * `'*\/api'` works too, in MSW's path syntax).
   * @default 'https://api.fold.run'
   */
  baseUrl?: string;
  /**
   * API keys and their organisations. Other tokens answer 401 `AUTH_INVALID`.
   * @default any bearer token is accepted, as organisation `org_test`
   */
  keys?: Record<string, string>;
  /** @default real time, movable with `controller.clock.advance()` */
  clock?: Clock;
  /** @default the deterministic built-in summarizer */
  summarizer?: Summarizer;
  /** Deterministic ids for snapshot tests, e.g. `sequentialIds()`. @default random ids */
  idGenerator?: IdGenerator;
  /** Data present from the start and after every `reset()`. */
  initialData?: Partial<SessionsData>;
  /** Requests per minute per organisation, answered 429 past it. @default off */
  rateLimit?: number;
}

/** A one-shot failure for `controller.fail()`. */
export type InjectedFailure =
  | { status: 429 | 500 | 503; times?: number; retryAfter?: number }
  | {
      networkError: true;
      times?: number;
      /**
       * Drop the response only after the request was fully handled (its write is stored), the
       * way a connection lost on the way back looks to a client.
       * @default false: the request never reaches the API
       */
      afterProcessing?: boolean;
    };

export interface SessionsController {
  /** Empties the store (back to `initialData`), clears faults, delays, rate-limit windows and idempotency keys. */
  reset(): Promise<void>;
  /** Adds sessions and memory entries, checked against the spec's schemas. */
  seed(data: Partial<SessionsData>): Promise<void>;
  /** A deep copy of everything stored, in the shape `seed()` takes. */
  snapshot(): SessionsData;
  /** The handlers' clock: `advance(ms)` and `set(epochMs)` move it. */
  readonly clock: ManualClock;
  /** Background summaries: `await controller.summaries.flush()` waits for every one. */
  readonly summaries: { flush(): Promise<void> };
  /**
   * Fails the next `times` (default 1) calls of an operation, then clears itself.
   * @example controller.fail('addMessage', { status: 503, times: 2, retryAfter: 0 })
   * @example controller.fail('createSession', { networkError: true })
   */
  fail(operationId: OperationId | 'all', failure: InjectedFailure): void;
  /** Delays every call of an operation (or of `'all'`) by `ms` before it is handled; 0 removes it. */
  delay(operationId: OperationId | 'all', ms: number): void;
}


function checkOperation(operationId: string, method: string): asserts operationId is OperationId | 'all' {
  if (operationId !== 'all' && !(operationIds as readonly string[]).includes(operationId)) {
    throw new TypeError(`controller.${method}(): unknown operation "${operationId}"; use one of ${operationIds.join(', ')} or 'all'`);
  }
}

function checkTimes(times: number | undefined): number {
  const value = times ?? 1;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
  return value;
}

/** Any token maps to one organisation: a consumer's tests need no key set-up. */
class AnyTokenKeys extends Map<string, string> {
  override get(): string {
    return defaultOrgId;
  }
}

interface Runtime {
  store: LowdbSessionStore;
  service: SessionsService;
  handle: ApiHandler;
}

/**
 * Stateful MSW handlers that behave exactly like the reference server: the same domain core,
 * validation and error mapping, over lowdb's in-memory adapter. Spread `handlers` into
 * `setupServer()` or `setupWorker()`; steer state, time and faults through `controller`.
 *
 * @example
 * const { handlers, controller } = createSessionsHandlers();
 * const server = setupServer(...handlers);
 * afterEach(() => controller.reset());
 */
export function createSessionsHandlers(options: SessionsHandlersOptions = {}): {
  handlers: HttpHandler[];
  controller: SessionsController;
} {
  const clock: ManualClock = isManual(options.clock) ? options.clock : wrapClock(options.clock);
  const keys = options.keys ? new Map(Object.entries(options.keys)) : new AnyTokenKeys();
  const orgIds = new Set<string>(options.keys ? Object.values(options.keys) : [defaultOrgId]);
  const initialData = checkSeed(options.initialData ?? {});
  const faults = new FaultInjector();
  const delays = new Map<OperationId | 'all', number>();

  function build(): Runtime {
    const store = LowdbSessionStore.inMemory();
    const service = new SessionsService({
      store,
      clock,
      ...(options.summarizer && { summarizer: options.summarizer }),
      ...(options.idGenerator && { ids: options.idGenerator }),
    });
    const handle = createApiHandler({
      service,
      keys,
      clock,
      faults,
      ...(options.rateLimit !== undefined && { rateLimit: options.rateLimit }),
    });
    return { store, service, handle };
  }

  let runtime = build();
  let ready = seedRuntime(runtime, initialData);

  async function seedRuntime(target: Runtime, data: SessionsData): Promise<void> {
    for (const doc of data.sessions) orgIds.add(doc.org_id);
    await loadSeed(target.store, data);
  }

  const base = options.baseUrl ?? defaultBaseUrl;
  const pattern = base === '*' ? '*' : `${base.replace(/\/+$/, '')}/*`;
  const prefix = base === '*' ? '' : new URL(base.replace(/^\*/, 'http://any'), 'http://any').pathname.replace(/\/+$/, '');

  const handler = http.all(pattern, async ({ request }) => {
    await ready;
    const url = new URL(request.url);
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;
    const operationId = matchRoute(request.method, path)?.operationId;
    const wait = (operationId && delays.get(operationId)) || delays.get('all') || 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const rawBody = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const response: ApiResponse = await runtime.handle({ method: request.method, path, query: url.searchParams, headers, rawBody });

    if (response.networkError) return HttpResponse.error();
    return new HttpResponse(response.body === null ? null : JSON.stringify(response.body), {
      status: response.status,
      headers: response.headers,
    });
  });

  const controller: SessionsController = {
    async reset() {
      await runtime.service.summaries.flush();
      faults.clearOneShots();
      delays.clear();
      runtime = build();
      ready = seedRuntime(runtime, initialData);
      await ready;
    },
    async seed(data) {
      const checked = checkSeed(data);
      await ready;
      ready = seedRuntime(runtime, checked);
      await ready;
    },
    snapshot: () => takeSnapshot(runtime.store, orgIds),
    clock,
    summaries: { flush: () => runtime.service.summaries.flush() },
    fail(operationId, failure) {
      checkOperation(operationId, 'fail');
      const times = checkTimes(failure.times);
      const target = operationId === 'all' ? '*' : operationId;
      if ('networkError' in failure) {
        faults.failNext(target, { networkError: true, afterProcessing: failure.afterProcessing ?? false }, times);
        return;
      }
      if (![429, 500, 503].includes(failure.status)) {
        throw new RangeError(`controller.fail() injects status 429, 500 or 503, or { networkError: true }; got ${failure.status}`);
      }
      const retryAfterSeconds = failure.retryAfter ?? 0;
      if (!(Number.isInteger(retryAfterSeconds) && retryAfterSeconds >= 0)) {
        throw new RangeError(`retryAfter must be a whole number of seconds >= 0, got ${failure.retryAfter}`);
      }
      faults.failNext(target, failure.status === 500 ? { status: 500 } : { status: failure.status, retryAfterSeconds }, times);
    },
    delay(operationId, ms) {
      checkOperation(operationId, 'delay');
      if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`delay must be a non-negative number of ms, got ${ms}`);
      if (ms === 0) delays.delete(operationId);
      else delays.set(operationId, ms);
    },
  };

  return { handlers: [handler], controller };
}

function isManual(clock: Clock | undefined): clock is ManualClock {
  return !!clock && typeof (clock as ManualClock).advance === 'function' && typeof (clock as ManualClock).set === 'function';
}

/** A consumer's plain clock, made movable by an offset on top of it. */
function wrapClock(clock: Clock | undefined): ManualClock {
  return createTestClock(clock ? () => clock.now() : Date.now);
}

