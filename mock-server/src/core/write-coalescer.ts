import { deferred, type Deferred } from './deferred.js';

/**
 * Runs one write at a time and lets every caller that asks while a write is running share the
 * next one. N concurrent `request()`s cost at most two writes (the one running and one more),
 * and each caller's promise settles only after a write that started after its request: by then
 * the caller's change, made in memory before asking, is in what was written.
 */
export class WriteCoalescer {
  readonly #write: () => Promise<void>;
  #queued: Deferred | undefined;
  #draining: Promise<void> | undefined;

  constructor(write: () => Promise<void>) {
    this.#write = write;
  }

  /** Resolves when a write that includes every change made so far has finished. */
  request(): Promise<void> {
    this.#queued ??= deferred();
    const { promise } = this.#queued;
    this.#draining ??= this.#drain();
    return promise;
  }

  /** Resolves when nothing is queued or being written. Never rejects. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    // Let the rest of this tick's changes join the first write.
    await Promise.resolve();
    while (this.#queued) {
      const batch = this.#queued;
      this.#queued = undefined;
      try {
        await this.#write();
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      }
    }
    this.#draining = undefined;
  }
}
