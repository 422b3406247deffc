import { ApiError, type ErrorCode } from './errors.js';
import { invalidControlInput, type ControlIssue } from './control-error.js';
import { seededRandom } from '../core/random.js';
import { type ErrorStatuses, operationIds, operationSpecs, type OperationId } from '../spec/spec.gen.js';
import type { RequestMatcher } from './matcher.js';
import { checkStubOptions, StubRegistry, type LocalMatch, type StubOptions, type StubRequest } from './stubs.js';

/** An operation of the Sessions API, or every operation. */
export type OperationTarget = OperationId | 'all';

/** The error statuses every operation documents: what `fail('all', ...)` can inject. */
type StatusOfAll = { [K in OperationId]: (status: ErrorStatuses[K]) => void }[OperationId] extends (status: infer S) => void ? S : never;

/**
 * The statuses `fail(target, ...)` can inject: the error statuses the operation documents (from
 * the spec, through the generated route table), or the ones all operations share for `'all'`.
 * @example FailureStatus<'getSession'> // 400 | 401 | 404 | 429 | 500 | 503
 */
export type FailureStatus<Target extends OperationTarget = OperationTarget> = Target extends OperationId ? ErrorStatuses[Target] : StatusOfAll;

/**
 * A failure for `controller.fail()`: an error status the operation documents (answered with a
 * spec-valid body; 429 and 503 carry `Retry-After: retryAfter`), or a dropped connection; with
 * `match`, only for the calls it matches.
 * @example { status: 503, match: { sessionId: 'sess_1' }, name: 'sess_1 down' }
 */
export type InjectedFailure<Status extends number = number, Match = RequestMatcher> = StubOptions<Match> &
  (
  | {
      status: Status;
      /** How many calls fail. @default 1 */
      times?: number;
      /** `Retry-After` of a 429 or 503, in seconds. @default 0 */
      retryAfter?: number;
    }
  | {
      networkError: true;
      /**
       * Drop the connection only after the request was fully handled and its write stored: to
       * the client it looks like any lost connection, but the server did the work.
       * @default false: the request never reaches the API
       */
      afterProcessing?: boolean;
      /** @default 1 */
      times?: number;
    }
  );

/** Options of `controller.delay()`: `times`, and which calls it applies to. */
export interface DelayOptions<Match = RequestMatcher> extends StubOptions<Match> {
  /** How many calls to delay. @default every call until `reset()` */
  times?: number;
}

/** Faults in force from the start (the CLI's `--latency`, `--fault-rate`, `--seed`). */
export interface FaultOptions {
  /** Delay added before every request is handled, in ms. @default 0 */
  latencyMs?: number;
  /** Share of requests, 0..1, answered 503 with `Retry-After`. @default 0 */
  errorRate?: number;
  /** Share of requests, 0..1, handled and stored but whose connection is then dropped. @default 0 */
  dropRate?: number;
  /** Seed of the generator that picks which requests fail, for reproducible runs. @default 1 */
  seed?: number;
  /** `Retry-After` of the random 503s, in seconds. @default 1 */
  retryAfter?: number;
}

/** What happens to one request: wait `delayMs`, then fail with `fault` if set. */
export interface FaultDecision {
  delayMs: number;
  fault?: { status: number; retryAfter: number } | { networkError: true; afterProcessing: boolean };
  /** The stub that failed the call, or else delayed it (its name, or else its id). */
  stub?: string;
}

const errorStatuses = (operationId: OperationId) =>
  Object.keys(operationSpecs[operationId].responses)
    .map(Number)
    .filter((status) => status >= 400);

/** Error statuses every operation documents: what `fail('all', ...)` can inject. */
const statusesOfAll = errorStatuses(operationIds[0]).filter((status) => operationIds.every((id) => errorStatuses(id).includes(status)));

