import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, statfs, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileStore } from 'fold-sessions-mock';
import { startReferenceServer } from '../support/reference-server.js';
import { createTestClient } from '../mock-server/http.js';

// A real full disk: a small tmpfs (root only, as in CI), filled while appends run.
const isRoot = process.getuid?.() === 0;

describe.runIf(isRoot)('a disk that fills up during appends (tmpfs)', () => {
  it('answers 503 with Retry-After, loses no acknowledged write, and serves again once space is back, without a restart', { timeout: 60_000 }, async () => {
    const mountPoint = await mkdtemp(join(tmpdir(), 'fold-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]);
    let store: Awaited<ReturnType<typeof openFileStore>> | undefined;
    let server: Awaited<ReturnType<typeof startReferenceServer>> | undefined;
    try {
      const db = join(mountPoint, 'sessions.json');
      let writeErrors = 0;
      let recoveries = 0;
      store = await openFileStore(db, { onWriteError: () => (writeErrors += 1), onRecovered: () => (recoveries += 1) });
      server = await startReferenceServer({ store });
      let api = createTestClient(server.url, server.apiKey);
      const { body: session } = await api.createSession({ name: 'filling up' });

      // Leave about 48 KiB free, then append 4 KiB messages, eight at a time.
      const { bavail, bsize } = await statfs(mountPoint);
      const filler = join(mountPoint, 'filler');
      await writeFile(filler, Buffer.alloc(Math.max(0, bavail * bsize - 48 * 1024)));
      const acked: string[] = [];
      const refused: Array<{ status: number; retryAfter: string | null; code: unknown }> = [];
      for (let round = 0; round < 40 && refused.length < 8; round++) {
        const replies = await Promise.all(
          Array.from({ length: 8 }, async (_, i) => {
            const content = `${round}.${i} ${'x'.repeat(4096)}`;
            return { content, reply: await api.addMessage(session.id, { role: 'user', content }) };
          }),
        );
        for (const { content, reply } of replies) {
          if (reply.status === 201) acked.push(content);
          else refused.push({ status: reply.status, retryAfter: reply.headers.get('retry-after'), code: reply.body?.code });
        }
      }
      expect(refused.length).toBeGreaterThan(0);
      // Told once per episode of failures, not once per refused request.
      expect(writeErrors).toBeGreaterThanOrEqual(1);
      expect(writeErrors).toBeLessThan(refused.length);
      for (const refusal of refused) expect(refusal).toEqual({ status: 503, retryAfter: expect.stringMatching(/^\d+$/), code: 'SERVICE_UNAVAILABLE' });
      const contents = async () => ((await api.getSession(session.id)).body.messages as Array<{ content: string }>).map((message) => message.content);
      // A reader sees exactly the acknowledged appends, none of the refused ones.
      expect(await contents()).toEqual(acked);

      // Space comes back: the same server takes writes again.
      await unlink(filler);
      const after = await api.addMessage(session.id, { role: 'user', content: 'after the disk was freed' });
      expect(after.status).toBe(201);
      expect(recoveries).toBe(writeErrors);
      acked.push('after the disk was freed');
      expect(await contents()).toEqual(acked);
      await server.close();
      await store.close();

      // And after a restart the state is the acknowledged writes.
      writeErrors = 0;
      store = await openFileStore(db, { onWriteError: () => (writeErrors += 1) });
      server = await startReferenceServer({ store });
      api = createTestClient(server.url, server.apiKey);
      expect(await contents()).toEqual(acked);
      expect(writeErrors).toBe(0);
      await server.close();
      await store.close();
      store = undefined;
      console.log(`disk full: ${acked.length} appends acknowledged, ${refused.length} refused with 503 and Retry-After, all acknowledged ones kept`);
    } finally {
      await server?.close();
      await store?.close().catch(() => undefined);
      execFileSync('umount', ['--lazy', mountPoint]);
      await rm(mountPoint, { recursive: true, force: true });
    }
  });
});
