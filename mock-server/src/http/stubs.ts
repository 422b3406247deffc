import type { Stub } from '../spec/control/types.gen.js';
import { ControlError, type ControlIssue } from './control-error.js';
import type { OperationTarget } from './faults.js';
import { compileMatcher, matcherToWire, type MatchedRequest, type RequestMatcher } from './matcher.js';
import type { OverriddenRequest } from './overrides.js';
import type { OperationId } from '../spec/spec.gen.js';

export type { Stub };

/** A matcher in-process: the same object as over HTTP, or a function of the request. */
export type LocalMatch = RequestMatcher | ((request: OverriddenRequest) => boolean);

/**
 * What every fault, delay and override takes besides its effect.
 * @example { match: { sessionId: 'sess_1' }, priority: 10, name: 'sess_1 down' }
 */
export interface StubOptions<Match = RequestMatcher> {
  /** Which calls it applies to. @default every call of its operation */
  match?: Match;
  /** Higher is tried first; among equals, the newest first (faults: the oldest first, a queue). @default 0 */
  priority?: number;
  /** Shown in the journal's `stub` and in `controller.stubs()`. @default its id */
  name?: string;
}

/** What a matcher is given: the request, its body parsed on first use. */
export type StubRequest = MatchedRequest & { operationId: OperationId; path: string };

interface Entry<Value> {
  stub: Stub;
  test: ((request: StubRequest) => boolean) | undefined;
  value: Value;
  /** Calls left; Infinity until reset. */
  remaining: number;
  sequence: number;
}

/** The checked options of one stub, ready for `add`. */
export interface CheckedStubOptions {
  test: ((request: StubRequest) => boolean) | undefined;
  /** As the control API lists it. */
  match: Stub['match'];
  priority: number;
  name: string | null;
}

const maxPriority = 1_000_000;

/** Checks `match`, `priority` and `name`, adding an issue naming each bad field. */
export function checkStubOptions(options: StubOptions<LocalMatch> | undefined, issues: ControlIssue[]): CheckedStubOptions {
  const { match, priority = 0, name } = options ?? {};
  let test: CheckedStubOptions['test'];
  if (typeof match === 'function') {
    test = (request) => {
      const headers = Object.fromEntries(Object.entries(request.headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
      return match({ ...request, headers, body: request.body() }) === true;
    };
  } else if (match !== undefined) {
    const compiled = compileMatcher(match, 'match', issues);
    if (compiled) test = compiled;
  }
  if (!(Number.isSafeInteger(priority) && Math.abs(priority) <= maxPriority)) {
    issues.push({ path: 'priority', message: `Must be a whole number from ${-maxPriority} to ${maxPriority}, got ${JSON.stringify(priority)}` });
  }
  if (name !== undefined && !(typeof name === 'string' && name.length >= 1 && name.length <= 100)) {
    issues.push({ path: 'name', message: 'Must be a string of 1 to 100 characters' });
  }
  return { test, match: match === undefined || typeof match === 'function' || test === undefined ? null : (matcherToWire(structuredClone(match)) as Stub['match']), priority, name: name ?? null };
}

/**
 * The faults, delays and overrides in force, each a stub with an id, an optional matcher and a
 * count. For one call the stub of each kind that applies is the first that matches, by priority
 * (higher first), then the newest first (faults: the oldest first, a queue).
 */
export class StubRegistry {
  readonly #entries: Array<Entry<unknown>> = [];
  #sequence = 0;

  add<Value>(kind: Stub['kind'], operationId: OperationTarget, checked: CheckedStubOptions, value: Value, times: number, shown: Pick<Stub, 'status' | 'ms'>): void {
    const sequence = ++this.#sequence;
    const stub: Stub = { id: `stub_${sequence}`, name: checked.name, kind, operation_id: operationId, match: checked.match, priority: checked.priority, remaining: null, ...shown };
    this.#entries.push({ stub, test: checked.test, value, remaining: times, sequence });
    // Faults are used up in the order they were added (a queue: "fail the next calls"); delays
    // and overrides answer newest first, so that a later one takes over.
    this.#entries.sort((a, b) => b.stub.priority - a.stub.priority || (a.stub.kind === 'fault' && b.stub.kind === 'fault' ? a.sequence - b.sequence : b.sequence - a.sequence));
  }

  /** The stub of `kind` that applies to this call, consuming one of its calls. */
  take<Value>(kind: Stub['kind'], request: StubRequest): { value: Value; label: string } | undefined {
    const at = this.#entries.findIndex(
      (entry) => entry.stub.kind === kind && (entry.stub.operation_id === request.operationId || entry.stub.operation_id === 'all') && (entry.test?.(request) ?? true),
    );
    const entry = this.#entries[at];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.#entries.splice(at, 1);
    return { value: entry.value as Value, label: entry.stub.name ?? entry.stub.id };
  }

  /** The stubs in force, in the order they are tried. */
  list(): Stub[] {
    return this.#entries.map((entry) => ({ ...structuredClone(entry.stub), remaining: Number.isFinite(entry.remaining) ? entry.remaining : null }));
  }

  /** Removes the stub with `id`; an unknown id is a 404 `NOT_FOUND`. */
  remove(id: string): void {
    const at = this.#entries.findIndex((entry) => entry.stub.id === id);
    if (at < 0) throw new ControlError(`controller.stubs.remove(): no stub ${JSON.stringify(id)}; controller.stubs() lists them`, 404, 'NOT_FOUND');
    this.#entries.splice(at, 1);
  }

  /** Removes the stubs `drop` picks (every one by default). */
  clear(drop: (stub: Stub) => boolean = () => true): void {
    for (let i = this.#entries.length - 1; i >= 0; i--) if (drop(this.#entries[i]!.stub)) this.#entries.splice(i, 1);
  }
}
