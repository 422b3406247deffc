import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import type { Durability } from './journal-writer.js';

/** Syncs a folder, so that the names created, renamed or removed in it survive a power cut. */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The temporary name a document is written to before it is renamed into place. */
export const temporaryPath = (path: string) => join(dirname(path), `.${basename(path)}.tmp`);

/**
 * Writes `text` to `path` as a whole or not at all: to a temporary file first (synced in `fsync`
 * mode), then renamed over the old one. The caller syncs the folder once for many files.
 */
export async function replaceFile(path: string, text: string, durability: Durability): Promise<void> {
  const temporary = temporaryPath(path);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text);
    if (durability === 'fsync') await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temporary, path);
}

/**
 * A lowdb adapter for the documents of the durable store: compact JSON (its size follows the
 * data, not its depth), written whole with `replaceFile`. lowdb's own `JSONFile` reads the same
 * files.
 */
export class DurableJSONFile<T> implements Adapter<T> {
  constructor(
    readonly path: string,
    readonly durability: Durability,
  ) {}

  async read(): Promise<T | null> {
    const handle = await open(this.path, 'r').catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
      throw error;
    });
    if (!handle) return null;
    try {
      return JSON.parse(await handle.readFile('utf8')) as T;
    } finally {
      await handle.close();
    }
  }

  /** Serialises `data` before it returns to the caller's tick: later changes are not written. */
  write(data: T): Promise<void> {
    return replaceFile(this.path, JSON.stringify(data), this.durability);
  }
}
