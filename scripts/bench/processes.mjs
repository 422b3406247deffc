// Starting and stopping the benchmark's targets, each in its own process on 127.0.0.1.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = fileURLToPath(new URL('../../mock-server/src/bin.ts', import.meta.url));
const builtCli = fileURLToPath(new URL('../../mock-server/dist/bin.js', import.meta.url));
const jsonServerBin = fileURLToPath(new URL('../../node_modules/json-server/lib/bin.js', import.meta.url));
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

/** The resident memory of process `pid` in bytes (Linux), or undefined where /proc is not there. */
export function residentBytes(pid) {
  try {
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * Spawns a server with its output going to `logFile` (a server that logs each request should
 * not be slowed by a pipe this process must drain), and resolves once it answers `probe` (a path,
 * or a path with headers) with any status, polling every `pollMs`. `firstAnswerMs` is the time
 * from the spawn to that answer.
 */
async function startServer(name, command, args, logFile, { timeoutMs = 60_000, env = { ...process.env, NODE_ENV: 'production' }, probe = '/', pollMs = 100, cwd = root } = {}) {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const spawnedAt = performance.now();
  const child = spawn(command, args(port), { cwd, stdio: ['ignore', log, log], env });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const { path, headers } = typeof probe === 'string' ? { path: probe } : probe;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before listening; see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer within ${timeoutMs} ms; see ${logFile}`);
    }
    try {
      await fetch(`${url}${path}`, { headers, signal: AbortSignal.timeout(1000) }).then((response) => response.arrayBuffer());
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
  const firstAnswerMs = performance.now() - spawnedAt;
  return {
    name,
    url,
    pid: child.pid,
    firstAnswerMs,
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

/** Builds the reference server's package, so that `startBuiltReference` runs the working tree. */
export function buildReference() {
  // The package's own build: tsc, then the command line bundled into one module, as published.
  execFileSync('npm', ['run', 'build', '--silent', '-w', 'fold-sessions-mock'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * The `fold-sessions-mock` CLI as published (its built JavaScript, see `buildReference`) on the
 * file database `db`; `options` as for the other targets (`probe`, `pollMs`, `timeoutMs`).
 */
export function startBuiltReference(name, { db, keys }, logFile, options) {
  return startServer(name, process.execPath, (port) => [builtCli, '--port', String(port), '--db', db, '--keys', keys], logFile, options);
}

/**
 * json-server 1.x on the database file `file` (it rewrites the file on every change), in production
 * mode (no file watcher), run from the file's folder.
 */
export function startJsonServer(name, file, logFile, options) {
  // In production mode json-server 1.0.0-beta.15 lists `./public` at start-up and exits when it is missing.
  const cwd = dirname(file);
  mkdirSync(join(cwd, 'public'), { recursive: true });
  return startServer(name, process.execPath, (port) => [jsonServerBin, file, '--host', '127.0.0.1', '--port', String(port)], logFile, { ...options, cwd });
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
  return startServer('prism mock', prismBin, (port) => ['mock', spec, '--host', '127.0.0.1', '--port', String(port)], logFile, { timeoutMs: 90_000, env });
}

export function startBaseline(templatesFile, logFile) {
  return startServer('baseline', process.execPath, (port) => [baselineScript, String(port), templatesFile], logFile);
}
