import { basename, dirname } from 'node:path';
import type { ChangeLog } from './change-log.js';
import type { ChangeTag, TaggedChange } from '../core/store.js';
import type { Context, MemoryEntry, Message, SessionDocument } from '../core/types.js';
import type { Disk } from './disk.js';
import { replaceFile } from './durable-file.js';
import { openJournalFile, type Durability, type JournalWriter } from './journal-writer.js';
import { describeFile, manifestText, rootKey, type FileSummary } from './manifest.js';
import { taggedChange, tagId, type JournalRecord } from './records.js';
import { segmentOf, segmentText } from './segments.js';

/** When the journal is compacted into the documents. */
export interface JournalLimits {
  /** @default 67108864 (64 MiB) */
  maxBytes: number;
  /** @default 100000 */
  maxRecords: number;
}

export const defaultJournalLimits: JournalLimits = { maxBytes: 64 * 1024 * 1024, maxRecords: 100_000 };

/** Where the files of a durable store are. */
export interface StoreLayout {
  /** The folder of the session documents and the journal. */
  directory: string;
  /** The root document (memory entries). */
  root: string;
  /** The document of the idempotent requests' changes kept for replay. */
  replays: string;
  /** The manifest: every document's size and checksum as the last compaction wrote it. */
  manifest: string;
  /** The segment file of the sessions whose ids `segmentOf` maps to `segment`. */
  segment(segment: number): string;
  journal(generation: number): string;
}

/** What the log reads back when it writes a snapshot: the store's documents as they are now. */
export interface DocumentView {
  /** Every session document. */
  sessions(): Iterable<SessionDocument>;
  memoryEntries(): readonly MemoryEntry[];
}

/** The replays document: every tagged change still within its retention. */
export interface ReplaysDocument {
  format: 1;
  changes: TaggedChange[];
}

// What was journaled of a document last: its last message and its context (by identity).
interface Marker {
  lastMessage: Message | undefined;
  context: Context;
  /** The next record must be the whole document (one of its records was refused). */
  whole: boolean;
}

interface Snapshot {
  ids: Set<string>;
  segments: Set<number>;
  /** Segment files by number: their text, or null when no session is left in one. */
  documents: Array<[number, string | null]>;
  memory: string | undefined;
  replays: string | undefined;
  /** The older layout's files this snapshot makes redundant. */
  leftovers: string[];
}

export interface JournalLogOptions {
  disk: Disk;
  layout: StoreLayout;
  writer: JournalWriter;
  /** The generation of the file `writer` appends to. */
  generation: number;
  durability: Durability;
  limits: JournalLimits;
  /** Tagged changes kept from before (checked, within retention). */
  replays: Map<string, TaggedChange>;
  /** How long tagged changes are kept, from their tag's `at`. */
  retentionMs: number;
  /** How many tagged changes are kept; past it the oldest is forgotten. */
  maxReplays: number;
  now: () => number;
  /** Told once per episode when writes fail, and when they work again. */
  onWriteError?: (error: unknown) => void;
  onRecovered?: () => void;
  onCompactionError?: (error: unknown) => void;
  /** The documents on disk as start-up found them, by file name (the root by its own). */
  documents: Map<string, FileSummary>;
  /** The journal generation of the manifest start-up found (0: none). */
  manifestJournal: number;
}

const ignore = () => undefined;

/** Removes files (those that cannot be removed are left: start-up ignores them), a few at a time. */
async function removeAll(disk: Disk, files: string[]): Promise<void> {
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) await disk.unlink(file).catch(ignore);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/**
 * The store's changes as records of an append-only journal (group commit by `JournalWriter`);
 * the session documents are rewritten only by compaction, in the background, once the journal
 * passes its limits, and then the journal starts again empty.
 */
export class JournalLog implements ChangeLog {
  readonly #options: JournalLogOptions;
  readonly #writer: JournalWriter;
  readonly #markers = new WeakMap<SessionDocument, Marker>();
  readonly #pending = new Map<string, Promise<void>>();
  readonly #replays: Map<string, TaggedChange>;
  #view: DocumentView | undefined;
  #generation: number;
  // Journal files not yet compacted away, oldest first; the last is the one being appended to.
  #files: string[];
  #dirty = new Set<string>();
  // Segments to write although none of their sessions changed (dropped ones; all, to migrate).
  #dirtySegments = new Set<number>();
  // Files of an older layout, removed once a compaction has written what they held.
  #leftovers: string[] = [];
  #memoryDirty = false;
  #replaysDirty = false;
  #last: Promise<void> | undefined;
  #refusals = 0;
  #failing = false;
  #compacting: Promise<void> | undefined;
  readonly #documents: Map<string, FileSummary>;
  // The journal generation the manifest on disk names.
  #manifestJournal: number;

