import { Low, Memory, type Adapter } from 'lowdb';
import type { ChangeLog } from './change-log.js';
import { newestFirst, type ListPosition } from './cursor.js';
import { MemoryIndex } from './memory-index.js';
import { SessionOrder } from './session-order.js';
import type { ChangeTag, SessionStore, TaggedChange } from './store.js';
import type { MemoryEntry, SessionDocument } from './types.js';
import { WriteCoalescer } from './write-coalescer.js';

/** The root document: everything that is not a session. */
export interface RootDocument {
  format: 1;
  memory: MemoryEntry[];
}

export const emptyRoot = (): RootDocument => ({ format: 1, memory: [] });

/**
 * Where the lowdb documents of a store live: one root document plus one document per session.
 *
 * One document per session is the point of this layout: appending a message rewrites only that
 * session's document, so its cost does not grow with the number of other sessions stored. A
 * single lowdb file would re-serialise every session on every append.
 */
export interface DocumentSource {
  root(): Adapter<RootDocument>;
  session(id: string): Adapter<SessionDocument>;
  /** Ids of the session documents that exist now. */
  sessionIds(): Promise<string[]>;
  /** Deletes a session document; a missing one is not an error. */
  removeSession(id: string): Promise<void>;
}

/** Documents held by lowdb's `Memory` adapter: nothing touches a disk. Browser-safe. */
export function memoryDocuments(): DocumentSource {
  const root = new Memory<RootDocument>();
  const sessions = new Map<string, Memory<SessionDocument>>();
  return {
    root: () => root,
    session(id) {
      let adapter = sessions.get(id);
      if (!adapter) sessions.set(id, (adapter = new Memory<SessionDocument>()));
      return adapter;
    },
    sessionIds: async () => [...sessions.keys()],
    async removeSession(id) {
      sessions.delete(id);
    },
  };
}

const noWriter = new WriteCoalescer(() => Promise.reject(new Error('A store with a change log writes no document by itself')));

interface OpenDocument {
  low: Low<SessionDocument>;
  writer: WriteCoalescer;
  /** The organisation it was listed under when added. */
  orgId: string;
}

/**
 * A `SessionStore` over lowdb documents. Every document has its own coalescing writer: however
 * many requests change one session at once, its file is serialised and written at most twice.
 * Given a `ChangeLog` instead (`restore`), documents are held in memory and each change is
 * recorded in the log; the log's owner writes the documents back as snapshots.
 */
export class LowdbSessionStore implements SessionStore {
  readonly #source: DocumentSource;
  readonly #root: Low<RootDocument>;
  readonly #rootWriter: WriteCoalescer;
  readonly #documents = new Map<string, OpenDocument>();
  readonly #byOrg = new Map<string, SessionOrder>();
  readonly #memoryByOrg = new Map<string, Map<string, MemoryEntry>>();
  readonly #memoryIndex = new MemoryIndex();
  // Where each memory entry sits in the root document's array, so an upsert does not scan it.
  readonly #memoryPositions = new Map<string, number>();
  // Writers of deleted sessions, kept until their last write (the removal) has finished.
  readonly #retiring = new Set<WriteCoalescer>();
  readonly #log: ChangeLog | undefined;

  private constructor(source: DocumentSource, root: Low<RootDocument>, log?: ChangeLog) {
    this.#source = source;
    this.#root = root;
    this.#rootWriter = new WriteCoalescer(() => this.#root.write());
    this.#log = log;
  }

  /**
   * A store over documents already loaded (and checked), whose changes go to `log`.
   * `sessions` may be in any order.
   */
  static restore(sessions: Iterable<SessionDocument>, memory: MemoryEntry[], log: ChangeLog): LowdbSessionStore {
    const source = memoryDocuments();
    const store = new LowdbSessionStore(source, new Low<RootDocument>(source.root(), { format: 1, memory }), log);
    store.#loadMemory();
    const docs = [...sessions].sort((a, b) => newestFirst(b.session, a.session));
    for (const doc of docs) store.#adopt(new Low(source.session(doc.session.id), doc));
    return store;
  }

