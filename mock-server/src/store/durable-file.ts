import { basename, dirname, join } from 'node:path';
import type { Disk, SyncSite } from './disk.js';

/** The temporary name a document is written to before it is renamed into place. */
export const temporaryPath = (path: string) => join(dirname(path), `.${basename(path)}.tmp`);

/**
 * Writes `text` to `path` as a whole or not at all: to a temporary file first, synced (in every
 * durability mode: documents are written in the background, off the path of any answer), then
 * renamed over the old one. The caller syncs the folder once for many files.
 */
export async function replaceFile(disk: Disk, path: string, text: string | Uint8Array, site: SyncSite): Promise<void> {
  const temporary = temporaryPath(path);
  const file = await disk.create(temporary, { exclusive: false });
  try {
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written), written);
    await file.sync(site);
  } catch (error) {
    await file.close().catch(() => undefined);
    await disk.unlink(temporary).catch(() => undefined);
    throw error;
  }
  await file.close();
  await disk.rename(temporary, path);
}
