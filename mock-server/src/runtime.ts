import { createTestClock, systemClock, type Clock } from './core/clock.js';
import type { IdGenerator } from './core/ids.js';
import { resolveLimits, type Limits } from './core/limits.js';
import { LowdbSessionStore } from './store/lowdb-store.js';
import { SessionsService } from './core/service.js';
import type { SessionStore } from './core/store.js';
import { transactional } from './store/transactions.js';
import type { Embedder } from './core/embedder.js';
import type { Summarizer } from './core/summarizer.js';
import { invalidControlInput } from './http/control-error.js';
import { createControlHandler, isControlPath } from './control/server/handler.js';
import type { LocalController } from './control/server/controller.js';
import { checkSeed, loadSeed, takeSnapshot, type SessionsData } from './control/server/data.js';
import { FaultInjector, type FaultOptions } from './http/faults.js';
import { createApiHandler, defaultBodyLimit, type StoredResponse } from './http/handler.js';
import { IdempotencyStore } from './http/idempotency.js';
import { checkRequestFilter, defaultJournalLimit, RequestJournal } from './http/journal.js';
import { Overrides } from './http/overrides.js';
import { RateLimiter, type RateLimitOptions } from './http/rate-limit.js';
import { restoreReplays } from './http/restored-replays.js';
import { StubRegistry } from './http/stubs.js';
import type { ApiHandler, ApiRequest } from './http/types.js';
import { zSession } from './spec/schemas.js';
import { createProxyHandler, type ProxyOptions } from './proxy/handler.js';
import { SessionRecording } from './proxy/recording.js';

/**
 * The latest time the controller may move the clock to: a session created then with the longest
 * TTL the spec allows still expires at a time every stored document and every runtime can hold
 * (a JavaScript `Date` ends at 8.64e15 ms). Later times would make the store refuse its own data.
 */
export const latestClockTime = 8_640_000_000_000_000 - (zSession.shape.ttl_seconds.maxValue ?? 0) * 1000;

/** The documented development key, used when no keys are configured. */
export const developmentKeys: Readonly<Record<string, string>> = Object.freeze({ fold_dev_key: 'org_dev' });

/** How to build the Sessions API: the same names in `createApp`, `createSessionsHandlers` and the CLI. */
export interface SessionsApiOptions {
  /**
   * API keys and the organisation each belongs to.
   * @default `{ fold_dev_key: 'org_dev' }`
   */
  keys?: Record<string, string> | ReadonlyMap<string, string>;
  /** Where sessions and memory live. @default an empty in-memory lowdb store */
  store?: SessionStore;
  /** The time the API starts from; the controller moves it and `reset()` puts it back. @default the system clock */
  clock?: Clock;
  /** @default the deterministic built-in summarizer; `openAISummarizer()` for a real model */
  summarizer?: Summarizer;
  /** Embeds summaries and queries to rank memory by meaning, e.g. `openAIEmbedder()`. @default none: lexical ranking */
  embedder?: Embedder;
  /** Deterministic ids for snapshot tests, e.g. `sequentialIds()`. @default random ids */
  idGenerator?: IdGenerator;
  /** Data added at start and again after every `reset()`. */
  initialData?: Partial<SessionsData>;
  /** Requests per minute per organisation (or `{ limit, windowSeconds }`), answered 429 past it. @default off */
  rateLimit?: number | RateLimitOptions | false;
  /** Faults in force from the start. @default none */
  faults?: FaultOptions;
  /**
   * What one session, one organisation and the API's own records may hold, each on top of
   * `defaultLimits`: see `Limits`. A session or organisation limit reached is 429
   * `USAGE_LIMIT_EXCEEDED`; the records evict their oldest.
   */
  limits?: Partial<Limits>;
  /** Largest body of the Sessions API, in bytes. @default 1048576 */
  bodyLimit?: number;
  /** How many exchanges the journal keeps (oldest dropped first), or `false` for no journal. @default 1000 */
  journal?: number | false;
  /** Serve the control API under `/__fold` through `handle`, with this bearer token. @default off */
  control?: { token: string } | false;
  /**
   * Forward every Sessions API request to this upstream instead of answering it here, validate
   * request and answer against the spec (violations in a `fold-violations` header and in the
   * journal), and record the sessions seen (`recording()`). The control API stays local; faults,
   * overrides, keys and limits do not apply to forwarded requests. @default off
   * @example { upstream: 'https://api.fold.run' }
   */
  proxy?: ProxyOptions;
  /** Sleeps for injected delays. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Told about every 500 that was not injected (a bug, or a store failure). */
  onInternalError?: (error: unknown, request: ApiRequest) => void;
  /** Told about every summary that failed; the session's `summary_status` says `failed` either way. */
  onSummaryError?: (error: unknown, sessionId: string) => void;
  /** Told about a background write that failed. */
  onStoreError?: (error: unknown, sessionId: string) => void;
  /** Told about a failed embedding (the entry is stored without a vector, or the query ranked by words). */
  onEmbeddingError?: (error: unknown, during: 'summary' | 'query') => void;
}

