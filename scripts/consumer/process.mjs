// Child processes for the consumer checks: every command is printed before it runs. Checks run
// two at a time, so a command's output is shown only when it fails (its tail), or as it comes
// with --verbose.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const verbose = process.argv.includes('--verbose');

const shown = (cmd, args, cwd) => `$ ${[cmd, ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}   (in ${cwd})`;

/**
 * Runs a command to its end. Streams its output with --verbose unless `quiet`; rejects with the
 * output's tail on a non-zero exit or after `timeoutMs`.
 */
export function run(cmd, args, { cwd, env = {}, quiet = !verbose, timeoutMs = 600_000 } = {}) {
  console.log(shown(cmd, args, cwd));
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!quiet) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!quiet) process.stderr.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ stdout, stderr });
      const tail = (stdout + stderr).split('\n').slice(-30).join('\n');
      reject(new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}\n${tail}`));
    });
  });
}

/** Starts a long-running command and resolves once its output matches `ready`. */
export function startProcess(cmd, args, { cwd, env = {}, ready, timeoutMs = 30_000 }) {
  console.log(shown(cmd, args, cwd));
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} did not print ${ready} within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.on('data', (more) => (output += more));
      resolve({
        match,
        output: () => output,
        stop: () => {
          child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          return exited.finally(() => clearTimeout(kill));
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
