import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, createSessionsApi, openFileStore, sessionsDirectory } from 'fold-sessions-mock';

// The changes of idempotent requests that the file store keeps for replay are bounded like the
// in-memory records: by count, oldest first, and by retention on the API's own clock.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-replays-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const headers = (key: string) => ({ authorization: 'Bearer k', 'content-type': 'application/json', 'idempotency-key': key });
const kept = async (db: string) => JSON.parse(await readFile(join(sessionsDirectory(db), 'replays.json'), 'utf8')).changes.length as number;

describe('the file store keeps replays within bounds', () => {
  it('forgets the oldest past maxReplays, and expired ones at the next compaction by the clock it is given', async () => {
    const db = join(dir, 'sessions.json');
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const store = await openFileStore(db, { maxReplays: 3, now: () => clock.now() });
    const api = createSessionsApi({ keys: { k: 'org_a' }, store, clock });
    const create = (key: string) => api.handle({ method: 'POST', path: '/sessions', headers: headers(key), rawBody: '{"name":"x"}' });
    for (let i = 0; i < 5; i++) expect((await create(`key-${i}`)).status).toBe(201);
    await store.compact();
    expect(await kept(db)).toBe(3);

    clock.advance(25 * 60 * 60 * 1000);
    expect((await create('key-late')).status).toBe(201);
    await store.compact();
    expect(await kept(db)).toBe(1);
    await store.close();
  });
});
