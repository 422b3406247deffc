/**
 * Every resource the API holds has a limit with a default, the same in the server and the MSW
 * handlers (`createSessionsApi({ limits })`, `--limit name=value`). A per-session or
 * per-organisation limit reached is refused (429 `USAGE_LIMIT_EXCEEDED`, never retried); records
 * kept for the API's own bookkeeping (idempotency replays, the request journal) evict their
 * oldest instead and never refuse a request (docs/decisions.md#limits).
 */
/** How long an idempotent request's answer is kept for replay, from when it was first made (docs/decisions.md#idempotency). */
export const idempotencyRetentionMs = 24 * 60 * 60 * 1000;

export interface Limits {
  /** Messages one session holds. @default 10000 */
  messagesPerSession: number;
  /** UTF-8 bytes of the messages of one session (content, tool name and tool call id). @default 16777216 (16 MiB) */
  sessionBytes: number;
  /** Sessions one organisation holds, whatever their status; a delete frees one. @default 100000 */
  sessionsPerOrganisation: number;
  /** Idempotency records kept, oldest evicted first. @default 100000 */
  idempotencyRecords: number;
  /** Bytes of the answers the idempotency records keep, oldest evicted first. @default 67108864 (64 MiB) */
  idempotencyBytes: number;
  /** Bytes the request journal keeps, oldest exchanges evicted first. @default 33554432 (32 MiB) */
  journalBytes: number;
  /** Bytes of one request or response body the journal keeps; longer ones are kept cut and marked. @default 16384 (16 KiB) */
  journalBodyBytes: number;
}

export const defaultLimits: Readonly<Limits> = Object.freeze({
  messagesPerSession: 10_000,
  sessionBytes: 16 * 1024 * 1024,
  sessionsPerOrganisation: 100_000,
  idempotencyRecords: 100_000,
  idempotencyBytes: 64 * 1024 * 1024,
  journalBytes: 32 * 1024 * 1024,
  journalBodyBytes: 16 * 1024,
});

export type LimitName = keyof Limits;

/** The wire name of a limit, as `details.limit` of a 429 and `--limit` name it: `messages_per_session`. */
export function limitWireName(name: LimitName): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * The defaults with `given` on top, each a whole number >= 1.
 * @throws RangeError naming the first limit that is not
 */
export function resolveLimits(given: Partial<Limits> = {}): Limits {
  const limits = { ...defaultLimits };
  for (const [name, value] of Object.entries(given) as Array<[string, unknown]>) {
    if (!(name in defaultLimits)) throw new RangeError(`Unknown limit "${name}"; the limits are ${Object.keys(defaultLimits).join(', ')}`);
    if (value === undefined) continue;
    if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= 1)) {
      throw new RangeError(`The limit ${name} must be a whole number >= 1, got ${String(value)}`);
    }
    limits[name as LimitName] = value;
  }
  return limits;
}
