import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDurableStore, StoreOpenError } from 'fold-sessions-mock';
import { nodeDisk, type Disk } from '../../../mock-server/src/store/disk.js';

let dir: string;
let db: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-open-error-'));
  db = join(dir, 'sessions.json');
  await (await openDurableStore(db)).store.close();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A disk whose reads of the manifest fail with `code`, as the system refuses them. */
const refusing = (code: string): Disk => ({
  ...nodeDisk,
  read: (path) => (path.endsWith('manifest.json') ? Promise.reject(Object.assign(new Error(`${code}: refused, open '${path}'`), { code })) : nodeDisk.read(path)),
});

describe('a start-up the system refuses names the real cause and what to do, not a repair', () => {
  it.each([
    ['EMFILE', /too many open files \(EMFILE\)\. The files are fine: this process may open no more files \(raise its limit, `ulimit -n`\)/],
    ['ENFILE', /too many open files \(ENFILE\)\. The files are fine: the system may open no more files/],
    ['EACCES', /permission denied\. Give the user running the server read and write access/],
    ['EROFS', /the disk is read-only \(EROFS\)\. The disk is read-only: remount it read-write/],
  ])('%s', async (code, message) => {
    const error = await openDurableStore(db, { disk: refusing(code) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toContain(join(dir, 'sessions', 'manifest.json'));
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('--repair');
  });

  it('a damaged file still calls for --repair', async () => {
    const disk: Disk = { ...nodeDisk, read: async (path) => (path.endsWith('manifest.json') ? Buffer.from('{"format": 1, "journal": "x"}') : nodeDisk.read(path)) };
    const error = await openDurableStore(db, { disk }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/it is not a manifest.*start with --repair/);
  });
});
