import { basename, dirname, join, resolve } from 'node:path';
import { memoryEntryIssues, sessionDocumentIssues } from '../core/documents.js';
import { defaultLimits, idempotencyRetentionMs } from '../core/limits.js';
import { LowdbSessionStore } from './lowdb-store.js';
import { nodeDisk, type Disk } from './disk.js';
import { replaceFile } from './durable-file.js';
import { defaultJournalLimits, JournalLog, type JournalLimits, type StoreLayout } from './journal-log.js';
import { JournalWriter, openJournalFile, type Durability } from './journal-writer.js';
import { describeFile, rootKey } from './manifest.js';
import { describeError, StoreOpenError } from './open-error.js';
import { segmentName, segmentOf } from './segments.js';
import type { ReplayState } from './records.js';
import { damagePolicy, readDatabase } from './start-up.js';

export { StoreOpenError };

/** Where the session documents of a database file live: `data/sessions.json` → `data/sessions/`. */
export function sessionsDirectory(dbPath: string): string {
  const name = basename(dbPath);
  return join(dirname(dbPath), name.endsWith('.json') ? name.slice(0, -'.json'.length) : `${name}.d`);
}

/**
 * The file holding the document of session `id` in the database at `dbPath`: one of a bounded
 * number of segment files (`data/sessions/segment-07.json`), each a lowdb document
 * `{"format": 1, "sessions": [...]}`.
 */
export function sessionFile(dbPath: string, id: string): string {
  return join(sessionsDirectory(resolve(dbPath)), segmentName(segmentOf(id)));
}

/**
 * Deletes the temporary files that writes interrupted by a crash left beside the database
 * (documents are written to `.<name>.tmp`, then renamed into place). Returns how many it removed.
 */
export async function removeInterruptedWrites(dbPath: string, disk: Disk = nodeDisk): Promise<number> {
  const root = resolve(dbPath);
  const directory = sessionsDirectory(root);
  const candidates = [join(dirname(root), `.${basename(root)}.tmp`), join(directory, '.replays.json.tmp'), join(directory, '.manifest.json.tmp')];
  const names = (await disk.readdir(directory).catch(() => undefined)) ?? [];
  for (const name of names) if (/^\.(sess_[A-Za-z0-9_-]+|segment-\d\d)\.json\.tmp$/.test(name)) candidates.push(join(directory, name));
  let removed = 0;
  for (const path of candidates) {
    let kind: Awaited<ReturnType<Disk['kind']>>;
    try {
      kind = await disk.kind(path);
      if (kind === 'file') await disk.unlink(path);
    } catch (error) {
      throw new StoreOpenError(path, describeError(error), { cause: error });
    }
    if (kind === 'file') removed += 1;
  }
  return removed;
}

export interface FileStoreOptions {
  /** What an acknowledged write survives; see `Durability`. @default 'fsync' */
  durability?: Durability;
  /** When the journal is compacted into the documents. @default 64 MiB or 100,000 records */
  journalLimits?: Partial<JournalLimits>;
  /** The clock of idempotency retention. @default Date.now */
  now?: () => number;
  /** Idempotent requests' changes kept for replay; past it the oldest is forgotten. @default 100000 */
  maxReplays?: number;
  /** Told once when writes start failing (disk full, read-only, I/O error), and when they work again. */
  onWriteError?: (error: unknown) => void;
  onRecovered?: () => void;
  /** Told when a background compaction failed (it is tried again later; nothing is lost). */
  onCompactionError?: (error: unknown) => void;
  /**
   * Opens a damaged database anyway: keeps every document and journal batch that is intact,
   * drops the rest and says what (`FileStoreReport.dropped`). Without it, damage is refused with
   * a `StoreOpenError` naming the file and, in a journal, the byte offset; in `process` mode,
   * damage a power cut explains is recovered even so.
   * @default false
   */
  repair?: boolean;
  /** The file access of the store. @default the real disk, through `node:fs` */
  disk?: Disk;
}

/** What opening the database found. */
export interface FileStoreReport {
  /** Journal records replayed onto the documents. */
  replayed: number;
  /** Whether a journal file ended in a batch not written to its end (ignored): a crash while it was written, or a cut. */
  tornRecord: boolean;
  /** Where that batch starts. */
  torn?: { file: string; offset: number };
  /**
   * What could not be kept, one line each: damage a power cut explains (`process` mode), or
   * what `repair` dropped. Empty when nothing was lost.
   */
  dropped: string[];
}

/** The files of the database at `root` (an absolute path). */
export function storeLayout(root: string): StoreLayout {
  const directory = sessionsDirectory(root);
  return {
    directory,
    root,
    replays: join(directory, 'replays.json'),
    manifest: join(directory, 'manifest.json'),
    segment: (segment) => join(directory, segmentName(segment)),
    journal: (generation) => join(directory, `journal-${String(generation).padStart(6, '0')}.ndjson`),
  };
}

