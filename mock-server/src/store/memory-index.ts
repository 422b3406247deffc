import { tokenize } from '../core/similarity.js';
import type { MemoryEntry } from '../core/types.js';

interface Indexed {
  entry: MemoryEntry;
  /** Length of the entry's word-count vector. */
  norm: number;
  words: Map<string, number>;
}

/**
 * An inverted index of memory entries' words, per organisation: a lexical query walks only the
 * postings of its own words, so it costs what its matches cost, not the size of memory.
 */
export class MemoryIndex {
  // orgId → word → entry id → count of the word in the entry
  readonly #postings = new Map<string, Map<string, Map<string, number>>>();
  // orgId → entry id → indexed entry
  readonly #entries = new Map<string, Map<string, Indexed>>();

  /** Adds an entry, or replaces the one with its id. */
  add(entry: MemoryEntry): void {
    this.remove(entry.org_id, entry.id);
    const words = tokenize(entry.text);
    let norm = 0;
    for (const count of words.values()) norm += count * count;
    let entries = this.#entries.get(entry.org_id);
    if (!entries) this.#entries.set(entry.org_id, (entries = new Map()));
    entries.set(entry.id, { entry, norm: Math.sqrt(norm), words });
    let postings = this.#postings.get(entry.org_id);
    if (!postings) this.#postings.set(entry.org_id, (postings = new Map()));
    for (const [word, count] of words) {
      let posting = postings.get(word);
      if (!posting) postings.set(word, (posting = new Map()));
      posting.set(entry.id, count);
    }
  }

  remove(orgId: string, id: string): void {
    const indexed = this.#entries.get(orgId)?.get(id);
    if (!indexed) return;
    this.#entries.get(orgId)!.delete(id);
    const postings = this.#postings.get(orgId)!;
    for (const word of indexed.words.keys()) {
      const posting = postings.get(word)!;
      posting.delete(id);
      if (posting.size === 0) postings.delete(word);
    }
  }

  clear(): void {
    this.#postings.clear();
    this.#entries.clear();
  }

  /**
   * Every entry of `orgId` that shares a word with `query`, with the cosine similarity of the two
   * word-count vectors (in [0, 1]), in no particular order.
   */
  search(orgId: string, query: Map<string, number>): Array<{ entry: MemoryEntry; score: number }> {
    const postings = this.#postings.get(orgId);
    const entries = this.#entries.get(orgId);
    if (!postings || !entries) return [];
    let queryNorm = 0;
    for (const count of query.values()) queryNorm += count * count;
    queryNorm = Math.sqrt(queryNorm);
    const dots = new Map<string, number>();
    for (const [word, queryCount] of query) {
      const posting = postings.get(word);
      if (!posting) continue;
      for (const [id, count] of posting) dots.set(id, (dots.get(id) ?? 0) + queryCount * count);
    }
    const found: Array<{ entry: MemoryEntry; score: number }> = [];
    for (const [id, dot] of dots) {
      const indexed = entries.get(id)!;
      // Floating point can land a hair above 1 for identical texts.
      found.push({ entry: indexed.entry, score: Math.min(1, dot / (queryNorm * indexed.norm)) });
    }
    return found;
  }
}
