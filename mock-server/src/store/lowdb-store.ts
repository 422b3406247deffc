import { Low, Memory } from 'lowdb';
import type { ChangeLog } from './change-log.js';
import { newestFirst, type ListPosition } from '../core/cursor.js';
import { MemoryIndex } from './memory-index.js';
import { SessionOrder } from './session-order.js';
import { transactionsOver } from './transactions.js';
import type { ChangeOptions, ChangeTag, TransactionalStore, TaggedChange } from '../core/store.js';
import type { MemoryEntry, SessionDocument } from '../core/types.js';

/** The root document: everything that is not a session. */
export interface RootDocument {
  format: 1;
  memory: MemoryEntry[];
}

export const emptyRoot = (): RootDocument => ({ format: 1, memory: [] });

/**
 * A `SessionStore` holding its working set in memory: the root document (memory entries) in a
 * lowdb `Low` over its `Memory` adapter, the session documents by id, indexed by organisation.
 * Without a `ChangeLog` (`inMemory`) a change is final once made: there is no disk. With one
 * (`restore`), each change is recorded in the log and resolves once the log has it durable; the
 * log's owner writes the documents back as snapshots.
 */
export class LowdbSessionStore implements TransactionalStore {
  readonly #root: Low<RootDocument>;
  readonly #documents = new Map<string, SessionDocument>();
  readonly #byOrg = new Map<string, SessionOrder>();
  readonly #memoryByOrg = new Map<string, Map<string, MemoryEntry>>();
  readonly #memoryIndex = new MemoryIndex();
  // Where each memory entry sits in the root document's array, so an upsert does not scan it.
  readonly #memoryPositions = new Map<string, number>();
  readonly #log: ChangeLog | undefined;

  private constructor(memory: MemoryEntry[], log?: ChangeLog) {
    this.#root = new Low<RootDocument>(new Memory<RootDocument>(), { format: 1, memory });
    this.#log = log;
    this.#loadMemory();
  }

  /**
   * A store over documents already loaded (and checked), whose changes go to `log`.
   * `sessions` may be in any order.
   */
  static restore(sessions: Iterable<SessionDocument>, memory: MemoryEntry[], log: ChangeLog): LowdbSessionStore {
    const store = new LowdbSessionStore(memory, log);
    // Oldest first, so that each one lands at the newest end of its organisation's list order.
    const docs = [...sessions].sort((a, b) => newestFirst(b.session, a.session));
    for (const doc of docs) store.#adopt(doc);
    return store;
  }

