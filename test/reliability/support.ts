import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { spawnServer, type ChildServer } from '../support/child-server.js';

export type { ChildServer };

/** Keys of the child servers: `test_key_a` → `org_a`, `test_key_b` → `org_b`. */
export const childKeys = 'test_key_a=org_a,test_key_b=org_b';

/**
 * Runs the reference server CLI from source in its own process on a file database, on a free
 * port, and resolves once it prints its URL.
 */
export function startChildServer(db: string, startTimeoutMs = 20_000): Promise<ChildServer> {
  return spawnServer(['--port', '0', '--db', db, '--keys', childKeys], { startTimeoutMs });
}

/**
 * Child servers a test starts and kills, all killed by `killAll` (in `afterEach`). `start`
 * defaults to `startChildServer`.
 */
export function childServers(spawnOne: (db: string) => Promise<ChildServer> = startChildServer) {
  const running = new Set<ChildServer>();
  return {
    async start(db: string): Promise<ChildServer> {
      const server = await spawnOne(db);
      running.add(server);
      return server;
    },
    /** SIGKILL: no shutdown, no flush. */
    async kill(server: ChildServer): Promise<void> {
      await server.kill();
      running.delete(server);
    },
    async killAll(): Promise<void> {
      await Promise.all([...running].map((server) => server.kill()));
      running.clear();
    },
  };
}

/** Every file under `dir`, by path relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** SHA-256 of every file under `dir`, by relative path. */
export async function hashFiles(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const file of await listFiles(dir)) {
    hashes[file] = createHash('sha256').update(await readFile(join(dir, file))).digest('hex');
  }
  return hashes;
}

import { seededRandom } from '../../mock-server/src/core/random.js';

export { seededRandom };

/** A seed from `env[name]` when set (to replay a run), otherwise a fresh one. */
export function seedFrom(name: string): number {
  const given = process.env[name];
  if (given !== undefined && /^\d+$/.test(given)) return Number(given);
  return Math.floor(Math.random() * 2 ** 31);
}

/** A seeded random source for one test, its seed printed with how to replay it. */
export function seededRun(label: string, envName: string): { seed: number; random: () => number } {
  const seed = seedFrom(envName);
  console.log(`${label}: seed ${seed} (replay with ${envName}=${seed})`);
  return { seed, random: seededRandom(seed) };
}

/** Runs `tasks` with at most `concurrency` in flight; resolves when all have settled. */
export async function runPool(tasks: Array<() => Promise<void>>, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
}
