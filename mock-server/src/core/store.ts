import type { ListPosition } from './cursor.js';
import type { MemoryEntry, Message, SessionDocument, SessionRecord } from './types.js';

/**
 * Marks the change one idempotent request made, so that a store that keeps it can answer a
 * repeat of that request after a restart. Opaque to the store: it keeps and returns it.
 */
export interface ChangeTag {
  orgId: string;
  key: string;
  /** Identifies the request (method, path, body): another request under the same key is refused. */
  fingerprint: string;
  /** When the request was first made (epoch ms); kept for the retention period from then. */
  at: number;
  /** The operation that made the change. */
  operation: string;
}

/**
 * A tagged change as it was stored: the message it added, or else the session right after it
 * (and its message count). Kept for the retention period, so it holds no more than that.
 */
export type TaggedChange = { tag: ChangeTag; message: Message } | { tag: ChangeTag; session: SessionRecord; messageCount: number };

/**
 * Where sessions and memory live. Reads are synchronous, from an in-memory working set indexed
 * by id and organisation; writes resolve once the change is durable. Sessions are changed
 * through `StoreTransactions` (`transactions.ts`), which changes a document in place and calls
 * `saveSession` in the same tick, waits for it, and undoes the change if it is refused; because
 * nothing awaits between reading and changing, each change sees and leaves a consistent state
 * without locks.
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
  /** How many sessions one organisation holds (the limit `sessionsPerOrganisation` reads it on every create). */
  sessionCount(orgId: string): number;
  /** Adds a new document; resolves once it is durable. `tag` marks it as an idempotent request's change. */
  insertSession(doc: SessionDocument, tag?: ChangeTag): Promise<void>;
  /** Persists the changes made in place to a stored document; resolves once durable. */
  saveSession(id: string, tag?: ChangeTag): Promise<void>;
  /** Removes a document and its messages; resolves once durable. */
  deleteSession(id: string): Promise<void>;
  /** Every memory entry of one organisation, in no particular order. */
  memoryOf(orgId: string): Iterable<MemoryEntry>;
  /**
   * The entries of one organisation that share a word with `query` (a word-count vector), with
   * their lexical cosine similarity, in no particular order. Optional: without it the service
   * scores every entry of `memoryOf` on every query.
   */
  searchMemory?(orgId: string, query: Map<string, number>): Iterable<{ entry: MemoryEntry; score: number }>;
  /** Adds or replaces (by `id`) a memory entry; resolves once durable. */
  upsertMemory(entry: MemoryEntry): Promise<void>;
  /** Every organisation that has sessions or memory entries. */
  organisations(): Iterable<string>;
  /** Removes every session and memory entry; resolves once durable. */
  clear(): Promise<void>;
  /** Resolves when every write asked for so far is durable. */
  flush(): Promise<void>;
  /**
   * When writes touching session `id` (every session when omitted) are still on their way to
   * disk: a promise that settles once they are, with `false` if any was refused. Undefined when
   * nothing is pending, or when the store has no disk. An answer computed before waiting on it
   * shows only durable state.
   */
  settled?(id?: string): Promise<boolean> | undefined;
  /** The tagged changes kept from before the last restart (within their retention). */
  taggedChanges?(): Iterable<TaggedChange>;
}

/** How `SessionTransactions.change` makes a change. */
export interface ChangeOptions {
  /** Marks the change as an idempotent request's, for a store that keeps those for replays. */
  tag?: ChangeTag | undefined;
  /**
   * Waits for the session's writes in flight before `mutate` looks at it, so that it sees the
   * state they leave (a write refused meanwhile is undone by then). @default false
   */
  afterInFlight?: boolean;
}

/**
 * How the rules change sessions: each change applied, journaled, made durable, and undone when
 * the store refuses it, in one call; each answer given once the writes it rests on are durable.
 * The store implements it (`store/transactions.ts`); the service only states what changes.
 */
export interface SessionTransactions {
  /** Adds a new session; resolves once it is durable. Refused (`StoreUnavailableError`), it is not stored at all. */
  create(doc: SessionDocument, tag?: ChangeTag): Promise<void>;
  /**
   * Runs `mutate` on session `id`'s document (undefined when there is none), which throws a
   * `DomainError` to refuse, or sets fields of the session record and appends messages; resolves
   * with its answer once what it changed is durable. A refusal that may rest on a write still in
   * flight is tried again once that write settles; a change the store refuses is undone and
   * rejects with `StoreUnavailableError`.
   */
  change<T>(id: string, mutate: (doc: SessionDocument | undefined) => T, options?: ChangeOptions): Promise<T>;
  /** Sets state that holds whatever the disk says (`apply` returns whether it changed anything) and writes it. */
  record(id: string, apply: (doc: SessionDocument) => boolean): Promise<void>;
  /** Removes session `id` once `check` (which throws to refuse) passes on durable state. */
  remove(id: string, check: (doc: SessionDocument | undefined) => void): Promise<void>;
  /** Computes an answer and returns it once the writes it could rest on (of session `id`, or all) are durable. */
  read<T>(id: string | undefined, compute: () => T | Promise<T>): Promise<T>;
}

/** What the service takes: a store and its transactions. */
export type TransactionalStore = SessionStore & SessionTransactions;
