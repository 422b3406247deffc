import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../mock-server/src/bin.ts', import.meta.url));

/** Keys of the child servers: `test_key_a` → `org_a`, `test_key_b` → `org_b`. */
export const childKeys = 'test_key_a=org_a,test_key_b=org_b';

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code or signal once the process has exited. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGKILL: no shutdown, no flush. */
  kill(): Promise<void>;
}

/**
 * Runs the reference server CLI from source in its own process on a file database, on a free
 * port, and resolves once it prints its URL.
 */
export async function startChildServer(db: string, startTimeoutMs = 20_000): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    ['--conditions=fold-sessions-source', '--import', 'tsx', bin, '--port', '0', '--db', db, '--keys', childKeys],
    { env: { ...process.env, NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The server did not start within ${startTimeoutMs} ms:\n${output}`));
    }, startTimeoutMs);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
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

export { seededRandom } from '../../mock-server/src/api/random.js';

/** A seed from `env[name]` when set (to replay a run), otherwise a fresh one. */
export function seedFrom(name: string): number {
  const given = process.env[name];
  if (given !== undefined && /^\d+$/.test(given)) return Number(given);
  return Math.floor(Math.random() * 2 ** 31);
}

/** Runs `tasks` with at most `concurrency` in flight; resolves when all have settled. */
export async function runPool(tasks: Array<() => Promise<void>>, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
}
