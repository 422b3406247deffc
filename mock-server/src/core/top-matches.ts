import type { MemoryEntry } from './types.js';

interface Scored {
  entry: MemoryEntry;
  score: number;
}

/** Best first: higher score, then smaller id (so equal scores come out in a stable order). */
function before(a: Scored, b: Scored): boolean {
  return a.score > b.score || (a.score === b.score && a.entry.id < b.entry.id);
}

/**
 * The `limit` best of many scored entries, kept sorted as they are offered: O(n log limit)
 * instead of sorting all n, which matters when a query matches every summary in memory.
 */
export class TopMatches {
  readonly #limit: number;
  readonly #kept: Scored[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  offer(entry: MemoryEntry, score: number): void {
    const candidate = { entry, score };
    const kept = this.#kept;
    if (kept.length === this.#limit && !before(candidate, kept[kept.length - 1]!)) return;
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (before(kept[middle]!, candidate)) low = middle + 1;
      else high = middle;
    }
    kept.splice(low, 0, candidate);
    if (kept.length > this.#limit) kept.pop();
  }

  /** The kept entries, best first. */
  list(): Scored[] {
    return [...this.#kept];
  }
}
