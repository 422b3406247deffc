import { operationSpecs, type OperationId } from '../spec/spec.gen.js';
import { defaultRetryPolicy, isTransient, retryDelay, sleep, type RetryPolicy } from './retry.js';

/** One answer of the server under test, checked against the spec as it arrives. */
export interface Answer {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  body: any;
  text: string;
  /** Tries before this answer that got none (a lost connection): the server may have acted on them. */
  lostTries: number;
}

/** A violation: the deployment answered what the spec or docs/decisions.md forbids. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

/** No answer but transient ones (429, 503, connection errors) after every try. */
export class ConformanceUnavailable extends Error {
  override readonly name = 'ConformanceUnavailable';
}

/** The run was interrupted (SIGINT): the case stopped where it was. */
export class ConformanceInterrupted extends Error {
  override readonly name = 'ConformanceInterrupted';
}

export function expectThat(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

/** What came back, for a message: `404 NOT_FOUND`, `200 with no body`, and the request id. */
export function describeAnswer(answer: Answer): string {
  const code = typeof answer.body === 'object' && answer.body !== null && typeof answer.body.code === 'string' ? ` ${answer.body.code}` : '';
  const what = answer.text === '' ? `${answer.status} with no body` : `${answer.status}${code}`;
  const id = answer.headers.get('x-request-id');
  return `${what} (${answer.method} ${answer.path}, ${id ? `x-request-id ${id}` : 'no x-request-id'})`;
}

/** Fails unless `condition` holds, saying what was expected and what came back. */
export function expectAnswer(answer: Answer, condition: unknown, expected: string): void {
  expectThat(condition, `${expected}; got ${describeAnswer(answer)}`);
}

export interface CallOptions {
  body?: unknown;
  raw?: string;
  key?: string | null;
  headers?: Record<string, string>;
}

interface Created {
  key: string;
  /** `gone`: a delete found it missing after a try whose connection was lost. */
  state: 'live' | 'deleted' | 'gone';
  /** A delete of it was interrupted: the server may have acted on it. */
  deleteInterrupted?: boolean;
}

/** A create interrupted in flight; its `Idempotency-Key` lets the clean-up learn what it made. */
interface InterruptedCreate {
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  key: string;
}

/** What the clean-up at the end of a run did. */
export interface CleanupReport {
  /** Sessions the run created (each id once). */
  created: number;
  /** Sessions whose delete by the run answered 200: during a case or in the clean-up. */
  deleted: number;
  /** Sessions whose delete answered 404 after a try whose connection was lost: gone, most likely by that try. */
  alreadyGone: number;
  /** Sessions the run created and could not delete, with what came back. */
  notDeleted: Array<{ id: string; reason: string }>;
}

const idempotencyKey = () => `conformance-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

/**
 * Sends requests to the deployment under test and checks every answer against the spec. Transient
 * answers are retried (bounded, honouring `Retry-After`); every operation that documents
 * `Idempotency-Key` carries one, so that a retry after a lost connection cannot store twice
 * (docs/decisions.md#idempotency).
 */
export class ConformanceClient {
  readonly #created = new Map<string, Created>();
  readonly #interruptedCreates: InterruptedCreate[] = [];
  requests = 0;
  /** Retries so far; a case reads the difference. */
  retries = 0;

  constructor(
    readonly baseURL: string,
    readonly key: string,
    readonly policy: RetryPolicy = defaultRetryPolicy,
    /** Aborts the run (SIGINT); clean-up does not use it. */
    readonly signal?: AbortSignal,
  ) {}

  async call(operationId: OperationId, path: string, options: CallOptions = {}): Promise<Answer> {
    const spec = operationSpecs[operationId];
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? this.key : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    if (spec.headers.includes('idempotency-key')) headers['idempotency-key'] ??= idempotencyKey();
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    let answer: Answer;
    try {
      answer = await this.#send(spec.method, path, headers, body, this.signal);
    } catch (error) {
      if (error instanceof ConformanceInterrupted) this.#interrupted(operationId, path, headers, body, key ?? this.key);
      throw error;
    }
    checkAgainstSpec(operationId, answer);
    if (operationId === 'createSession' && answer.status === 201 && !this.#created.has(answer.body.id)) {
      this.#created.set(answer.body.id, { key: key ?? this.key, state: 'live' });
    }
    if (operationId === 'deleteSession') this.#deleted(decodeURIComponent(path.split('/')[2] ?? ''), answer);
    return answer;
  }

  /** Notes what a delete of a session the run created answered. */
  #deleted(id: string, answer: Answer): void {
    const created = this.#created.get(id);
    if (created?.state !== 'live') return;
    if (answer.status === 200) created.state = 'deleted';
    else if (answer.status === 404 && (answer.lostTries > 0 || created.deleteInterrupted)) created.state = 'gone';
  }

  /** A request cut short by the interrupt may still have been carried out: remember what the clean-up must settle. */
  #interrupted(operationId: OperationId, path: string, headers: Record<string, string>, body: string | undefined, key: string): void {
    if (operationId === 'createSession') this.#interruptedCreates.push({ path, headers, body, key });
    if (operationId === 'deleteSession') {
      const created = this.#created.get(decodeURIComponent(path.split('/')[2] ?? ''));
      if (created) created.deleteInterrupted = true;
    }
  }

  /** One request with its retries; throws `ConformanceUnavailable` when every try was transient. */
  async #send(method: string, path: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal | undefined): Promise<Answer> {
    let last = 'nothing';
    let lostTries = 0;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new ConformanceInterrupted(`interrupted before ${method} ${path}`);
      let response: Response | undefined;
      let text = '';
      try {
        const timeout = AbortSignal.timeout(30_000);
        response = await fetch(`${this.baseURL}${path}`, { method, headers, ...(body !== undefined && { body }), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
        text = await response.text();
      } catch (error) {
        if (signal?.aborted) throw new ConformanceInterrupted(`interrupted during ${method} ${path}`);
        response = undefined;
        lostTries += 1;
        last = `no answer (${describeError(error)})`;
      }
      this.requests += 1;
      if (response) {
        const answer: Answer = { method, path, status: response.status, headers: response.headers, body: parseBody(text), text, lostTries };
        if (!isTransient(answer.status, answer.headers) && !isInFlight(answer)) return answer;
        last = describeAnswer(answer);
      }
      if (attempt + 1 >= this.policy.maxTries) {
        throw new ConformanceUnavailable(`${method} ${path}: no answer but transient ones after ${this.policy.maxTries} tries; the last was ${last}`);
      }
      this.retries += 1;
      try {
        await sleep(retryDelay(attempt, response?.headers, this.policy), signal);
      } catch {
        throw new ConformanceInterrupted(`interrupted while waiting to retry ${method} ${path}`);
      }
    }
  }

  /**
   * Deletes every session the run created and has not deleted yet, whatever state it ended in.
   * Only a 200 counts as deleted; what could not be deleted is listed with the reason.
   */
  async cleanUp(): Promise<CleanupReport> {
    let notDeleted: CleanupReport['notDeleted'] = [];
    // Repeating an interrupted create under its key replays what it made, or makes it now: either
    // way its id is known and it is deleted below.
    for (const create of this.#interruptedCreates.splice(0)) {
      try {
        const answer = await this.#send('POST', create.path, create.headers, create.body, undefined);
        if (answer.status === 201 && typeof answer.body?.id === 'string' && !this.#created.has(answer.body.id)) this.#created.set(answer.body.id, { key: create.key, state: 'live' });
      } catch (error) {
        notDeleted.push({ id: `(an interrupted create under Idempotency-Key ${create.headers['idempotency-key']})`, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    const unsettledCreates = notDeleted;
    // A delete that stays unavailable gets two more rounds, after the others: leaving data behind
    // is worse than a slower end.
    for (let round = 0; round < 3; round++) {
      notDeleted = [];
      for (const [id, created] of this.#created) {
        if (created.state !== 'live') continue;
        const path = `/sessions/${encodeURIComponent(id)}`;
        try {
          const answer = await this.#send('DELETE', path, { authorization: `Bearer ${created.key}` }, undefined, undefined);
          this.#deleted(id, answer);
          if (created.state === 'live') notDeleted.push({ id, reason: `expected 200; got ${describeAnswer(answer)}` });
        } catch (error) {
          notDeleted.push({ id, reason: error instanceof Error ? error.message : String(error) });
        }
      }
      if (notDeleted.length === 0) break;
    }
    notDeleted.unshift(...unsettledCreates);
    const all = [...this.#created.values()];
    const count = (state: Created['state']) => all.filter((c) => c.state === state).length;
    return { created: all.length, deleted: count('deleted'), alreadyGone: count('gone'), notDeleted };
  }
}

/** Every answer must be a status the operation documents, with its schema and required headers. */
function checkAgainstSpec(operationId: OperationId, answer: Answer): void {
  const responses = operationSpecs[operationId].responses;
  const documented = responses[answer.status];
  const where = describeAnswer(answer);
  expectThat(documented, `expected a status ${operationId} documents (${Object.keys(responses).join(', ')}); got ${where}${answer.text ? `: ${answer.text.slice(0, 200)}` : ''}`);
  if (documented.schema) {
    const checked = documented.schema.safeParse(answer.body);
    const issue = checked.error?.issues[0];
    expectThat(checked.success, `expected a body of the spec's schema for ${answer.status}; got ${where}${answer.text === '' ? '' : `: ${issue?.path.join('.') || 'the body'}: ${issue?.message}`}`);
  }
  for (const header of documented.headers.filter((h) => h.required)) {
    expectThat(answer.headers.has(header.name), `expected a ${header.name} header; got ${where} without it`);
  }
}

/** A repeat of a keyed request while the first still runs (409, docs/decisions.md#idempotency): wait. */
const isInFlight = (answer: Answer) => answer.status === 409 && typeof answer.body?.details?.idempotency_key === 'string';

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ((error.cause as NodeJS.ErrnoException).code ?? error.cause.message) : undefined;
  return cause ? `${error.message}: ${cause}` : error.message;
}
