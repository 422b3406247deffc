import { newestFirst, type ListPosition } from '../core/cursor.js';
import type { SessionDocument } from '../core/types.js';

interface Entry {
  // The list position as it was when the session was added: the key stays valid (and the entry
  // findable) even if someone holding the stored document changes its fields.
  readonly created_at: number;
  readonly id: string;
  readonly doc: SessionDocument;
}

/**
 * One organisation's sessions, by id and in list order (newest first by `created_at`, then `id`),
 * so that a page costs what the page holds, not what the organisation holds.
 *
 * Kept oldest first in an array: a new session is almost always the newest, so adding it is a
 * push. Anything else (seeded data, a clock set back) is placed by binary search. Listing finds
 * the cursor's place by binary search and walks towards older entries from there.
 */
export class SessionOrder {
  readonly #byId = new Map<string, Entry>();
  readonly #oldestFirst: Entry[] = [];
  readonly #compare: (a: ListPosition, b: ListPosition) => number;

  /** `compare` orders positions newest first; tests pass a counting one. */
  constructor(compare: (a: ListPosition, b: ListPosition) => number = newestFirst) {
    this.#compare = compare;
  }

  get size(): number {
    return this.#byId.size;
  }

  /** Every document, in the order they were added. */
  documents(): Iterable<SessionDocument> {
    const entries = this.#byId.values();
    return {
      *[Symbol.iterator]() {
        for (const entry of entries) yield entry.doc;
      },
    };
  }

  /** Adds a document whose id is not held yet. */
  add(doc: SessionDocument): void {
    const { id, created_at: createdAt } = doc.session;
    if (this.#byId.has(id)) throw new Error(`Session ${id} is already in the list order`);
    const entry: Entry = { created_at: createdAt, id, doc };
    this.#byId.set(id, entry);
    const newest = this.#oldestFirst.at(-1);
    if (newest === undefined || this.#compare(entry, newest) < 0) this.#oldestFirst.push(entry);
    else this.#oldestFirst.splice(this.#olderThan(entry), 0, entry);
  }

  /** Removes a document by id; returns whether it was held. */
  remove(id: string): boolean {
    const entry = this.#byId.get(id);
    if (!entry) return false;
    this.#byId.delete(id);
    // Positions are unique (ids are), so the binary search lands on the entry itself.
    this.#oldestFirst.splice(this.#olderThan(entry), 1);
    return true;
  }

  /**
   * The documents that come strictly after `after` (all of them without it), newest first. Lazy:
   * a caller that stops after a page has visited only that page. Consume it before the next
   * `add` or `remove`.
   */
  *newestFirst(after?: ListPosition): Generator<SessionDocument, void, undefined> {
    const entries = this.#oldestFirst;
    for (let at = (after ? this.#olderThan(after) : entries.length) - 1; at >= 0; at--) yield entries[at]!.doc;
  }

  /** How many entries are strictly older than `position` (they come after it in the list). */
  #olderThan(position: ListPosition): number {
    const entries = this.#oldestFirst;
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#compare(position, entries[middle]!) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
