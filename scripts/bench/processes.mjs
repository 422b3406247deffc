// Starting and stopping the benchmark's targets, each in its own process on 127.0.0.1.
import { execFileSync, spawn } from 'node:child_process';
import { openSync, closeSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = fileURLToPath(new URL('../../mock-server/src/bin.ts', import.meta.url));
const prismBin = fileURLToPath(new URL('../../node_modules/.bin/prism', import.meta.url));
const spec = fileURLToPath(new URL('../../openapi/sessions.yaml', import.meta.url));
const baselineScript = fileURLToPath(new URL('./baseline-server.mjs', import.meta.url));

/** Node flags that load the workspace packages from their TypeScript sources. */
export const sourceFlags = ['--conditions=fold-sessions-source', '--import', 'tsx'];

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Spawns a server with its output going to `logFile` (a server that logs each request should
 * not be slowed by a pipe this process must drain), and resolves once it answers HTTP.
 */
async function startServer(name, command, args, logFile, timeoutMs = 60_000, env = { ...process.env, NODE_ENV: 'production' }) {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const child = spawn(command, args(port), { cwd: root, stdio: ['ignore', log, log], env });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before listening; see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer within ${timeoutMs} ms; see ${logFile}`);
    }
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) }).then((response) => response.arrayBuffer());
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    name,
    url,
    pid: child.pid,
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/**
 * The reference server CLI from source, on a file database or in memory, with its default
 * logging. `tree` runs the CLI of another checkout (see `checkoutRevision`); `args` are more flags.
 */
export function startReference(name, { db, keys, tree = root, args = [] }, logFile) {
  const store = db ? ['--db', db, ...args] : ['--in-memory', ...args];
  const bin = tree === root ? cli : join(tree, 'mock-server/src/bin.ts');
  return startServer(name, process.execPath, (port) => [...sourceFlags, bin, '--port', String(port), ...store, '--keys', keys], logFile);
}

/**
 * Checks `revision` out into a folder of `dir` that shares this checkout's node_modules, so its
 * server can be measured next to the working tree's in one run. Returns the folder.
 */
export function checkoutRevision(revision, dir) {
  const tree = join(dir, `rev-${revision.replace(/[^\w.-]/g, '_')}`);
  execFileSync('git', ['worktree', 'add', '--detach', tree, revision], { cwd: root, stdio: 'ignore' });
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'));
  return tree;
}

export function removeRevision(tree) {
  execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: root, stdio: 'ignore' });
}

export function startPrism(logFile) {
  // Prism 5.16's multi-process mode fails to start under NODE_ENV=production (`cluster` is undefined): its own defaults.
  const { NODE_ENV: _production, ...env } = process.env;
  return startServer('prism mock', prismBin, (port) => ['mock', spec, '--host', '127.0.0.1', '--port', String(port)], logFile, 90_000, env);
}

export function startBaseline(bodiesFile, logFile) {
  return startServer('baseline', process.execPath, (port) => [baselineScript, String(port), bodiesFile], logFile);
}