  #loadMemory(): void {
    this.#root.data.memory.forEach((entry, at) => {
      this.#memoryPositions.set(entry.id, at);
      this.#indexMemory(entry);
    });
  }

  /** An empty store that keeps everything in memory, ready at once (tests, MSW handlers, `--in-memory`). */
  static inMemory(): LowdbSessionStore {
    return new LowdbSessionStore([]);
  }

  // The transactions run over the store they are called on: a wrapper made with `Object.create`
  // (a test's failing store) gets its own, over its own writes.
  create(doc: SessionDocument, tag?: ChangeTag): Promise<void> {
    return transactionsOver(this).create(doc, tag);
  }

  change<T>(id: string, mutate: (doc: SessionDocument | undefined) => T, options?: ChangeOptions): Promise<T> {
    return transactionsOver(this).change(id, mutate, options);
  }

  record(id: string, apply: (doc: SessionDocument) => boolean): Promise<void> {
    return transactionsOver(this).record(id, apply);
  }

  remove(id: string, check: (doc: SessionDocument | undefined) => void): Promise<void> {
    return transactionsOver(this).remove(id, check);
  }

  read<T>(id: string | undefined, compute: () => T | Promise<T>): Promise<T> {
    return transactionsOver(this).read(id, compute);
  }

  getSession(id: string): SessionDocument | undefined {
    return this.#documents.get(id);
  }

  sessionCount(orgId: string): number {
    return this.#byOrg.get(orgId)?.size ?? 0;
  }

  sessionsOf(orgId: string): Iterable<SessionDocument> {
    return this.#byOrg.get(orgId)?.documents() ?? [];
  }

  sessionsNewestFirst(orgId: string, after?: ListPosition): Iterable<SessionDocument> {
    return this.#byOrg.get(orgId)?.newestFirst(after) ?? [];
  }

  insertSession(doc: SessionDocument, tag?: ChangeTag): Promise<void> {
    if (this.#documents.has(doc.session.id)) {
      return Promise.reject(new Error(`Session id ${doc.session.id} is already stored`));
    }
    this.#adopt(doc);
    if (!this.#log) return Promise.resolve();
    return this.#log.insert(doc, tag).catch((error: unknown) => {
      // Not stored: it must not be found either.
      this.#forget(doc.session.id);
      throw error;
    });
  }

  saveSession(id: string, tag?: ChangeTag): Promise<void> {
    const doc = this.#documents.get(id);
    if (!doc) return Promise.reject(new Error(`Session ${id} is not stored`));
    return this.#log ? this.#log.update(doc, tag) : Promise.resolve();
  }

  async deleteSession(id: string): Promise<void> {
    const doc = this.#documents.get(id);
    if (!doc) return;
    this.#forget(id);
    if (!this.#log) return;
    try {
      await this.#log.remove(id);
    } catch (error) {
      // Refused: the session is still there.
      if (!this.#documents.has(id)) this.#adopt(doc);
      throw error;
    }
  }

  #forget(id: string): void {
    const doc = this.#documents.get(id);
    if (!doc) return;
    this.#documents.delete(id);
    const sessions = this.#byOrg.get(doc.org_id);
    sessions?.remove(id);
    if (sessions?.size === 0) this.#byOrg.delete(doc.org_id);
  }

  memoryOf(orgId: string): Iterable<MemoryEntry> {
    return this.#memoryByOrg.get(orgId)?.values() ?? [];
  }

  searchMemory(orgId: string, query: Map<string, number>): Iterable<{ entry: MemoryEntry; score: number }> {
    return this.#memoryIndex.search(orgId, query);
  }

  upsertMemory(entry: MemoryEntry): Promise<void> {
    const memory = this.#root.data.memory;
    const at = this.#memoryPositions.get(entry.id);
    const previous = at === undefined ? undefined : memory[at];
    if (at === undefined) this.#memoryPositions.set(entry.id, memory.push(entry) - 1);
    else memory[at] = entry;
    this.#indexMemory(entry);
    if (!this.#log) return Promise.resolve();
    return this.#log.memory(entry).catch((error: unknown) => {
      // Refused: the entry must not be found either.
      const now = this.#memoryPositions.get(entry.id);
      if (now !== undefined && memory[now] === entry) {
        if (previous) {
          memory[now] = previous;
          this.#indexMemory(previous);
        } else {
          this.#unindexMemory(entry, now);
        }
      }
      throw error;
    });
  }

  #unindexMemory(entry: MemoryEntry, at: number): void {
    const memory = this.#root.data.memory;
    memory.splice(at, 1);
    this.#memoryPositions.delete(entry.id);
    for (let i = at; i < memory.length; i++) this.#memoryPositions.set(memory[i]!.id, i);
    this.#memoryByOrg.get(entry.org_id)?.delete(entry.id);
    if (this.#memoryByOrg.get(entry.org_id)?.size === 0) this.#memoryByOrg.delete(entry.org_id);
    this.#memoryIndex.remove(entry.org_id, entry.id);
  }

  /** Every session document, in no particular order. */
  *sessions(): Iterable<SessionDocument> {
    yield* this.#documents.values();
  }

  /** Every memory entry, in the order they were first stored. */
  memoryEntries(): readonly MemoryEntry[] {
    return this.#root.data.memory;
  }

  organisations(): Iterable<string> {
    return new Set([...this.#byOrg.keys(), ...this.#memoryByOrg.keys()]);
  }

  async clear(): Promise<void> {
    const kept = { documents: [...this.#documents.values()], memory: this.#root.data.memory };
    this.#root.data.memory = [];
    this.#memoryPositions.clear();
    this.#memoryByOrg.clear();
    this.#memoryIndex.clear();
    this.#documents.clear();
    this.#byOrg.clear();
    if (!this.#log) return;
    try {
      await this.#log.clear(kept.documents.map((doc) => doc.session.id));
    } catch (error) {
      // Refused: everything comes back as it was.
      this.#root.data.memory = kept.memory;
      this.#loadMemory();
      for (const doc of kept.documents.sort((a, b) => newestFirst(b.session, a.session))) this.#adopt(doc);
      throw error;
    }
  }

  settled(id?: string): Promise<boolean> | undefined {
    return this.#log?.settled(id);
  }

  taggedChanges(): Iterable<TaggedChange> {
    return this.#log?.taggedChanges() ?? [];
  }

  /** With a change log: writes the changed documents back now (it also happens by itself). */
  async compact(): Promise<void> {
    await this.#log?.compact();
  }

  /**
   * Makes every accepted write durable and releases the store's files: with a change log, the
   * documents are brought up to date and the log is closed. The store must not be used after.
   */
  async close(): Promise<void> {
    await this.flush();
    await this.#log?.close();
  }

  async flush(): Promise<void> {
    await this.#log?.flush();
  }

  #adopt(doc: SessionDocument): void {
    this.#documents.set(doc.session.id, doc);
    let sessions = this.#byOrg.get(doc.org_id);
    if (!sessions) this.#byOrg.set(doc.org_id, (sessions = new SessionOrder()));
    sessions.add(doc);
  }

  #indexMemory(entry: MemoryEntry): void {
    let entries = this.#memoryByOrg.get(entry.org_id);
    if (!entries) this.#memoryByOrg.set(entry.org_id, (entries = new Map()));
    entries.set(entry.id, entry);
    this.#memoryIndex.add(entry);
  }
}