  #loadMemory(): void {
    this.#root.data.memory.forEach((entry, at) => {
      this.#memoryPositions.set(entry.id, at);
      this.#indexMemory(entry);
    });
  }

  /** Reads every document of `source`; rejects (and writes nothing) if one cannot be read. */
  static async open(source: DocumentSource): Promise<LowdbSessionStore> {
    const root = new Low<RootDocument>(source.root(), emptyRoot());
    await root.read();
    const store = new LowdbSessionStore(source, root);
    store.#loadMemory();
    const loaded: Low<SessionDocument>[] = [];
    for (const id of await source.sessionIds()) {
      const adapter = source.session(id);
      const data = await adapter.read();
      if (data) loaded.push(new Low(adapter, data));
    }
    // Oldest first, so that each one lands at the newest end of its organisation's list order.
    loaded.sort((a, b) => newestFirst(b.data.session, a.data.session));
    for (const low of loaded) store.#adopt(low);
    return store;
  }

  /** An empty store on lowdb's `Memory` adapter, ready at once (tests, MSW handlers). */
  static inMemory(): LowdbSessionStore {
    const source = memoryDocuments();
    return new LowdbSessionStore(source, new Low<RootDocument>(source.root(), emptyRoot()));
  }

  getSession(id: string): SessionDocument | undefined {
    return this.#documents.get(id)?.low.data;
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
    const low = new Low<SessionDocument>(this.#source.session(doc.session.id), doc);
    const open = this.#adopt(low);
    return (this.#log ? this.#log.insert(doc, tag) : open.writer.request()).catch((error: unknown) => {
      // Not stored: it must not be found either.
      this.#forget(doc.session.id);
      throw error;
    });
  }

  saveSession(id: string, tag?: ChangeTag): Promise<void> {
    const open = this.#documents.get(id);
    if (!open) return Promise.reject(new Error(`Session ${id} is not stored`));
    return this.#log ? this.#log.update(open.low.data, tag) : open.writer.request();
  }

  async deleteSession(id: string): Promise<void> {
    const open = this.#documents.get(id);
    if (!open) return;
    this.#forget(id);
    if (this.#log) {
      try {
        await this.#log.remove(id);
      } catch (error) {
        if (!this.#documents.has(id)) this.#adopt(open.low);
        throw error;
      }
      return;
    }
    // The removal queues behind any write of this document still running.
    const removal = new WriteCoalescer(async () => {
      await open.writer.idle();
      await this.#source.removeSession(id);
    });
    this.#retiring.add(removal);
    try {
      await removal.request();
    } catch (error) {
      // The file is still there: so is the session.
      if (!this.#documents.has(id)) this.#adopt(open.low);
      throw error;
    } finally {
      this.#retiring.delete(removal);
    }
  }

  #forget(id: string): void {
    const open = this.#documents.get(id);
    if (!open) return;
    this.#documents.delete(id);
    const sessions = this.#byOrg.get(open.orgId);
    sessions?.remove(id);
    if (sessions?.size === 0) this.#byOrg.delete(open.orgId);
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
    if (!this.#log) return this.#rootWriter.request();
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
    for (const { low } of this.#documents.values()) yield low.data;
  }

  /** Every memory entry, in the order they were first stored. */
  memoryEntries(): readonly MemoryEntry[] {
    return this.#root.data.memory;
  }

  organisations(): Iterable<string> {
    return new Set([...this.#byOrg.keys(), ...this.#memoryByOrg.keys()]);
  }

  async clear(): Promise<void> {
    const ids = [...this.#documents.keys()];
    const kept = { documents: [...this.#documents.values()].map(({ low }) => low), memory: this.#root.data.memory };
    this.#root.data.memory = [];
    this.#memoryPositions.clear();
    this.#memoryByOrg.clear();
    this.#memoryIndex.clear();
    if (this.#log) {
      for (const id of ids) this.#forget(id);
      try {
        await this.#log.clear(ids);
      } catch (error) {
        // Refused: everything comes back as it was.
        this.#root.data.memory = kept.memory;
        this.#loadMemory();
        for (const low of kept.documents.sort((a, b) => newestFirst(b.data.session, a.data.session))) this.#adopt(low);
        throw error;
      }
      return;
    }
    await Promise.all([...ids.map((id) => this.deleteSession(id)), this.#rootWriter.request()]);
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
    if (this.#log) return this.#log.flush();
    await this.#rootWriter.idle();
    await Promise.all([...this.#documents.values()].map(({ writer }) => writer.idle()));
    await Promise.all([...this.#retiring].map((writer) => writer.idle()));
  }

  #adopt(low: Low<SessionDocument>): OpenDocument {
    const { org_id: orgId, session } = low.data;
    // With a change log, documents are never written one by one: no writer.
    const open: OpenDocument = { low, writer: this.#log ? noWriter : new WriteCoalescer(() => low.write()), orgId };
    this.#documents.set(session.id, open);
    let sessions = this.#byOrg.get(orgId);
    if (!sessions) this.#byOrg.set(orgId, (sessions = new SessionOrder()));
    sessions.add(low.data);
    return open;
  }

  #indexMemory(entry: MemoryEntry): void {
    let entries = this.#memoryByOrg.get(entry.org_id);
    if (!entries) this.#memoryByOrg.set(entry.org_id, (entries = new Map()));
    entries.set(entry.id, entry);
    this.#memoryIndex.add(entry);
  }
}
