import { crc32 } from 'node:zlib';
import { deferred, type Deferred } from './deferred.js';
import { nodeDisk, type Disk, type DiskFile } from './disk.js';

/**
 * What an acknowledged write survives.
 * - `fsync`: the journal is synced before any write it holds is answered (it is opened with
 *   `O_DSYNC`, so each write returns once its data is on the device, as write + `fdatasync`
 *   would, in one call): a crash of the process or of the machine (power cut) loses nothing that
 *   was answered 2xx.
 * - `process`: the journal is handed to the operating system before the answer, not synced:
 *   a crash of the process loses nothing, a crash of the machine can lose the last second or so.
 */
export type Durability = 'fsync' | 'process';

interface Batch extends Deferred {
  lines: string[];
}

const newBatch = (): Batch => ({ ...deferred(), lines: [] });

/**
 * Cuts a file back to `length` and syncs that: the part of a refused batch that reached the file
 * (durably, with O_DSYNC) must not come back after a power cut.
 */
async function cut(file: DiskFile, length: number): Promise<void> {
  await file.truncate(length);
  await file.sync('journal-cut');
}

/** Creates a new, empty journal file; fails if it exists. */
export function openJournalFile(path: string, durability: Durability, disk: Disk = nodeDisk): Promise<DiskFile> {
  return disk.create(path, { exclusive: true, ...(durability === 'fsync' && { synced: 'journal-write' as const }) });
}

/**
 * One batch as it is written: a header line `#<crc32 of the records, 8 hex digits> <the byte
 * offset the batch starts at>`, the records, one a line, and an empty line. The checksum tells an
 * edited record from a good one; the offset tells a batch moved (bytes cut out before it) from
 * one in its place.
 */
export function batchText(lines: string[], start: number): string {
  const records = `${lines.join('\n')}\n`;
  return `#${checksum(records)} ${start}\n${records}\n`;
}

/** The CRC-32 of `text`, as 8 hex digits. */
export function checksum(text: string | Uint8Array): string {
  return crc32(text).toString(16).padStart(8, '0');
}

interface Rotation {
  fd: DiskFile;
  snapshot: () => void;
  resolve: (consistent: boolean) => void;
}

/**
 * Appends lines to one open journal file with group commit: one write (and one sync) is in
 * flight at a time, and every line appended meanwhile joins the next batch. A line's promise
 * resolves once the batch holding it is durable, so N concurrent writers cost about two syncs,
 * not N. Each batch ends with an empty line. A batch that fails is cut off the file again
 * (`ftruncate` to where it began), so the file never holds a half batch followed by good ones;
 * until that succeeds nothing is written.
 */
export class JournalWriter {
  #fd: DiskFile;
  #size: number;
  #records = 0;
  #queued: Batch | undefined;
  #writing: Promise<void> | undefined;
  // Set when a failed batch could not be cut off: the length the file must get back to.
  #cutTo: number | undefined;
  #rotation: Rotation | undefined;

  readonly #syncOnRotate: boolean;

  /**
   * `fd`: a file from `openJournalFile`, whose flags give the durability of each write.
   * `syncOnRotate`: a file moved away from is synced before anything goes to the next one, so
   * that a power cut keeps a prefix of the journal across files (for `process` mode, whose
   * writes are not synced one by one).
   */
  constructor(fd: DiskFile, size: number, options: { syncOnRotate?: boolean } = {}) {
    this.#fd = fd;
    this.#size = size;
    this.#syncOnRotate = options.syncOnRotate ?? false;
  }

  /** Bytes in the current file. */
  get size(): number {
    return this.#size;
  }

  /** Records appended to the current file. */
  get records(): number {
    return this.#records;
  }

  /** Whether a batch is being written or waiting. */
  get busy(): boolean {
    return this.#writing !== undefined;
  }