/** The code an injected status answers with. */
const codeByStatus: Record<number, ErrorCode> = {
  400: 'VALIDATION_ERROR',
  401: 'AUTH_INVALID',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'IDEMPOTENCY_KEY_REUSED',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

const detailsByStatus: Record<number, Record<string, unknown>> = {
  400: { issues: [{ path: 'request', message: 'Injected fault' }] },
  413: { limit: 1024 * 1024 },
  415: { content_type: null },
};

/** The spec-valid error an injected status answers with. */
export function injectedError(status: number, retryAfter: number): ApiError {
  const retries = status === 429 || status === 503;
  return new ApiError(codeByStatus[status] ?? 'INTERNAL_ERROR', `Injected fault: ${status}`, {
    details: detailsByStatus[status] ?? null,
    ...(retries && { retryAfterSeconds: retryAfter, hint: 'Retry after the number of seconds in Retry-After.' }),
  });
}

export function isOperationTarget(value: unknown): value is OperationTarget {
  return value === 'all' || (operationIds as readonly unknown[]).includes(value);
}

/** Checks an operation target; `path` names the field in the issue. */
export function operationIssue(value: unknown, path: string, allowAll: boolean): ControlIssue | undefined {
  if (allowAll ? isOperationTarget(value) : (operationIds as readonly unknown[]).includes(value)) return undefined;
  return { path, message: `Unknown operation ${JSON.stringify(value)}; use one of ${operationIds.join(', ')}${allowAll ? " or 'all'" : ''}` };
}

const isWhole = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min;

function checkRate(rate: number, name: string): number {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${rate}`);
  return rate;
}

/**
 * Injected latency and failures, for consumers' tests of their retry and error handling: the
 * start-up faults of `FaultOptions`, plus what the controller adds (`fail`, `delay`) until reset.
 */
export class FaultInjector {
  readonly #options: FaultOptions;
  readonly #errorRate: number;
  readonly #dropRate: number;
  #random: () => number;
  /** The start-up latency, until `delay('all', 0)` removes it. */
  #latencyMs = 0;
  readonly #stubs: StubRegistry;

  constructor(options: FaultOptions = {}, stubs = new StubRegistry()) {
    this.#options = options;
    this.#stubs = stubs;
    this.#errorRate = checkRate(options.errorRate ?? 0, 'errorRate');
    this.#dropRate = checkRate(options.dropRate ?? 0, 'dropRate');
    if (options.latencyMs !== undefined && !(Number.isFinite(options.latencyMs) && options.latencyMs >= 0)) {
      throw new RangeError(`latencyMs must be a non-negative number of ms, got ${options.latencyMs}`);
    }
    this.#random = seededRandom(options.seed ?? 1);
    this.reset();
  }

  /** Fails the next `times` calls of an operation (or of every one, with `'all'`) that `match` matches. */
  fail(target: OperationTarget, failure: InjectedFailure<number, LocalMatch>): void {
    const issues: ControlIssue[] = [];
    const checked = checkStubOptions(failure ?? undefined, issues);
    const unknown = operationIssue(target, 'operationId', true);
    if (unknown) issues.push(unknown);
    const times = failure?.times ?? 1;
    if (!isWhole(times, 1)) issues.push({ path: 'times', message: `Must be a whole number >= 1, got ${JSON.stringify(failure?.times)}` });
    const network = failure !== null && typeof failure === 'object' && 'networkError' in failure;
    const hasStatus = failure !== null && typeof failure === 'object' && 'status' in failure;
    if (network === hasStatus) issues.push({ path: 'status', message: 'Give exactly one of status and networkError: true' });
    let fault: NonNullable<FaultDecision['fault']> | undefined;
    if (network) {
      const { networkError, afterProcessing } = failure as { networkError: unknown; afterProcessing?: unknown };
      if (networkError !== true) issues.push({ path: 'networkError', message: 'Must be true' });
      if (afterProcessing !== undefined && typeof afterProcessing !== 'boolean') issues.push({ path: 'afterProcessing', message: 'Must be a boolean' });
      fault = { networkError: true, afterProcessing: afterProcessing === true };
    } else if (hasStatus) {
      const { status, retryAfter = 0 } = failure as { status: unknown; retryAfter?: unknown };
      const documented = target === 'all' ? statusesOfAll : isOperationTarget(target) ? errorStatuses(target) : undefined;
      if (documented && !documented.includes(status as number)) {
        issues.push({ path: 'status', message: `${JSON.stringify(status)} is not an error status ${target === 'all' ? 'every operation' : target} documents; use one of ${documented.join(', ')}` });
      }
      if (!isWhole(retryAfter, 0)) issues.push({ path: 'retryAfter', message: `Must be a whole number of seconds >= 0, got ${JSON.stringify(retryAfter)}` });
      fault = { status: status as number, retryAfter: retryAfter as number };
    }
    if (issues.length > 0 || !fault) throw invalidControlInput('controller.fail()', issues);
    this.#stubs.add('fault', target, checked, fault, times, { status: 'status' in fault ? fault.status : null, ms: null });
  }

  /**
   * Delays the calls of an operation (or of every one, with `'all'`) that `match` matches by
   * `ms`, for `times` calls or until reset. 0 removes the delays of `target` that have no matcher.
   */
  delay(target: OperationTarget, ms: number, options: DelayOptions<LocalMatch> = {}): void {
    const issues: ControlIssue[] = [];
    const unknown = operationIssue(target, 'operationId', true);
    if (unknown) issues.push(unknown);
    if (!(Number.isFinite(ms) && ms >= 0 && ms <= 600_000)) issues.push({ path: 'ms', message: `Must be a number of ms from 0 to 600000, got ${JSON.stringify(ms)}` });
    const checked = checkStubOptions(options ?? undefined, issues);
    const times = options?.times;
    if (times !== undefined && !isWhole(times, 1)) issues.push({ path: 'times', message: `Must be a whole number >= 1, got ${JSON.stringify(times)}` });
    if (ms === 0 && checked.match !== null) issues.push({ path: 'ms', message: 'A delay with a matcher must be > 0; remove it with controller.stubs.remove()' });
    if (issues.length > 0) throw invalidControlInput('controller.delay()', issues);
    // A plain delay replaces the plain delay of its target, as it always has.
    const plain = checked.test === undefined && times === undefined && checked.name === null && checked.priority === 0;
    if (plain) this.#stubs.clear((stub) => stub.kind === 'delay' && stub.operation_id === target && stub.match === null && stub.remaining === null && stub.name === null && stub.priority === 0);
    if (ms === 0) {
      if (target === 'all') this.#latencyMs = 0;
      return;
    }
    this.#stubs.add('delay', target, checked, ms, times ?? Number.POSITIVE_INFINITY, { status: null, ms });
  }

  /** Back to the start-up faults: every fault and delay stub removed, the random sequence restarted. */
  reset(): void {
    this.#stubs.clear((stub) => stub.kind !== 'override');
    this.#latencyMs = this.#options.latencyMs ?? 0;
    this.#random = seededRandom(this.#options.seed ?? 1);
  }

  /** Decides the fate of one request, consuming a call of the fault and delay stubs that apply. */
  decide(request: StubRequest): FaultDecision {
    const delay = this.#stubs.take<number>('delay', request);
    const decision: FaultDecision = { delayMs: delay?.value ?? this.#latencyMs };
    if (delay) decision.stub = delay.label;
    const planned = this.#stubs.take<NonNullable<FaultDecision['fault']>>('fault', request);
    if (planned) {
      decision.fault = planned.value;
      decision.stub = planned.label;
    } else if (this.#errorRate > 0 || this.#dropRate > 0) {
      const draw = this.#random();
      if (draw < this.#errorRate) decision.fault = { status: 503, retryAfter: this.#options.retryAfter ?? 1 };
      else if (draw < this.#errorRate + this.#dropRate) decision.fault = { networkError: true, afterProcessing: true };
    }
    return decision;
  }
}
