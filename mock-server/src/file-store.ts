import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Adapter } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { memoryEntryIssues, sessionDocumentIssues } from './api/documents.js';
import { LowdbSessionStore, type DocumentSource, type RootDocument } from './core/lowdb-store.js';
import type { SessionDocument } from './core/types.js';
import { idempotencyRetentionMs } from './api/idempotency.js';
import { defaultJournalLimits, JournalLog, type JournalLimits, type ReplaysDocument, type StoreLayout } from './store/journal-log.js';
import { replaceFile, syncDirectory } from './store/durable-file.js';
import { JournalWriter, openJournalFile, type Durability } from './store/journal-writer.js';
import { applyRecord, recordProblem, tagId, type JournalRecord, type ReplayState } from './store/records.js';

/** The database could not be opened; nothing was written. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  constructor(
    readonly path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Cannot open the database at ${path}: ${reason}. The file was left untouched: repair or move it, ` +
        'or start with --in-memory or another --db path.',
      options,
    );
  }
}

/** Where the session documents of a database file live: `data/sessions.json` → `data/sessions/`. */
export function sessionsDirectory(dbPath: string): string {
  const name = basename(dbPath);
  return join(dirname(dbPath), name.endsWith('.json') ? name.slice(0, -'.json'.length) : `${name}.d`);
}

const sessionFile = /^(sess_[A-Za-z0-9_-]+)\.json$/;

function describe(error: unknown): string {
  if (error instanceof SyntaxError) return `it is not valid JSON (${error.message})`;
  const code = (error as { code?: unknown }).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  return error instanceof Error ? error.message : String(error);
}

/** Wraps a lowdb adapter so that a file that cannot be read or does not look right stops start-up. */
function checked<T>(path: string, adapter: Adapter<T>, check: (data: unknown) => string | undefined): Adapter<T> {
  return {
    async read() {
      let data: T | null;
      try {
        data = await adapter.read();
      } catch (error) {
        throw new StoreOpenError(path, describe(error), { cause: error });
      }
      if (data === null) return null;
      const problem = check(data);
      if (problem) throw new StoreOpenError(path, problem);
      return data;
    },
    write: (data) => adapter.write(data),
  };
}

function checkRoot(data: unknown): string | undefined {
  const root = data as Partial<RootDocument> | null;
  if (typeof root !== 'object' || root === null || root.format !== 1 || !Array.isArray(root.memory)) {
    return 'it is not a fold-sessions-mock database (expected {"format": 1, "memory": [...]})';
  }
  const issue = root.memory.flatMap((entry, i) => memoryEntryIssues(entry, `memory.${i}`))[0];
  return issue && `${issue.path} is malformed (${issue.message})`;
}

function checkSession(id: string) {
  return (data: unknown): string | undefined => {
    const issue = sessionDocumentIssues(data, 'document')[0];
    if (issue) return `it is not a valid session document: ${issue.path}: ${issue.message}`;
    const stored = (data as SessionDocument).session.id;
    return stored === id ? undefined : `it holds session ${stored}, not ${id}`;
  };
}

/**
 * lowdb `JSONFile` documents on disk: the root file at `dbPath` (memory entries), and one file
 * per session in `sessionsDirectory(dbPath)`. lowdb writes each file to a temporary name and
 * renames it into place, so a crash never leaves a half-written file.
 */
export function fileDocuments(dbPath: string): DocumentSource {
  const root = resolve(dbPath);
  const directory = sessionsDirectory(root);
  const sessionPath = (id: string) => join(directory, `${id}.json`);
  return {
    root: () => checked(root, new JSONFile<RootDocument>(root), checkRoot),
    session: (id) => checked(sessionPath(id), new JSONFile<SessionDocument>(sessionPath(id)), checkSession(id)),
    async sessionIds() {
      let names: string[];
      try {
        names = await readdir(directory);
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') return [];
        throw new StoreOpenError(directory, describe(error), { cause: error });
      }
      return names.flatMap((name) => sessionFile.exec(name)?.[1] ?? []).sort();
    },
    async removeSession(id) {
      await unlink(sessionPath(id)).catch((error: unknown) => {
        if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
      });
    },
  };
}

/**
 * Deletes the temporary files that writes interrupted by a crash left beside the database
 * (lowdb writes `.<name>.tmp`, then renames it into place). Returns how many it removed.
 */