  /** Queues one record (a line without its newline); resolves once it is durable. */
  append(line: string): Promise<void> {
    const batch = (this.#queued ??= newBatch());
    batch.lines.push(line);
    this.#writing ??= this.#drain();
    return batch.promise;
  }

  /**
   * Moves to another (new, empty) file. `snapshot` runs synchronously at the moment the next
   * batch is taken (or now, when nothing is queued or in flight): at that instant the state in
   * memory is exactly what the journal holds once that batch is durable. The batch still goes to
   * the old file; later ones go to `fd`. Resolves with whether that batch was durable, i.e.
   * whether what `snapshot` saw is durable; the old file's descriptor is closed either way.
   */
  rotate(fd: DiskFile, snapshot: () => void): Promise<boolean> {
    if (this.#rotation) return Promise.reject(new Error('A rotation is already waiting'));
    if (!this.#writing) {
      snapshot();
      return this.#retire(this.#switch(fd)).then(() => true);
    }
    return new Promise((resolve) => (this.#rotation = { fd, snapshot, resolve }));
  }

  #switch(fd: DiskFile): { fd: DiskFile; cutTo: number | undefined } {
    const previous = { fd: this.#fd, cutTo: this.#cutTo };
    this.#fd = fd;
    this.#size = 0;
    this.#records = 0;
    this.#cutTo = undefined;
    return previous;
  }

  /**
   * Whether part of a refused batch is still in the file because cutting it off failed. It goes
   * when a later write succeeds, or with the file when a compaction removes it.
   */
  get owesCut(): boolean {
    return this.#cutTo !== undefined;
  }

  /** Closes a file switched away from, cutting off a failed batch first if that is still owed. */
  async #retire(previous: { fd: DiskFile; cutTo: number | undefined }): Promise<void> {
    const { fd, cutTo } = previous;
    if (cutTo !== undefined) await cut(fd, cutTo).catch(() => undefined);
    if (this.#syncOnRotate) await fd.sync('rotated-journal').catch(() => undefined);
    await fd.close().catch(() => undefined);
  }

  /** Resolves when everything appended so far has been written (or refused). Never rejects. */
  async idle(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  /** Waits for the writes in flight, then closes the file. */
  async close(): Promise<void> {
    await this.idle();
    await this.#fd.close();
  }

  async #drain(): Promise<void> {
    // Let the records of this tick join the first batch.
    await Promise.resolve();
    while (this.#queued) {
      const batch = this.#queued;
      this.#queued = undefined;
      const rotation = this.#rotation;
      this.#rotation = undefined;
      rotation?.snapshot();
      let durable = true;
      try {
        await this.#commit(batch.lines);
        batch.resolve();
      } catch (error) {
        durable = false;
        batch.reject(error);
        // Those who wrote the batch undo their changes in memory when told; no snapshot or next
        // batch is taken before they have (a macrotask runs only after every pending microtask).
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (rotation) {
        await this.#retire(this.#switch(rotation.fd));
        rotation.resolve(durable);
      }
    }
    this.#writing = undefined;
    const rotation = this.#rotation;
    this.#rotation = undefined;
    if (rotation) this.rotate(rotation.fd, rotation.snapshot).then(rotation.resolve, () => rotation.resolve(false));
  }

  async #commit(lines: string[]): Promise<void> {
    const fd = this.#fd;
    if (this.#cutTo !== undefined) {
      const length = this.#cutTo;
      await cut(fd, length);
      this.#cutTo = undefined;
      this.#size = length;
    }
    // An empty line ends the batch: start-up replays only batches written to their end, so a
    // batch that reached the file in part (a crash, or a refusal whose cut-off failed) is ignored.
    const start = this.#size;
    const bytes = Buffer.from(batchText(lines, start));
    try {
      let written = 0;
      while (written < bytes.length) {
        const at = written;
        written += await fd.write(bytes.subarray(at), start + at);
      }
    } catch (error) {
      // Whatever part of the batch reached the file must go before anything is appended after it.
      this.#cutTo = start;
      await cut(fd, start).then(
        () => (this.#cutTo = undefined),
        () => undefined,
      );
      throw error;
    }
    this.#size = start + bytes.length;
    this.#records += lines.length;
  }
}
