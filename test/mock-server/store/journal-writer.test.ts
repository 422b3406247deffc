import { closeSync, openSync } from 'node:fs';
import type { DiskFile } from '../../../mock-server/src/store/disk.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchText, checksum, JournalWriter, openJournalFile } from '../../../mock-server/src/store/journal-writer.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-journal-writer-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

// The records of a journal file, without the batches' header lines.
const lines = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));

/** A file every write of which fails, as a descriptor opened read-only does (EBADF). */
const unwritable = (): DiskFile => ({
  write: () => Promise.reject(Object.assign(new Error('EBADF: bad file descriptor, write'), { code: 'EBADF' })),
  truncate: () => Promise.resolve(),
  sync: () => Promise.resolve(),
  close: () => Promise.resolve(),
});

describe('JournalWriter', () => {
  it('commits concurrent appends in few batches, each line whole, in order of arrival', async () => {
    const path = join(dir, 'journal-000001.ndjson');
    const writer = new JournalWriter(await openJournalFile(path, 'fsync'), 0);
    const appended = Array.from({ length: 50 }, (_, i) => writer.append(JSON.stringify({ i })));
    await Promise.all(appended);
    expect((await lines(path)).map((line) => JSON.parse(line).i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(writer.records).toBe(50);
    expect(writer.size).toBe((await readFile(path)).length);
    await writer.close();
  });

  it('refuses a new file that exists, and never appends to it', async () => {
    const path = join(dir, 'journal-000001.ndjson');
    closeSync(openSync(path, 'w'));
    await expect(openJournalFile(path, 'process')).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('rotates at a batch boundary: the batch taken with the snapshot goes to the old file, later ones to the new', async () => {
    const first = join(dir, 'journal-000001.ndjson');
    const second = join(dir, 'journal-000002.ndjson');
    const writer = new JournalWriter(await openJournalFile(first, 'process'), 0);
    // Both files are opened first, so that nothing awaits between the calls below: the rotation
    // is asked for while the first line is still queued, never after its batch is written.
    const next = await openJournalFile(second, 'process');
    const before = writer.append('{"n":1}');
    const snapshotSaw: number[] = [];
    let appended = 1;
    const rotated = writer.rotate(next, () => snapshotSaw.push(appended));
    const queued = writer.append('{"n":2}');
    appended = 2;
    await Promise.all([before, queued]);
    expect(await rotated).toBe(true);
    // The snapshot ran when the batch was taken: after both appends of this tick joined it.
    expect(snapshotSaw).toEqual([2]);
    await writer.append('{"n":3}');
    expect(await lines(first)).toEqual(['{"n":1}', '{"n":2}']);
    expect(await lines(second)).toEqual(['{"n":3}']);
    await writer.close();
  });

  it('rotates at once when nothing is queued or in flight: the snapshot sees what was written', async () => {
    const first = join(dir, 'journal-000001.ndjson');
    const second = join(dir, 'journal-000002.ndjson');
    const writer = new JournalWriter(await openJournalFile(first, 'process'), 0);
    await writer.append('{"n":1}');
    const snapshotSaw: number[] = [];
    let appended = 1;
    const rotated = writer.rotate(await openJournalFile(second, 'process'), () => snapshotSaw.push(appended));
    expect(snapshotSaw).toEqual([1]);
    const later = writer.append('{"n":2}');
    appended = 2;
    await later;
    expect(await rotated).toBe(true);
    expect(await lines(first)).toEqual(['{"n":1}']);
    expect(await lines(second)).toEqual(['{"n":2}']);
    await writer.close();
  });

  it('rejects every line of a batch the file refuses, and keeps no part of it', async () => {
    const path = join(dir, 'journal-000001.ndjson');
    const writer = new JournalWriter(await openJournalFile(path, 'process'), 0);
    await writer.append('{"kept":true}');
    const other = join(dir, 'journal-000002.ndjson');
    await writer.rotate(unwritable(), () => undefined);
    const refused = await Promise.allSettled([writer.append('{"lost":1}'), writer.append('{"lost":2}')]);
    expect(refused.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(writer.size).toBe(0);
    await writer.rotate(await openJournalFile(other, 'process'), () => undefined);
    await writer.append('{"after":true}');
    expect(await lines(path)).toEqual(['{"kept":true}']);
    expect(await lines(other)).toEqual(['{"after":true}']);
    await writer.close();
  });

  it('starts each batch with the checksum of its records and the byte offset it is written at', async () => {
    const path = join(dir, 'journal-000001.ndjson');
    const writer = new JournalWriter(await openJournalFile(path, 'fsync'), 0);
    await writer.append('{"n":1}');
    await Promise.all([writer.append('{"n":2}'), writer.append('{"n":3}')]);
    await writer.close();
    const first = batchText(['{"n":1}'], 0);
    expect(first).toBe(`#${checksum('{"n":1}\n')} 0\n{"n":1}\n\n`);
    expect(await readFile(path, 'utf8')).toBe(first + batchText(['{"n":2}', '{"n":3}'], Buffer.byteLength(first)));
  });
});