export async function removeInterruptedWrites(dbPath: string): Promise<number> {
  const root = resolve(dbPath);
  const directory = sessionsDirectory(root);
  const candidates = [join(dirname(root), `.${basename(root)}.tmp`), join(directory, '.replays.json.tmp')];
  const names = await readdir(directory).catch(() => [] as string[]);
  for (const name of names) if (/^\.sess_[A-Za-z0-9_-]+\.json\.tmp$/.test(name)) candidates.push(join(directory, name));
  let removed = 0;
  for (const path of candidates) {
    await unlink(path).then(
      () => (removed += 1),
      (error: unknown) => {
        if ((error as { code?: unknown }).code !== 'ENOENT') throw new StoreOpenError(path, describe(error), { cause: error });
      },
    );
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
  /** Told once when writes start failing (disk full, read-only, I/O error), and when they work again. */
  onWriteError?: (error: unknown) => void;
  onRecovered?: () => void;
  /** Told when a background compaction failed (it is tried again later; nothing is lost). */
  onCompactionError?: (error: unknown) => void;
}

/** What opening the database found. */
export interface FileStoreReport {
  /** Journal records replayed onto the documents. */
  replayed: number;
  /** Whether a journal file ended in a batch not written to its end, by a crash (ignored). */
  tornRecord: boolean;
}

const journalFile = /^journal-(\d+)\.ndjson$/;

/** The files of the database at `root` (an absolute path). */
export function storeLayout(root: string): StoreLayout {
  const directory = sessionsDirectory(root);
  return {
    directory,
    root,
    replays: join(directory, 'replays.json'),
    session: (id) => join(directory, `${id}.json`),
    journal: (generation) => join(directory, `journal-${String(generation).padStart(6, '0')}.ndjson`),
  };
}

async function loadDocuments(root: string, layout: StoreLayout): Promise<ReplayState> {
  const source = fileDocuments(root);
  const rootData = await source.root().read();
  const state: ReplayState = { sessions: new Map(), memory: new Map(), tags: new Map(), dirty: new Set(), memoryDirty: false, tagsDirty: false, orphans: new Set() };
  for (const entry of rootData?.memory ?? []) state.memory.set(entry.id, entry);
  const ids = await source.sessionIds();
  const docs = await Promise.all(ids.map((id) => source.session(id).read()));
  for (const doc of docs) if (doc) state.sessions.set(doc.session.id, doc);
  const replays = await checked<ReplaysDocument>(layout.replays, new JSONFile(layout.replays), checkReplays).read();
  for (const change of replays?.changes ?? []) state.tags.set(tagId(change.tag), change);
  return state;
}

function checkReplays(data: unknown): string | undefined {
  const replays = data as Partial<ReplaysDocument> | null;
  if (typeof replays !== 'object' || replays === null || replays.format !== 1 || !Array.isArray(replays.changes)) {
    return 'it is not a replays document (expected {"format": 1, "changes": [...]})';
  }
  const bad = replays.changes.findIndex(
    (change: Partial<Record<'tag' | 'session' | 'message', { key?: unknown; orgId?: unknown; id?: unknown }>>) =>
      typeof change?.tag?.key !== 'string' || typeof change.tag.orgId !== 'string' || typeof (change.message ?? change.session)?.id !== 'string',
  );
  return bad === -1 ? undefined : `changes.${bad} is malformed`;
}

interface JournalContents {
  generations: number[];
  files: string[];
  records: Array<{ file: string; value: JournalRecord }>;
  torn: boolean;
}

/**
 * Reads every journal file, oldest first, batch by batch (each ends with an empty line). Only the
 * end of a file may hold a batch that was not written to its end: a crash while it was written,
 * or a refused batch whose cut-off failed. It was never answered, and is ignored.
 */
async function readJournal(layout: StoreLayout): Promise<JournalContents> {
  const names = await readdir(layout.directory).catch(() => [] as string[]);
  const generations = names.flatMap((name) => journalFile.exec(name)?.[1] ?? []).map(Number).sort((a, b) => a - b);
  const files = generations.map((generation) => layout.journal(generation));
  const records: JournalContents['records'] = [];
  let torn = false;
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new StoreOpenError(file, describe(error), { cause: error });
    }
    const lines = text.split('\n');
    // A complete file ends with a newline, so its last piece is empty.
    const tail = lines.pop()!;
    // A file can end in an unfinished batch even when a later one exists: a crash while the last
    // batch went into it after its successor was created (by a compaction, or by the start-up
    // after an earlier crash). That batch was never answered, and nothing followed it in the file.
    if (tail !== '') torn = true;
    let batch: JournalContents['records'] = [];
    for (const [at, line] of lines.entries()) {
      if (line === '') {
        for (const record of batch) records.push(record);
        batch = [];
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        // A crash can cut the last record only; a complete line that does not parse is damage.
        throw new StoreOpenError(file, `line ${at + 1} is not valid JSON (${(error as Error).message})`, { cause: error });
      }
      const problem = recordProblem(value);
      if (problem) throw new StoreOpenError(file, `line ${at + 1} is not a journal record: ${problem}`);
      batch.push({ file, value: value as JournalRecord });
    }
    if (batch.length > 0) torn = true;
  }
  return { generations, files, records, torn };
}

