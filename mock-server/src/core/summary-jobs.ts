/**
 * Background work that must never hold up the request that started it, with a way to wait for
 * all of it (tests, shutdown).
 */
export class SummaryJobs {
  readonly #running = new Set<Promise<void>>();

  /** How many jobs have started and not finished. */
  get pending(): number {
    return this.#running.size;
  }

  /** Starts `job` after the current call stack has unwound. `job` must not reject. */
  start(job: () => Promise<void>): void {
    const running: Promise<void> = Promise.resolve()
      .then(job)
      .finally(() => this.#running.delete(running));
    this.#running.add(running);
  }

  /** Resolves when every job, including any started while waiting, has finished. */
  async flush(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
