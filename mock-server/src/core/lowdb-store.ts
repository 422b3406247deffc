import { Low, Memory, type Adapter } from 'lowdb';
import { newestFirst, type ListPosition } from './cursor.js';
import { MemoryIndex } from './memory-index.js';
import { SessionOrder } from './session-order.js';
import type { SessionStore } from './store.js';
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

interface OpenDocument {
  low: Low<SessionDocument>;
  writer: WriteCoalescer;
  /** The organisation it was listed under when added. */
  orgId: string;
}

/**
 * A `SessionStore` over lowdb documents. Every document has its own coalescing writer: however
 * many requests change one session at once, its file is serialised and written at most twice.
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

  private constructor(source: DocumentSource, root: Low<RootDocument>) {
    this.#source = source;
    this.#root = root;
    this.#rootWriter = new WriteCoalescer(() => this.#root.write());
  }

  /** Reads every document of `source`; rejects (and writes nothing) if one cannot be read. */
  static async open(source: DocumentSource): Promise<LowdbSessionStore> {
    const root = new Low<RootDocument>(source.root(), emptyRoot());
    await root.read();
    const store = new LowdbSessionStore(source, root);
    root.data.memory.forEach((entry, at) => {
      store.#memoryPositions.set(entry.id, at);
      store.#indexMemory(entry);
    });
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

  sessionsOf(orgId: string): Iterable<SessionDocument> {
    return this.#byOrg.get(orgId)?.documents() ?? [];
  }

  sessionsNewestFirst(orgId: string, after?: ListPosition): Iterable<SessionDocument> {
    return this.#byOrg.get(orgId)?.newestFirst(after) ?? [];
  }

  insertSession(doc: SessionDocument): Promise<void> {
    if (this.#documents.has(doc.session.id)) {
      return Promise.reject(new Error(`Session id ${doc.session.id} is already stored`));
    }
    const low = new Low<SessionDocument>(this.#source.session(doc.session.id), doc);
    return this.#adopt(low)
      .writer.request()
      .catch((error: unknown) => {
        // Not stored: it must not be found either.
        this.#forget(doc.session.id);
        throw error;
      });
  }

  saveSession(id: string): Promise<void> {
    const open = this.#documents.get(id);
    if (!open) return Promise.reject(new Error(`Session ${id} is not stored`));
    return open.writer.request();
  }

  async deleteSession(id: string): Promise<void> {
    const open = this.#documents.get(id);
    if (!open) return;
    this.#forget(id);
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
    if (at === undefined) this.#memoryPositions.set(entry.id, memory.push(entry) - 1);
    else memory[at] = entry;
    this.#indexMemory(entry);
    return this.#rootWriter.request();
  }

  organisations(): Iterable<string> {
    return new Set([...this.#byOrg.keys(), ...this.#memoryByOrg.keys()]);
  }

  async clear(): Promise<void> {
    const ids = [...this.#documents.keys()];
    this.#root.data.memory = [];
    this.#memoryPositions.clear();
    this.#memoryByOrg.clear();
    this.#memoryIndex.clear();
    await Promise.all([...ids.map((id) => this.deleteSession(id)), this.#rootWriter.request()]);
  }

  async flush(): Promise<void> {
    await this.#rootWriter.idle();
    await Promise.all([...this.#documents.values()].map(({ writer }) => writer.idle()));
    await Promise.all([...this.#retiring].map((writer) => writer.idle()));
  }

  #adopt(low: Low<SessionDocument>): OpenDocument {
    const { org_id: orgId, session } = low.data;
    const open: OpenDocument = { low, writer: new WriteCoalescer(() => low.write()), orgId };
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
