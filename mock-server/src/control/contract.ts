/**
 * The control API's contract, shared by its two halves: the interface the in-process controller
 * (`control/server`) and the HTTP client (`control/client`) both implement, and the shapes they
 * exchange. Types only, and the error both reject with.
 */
import type { MemoryEntry, SessionDocument } from '../core/types.js';
import type { DelayOptions, FailureStatus, InjectedFailure, OperationTarget } from '../http/faults.js';
import type { RecordedRequest, RequestFilter } from '../http/journal.js';
import type { OverrideOptions, OverrideResponse } from '../http/overrides.js';
import type { OperationId } from '../spec/spec.gen.js';
import type { Stub, StubOptions } from '../http/stubs.js';

export { ControlError, type ControlIssue } from '../http/control-error.js';
export { matcherToWire } from '../http/matcher.js';
export type { DelayOptions, FailureStatus, InjectedFailure, OperationTarget, OverrideOptions, OverrideResponse, RecordedRequest, RequestFilter, Stub, StubOptions };

/**
 * Everything the API stores, as plain JSON: what `controller.snapshot()` returns and
 * `controller.seed()` takes.
 */
export interface SessionsData {
  /**
   * Each session with the organisation it belongs to and its messages, oldest first. The session
   * is the Sessions API's `Session`: a snapshot gives its `message_count`, seed ignores it (it is
   * derived from the messages).
   */
  sessions: Array<SessionDocument & { session: { message_count?: number } }>;
  /** Summaries in memory. */
  memory: MemoryEntry[];
}

/** The API's clock, as the controller moves it. Each call resolves with the time after it. */
export interface ControllerClock {
  /** The API's time, epoch ms. */
  now(): Promise<number>;
  /** Moves the clock forward by `ms`; expiry follows at once. */
  advance(ms: number): Promise<number>;
  /** Jumps to epoch-ms `epochMs` (backwards too); time flows on from there. */
  set(epochMs: number): Promise<number>;
}

/** The request journal: call it to read, `.clear()` to empty it. */
export interface RequestQuery {
  /** Recorded exchanges matching `filter`, oldest first. */
  (filter?: RequestFilter): Promise<RecordedRequest[]>;
  clear(): Promise<void>;
}

/** The stubs in force: call it to list them (in the order they are tried), `.remove(id)` to drop one. */
export interface StubQuery {
  (): Promise<Stub[]>;
  /** Removes one stub; an unknown id rejects with a 404 `ControlError`. */
  remove(id: string): Promise<void>;
}

/**
 * Steers and inspects a running Sessions API. The same interface in-process
 * (`createSessionsApi().controller`, `createSessionsHandlers().controller`) and over HTTP
 * (`connectControl()`), so a test helper written against it works with either. Every method
 * rejects with a `ControlError` on a bad input, naming the field, and then changes nothing.
 */
export interface SessionsController {
  /**
   * Back to the start: the store holds the initial data again; faults, delays, overrides,
   * rate-limit windows, idempotency keys and the journal are cleared; background summaries are
   * awaited; the clock is put back.
   */
  reset(): Promise<void>;
  /** Adds sessions and memory entries, checked against the spec's schemas; a bad one adds nothing. */
  seed(data: Partial<SessionsData>): Promise<void>;
  /** A copy of everything stored, in the shape `seed()` takes. */
  snapshot(): Promise<SessionsData>;
  readonly clock: ControllerClock;
  /** `await controller.summaries.flush()` waits for every background summary. */
  readonly summaries: { flush(): Promise<void> };
  /**
   * Fails the next `times` (default 1) calls of an operation (or of every one, with `'all'`)
   * with any error status the operation documents (its type says which: `FailureStatus`), or with
   * a dropped connection. `match` limits it to the calls it matches; `priority` and `name` as
   * for every stub (see `StubOptions`).
   * @example await controller.fail('addMessage', { status: 503, times: 2, retryAfter: 0 })
   * @example await controller.fail('createSession', { networkError: true, afterProcessing: true })
   * @example await controller.fail('addMessage', { status: 503, times: 5, match: { sessionId: 'sess_1' }, name: 'sess_1 down' })
   */
  fail<Target extends OperationTarget>(operationId: Target, failure: InjectedFailure<FailureStatus<Target>>): Promise<void>;
  /**
   * Delays the calls of an operation (or of `'all'`) that `options.match` matches by `ms` before
   * they are handled, for `options.times` calls or until reset; 0 removes the delays without a matcher.
   */
  delay(operationId: OperationTarget, ms: number, options?: DelayOptions): Promise<void>;
  /**
   * Answers an operation with a response of the test's choice, for `times` calls or until
   * `reset()`, only for the calls `match` matches when given. The response is checked against
   * the spec: an undocumented status, or a body its schema refuses, rejects here.
   */
  override(operationId: OperationId, response: OverrideResponse, options?: Pick<OverrideOptions, 'times'> & StubOptions): Promise<void>;
  /** The faults, delays and overrides in force. */
  readonly stubs: StubQuery;
  /** The request journal. */
  readonly requests: RequestQuery;
}

