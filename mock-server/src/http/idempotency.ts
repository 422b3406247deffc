import type { Clock } from '../core/clock.js';
import { idempotencyRetentionMs } from '../core/limits.js';
import { IdempotencyInFlightError, IdempotencyKeyReusedError } from './errors.js';

export { idempotencyRetentionMs };

/** What `begin` found for an (organisation, key) pair. */
export type IdempotencyClaim<R> =
  | {
      kind: 'new';
      /** When the key was claimed (epoch ms, the store's clock). */
      createdAt: number;
      /** Keeps `response` for replay. */
      complete(response: R): void;
      /** Forgets the key, e.g. after a 5xx: the next attempt runs afresh. */
      abandon(): void;
    }
  | { kind: 'replay'; response: R };

type Entry<R> =
  | { state: 'running'; fingerprint: string; createdAt: number }
  | { state: 'done'; fingerprint: string; createdAt: number; response: R; bytes: number };

export interface IdempotencyStoreOptions<R> {
  clock: Clock;
  /** @default 86_400_000 (24 hours) */
  retentionMs?: number;
  /** Records kept; past it the oldest answered one is forgotten. @default unbounded */
  maxRecords?: number;
  /** Bytes of kept responses (as `sizeOf` counts them); past it the oldest are forgotten. @default unbounded */
  maxBytes?: number;
  /** What a response counts against `maxBytes`. @default 0 */
  sizeOf?: (response: R) => number;
}

/**
 * Remembers the first response to each (organisation, `Idempotency-Key`) pair. The fingerprint
 * identifies the request (method, path and body); a different fingerprint under the same key is
 * refused. Held in memory; a store that keeps tagged changes lets `restore` bring them back
 * after a restart.
 */
export class IdempotencyStore<R> {
  readonly #clock: Clock;
  readonly #retentionMs: number;
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  readonly #sizeOf: (response: R) => number;
  // Insertion order is creation order, so expired and oldest entries are always at the front.
  readonly #entries = new Map<string, Entry<R>>();
  #bytes = 0;

  constructor(options: IdempotencyStoreOptions<R>) {
    this.#clock = options.clock;
    this.#retentionMs = options.retentionMs ?? idempotencyRetentionMs;
    this.#maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#sizeOf = options.sizeOf ?? (() => 0);
  }

  /** Forgets every key. */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  /** Bytes of the responses kept, as `sizeOf` counts them. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Claims `key` for a request, or returns the response to replay.
   * @throws IdempotencyKeyReusedError the key was used for a different request
   * @throws IdempotencyInFlightError the same request is still running
   */
  begin(orgId: string, key: string, fingerprint: string): IdempotencyClaim<R> {
    const now = this.#clock.now();
    this.#evictExpired(now);
    const id = `${orgId}\u0000${key}`;
    const existing = this.#entries.get(id);
    if (existing && now - existing.createdAt < this.#retentionMs) {
      if (existing.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(key);
      if (existing.state === 'running') throw new IdempotencyInFlightError(key);
      return { kind: 'replay', response: existing.response };
    }
    this.#forget(id);
    const entry: Entry<R> = { state: 'running', fingerprint, createdAt: now };
    this.#entries.set(id, entry);
    this.#evictOldest();
    return {
      kind: 'new',
      createdAt: now,
      complete: (response) => {
        if (this.#entries.get(id) !== entry) return;
        this.#keep(id, { ...entry, state: 'done', response, bytes: this.#sizeOf(response) });
      },
      abandon: () => {
        if (this.#entries.get(id) === entry) this.#entries.delete(id);
      },
    };
  }

  /**
   * Keeps a response recorded before a restart for replay, unless the key is already known or
   * its retention is over.
   */
  restore(orgId: string, key: string, fingerprint: string, createdAt: number, response: R): void {
    const id = `${orgId}\u0000${key}`;
    if (this.#entries.has(id) || this.#clock.now() - createdAt >= this.#retentionMs) return;
    this.#keep(id, { state: 'done', fingerprint, createdAt, response, bytes: this.#sizeOf(response) });
  }

  /** Sets an answered entry (in place of its running one, which keeps its position) and evicts what no longer fits. */
  #keep(id: string, entry: Entry<R> & { state: 'done' }): void {
    this.#entries.set(id, entry);
    this.#bytes += entry.bytes;
    this.#evictOldest();
  }

  #forget(id: string): void {
    const entry = this.#entries.get(id);
    if (entry?.state === 'done') this.#bytes -= entry.bytes;
    this.#entries.delete(id);
  }

  #evictExpired(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (now - entry.createdAt < this.#retentionMs) break;
      if (entry.state === 'done') this.#forget(id);
    }
  }

  /** Forgets the oldest answered entries past `maxRecords` or `maxBytes`; one still running stays. */
  #evictOldest(): void {
    if (this.#entries.size <= this.#maxRecords && this.#bytes <= this.#maxBytes) return;
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxRecords && this.#bytes <= this.#maxBytes) break;
      if (entry.state === 'done') this.#forget(id);
    }
  }
}
