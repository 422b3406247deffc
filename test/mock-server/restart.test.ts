import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionsApi, openFileStore, removeInterruptedWrites, sessionFixture, sessionsDirectory } from 'fold-sessions-mock';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-restart-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('start-up after a crash', () => {
  it('removes the temporary files of interrupted writes, and only those, saying how many', async () => {
    const db = join(dir, 'sessions.json');
    const store = await openFileStore(db);
    await store.flush();
    const sessions = sessionsDirectory(db);
    await writeFile(join(dir, '.sessions.json.tmp'), '{"format": 1, "mem');
    await writeFile(join(sessions, '.segment-07.json.tmp'), '{"format": 1, "sess');
    // The older layout's temporary names too (one document per session).
    await writeFile(join(sessions, '.sess_AAAAAAAAAAAAAAAAAAAA.json.tmp'), '{"org_id"');
    await writeFile(join(sessions, 'notes.txt'), 'mine');
    expect(await removeInterruptedWrites(db)).toBe(3);
    expect((await readdir(dir)).sort()).toEqual(['sessions', 'sessions.json']);
    expect((await readdir(sessions)).filter((name) => !name.endsWith('.ndjson')).sort()).toEqual(['manifest.json', 'notes.txt']);
    expect(await removeInterruptedWrites(db)).toBe(0);
    expect(await removeInterruptedWrites(join(dir, 'missing', 'db.json'))).toBe(0);
  });

  it('summarises again every session whose summary was left pending, once, with one memory entry each', async () => {
    const now = Date.UTC(2025, 0, 1);
    const pending = sessionFixture({ orgId: 'org_a', status: 'closed', messages: 4, summary: 'pending', now });
    const stored = sessionFixture({ orgId: 'org_a', status: 'closed', messages: 2, now });
    const api = createSessionsApi({ keys: { k: 'org_a' }, initialData: { sessions: [...pending.sessions, ...stored.sessions], memory: stored.memory } });
    await api.controller.snapshot();
    expect(api.service.resumePendingSummaries()).toBe(1);
    await api.service.summaries.flush();
    const after = await api.controller.snapshot();
    expect(after.sessions.map((doc) => doc.session.summary_status)).toEqual(['stored', 'stored']);
    expect(after.memory.map((entry) => entry.metadata.session_id).sort()).toEqual([pending.sessions[0]!.session.id, stored.sessions[0]!.session.id].sort());
    expect(api.service.resumePendingSummaries()).toBe(0);
  });
});
