import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Adapter } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { memoryEntryIssues, sessionDocumentIssues } from './api/documents.js';
import { emptyRoot, LowdbSessionStore, type DocumentSource, type RootDocument } from './core/lowdb-store.js';
import type { SessionDocument } from './core/types.js';

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
  const candidates = [join(dirname(root), `.${basename(root)}.tmp`)];
  const directory = sessionsDirectory(root);
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

/**
 * Opens (or creates) the database at `dbPath` and loads it into memory. Rejects with a
 * `StoreOpenError`, writing nothing, if any of its files cannot be read or parsed.
 */
export async function openFileStore(dbPath: string): Promise<LowdbSessionStore> {
  const root = resolve(dbPath);
  const directory = sessionsDirectory(root);
  const existing = await stat(root).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new StoreOpenError(root, describe(error), { cause: error });
  });
  if (existing?.isDirectory()) throw new StoreOpenError(root, describe({ code: 'EISDIR' }));
  const store = await LowdbSessionStore.open(fileDocuments(root));
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new StoreOpenError(directory, describe(error), { cause: error });
  }
  // A new database gets its root file at once, so the path printed at start-up exists.
  if (!existing) await new JSONFile<RootDocument>(root).write(emptyRoot());
  return store;
}
