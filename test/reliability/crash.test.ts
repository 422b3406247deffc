import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FoldSessions, isFoldSessionsError, type Message } from 'fold-sessions';
import { childServers, listFiles, seededRandom, seedFrom } from './support.js';

const appends = 500;
const sessionCount = 20;

let dir: string;
const { start, killAll } = childServers();
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-sessions-crash-'));
});
afterEach(async () => {
  await killAll();
  await rm(dir, { recursive: true, force: true });
});

describe('a server killed in the middle of a burst of appends', () => {
  it('keeps every acknowledged append exactly once, and its files parse', { timeout: 60_000 }, async () => {
    const seed = seedFrom('CRASH_SEED');
    const random = seededRandom(seed);
    const db = join(dir, 'sessions.json');
    const first = await start(db);
    // Answered bursts may retry (a keep-alive socket can close under the client); the burst that
    // is cut off does not, so that every call settles as soon as the server is gone.
    const calmClient = new FoldSessions({ apiKey: 'test_key_a', baseURL: first.url, maxRetries: 3, timeout: 10_000 });
    const cutClient = new FoldSessions({ apiKey: 'test_key_a', baseURL: first.url, maxRetries: 0, timeout: 10_000 });
    const sessionIds: string[] = [];
    for (let i = 0; i < sessionCount; i++) sessionIds.push((await calmClient.sessions.create({ name: `crash ${i}` })).id);

    const acknowledged = new Map<string, { sessionId: string; message: Message }>();
    const failures: unknown[] = [];
    const burst = async (fold: FoldSessions, label: string) => {
      const started = performance.now();
      let firstAckMs = 0;
      await Promise.all(
        Array.from({ length: appends }, async (_, i) => {
          const sessionId = sessionIds[Math.floor(random() * sessionCount)]!;
          const content = `${label} ${i}`;
          try {
            const message = await fold.sessions.messages.add(sessionId, { role: 'user', content });
            acknowledged.set(content, { sessionId, message });
            if (!firstAckMs) firstAckMs = performance.now() - started;
          } catch (error) {
            failures.push(error);
          }
        }),
      );
      return { firstAckMs };
    };

    // Two bursts that are all answered: the first opens the connections, the second measures
    // when the first answer of a warm burst arrives.
    await burst(calmClient, 'warm');
    const calm = await burst(calmClient, 'calm');
    expect(failures).toEqual([]);

    // The third burst is cut off by a SIGKILL a seeded time after it starts. The server writes
    // and answers around the time the first answer of a calm burst arrives (the client takes
    // longer to read them all), so the kill lands between 0.9 and 1.5 times that: some appends
    // acknowledged, some in flight, some not yet read. A worker thread sends it, so it is not
    // late while this thread is busy.
    const killAfterMs = calm.firstAckMs * (0.9 + 0.6 * random());
    console.log(
      `crash test: seed ${seed} (replay with CRASH_SEED=${seed}); first answer of a calm burst after ` +
        `${calm.firstAckMs.toFixed(0)} ms, SIGKILL ${killAfterMs.toFixed(0)} ms into the cut burst`,
    );
    const killer = await killLater(first.child.pid!, killAfterMs);
    killer.start();
    await burst(cutClient, 'cut');
    const acksBeforeKill = await killer.killed;
    expect(await first.exited).toBe('SIGKILL');
    for (const failure of failures) expect(isFoldSessionsError(failure), String(failure)).toBe(true);
    console.log(
      `crash test: ${acknowledged.size - 2 * appends} of the cut-off burst acknowledged (the kill came ${acksBeforeKill}), ` +
        `${failures.length} failed with typed errors`,
    );

    // Every document left behind is complete JSON (temporary files of unfinished writes aside),
    // and the journal is complete records and the empty lines that end batches, but for at most
    // one record cut short at the very end of a file.
    for (const file of await listFiles(dir)) {
      if (file.split('/').at(-1)!.startsWith('.')) continue;
      const text = await readFile(join(dir, file), 'utf8');
      if (!file.endsWith('.ndjson')) {
        expect(() => JSON.parse(text), file).not.toThrow();
        continue;
      }
      const lines = text.split('\n');
      lines.pop();
      // A batch's first line is its header: `#<checksum> <offset>`.
      for (const line of lines) if (line !== '' && !/^#[0-9a-f]{8} \d+$/.test(line)) expect(() => JSON.parse(line), file).not.toThrow();
    }

    const second = await start(db);
    const reader = new FoldSessions({ apiKey: 'test_key_a', baseURL: second.url, maxRetries: 0 });
    const stored = new Map<string, Message[]>();
    for (const id of sessionIds) {
      const session = await reader.sessions.get(id);
      expect(session.message_count).toBe(session.messages.length);
      stored.set(id, session.messages);
    }

    // No message is stored twice, and nothing is stored that was never sent.
    const seen = new Set<string>();
    for (const messages of stored.values()) {
      for (const message of messages) {
        expect(seen.has(message.content), `stored twice: ${message.content}`).toBe(false);
        expect(message.content).toMatch(/^(warm|calm|cut) \d+$/);
        seen.add(message.content);
      }
    }
    // Every acknowledged append is there, in its session, with the id the client was given.
    for (const [content, { sessionId, message }] of acknowledged) {
      const found = stored.get(sessionId)!.filter((candidate) => candidate.content === content);
      expect(found, `acknowledged but lost: ${content}`).toHaveLength(1);
      expect(found[0]).toEqual(message);
    }
  });
});

const killerSource = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.once('message', () => {
  const started = performance.now();
  setTimeout(() => {
    try { process.kill(workerData.pid, 'SIGKILL'); } catch {}
    parentPort.postMessage(performance.now() - started);
  }, workerData.ms);
});
parentPort.postMessage('ready');
`;

/**
 * SIGKILLs `pid` `ms` after `start()` is called, from a worker thread; `killed` resolves once
 * the signal went out.
 */
async function killLater(pid: number, ms: number): Promise<{ start: () => void; killed: Promise<string> }> {
  const worker = new Worker(killerSource, { eval: true, workerData: { pid, ms } });
  await new Promise((resolve) => worker.once('message', resolve));
  const killed = new Promise<string>((resolve, reject) => {
    worker.once('message', (at: number) => resolve(`${at.toFixed(0)} ms into the burst`));
    worker.once('error', reject);
  }).finally(() => worker.terminate());
  let started = false;
  const start = () => {
    if (!started) worker.postMessage('go');
    started = true;
  };
  return { start, killed };
}