/** The documents the journal changed must still be valid documents. */
function checkReplayed(state: ReplayState, layout: StoreLayout): void {
  for (const id of state.dirty) {
    const doc = state.sessions.get(id);
    if (!doc) continue;
    const issue = sessionDocumentIssues(doc, 'document')[0];
    if (issue) throw new StoreOpenError(layout.segment(segmentOf(id)), `the journal makes session ${id} an invalid session document: ${issue.path}: ${issue.message}`);
  }
  if (!state.memoryDirty) return;
  for (const entry of state.memory.values()) {
    const issue = memoryEntryIssues(entry, 'memory')[0];
    if (issue) throw new StoreOpenError(layout.root, `the journal makes a memory entry malformed: ${issue.path}: ${issue.message}`);
  }
}

/**
 * Opens (or creates) the database at `dbPath`: loads its documents, replays the journal left by
 * the last run, and compacts it into them in the background. Rejects with a `StoreOpenError`, writing nothing, if
 * any file cannot be read or parsed (a record cut short at the very end of the journal, as a
 * crash leaves it, is ignored and reported instead).
 */
export async function openFileStore(dbPath: string, options: FileStoreOptions = {}): Promise<LowdbSessionStore> {
  return (await openDurableStore(dbPath, options)).store;
}

/** `openFileStore`, also returning what start-up found. */
export async function openDurableStore(dbPath: string, options: FileStoreOptions = {}): Promise<{ store: LowdbSessionStore; report: FileStoreReport }> {
  const disk = options.disk ?? nodeDisk;
  const root = resolve(dbPath);
  const directory = sessionsDirectory(root);
  const kind = await disk.kind(root).catch((error: unknown) => {
    throw new StoreOpenError(root, describeError(error), { cause: error });
  });
  if (kind === 'directory') throw new StoreOpenError(root, describeError({ code: 'EISDIR' }));
  const durability = options.durability ?? 'fsync';
  const layout = storeLayout(root);
  const found = await readDatabase(disk, layout, damagePolicy(durability, options.repair ?? false));
  const loaded = found.state;
  checkReplayed(loaded, layout);
  try {
    // A new folder's name must outlive a power cut as much as what is in it: the journal in
    // `fsync` mode, the documents and manifest a compaction or a clean stop syncs in either mode
    // (a database of an earlier version has its root file already, so nothing else syncs the parent).
    if (await disk.mkdir(directory)) await disk.syncDirectory(dirname(directory), 'folder-name');
  } catch (error) {
    throw new StoreOpenError(directory, describeError(error), { cause: error });
  }
  const now = options.now ?? Date.now;
  const generation = found.nextGeneration;
  const journalPath = layout.journal(generation);
  const fd = await openJournalFile(journalPath, durability, disk).catch((error: unknown) => {
    throw new StoreOpenError(journalPath, describeError(error), { cause: error });
  });
  // The journal's name must outlive a power cut as much as its records.
  if (durability === 'fsync') await disk.syncDirectory(directory, 'journal-name');
  const writer = new JournalWriter(fd, 0, { syncOnRotate: durability === 'process' });
  const log = new JournalLog({
    disk,
    layout,
    writer,
    generation,
    durability,
    limits: { ...defaultJournalLimits, ...options.journalLimits },
    replays: loaded.tags,
    retentionMs: idempotencyRetentionMs,
    maxReplays: options.maxReplays ?? defaultLimits.idempotencyRecords,
    now,
    documents: found.documents,
    manifestJournal: found.manifest?.journal ?? 0,
    ...(options.onWriteError && { onWriteError: options.onWriteError }),
    ...(options.onRecovered && { onRecovered: options.onRecovered }),
    ...(options.onCompactionError && { onCompactionError: options.onCompactionError }),
  });
  const store = LowdbSessionStore.restore(loaded.sessions.values(), [...loaded.memory.values()], log);
  log.attach(store, loaded.sessions.values());
  log.adoptFiles(found.files, { dirty: loaded.dirty, segments: found.dirtySegments, memory: loaded.memoryDirty, replays: loaded.tagsDirty, leftovers: found.leftovers });
  // A new database gets its root file at once, so the path printed at start-up exists. Before
  // any compaction: one that wrote the journal's memory entries to it must not be overwritten.
  if (!found.rootExists && !found.manifest) {
    try {
      const text = Buffer.from(JSON.stringify({ format: 1, memory: [] }));
      await replaceFile(disk, root, text, 'new-root-file');
      await disk.syncDirectory(dirname(root), 'new-root-name');
      found.documents.set(rootKey, describeFile(text));
    } catch (error) {
      await log.close();
      throw new StoreOpenError(root, describeError(error), { cause: error });
    }
  }
  // A database without a manifest (new, or written before manifests) and without a journal gets
  // one now: the documents are all there is.
  if (!found.manifest && found.files.length === 0) {
    try {
      await log.writeManifest();
    } catch (error) {
      await log.close();
      throw new StoreOpenError(layout.manifest, describeError(error), { cause: error });
    }
  }
  // The documents take in what the journal held, in the background, so that the next start
  // reads them instead of replaying: start-up costs the reading, not the rewriting. Damage
  // recovered goes with it. `compact()` waits for it.
  if (found.files.length > 0 || found.dropped.length > 0 || found.leftovers.length > 0) void log.compact();
  return {
    store,
    report: { replayed: found.replayed, tornRecord: found.torn !== undefined, ...(found.torn && { torn: found.torn }), dropped: found.dropped },
  };
}