/** The documents the journal changed must still be valid documents. */
function checkReplayed(state: ReplayState, layout: StoreLayout): void {
  for (const id of state.dirty) {
    const doc = state.sessions.get(id);
    if (!doc) continue;
    const issue = sessionDocumentIssues(doc, 'document')[0];
    if (issue) throw new StoreOpenError(layout.session(id), `the journal makes it an invalid session document: ${issue.path}: ${issue.message}`);
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
  const root = resolve(dbPath);
  const directory = sessionsDirectory(root);
  const existing = await stat(root).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new StoreOpenError(root, describe(error), { cause: error });
  });
  if (existing?.isDirectory()) throw new StoreOpenError(root, describe({ code: 'EISDIR' }));
  const durability = options.durability ?? 'fsync';
  const layout = storeLayout(root);
  const loaded = await loadDocuments(root, layout);
  const journal = await readJournal(layout);
  for (const [at, record] of journal.records.entries()) {
    const problem = applyRecord(loaded, record.value);
    if (problem) throw new StoreOpenError(record.file, `record ${at + 1} cannot apply: ${problem}`);
  }
  if (loaded.orphans.size > 0) {
    throw new StoreOpenError(journal.files.at(-1) ?? directory, `it updates session ${[...loaded.orphans][0]} but never stores it: the journal does not belong to these documents`);
  }
  checkReplayed(loaded, layout);
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new StoreOpenError(directory, describe(error), { cause: error });
  }
  const now = options.now ?? Date.now;
  const generation = (journal.generations.at(-1) ?? 0) + 1;
  const fd = await openJournalFile(layout.journal(generation), durability).catch((error: unknown) => {
    throw new StoreOpenError(layout.journal(generation), describe(error), { cause: error });
  });
  // The journal's name must outlive a power cut as much as its records.
  if (durability === 'fsync') await syncDirectory(directory);
  const writer = new JournalWriter(fd, 0);
  const log = new JournalLog({
    layout,
    writer,
    generation,
    durability,
    limits: { ...defaultJournalLimits, ...options.journalLimits },
    replays: loaded.tags,
    retentionMs: idempotencyRetentionMs,
    now,
    ...(options.onWriteError && { onWriteError: options.onWriteError }),
    ...(options.onRecovered && { onRecovered: options.onRecovered }),
    ...(options.onCompactionError && { onCompactionError: options.onCompactionError }),
  });
  const store = LowdbSessionStore.restore(loaded.sessions.values(), [...loaded.memory.values()], log);
  log.attach(store, loaded.sessions.values());
  log.adoptFiles(journal.files, { dirty: loaded.dirty, memory: loaded.memoryDirty, replays: loaded.tagsDirty });
  // A new database gets its root file at once, so the path printed at start-up exists. Before
  // any compaction: one that wrote the journal's memory entries to it must not be overwritten.
  if (!existing) {
    try {
      await replaceFile(root, JSON.stringify({ format: 1, memory: [] }), durability);
      if (durability === 'fsync') await syncDirectory(dirname(root));
    } catch (error) {
      await log.close();
      throw new StoreOpenError(root, describe(error), { cause: error });
    }
  }
  // The documents take in what the journal held, in the background, so that the next start
  // reads them instead of replaying: start-up costs the reading, not the rewriting.
  // `compact()` waits for it.
  if (journal.files.length > 0) void log.compact();
  return { store, report: { replayed: journal.records.length, tornRecord: journal.torn } };
}
