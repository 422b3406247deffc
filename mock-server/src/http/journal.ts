import type { RecordedRequest } from '../spec/control/types.gen.js';
import { invalidControlInput, type ControlIssue } from './control-error.js';

// One exchange of the Sessions API, as the journal keeps it: `RecordedRequest` of openapi/control.yaml.
export type { RecordedRequest };

/** Which recorded exchanges `controller.requests()` returns. Every field narrows the result. */
export interface RequestFilter {
  /** An operation id, or `'unknown'` for requests that matched no route. */
  operationId?: string;
  status?: number;
  sessionId?: string;
  /** Only exchanges that started at or after this epoch ms (the API's clock). */
  since?: number;
  /** At most this many: the newest of the matches, still oldest first. */
  limit?: number;
}

/** The parts of an exchange that cost something to build: made only when the journal is read. */
type Details = Pick<RecordedRequest, 'query' | 'request_headers' | 'request_body'>;

/**
 * What the handler records: the exchange, with its details still to be built (from a request
 * body already cut to `bodyBytes`, which `bytes` counts), and the response body as answered.
 */
export type JournalEntry = Omit<RecordedRequest, 'id' | 'response_body_truncated' | keyof Details> & { details: () => Details; bytes: number };

interface Kept {
  id: number;
  entry: JournalEntry;
  details?: Details;
  response?: { body: unknown; truncated: boolean };
}

/** @default 1000 */
export const defaultJournalLimit = 1000;

export interface JournalLimits {
  /** Exchanges kept. @default 1000 */
  entries: number;
  /** Bytes of request bodies kept (each at most `bodyBytes`), oldest exchanges evicted first. */
  bytes: number;
  /** Longest body kept whole, request or response; longer ones are kept cut and marked. */
  bodyBytes: number;
}

const isWhole = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min;

/** Checks a filter, naming every bad field. */
export function checkRequestFilter(filter: RequestFilter | undefined, call = 'controller.requests()'): RequestFilter {
  const value = filter ?? {};
  if (typeof value !== 'object' || value === null) throw invalidControlInput(call, [{ path: 'filter', message: 'Must be an object' }]);
  const issues: ControlIssue[] = [];
  const known = new Set(['operationId', 'status', 'sessionId', 'since', 'limit']);
  for (const key of Object.keys(value)) if (!known.has(key)) issues.push({ path: key, message: 'Unknown filter' });
  if (value.operationId !== undefined && (typeof value.operationId !== 'string' || value.operationId === '')) {
    issues.push({ path: 'operationId', message: 'Must be a non-empty string' });
  }
  if (value.status !== undefined && !(isWhole(value.status, 100) && value.status <= 599)) issues.push({ path: 'status', message: 'Must be a status from 100 to 599' });
  if (value.sessionId !== undefined && (typeof value.sessionId !== 'string' || value.sessionId === '')) {
    issues.push({ path: 'sessionId', message: 'Must be a non-empty string' });
  }
  if (value.since !== undefined && !isWhole(value.since, 0)) issues.push({ path: 'since', message: 'Must be an epoch-ms time >= 0' });
  if (value.limit !== undefined && !isWhole(value.limit, 1)) issues.push({ path: 'limit', message: 'Must be a whole number >= 1' });
  if (issues.length > 0) throw invalidControlInput(call, issues);
  return value;
}

/**
 * The last `entries` exchanges, oldest first, in a ring: recording is O(1), and the oldest is
 * dropped first once the journal is full or holds more than `bytes` of request bodies.
 */
export class RequestJournal {
  readonly limit: number;
  readonly bodyBytes: number;
  readonly #maxBytes: number;
  readonly #ring: Array<Kept | undefined>;
  #next = 0;
  #size = 0;
  #sequence = 0;
  #bytes = 0;

  constructor(limits: number | JournalLimits = defaultJournalLimit) {
    const { entries, bytes, bodyBytes } = typeof limits === 'number' ? { entries: limits, bytes: Number.MAX_SAFE_INTEGER, bodyBytes: Number.MAX_SAFE_INTEGER } : limits;
    if (!isWhole(entries, 1)) throw new RangeError(`The journal limit must be a whole number >= 1, got ${entries}`);
    this.limit = entries;
    this.bodyBytes = bodyBytes;
    this.#maxBytes = bytes;
    this.#ring = new Array(entries);
  }

  /** Records one exchange, giving it the next sequence number. */
  record(entry: JournalEntry): void {
    if (this.#size === this.limit) this.#dropOldest();
    this.#ring[this.#next] = { id: ++this.#sequence, entry };
    this.#next = (this.#next + 1) % this.limit;
    this.#size += 1;
    this.#bytes += entry.bytes;
    while (this.#bytes > this.#maxBytes && this.#size > 1) this.#dropOldest();
  }

  /** The matching exchanges, oldest first. */
  find(filter: RequestFilter = {}): RecordedRequest[] {
    const found: Kept[] = [];
    const operation = filter.operationId === 'unknown' ? null : filter.operationId;
    for (let i = 0; i < this.#size; i++) {
      const kept = this.#ring[(this.#next - this.#size + i + this.limit) % this.limit]!;
      const { entry } = kept;
      if (filter.operationId !== undefined && entry.operation_id !== operation) continue;
      if (filter.status !== undefined && entry.status !== filter.status) continue;
      if (filter.sessionId !== undefined && entry.session_id !== filter.sessionId) continue;
      if (filter.since !== undefined && entry.started_at < filter.since) continue;
      found.push(kept);
    }
    const limited = filter.limit !== undefined && found.length > filter.limit ? found.slice(found.length - filter.limit) : found;
    return limited.map((kept) => {
      kept.details ??= kept.entry.details();
      kept.response ??= cutJson(kept.entry.response_body, this.bodyBytes);
      const { details: _build, bytes: _bytes, response_body: _body, ...entry } = kept.entry;
      return { id: kept.id, ...entry, ...kept.details, response_body: kept.response.body, response_body_truncated: kept.response.truncated };
    });
  }

  clear(): void {
    this.#ring.fill(undefined);
    this.#next = 0;
    this.#size = 0;
    this.#bytes = 0;
  }

  #dropOldest(): void {
    const at = (this.#next - this.#size + this.limit) % this.limit;
    this.#bytes -= this.#ring[at]?.entry.bytes ?? 0;
    this.#ring[at] = undefined;
    this.#size -= 1;
  }
}

/**
 * `value` as it is when its JSON fits in about `max` characters; otherwise a copy cut to that
 * budget: strings shortened, and the members and items past the budget left out. Never walks
 * further than the budget, whatever the size of `value`.
 */
export function cutJson(value: unknown, max: number): { body: unknown; truncated: boolean } {
  let budget = max;
  let truncated = false;
  const cut = (current: unknown): unknown => {
    if (typeof current === 'string') {
      if (current.length + 2 <= budget) return (budget -= current.length + 2), current;
      truncated = true;
      const kept = current.slice(0, Math.max(0, budget - 2));
      budget = 0;
      return kept;
    }
    if (current === null || typeof current !== 'object') {
      budget -= current === null ? 4 : String(current).length;
      return current;
    }
    budget -= 2;
    if (Array.isArray(current)) {
      const items: unknown[] = [];
      for (const item of current) {
        if (budget <= 0) return (truncated = true), items;
        items.push(cut(item));
      }
      return items;
    }
    const members: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(current)) {
      if (budget <= 0) return (truncated = true), members;
      budget -= key.length + 4;
      members[key] = cut(member);
    }
    return members;
  };
  const body = cut(value);
  return truncated ? { body, truncated } : { body: value, truncated: false };
}
