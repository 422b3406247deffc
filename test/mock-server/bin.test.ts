import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertConforms } from './http.js';

const bin = fileURLToPath(new URL('../../mock-server/src/bin.ts', import.meta.url));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--conditions=fold-sessions-source', '--import', 'tsx', bin, ...args], {
    env: { ...process.env, ...env, FOLD_SESSIONS_KEYS: env.FOLD_SESSIONS_KEYS ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function listening(started: Run): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const match = /listening on (http:\/\/\S+)/.exec(started.stdout());
    if (match) return match[1]!;
    if (started.child.exitCode !== null) throw new Error(`exited early: ${started.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not listening: ${started.stdout()} ${started.stderr()}`);
}

let dir: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-sessions-bin-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('fold-sessions-mock CLI', () => {
  it('--help prints the usage and exits 0', async () => {
    const started = run(['--help']);
    expect(await started.exit).toBe(0);
    expect(started.stdout()).toMatch(/^Usage: fold-sessions-mock/);
    expect(started.stdout()).toContain('--fault-rate');
  });

  it('a bad flag value exits 2 with a clear message', async () => {
    const started = run(['--fault-rate', '2']);
    expect(await started.exit).toBe(2);
    expect(started.stderr()).toContain('--fault-rate must be a number from 0 to 1, got "2"');
  });

  it('serves with the development key, prints key, URL and database, and on SIGTERM finishes the request in flight and exits 0', async () => {
    const db = join(dir, 'sessions.json');
    const started = run(['--port', '0', '--db', db, '--latency', '300']);
    children.push(started.child);
    const url = await listening(started);
    expect(started.stdout()).toContain('fold_dev_key');
    expect(started.stdout()).toContain(db);

    const inFlight = fetch(`${url}/sessions`, {
      method: 'POST',
      headers: { authorization: 'Bearer fold_dev_key', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'caught in shutdown' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    started.child.kill('SIGTERM');
    const response = await inFlight;
    const reply = { status: response.status, headers: response.headers, body: await response.json() };
    assertConforms('createSession', reply);
    expect(reply.status).toBe(201);
    expect(await started.exit).toBe(0);

    const files = await readdir(join(dir, 'sessions'));
    expect(files).toEqual([`${reply.body.id}.json`]);
  });

  it('refuses a corrupt database with exit 1 and leaves it untouched', async () => {
    const db = join(dir, 'sessions.json');
    await writeFile(db, 'not json at all');
    const started = run(['--port', '0', '--db', db]);
    expect(await started.exit).toBe(1);
    expect(started.stderr()).toContain(`Cannot open the database at ${db}`);
    expect(await readFile(db, 'utf8')).toBe('not json at all');
  });

  it('uses keys from FOLD_SESSIONS_KEYS', async () => {
    const started = run(['--port', '0', '--in-memory'], { FOLD_SESSIONS_KEYS: 'ci_key=org_ci' });
    children.push(started.child);
    const url = await listening(started);
    expect(started.stdout()).not.toContain('fold_dev_key');
    expect((await fetch(`${url}/sessions`, { headers: { authorization: 'Bearer ci_key' } })).status).toBe(200);
    expect((await fetch(`${url}/sessions`, { headers: { authorization: 'Bearer fold_dev_key' } })).status).toBe(401);
    started.child.kill('SIGINT');
    expect(await started.exit).toBe(0);
  });
});
