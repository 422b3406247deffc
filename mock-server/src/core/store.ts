import type { ListPosition } from './cursor.js';
import type { MemoryEntry, SessionDocument } from './types.js';

/**
 * Where sessions and memory live. Reads are synchronous, from an in-memory working set indexed
 * by id and organisation; writes resolve once the change is durable. The service changes a
 * document in place, then calls `saveSession`; because nothing awaits between reading and
 * changing, each operation sees and leaves a consistent state without locks.
 */
export interface SessionStore {
  /** The stored document with this id, in any organisation, or undefined. */
  getSession(id: string): SessionDocument | undefined;
  /** Every session document of one organisation, in no particular order. */
  sessionsOf(orgId: string): Iterable<SessionDocument>;
  /**
   * One organisation's sessions newest first by (`created_at`, `id`), only those strictly after
   * `after` when given, produced lazily so that listing a page costs the page. Consumed before
   * the next write. Optional: without it the service sorts `sessionsOf` on every list.
   */
  sessionsNewestFirst?(orgId: string, after?: ListPosition): Iterable<SessionDocument>;
  /** Adds a new document; resolves once it is durable. */
  insertSession(doc: SessionDocument): Promise<void>;
  /** Persists the changes made in place to a stored document; resolves once durable. */
  saveSession(id: string): Promise<void>;
  /** Removes a document and its messages; resolves once durable. */
  deleteSession(id: string): Promise<void>;
  /** Every memory entry of one organisation, in no particular order. */
  memoryOf(orgId: string): Iterable<MemoryEntry>;
  /** Adds or replaces (by `id`) a memory entry; resolves once durable. */
  upsertMemory(entry: MemoryEntry): Promise<void>;
  /** Every organisation that has sessions or memory entries. */
  organisations(): Iterable<string>;
  /** Removes every session and memory entry; resolves once durable. */
  clear(): Promise<void>;
  /** Resolves when every write asked for so far is durable. */
  flush(): Promise<void>;
}