  constructor(options: JournalLogOptions) {
    this.#documents = options.documents;
    this.#manifestJournal = options.manifestJournal;
    this.#options = options;
    this.#writer = options.writer;
    this.#generation = options.generation;
    this.#files = [options.layout.journal(options.generation)];
    this.#replays = options.replays;
  }

  /** Connects the store whose documents snapshots are written from, and marks them as on disk. */
  attach(view: DocumentView, documents: Iterable<SessionDocument>): void {
    this.#view = view;
    for (const doc of documents) this.#mark(doc);
  }

  /**
   * Takes over what start-up found: journal files already replayed (removed by the next
   * compaction) and what they changed (rewritten by it).
   */
  adoptFiles(files: string[], changed: { dirty: Iterable<string>; segments: Iterable<number>; memory: boolean; replays: boolean; leftovers: string[] }): void {
    this.#files = [...files, ...this.#files];
    for (const id of changed.dirty) this.#dirty.add(id);
    for (const segment of changed.segments) this.#dirtySegments.add(segment);
    this.#leftovers = changed.leftovers;
    this.#memoryDirty ||= changed.memory;
    this.#replaysDirty ||= changed.replays;
  }

  /** Bytes and records in the journal file being appended to. */
  get journal(): { bytes: number; records: number; files: number } {
    return { bytes: this.#writer.size, records: this.#writer.records, files: this.#files.length };
  }

  insert(doc: SessionDocument, tag: ChangeTag | undefined): Promise<void> {
    this.#mark(doc);
    const written = this.#append([doc.session.id], { t: 'doc', doc, ...(tag && { tag }) }, doc);
    this.#keep(tag, doc, undefined, written);
    return written;
  }

  update(doc: SessionDocument, tag: ChangeTag | undefined): Promise<void> {
    const marker = this.#markers.get(doc);
    const from = marker?.lastMessage ? doc.messages.lastIndexOf(marker.lastMessage) + 1 : 0;
    if (!marker || marker.whole || (marker.lastMessage && from === 0)) return this.insert(doc, tag);
    const { context, ...session } = doc.session;
    const messages = from < doc.messages.length ? doc.messages.slice(from) : undefined;
    const record: JournalRecord = {
      t: 'update',
      id: session.id,
      session,
      ...(context !== marker.context && { context }),
      ...(messages && { messages }),
      ...(tag && { tag }),
    };
    marker.lastMessage = doc.messages.at(-1);
    marker.context = context;
    const written = this.#append([session.id], record, doc);
    this.#keep(tag, doc, messages?.at(-1), written);
    return written;
  }

  remove(id: string): Promise<void> {
    return this.#append([id], { t: 'delete', id }, undefined);
  }

  memory(entry: MemoryEntry): Promise<void> {
    this.#memoryDirty = true;
    return this.#append([], { t: 'memory', entry }, undefined);
  }

  clear(ids: string[]): Promise<void> {
    this.#memoryDirty = true;
    const replays = [...this.#replays];
    this.#replays.clear();
    this.#replaysDirty = true;
    // Every cleared session waits on it (a read must not answer 404 for a clear that may be refused).
    const written = this.#append(ids, { t: 'clear' }, undefined);
    written.catch(() => {
      // Refused: the store puts the sessions back, and the replays come back with them.
      for (const [key, change] of replays) if (!this.#replays.has(key)) this.#replays.set(key, change);
    });
    return written;
  }

  settled(id?: string): Promise<boolean> | undefined {
    const pending = id === undefined ? this.#last : this.#pending.get(id);
    if (!pending) return undefined;
    const refusals = this.#refusals;
    return pending.then(
      () => this.#refusals === refusals,
      () => false,
    );
  }

  taggedChanges(): Iterable<TaggedChange> {
    return this.#replays.values();
  }

  /** Resolves when every change so far is durable (or refused); a compaction may still be running. */
  async flush(): Promise<void> {
    await this.#writer.idle();
  }

  /**
   * Writes every changed document (synced), then removes the journal files they make redundant.
   * Runs by itself past the limits and after start-up; call it to leave readable documents, or
   * to wait for the one running.
   */
  compact(): Promise<void> {
    this.#compacting ??= this.#compact().finally(() => (this.#compacting = undefined));
    return this.#compacting;
  }

  /** Waits for the writes in flight, compacts (a failure is reported, not thrown: the journal keeps everything), closes the journal file. */
  async close(): Promise<void> {
    // A compaction running (start-up's, say) finishes first: it moves the journal to a new file.
    if (this.#compacting) await this.#compacting;
    await this.#writer.idle();
    if (this.#dirty.size > 0 || this.#dirtySegments.size > 0 || this.#leftovers.length > 0 || this.#memoryDirty || this.#replaysDirty || this.#files.length > 1) await this.compact();
    await this.#writer.close();
    // Everything is in the documents: an empty journal is not left behind.
    if (this.#files.length === 1 && this.#writer.size === 0 && this.#dirty.size === 0) {
      await this.#options.disk.unlink(this.#files[0]!).catch(ignore);
      return;
    }
    // The compaction failed: in `process` mode the journal is synced, so that a clean stop keeps
    // everything in either mode.
    if (this.#options.durability === 'process') {
      const { disk, layout } = this.#options;
      for (const file of this.#files) await disk.syncFile(file, 'stop-journal').catch(ignore);
      await disk.syncDirectory(layout.directory, 'stop-journal-names').catch(ignore);
    }
  }

  #mark(doc: SessionDocument): void {
    this.#markers.set(doc, { lastMessage: doc.messages.at(-1), context: doc.session.context, whole: false });
  }

  /** Keeps a tagged change for replays, and drops it again if its record is refused. */
  #keep(tag: ChangeTag | undefined, doc: SessionDocument, message: Message | undefined, written: Promise<void>): void {
    if (!tag) return;
    const key = tagId(tag);
    const change = taggedChange(tag, doc, message);
    this.#replays.delete(key);
    this.#replays.set(key, change);
    this.#replaysDirty = true;
    // Insertion order is the order of the tags: the first is the oldest.
    for (const oldest of this.#replays.keys()) {
      if (this.#replays.size <= this.#options.maxReplays) break;
      this.#replays.delete(oldest);
    }
    written.catch(() => {
      if (this.#replays.get(key) === change) this.#replays.delete(key);
    });
  }

  #append(ids: string[], record: JournalRecord, doc: SessionDocument | undefined): Promise<void> {
    for (const id of ids) this.#dirty.add(id);
    const written = this.#writer.append(JSON.stringify(record));
    this.#last = written;
    for (const id of ids) this.#pending.set(id, written);
    const forget = () => {
      for (const id of ids) if (this.#pending.get(id) === written) this.#pending.delete(id);
    };
    written.then(
      () => {
        forget();
        if (this.#last === written) this.#last = undefined;
        if (this.#failing) {
          this.#failing = false;
          this.#options.onRecovered?.();
        }
      },
      (error: unknown) => {
        forget();
        if (this.#last === written) this.#last = undefined;
        this.#refusals += 1;
        // The store undoes the change; what the journal holds of this document is unknown now.
        const marker = doc && this.#markers.get(doc);
        if (marker) marker.whole = true;
        if (!this.#failing) {
          this.#failing = true;
          this.#options.onWriteError?.(error);
        }
        // Part of the refused batch could not be cut off the file: a replay after a crash would
        // bring it back, so the file is compacted away as soon as the documents can be written.
        if (this.#writer.owesCut && !this.#compacting) void this.compact();
      },
    );
    const { maxBytes, maxRecords } = this.#options.limits;
    if (!this.#compacting && (this.#writer.size >= maxBytes || this.#writer.records >= maxRecords)) void this.compact();
    return written;
  }

  async #compact(): Promise<void> {
    const { disk, layout, durability } = this.#options;
    const generation = this.#generation + 1;
    const path = layout.journal(generation);
    let fd: Awaited<ReturnType<typeof openJournalFile>>;
    try {
      fd = await openJournalFile(path, durability, disk);
      // In either mode: in `process` mode the names of the journal files must reach the disk in
      // the order their records were written, or a power cut could keep later records and lose earlier ones.
      await disk.syncDirectory(layout.directory, 'rotated-journal-name');
    } catch (error) {
      this.#options.onCompactionError?.(error);
      return;
    }
    let snapshot: Snapshot | undefined;
    const retired = [...this.#files];
    const consistent = await this.#writer.rotate(fd, () => (snapshot = this.#takeSnapshot()));
    this.#generation = generation;
    this.#files.push(path);
    if (!snapshot) return;
    if (!consistent) {
      this.#restore(snapshot);
      return;
    }
    try {
      await this.#writeSnapshot(snapshot, generation);
      // Their removal needs no sync: start-up ignores journal files the manifest says the documents hold.
      for (const file of retired) await disk.unlink(file).catch(ignore);
      this.#files = this.#files.filter((file) => !retired.includes(file));
      // Likewise the files of an older layout: the manifest no longer lists them, start-up ignores them.
      await removeAll(disk, snapshot.leftovers);
      if (this.#leftovers === snapshot.leftovers) this.#leftovers = [];
    } catch (error) {
      this.#restore(snapshot);
      this.#options.onCompactionError?.(error);
    }
  }

  #takeSnapshot(): Snapshot {
    const view = this.#view!;
    const ids = this.#dirty;
    const segments = this.#dirtySegments;
    this.#dirty = new Set();
    this.#dirtySegments = new Set();
    const written = new Set(segments);
    for (const id of ids) written.add(segmentOf(id));
    const members = new Map<number, SessionDocument[]>([...written].map((segment) => [segment, []]));
    if (written.size > 0) for (const doc of view.sessions()) members.get(segmentOf(doc.session.id))?.push(doc);
    const documents: Array<[number, string | null]> = [];
    for (const [segment, docs] of members) {
      // A segment that never existed and holds nothing needs no file removed.
      if (docs.length > 0 || segments.has(segment) || this.#documents.has(basename(this.#options.layout.segment(segment)))) documents.push([segment, docs.length > 0 ? segmentText(docs) : null]);
    }
    const memory = this.#memoryDirty ? JSON.stringify({ format: 1, memory: view.memoryEntries() }) : undefined;
    // Expired changes go at every compaction, so the replays file shrinks as keys expire.
    const oldest = this.#options.now() - this.#options.retentionMs;
    for (const [key, change] of this.#replays) {
      if (change.tag.at >= oldest) continue;
      this.#replays.delete(key);
      this.#replaysDirty = true;
    }
    let replays: string | undefined;
    if (this.#replaysDirty) replays = JSON.stringify({ format: 1, changes: [...this.#replays.values()] } satisfies ReplaysDocument);
    this.#memoryDirty = false;
    this.#replaysDirty = false;
    return { ids, segments, documents, memory, replays, leftovers: this.#leftovers };
  }

  #restore(snapshot: Snapshot): void {
    for (const id of snapshot.ids) this.#dirty.add(id);
    for (const segment of snapshot.segments) this.#dirtySegments.add(segment);
    if (snapshot.memory !== undefined) this.#memoryDirty = true;
    if (snapshot.replays !== undefined) this.#replaysDirty = true;
  }

  /**
   * Writes the documents, each synced before it replaces the old one, then the manifest that
   * describes them and says which journal files they hold (those before `generation`): only
   * once that is on the disk may those files go. First, a manifest that names the documents
   * about to be written: start-up accepts either version of each until the compaction is over
   * (a document can hold a change whose record was refused but which stayed in memory).
   */
  async #writeSnapshot(snapshot: Snapshot, generation: number): Promise<void> {
    const { disk, layout } = this.#options;
    const writes: Array<[path: string, name: string, bytes: Buffer | null]> = snapshot.documents.map(([segment, text]) => [
      layout.segment(segment),
      basename(layout.segment(segment)),
      text === null ? null : Buffer.from(text),
    ]);
    if (snapshot.replays !== undefined) writes.push([layout.replays, basename(layout.replays), Buffer.from(snapshot.replays)]);
    if (snapshot.memory !== undefined) writes.push([layout.root, rootKey, Buffer.from(snapshot.memory)]);
    const next = new Map(writes.map(([, name, bytes]) => [name, bytes && describeFile(bytes)]));
    await this.#writeManifest(this.#manifestJournal, next);
    const queue = [...writes];
    let failed = false;
    const worker = async () => {
      for (let item = queue.shift(); item && !failed; item = queue.shift()) {
        const [path, name, bytes] = item;
        if (bytes === null) {
          await disk.unlink(path);
          this.#documents.delete(name);
        } else {
          await replaceFile(disk, path, bytes, 'document');
          this.#documents.set(name, describeFile(bytes));
        }
      }
    };
    // Every worker has stopped before this compaction ends, failed or not: a later compaction must
    // not write a document while a worker of this one still writes it (they share its temporary name).
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        worker().catch((error: unknown) => {
          failed = true;
          throw error;
        }),
      ),
    );
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    if (snapshot.memory !== undefined) await disk.syncDirectory(dirname(layout.root), 'root-name');
    // The documents' names before the manifest's: a folder's changes may reach the disk in any order.
    await disk.syncDirectory(layout.directory, 'document-names');
    const leftovers = snapshot.leftovers.map((file) => basename(file));
    await this.#writeManifest(generation, undefined, leftovers);
    for (const name of leftovers) this.#documents.delete(name);
    this.#manifestJournal = generation;
  }

  /**
   * Writes the manifest of the documents as they are, when no journal file but the one being
   * appended to exists (a new database, or one written before manifests).
   */
  async writeManifest(): Promise<void> {
    await this.#writeManifest(this.#generation);
    this.#manifestJournal = this.#generation;
  }

  /** `omitted`: documents it no longer lists (the older layout's, once their content is in segments). */
  async #writeManifest(generation: number, next?: Map<string, FileSummary | null>, omitted: string[] = []): Promise<void> {
    const { disk, layout } = this.#options;
    const gone = new Set(omitted);
    const documents = gone.size === 0 ? this.#documents : new Map([...this.#documents].filter(([name]) => !gone.has(name)));
    await replaceFile(disk, layout.manifest, manifestText(generation, documents, next), 'manifest');
    await disk.syncDirectory(layout.directory, 'manifest-name');
  }
}
