import type { SessionsData } from './data.js';
import type { FailureStatus, InjectedFailure, OperationTarget } from './faults.js';
import type { RecordedRequest, RequestFilter } from './journal.js';
import type { OverrideAnswer, OverrideOptions, OverrideResponse } from './overrides.js';
import type { OperationId } from './spec.gen.js';

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
   * a dropped connection.
   * @example await controller.fail('addMessage', { status: 503, times: 2, retryAfter: 0 })
   * @example await controller.fail('createSession', { networkError: true, afterProcessing: true })
   */
  fail<Target extends OperationTarget>(operationId: Target, failure: InjectedFailure<FailureStatus<Target>>): Promise<void>;
  /** Delays every call of an operation (or of `'all'`) by `ms` before it is handled; 0 removes it. */
  delay(operationId: OperationTarget, ms: number): Promise<void>;
  /**
   * Answers an operation with a response of the test's choice, for `times` calls or until
   * `reset()`. The response is checked against the spec: an undocumented status, or a body its
   * schema refuses, rejects here.
   */
  override(operationId: OperationId, response: OverrideResponse, options?: Pick<OverrideOptions, 'times'>): Promise<void>;
  /** The request journal. */
  readonly requests: RequestQuery;
}

/** The in-process controller: also takes override functions and unchecked responses. */
export interface LocalController extends SessionsController {
  override(operationId: OperationId, response: OverrideAnswer, options?: OverrideOptions): Promise<void>;
}