export interface SessionsApi {
  /** The Sessions API (and the control API, when on) as a function of plain requests. */
  handle: ApiHandler;
  controller: LocalController;
  service: SessionsService;
  /** With `proxy`: the sessions seen in the upstream's answers, as seed data; otherwise empty. */
  recording(): SessionsData;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function toKeyMap(keys: SessionsApiOptions['keys']): ReadonlyMap<string, string> {
  if (keys === undefined) return new Map(Object.entries(developmentKeys));
  return keys instanceof Map ? keys : new Map(Object.entries(keys as Record<string, string>));
}

/**
 * The one composition root of the Sessions API: store, service, idempotency, faults, overrides,
 * clock, journal and controller, wired once. Browser-safe. The Express app, the MSW handlers
 * and the CLI are thin adapters over what it returns.
 *
 * @example
 * const { handle, controller } = createSessionsApi({ keys: { k: 'org_1' } });
 * const response = await handle({ method: 'GET', path: '/sessions', headers: { authorization: 'Bearer k' } });
 */
export function createSessionsApi(options: SessionsApiOptions = {}): SessionsApi {
  const clock = createTestClock(options.clock ?? systemClock);
  const keys = toKeyMap(options.keys);
  const control = options.control || undefined;
  if (control && (typeof control.token !== 'string' || control.token.trim() === '')) throw new TypeError('control.token must be a non-empty string');
  if (control && keys.has(control.token)) throw new TypeError('The control token must differ from every API key');
  const limits = resolveLimits(options.limits);
  const store = options.store ? transactional(options.store) : LowdbSessionStore.inMemory();
  const initialData = checkSeed(options.initialData ?? {}, store, 'initialData');
  const service = new SessionsService({
    store,
    clock,
    ...(options.summarizer && { summarizer: options.summarizer }),
    ...(options.idGenerator && { ids: options.idGenerator }),
    ...(options.onSummaryError && { onSummaryError: options.onSummaryError }),
    ...(options.onStoreError && { onStoreError: options.onStoreError }),
    ...(options.embedder && { embedder: options.embedder }),
    ...(options.onEmbeddingError && { onEmbeddingError: options.onEmbeddingError }),
    limits,
  });
  const rateLimit = typeof options.rateLimit === 'number' ? { limit: options.rateLimit } : options.rateLimit || undefined;
  const rateLimiter = rateLimit ? new RateLimiter(rateLimit, clock) : undefined;
  const stubs = new StubRegistry();
  const faults = new FaultInjector(options.faults, stubs);
  const overrides = new Overrides(stubs);
  const idempotency = new IdempotencyStore<StoredResponse>({
    clock,
    maxRecords: limits.idempotencyRecords,
    maxBytes: limits.idempotencyBytes,
    // What a kept answer weighs: its body as sent (a string's length is close enough to its bytes).
    sizeOf: (response) => (response.body === null || response.body === undefined ? 0 : JSON.stringify(response.body).length),
  });
  restoreReplays(idempotency, store.taggedChanges?.() ?? []);
  const journal =
    options.journal === false
      ? undefined
      : new RequestJournal({ entries: options.journal ?? defaultJournalLimit, bytes: limits.journalBytes, bodyBytes: limits.journalBodyBytes });

  const recording = new SessionRecording();
  const apiHandle = options.proxy ? createProxyHandler({ ...options.proxy, clock, journal, recording }) : createApiHandler({
    service,
    keys,
    clock,
    rateLimiter,
    faults,
    overrides,
    idempotency,
    journal,
    bodyLimit: options.bodyLimit ?? defaultBodyLimit,
    sleep: options.sleep ?? defaultSleep,
    onInternalError: options.onInternalError,
  });

  let ready = loadSeed(store, initialData);

  const requests = Object.assign(
    async (filter?: Parameters<LocalController['requests']>[0]) => {
      const checked = checkRequestFilter(filter);
      return structuredClone(journal?.find(checked) ?? []);
    },
    {
      async clear() {
        journal?.clear();
      },
    },
  );

  const controller: LocalController = {
    async reset() {
      await ready;
      await service.summaries.flush();
      faults.reset();
      overrides.clear();
      idempotency.clear();
      rateLimiter?.reset();
      journal?.clear();
      clock.reset();
      ready = store.clear().then(() => loadSeed(store, initialData));
      await ready;
    },
    async seed(data) {
      await ready;
      const checked = checkSeed(data, store);
      ready = loadSeed(store, checked);
      await ready;
    },
    async snapshot() {
      await ready;
      return takeSnapshot(store);
    },
    clock: {
      async now() {
        return clock.now();
      },
      async advance(ms) {
        if (!(Number.isSafeInteger(ms) && ms >= 0)) throw invalidControlInput('controller.clock.advance()', [{ path: 'ms', message: `Must be a whole number of ms >= 0, got ${ms}` }]);
        if (clock.now() + ms > latestClockTime) {
          throw invalidControlInput('controller.clock.advance()', [{ path: 'ms', message: `Would move the clock past ${latestClockTime}, the latest time the store can hold; it is ${clock.now()}, got ${ms}` }]);
        }
        clock.advance(ms);
        return clock.now();
      },
      async set(epochMs) {
        if (!(Number.isSafeInteger(epochMs) && epochMs >= 0 && epochMs <= latestClockTime)) {
          throw invalidControlInput('controller.clock.set()', [{ path: 'epochMs', message: `Must be a whole epoch-ms time from 0 to ${latestClockTime}, got ${epochMs}` }]);
        }
        clock.set(epochMs);
        return clock.now();
      },
    },
    summaries: { flush: () => service.summaries.flush() },
    async fail(operationId, failure) {
      faults.fail(operationId, failure);
    },
    async delay(operationId, ms, delayOptions) {
      faults.delay(operationId, ms, delayOptions);
    },
    async override(operationId, response, overrideOptions) {
      overrides.add(operationId, response, overrideOptions);
    },
    stubs: Object.assign(async () => stubs.list(), {
      async remove(id: string) {
        if (typeof id !== 'string' || id === '') throw invalidControlInput('controller.stubs.remove()', [{ path: 'id', message: 'Must be a non-empty string' }]);
        stubs.remove(id);
      },
    }),
    requests,
  };

  const controlHandle = control ? createControlHandler(controller, control.token, { recording: () => recording.data() }) : undefined;
  const handle: ApiHandler = async (request) => {
    await ready;
    if (controlHandle && isControlPath(request.path)) return controlHandle(request);
    return apiHandle(request);
  };
  return { handle, controller, service, recording: () => recording.data() };
}
