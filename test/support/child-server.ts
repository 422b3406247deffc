import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../mock-server/src/bin.ts', import.meta.url));

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

export interface ChildServerOptions {
  /** Extra environment of the child, on top of this process's. */
  env?: NodeJS.ProcessEnv;
  /** @default 20000 */
  startTimeoutMs?: number;
}

/**
 * Runs the reference server CLI (`mock-server/src/bin.ts`) from source in its own process with
 * the given flags (`--log silent` unless they give `--log`), and resolves once it prints its
 * URL. Pass `--port 0` for a free port.
 */
export async function spawnServer(args: string[], options: ChildServerOptions = {}): Promise<ChildServer> {
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const log = args.includes('--log') ? [] : ['--log', 'silent'];
  const child = spawn(process.execPath, ['--conditions=fold-sessions-source', '--import', 'tsx', bin, ...args, ...log], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
