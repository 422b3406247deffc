import { close, constants, fdatasync, ftruncate, open, write } from 'node:fs';
import { mkdir, open as openHandle, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';

/**
 * Every sync the durable store makes, by where it is made. A power cut keeps what was synced
 * and may drop anything else; each of these is what makes some acknowledged state outlive one.
 */
export const syncSites = [
  /** Each journal batch, in `fsync` mode (the file is opened with `O_DSYNC`). */
  'journal-write',
  /** A refused batch cut off the journal again. */
  'journal-cut',
  /** The name of the journal file start-up creates, in `fsync` mode. */
  'journal-name',
  /** The folder of a new database, in its parent (in either mode: what a compaction syncs is in it). */
  'folder-name',
  /** A new database's root file, and its name. */
  'new-root-file',
  'new-root-name',
  /** The journal files, and their names, at a clean stop whose compaction failed, in `process` mode. */
  'stop-journal',
  'stop-journal-names',
  /** The journal file a compaction moves away from, in `process` mode. */
  'rotated-journal',
  /** The name of the journal file a compaction moves to. */
  'rotated-journal-name',
  /** The documents a compaction writes (sessions, replays, root), before they replace the old ones. */
  'document',
  /** The new names of those documents (their folder, and the root's folder). */
  'document-names',
  'root-name',
  /** The manifest a compaction writes, and its name, before the journal files it covers go. */
  'manifest',
  'manifest-name',
] as const;

export type SyncSite = (typeof syncSites)[number];

/** An open file of the store. */
export interface DiskFile {
  /** Writes at `position`; resolves with the bytes written. */
  write(bytes: Uint8Array, position: number): Promise<number>;
  truncate(length: number): Promise<void>;
  /** Waits until the file's data is on the device. */
  sync(site: SyncSite): Promise<void>;
  close(): Promise<void>;
}

/**
 * The file access of the durable store, and nothing more: tests run the store on a disk that
 * forgets what was not synced, as a power cut does.
 */
export interface Disk {
  /**
   * Creates a file (truncating one that exists, unless `exclusive`: then it fails with `EEXIST`).
   * With `synced`, each write returns once its data is on the device (`O_DSYNC`).
   */
  create(path: string, options: { exclusive: boolean; synced?: SyncSite }): Promise<DiskFile>;
  /** A whole file; `undefined` when there is none. */
  read(path: string): Promise<Buffer | undefined>;
  /** A folder's names; `undefined` when there is none. */
  readdir(path: string): Promise<string[] | undefined>;
  /** What `path` is, if anything. */
  kind(path: string): Promise<'file' | 'directory' | undefined>;
  /** Creates a folder and its parents; resolves with whether it was created. */
  mkdir(path: string): Promise<boolean>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; one that does not exist is not an error. */
  unlink(path: string): Promise<void>;
  /** Syncs a file's data by its name. */
  syncFile(path: string, site: SyncSite): Promise<void>;
  /** Syncs a folder, so that the names created, renamed or removed in it survive a power cut. */
  syncDirectory(path: string, site: SyncSite): Promise<void>;
}

const run = <T>(start: (done: (error: NodeJS.ErrnoException | null, value?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value as T))));

const missing = (error: unknown) => (error as { code?: unknown }).code === 'ENOENT';

function nodeFile(fd: number): DiskFile {
  return {
    write: (bytes, position) => run<number>((done) => write(fd, bytes, 0, bytes.length, position, done)),
    truncate: (length) => run((done) => ftruncate(fd, length, done)),
    sync: () => run((done) => fdatasync(fd, done)),
    close: () => run((done) => close(fd, done)),
  };
}

/** The real disk, through `node:fs`. */
export const nodeDisk: Disk = {
  async create(path, options) {
    const flags = constants.O_WRONLY | constants.O_CREAT | (options.exclusive ? constants.O_EXCL : constants.O_TRUNC) | (options.synced ? constants.O_DSYNC : 0);
    return nodeFile(await run<number>((done) => open(path, flags, 0o644, done)));
  },
  read: (path) => readFile(path).catch((error: unknown) => (missing(error) ? undefined : Promise.reject(error))),
  readdir: (path) => readdir(path).catch((error: unknown) => (missing(error) ? undefined : Promise.reject(error))),
  async kind(path) {
    const found = await stat(path).catch((error: unknown) => (missing(error) ? undefined : Promise.reject(error)));
    return found === undefined ? undefined : found.isDirectory() ? 'directory' : 'file';
  },
  mkdir: async (path) => (await mkdir(path, { recursive: true })) !== undefined,
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path).catch((error: unknown) => (missing(error) ? undefined : Promise.reject(error))),
  async syncFile(path) {
    const handle = await openHandle(path, 'r');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  },
  async syncDirectory(path) {
    const handle = await openHandle(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
