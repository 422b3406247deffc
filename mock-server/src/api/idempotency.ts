import type { Clock } from '../core/clock.js';
import { IdempotencyInFlightError, IdempotencyKeyReusedError } from './errors.js';

export const idempotencyRetentionMs = 24 * 60 * 60 * 1000;

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
  | { state: 'done'; fingerprint: string; createdAt: number; response: R };

export interface IdempotencyStoreOptions {
  clock: Clock;
  /** @default 86_400_000 (24 hours) */
  retentionMs?: number;
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
  // Insertion order is creation order, so expired entries are always at the front.
  readonly #entries = new Map<string, Entry<R>>();

  constructor(options: IdempotencyStoreOptions) {
    this.#clock = options.clock;
    this.#retentionMs = options.retentionMs ?? idempotencyRetentionMs;
  }

  /** Forgets every key. */
  clear(): void {
    this.#entries.clear();
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
    this.#entries.delete(id);
    const entry: Entry<R> = { state: 'running', fingerprint, createdAt: now };
    this.#entries.set(id, entry);
    return {
      kind: 'new',
      createdAt: now,
      complete: (response) => {
        if (this.#entries.get(id) === entry) this.#entries.set(id, { ...entry, state: 'done', response });
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
    this.#entries.set(id, { state: 'done', fingerprint, createdAt, response });
  }

  #evictExpired(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (now - entry.createdAt < this.#retentionMs) break;
      if (entry.state === 'done') this.#entries.delete(id);
    }
  }
}
