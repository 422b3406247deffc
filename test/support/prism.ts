import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';
import { specPath } from './spec.js';

const prismBin = fileURLToPath(new URL('../../node_modules/.bin/prism', import.meta.url));

export interface PrismProcess {
  url: string;
  /** Everything Prism printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `prism mock <spec>` or `prism proxy <spec> <upstream>` on a free loopback port and
 * resolves once it listens. Gives up after `startTimeoutMs` and kills the process.
 */
export async function startPrism(
  mode: { kind: 'mock' } | { kind: 'proxy'; upstream: string; extraArgs?: string[] },
  startTimeoutMs = 45_000,
): Promise<PrismProcess> {
  // The port is free when chosen, but Prism binds it seconds later: another process may take it
  // meanwhile. Then Prism exits with EADDRINUSE, and a fresh port is tried.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPrismOn(await freePort(), mode, startTimeoutMs);
    } catch (error) {
      if (attempt === 3 || !(error instanceof Error) || !error.message.includes('EADDRINUSE')) throw error;
    }
  }
}

async function startPrismOn(
  port: number,
  mode: { kind: 'mock' } | { kind: 'proxy'; upstream: string; extraArgs?: string[] },
  startTimeoutMs: number,
): Promise<PrismProcess> {
  const args =
    mode.kind === 'mock'
      ? ['mock', specPath]
      : ['proxy', specPath, mode.upstream, ...(mode.extraArgs ?? [])];
  const child = spawn(prismBin, [...args, '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Prism did not start within ${startTimeoutMs} ms:\n${output}`));
    }, startTimeoutMs);
    const onData = () => {
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: () => stopProcess(child),
  };
}

export function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
