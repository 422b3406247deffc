import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionFile } from 'fold-sessions-mock';
import { assertConforms } from './http.js';

const bin = fileURLToPath(new URL('../../mock-server/src/bin.ts', import.meta.url));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Runs the CLI with `args`, and `--log silent` unless they give `--log`. */
function run(args: string[], env: Record<string, string> = {}): Run {
  const log = args.includes('--log') ? [] : ['--log', 'silent'];
  const child = spawn(process.execPath, ['--conditions=fold-sessions-source', '--import', 'tsx', bin, ...args, ...log], {
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
    const match = /listening on (http:\/\/[^\s"]+)/.exec(started.stdout());
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

    // `Expect: 100-continue`: the server answers "continue" once it has the request, so the signal
    // provably comes while the request is in flight, however slow the machine.
    const reply = await new Promise<{ status: number; headers: Headers; body: { id: string } }>((resolve, reject) => {
      const body = JSON.stringify({ name: 'caught in shutdown' });
      const request = httpRequest(`${url}/sessions`, {
        method: 'POST',
        headers: { authorization: 'Bearer fold_dev_key', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
      });
      request.once('continue', () => {
        started.child.kill('SIGTERM');
        request.end(body);
      });
      request.once('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.once('end', () =>
          resolve({ status: response.statusCode!, headers: new Headers(response.headers as Record<string, string>), body: JSON.parse(text) as { id: string } }),
        );
      });
      request.once('error', reject);
    });
    assertConforms('createSession', reply);
    expect(reply.status).toBe(201);
    expect(await started.exit).toBe(0);

    const files = await readdir(join(dir, 'sessions'));
    expect(files.sort()).toEqual(['manifest.json', basename(sessionFile(db, reply.body.id))]);
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

  it('prints a random control token when none is given, and takes FOLD_SESSIONS_CONTROL_TOKEN without printing it', async () => {
    const generated = run(['--port', '0', '--in-memory']);
    children.push(generated.child);
    const url = await listening(generated);
    const token = /token (fold_control_\w+)/.exec(generated.stdout())?.[1];
    expect(token).toBeDefined();
    expect((await fetch(`${url}/__fold/clock`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    const chosen = run(['--port', '0', '--in-memory'], { FOLD_SESSIONS_CONTROL_TOKEN: 'chosen-token-1' });
    children.push(chosen.child);
    const chosenUrl = await listening(chosen);
    expect(chosen.stdout()).not.toContain('chosen-token-1');
    expect(chosen.stdout()).toContain('token from FOLD_SESSIONS_CONTROL_TOKEN');
    expect((await fetch(`${chosenUrl}/__fold/clock`, { headers: { authorization: 'Bearer chosen-token-1' } })).status).toBe(200);

    const off = run(['--port', '0', '--in-memory', '--no-control']);
    children.push(off.child);
    const offUrl = await listening(off);
    expect((await fetch(`${offUrl}/__fold/clock`, { headers: { authorization: 'Bearer chosen-token-1' } })).status).toBe(404);
  });

  it('--log json: one line per request; injected faults and client errors are info lines without a stack', async () => {
    const started = run(['--port', '0', '--in-memory', '--log', 'json', '--control-token', 'log-token-1']);
    children.push(started.child);
    const url = await listening(started);
    await fetch(`${url}/__fold/faults`, {
      method: 'POST',
      headers: { authorization: 'Bearer log-token-1', 'content-type': 'application/json' },
      body: JSON.stringify({ operation_id: 'listSessions', status: 503 }),
    });
    expect((await fetch(`${url}/sessions`, { headers: { authorization: 'Bearer fold_dev_key' } })).status).toBe(503);
    expect((await fetch(`${url}/sessions/nope`, { headers: { authorization: 'Bearer fold_dev_key' } })).status).toBe(404);
    expect((await fetch(`${url}/sessions`, { headers: { authorization: 'Bearer fold_dev_key' } })).status).toBe(200);
    started.child.kill('SIGTERM');
    expect(await started.exit).toBe(0);
    // Only JSON lines: the banner and the signal's line included.
    const lines = started.stdout().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ level: 30, msg: expect.stringMatching(/^fold-sessions-mock listening on http:\/\/127\.0\.0\.1:\d+ \(ready\)$/) });
    // What scripts read from the plain banner reads the same here.
    expect(/listening on (http:\/\/\S+)/.exec(started.stdout())?.[1]).toBe(url);
    expect(lines[0].lines).toContain('Database: in memory (nothing is written)');
    expect(lines.filter((line) => /^SIGTERM: finishing requests/.test(line.msg))).toHaveLength(1);
    const requests = lines.filter((line) => line.req?.url?.startsWith('/sessions'));
    // A line is written when its response has finished; a client that has read its answer may
    // already send the next request, so lines of back-to-back requests can swap places.
    const byStatus = (a: unknown[], b: unknown[]) => Number(a[1]) - Number(b[1]);
    expect(requests.map((line) => [line.req.url, line.res.statusCode, line.level, line.injected]).sort(byStatus)).toEqual([
      ['/sessions', 200, 30, undefined],
      ['/sessions/nope', 404, 30, undefined],
      ['/sessions', 503, 30, 'fault'],
    ]);
    expect(requests.some((line) => 'err' in line)).toBe(false);
    expect(started.stdout()).not.toContain('fold_dev_key"');
    expect(started.stdout()).not.toContain('log-token-1"');
  });

  it('drops a client that stalls in its headers once --header-timeout has passed, with a 408', async () => {
    const started = run(['--port', '0', '--in-memory', '--header-timeout', '300', '--request-timeout', '600']);
    children.push(started.child);
    const url = new URL(await listening(started));
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    const opened = performance.now();
    socket.write('GET /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // Bounded by the test's own timeout: the server must close the connection by itself.
    await new Promise((resolve) => socket.on('close', resolve));
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    // Node checks the cut-off every connectionsCheckingInterval: at most a quarter of it late.
    expect(performance.now() - opened).toBeLessThan(300 + 1_000 + 500);
  });

  it('--log pretty prints readable lines, --log silent none, and a bad format exits 2', async () => {
    const pretty = run(['--port', '0', '--in-memory', '--log', 'pretty']);
    children.push(pretty.child);
    const url = await listening(pretty);
    await fetch(`${url}/sessions`, { headers: { authorization: 'Bearer fold_dev_key' } });
    pretty.child.kill('SIGTERM');
    await pretty.exit;
    expect(pretty.stdout()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  GET \/sessions 200 \d+ ms req_\w+$/m);

    const silent = run(['--port', '0', '--in-memory', '--log', 'silent']);
    children.push(silent.child);
    const silentUrl = await listening(silent);
    await fetch(`${silentUrl}/sessions`, { headers: { authorization: 'Bearer fold_dev_key' } });
    silent.child.kill('SIGTERM');
    await silent.exit;
    expect(silent.stdout()).not.toMatch(/GET \/sessions|"req"/);

    const bad = run(['--log', 'loud']);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toContain('--log must be pretty, json or silent, got "loud"');
  });

  it('SIGTERM gives requests in flight the grace, then closes their connections and exits', async () => {
    const started = run(['--port', '0', '--in-memory', '--latency', '5000', '--grace', '300']);
    children.push(started.child);
    const url = await listening(started);
    const slow = fetch(`${url}/sessions`, { headers: { authorization: 'Bearer fold_dev_key' } }).then(
      (response) => response.status,
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const signalled = Date.now();
    started.child.kill('SIGTERM');
    expect(await started.exit).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(3_000);
    expect(await slow).toBe('dropped');
    expect(started.stdout()).toContain('SIGTERM: finishing requests (at most 300 ms) and writes');
  });
});
