import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childKeys } from './support.js';

// Traces the server's system calls and checks, for every message answered 201, that the answer
// left the process after the write of the journal batch holding it had returned, on a journal
// opened with O_DSYNC (each write returns once its data is on the device, like write + fdatasync).

const bin = fileURLToPath(new URL('../../mock-server/src/bin.ts', import.meta.url));
const hasStrace = spawnSync('strace', ['-V']).status === 0;
const auth = { authorization: 'Bearer test_key_a', 'content-type': 'application/json' };

interface Syscall {
  name: string;
  fd: number;
  start: number;
  end: number;
  text: string;
}

/** The calls of an `strace -f -ttt` log, with calls split across threads joined again. */
export function parseTrace(log: string): Syscall[] {
  const calls: Syscall[] = [];
  const open = new Map<string, { name: string; start: number; text: string }>();
  for (const line of log.split('\n')) {
    const match = /^(\d+)\s+(\d+\.\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, pid, time, rest] = match as unknown as [string, string, string, string];
    const at = Number(time);
    const resumed = /^<\.\.\. (\w+) resumed>(.*)$/.exec(rest);
    if (resumed) {
      const started = open.get(pid);
      open.delete(pid);
      if (started) calls.push({ name: started.name, fd: Number(/^\w+\((\d+)/.exec(started.text)?.[1] ?? -1), start: started.start, end: at, text: started.text + resumed[2] });
      continue;
    }
    const call = /^(\w+)\((.*)$/.exec(rest);
    if (!call) continue;
    if (rest.endsWith('<unfinished ...>')) {
      open.set(pid, { name: call[1]!, start: at, text: rest });
      continue;
    }
    calls.push({ name: call[1]!, fd: Number(/^\w+\((\d+)/.exec(rest)?.[1] ?? -1), start: at, end: at, text: rest });
  }
  return calls.sort((a, b) => a.start - b.start);
}

/** Kills the processes strace runs (its children); strace then exits by itself. */
function killTracees(stracePid: number): void {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${stracePid}/task/${stracePid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // strace has exited already.
  }
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
}

describe.runIf(hasStrace)('the order of writes, syncs and answers (strace)', () => {
  it('answers every append only after the synced write of the journal batch that holds it (--durability fsync)', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fold-strace-'));
    const trace = join(dir, 'trace.log');
    const child = spawn(
      'strace',
      ['-f', '-ttt', '-s', '65536', '-e', 'trace=openat,pwrite64,write,writev,fdatasync,fsync', '-o', trace, process.execPath, '--conditions=fold-sessions-source', '--import', 'tsx', bin, '--port', '0', '--db', join(dir, 'sessions.json'), '--keys', childKeys, '--log', 'silent'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let output = '';
      child.stderr.on('data', (chunk) => (output += chunk));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start within 60 s: ${output}`)), 60_000);
        child.stdout.on('data', (chunk) => {
          output += chunk;
          const found = /listening on (http:\/\/\S+)/.exec(output);
          if (found) {
            clearTimeout(timer);
            resolve(found[1]!);
          }
        });
      });
      const session = await (await fetch(`${url}/sessions`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'traced', ttl_seconds: 86_400 }) })).json();
      const ids: string[] = [];
      for (let round = 0; round < 4; round++) {
        const replies = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            fetch(`${url}/sessions/${session.id}/messages`, { method: 'POST', headers: auth, body: JSON.stringify({ role: 'user', content: `traced ${round}.${i}` }) }),
          ),
        );
        for (const reply of replies) {
          expect(reply.status).toBe(201);
          ids.push(((await reply.json()) as { id: string }).id);
        }
      }
      // The server, not strace: killing strace would leave the traced server running.
      const exited = new Promise((resolve) => child.once('exit', resolve));
      killTracees(child.pid!);
      await exited;

      const calls = parseTrace(await readFile(trace, 'utf8'));
      // The journal file, opened for synced writes.
      const opened = calls.filter((call) => call.name === 'openat' && /journal-\d+\.ndjson/.test(call.text));
      expect(opened.length).toBeGreaterThan(0);
      for (const call of opened) expect(call.text, 'the journal is opened with O_DSYNC').toMatch(/O_DSYNC/);
      const journalFds = new Set(opened.map((call) => Number(/= (\d+)$/.exec(call.text)?.[1])));
      const journalWrites = calls.filter((call) => call.name === 'pwrite64' && journalFds.has(call.fd));
      expect(journalWrites.length).toBeGreaterThan(0);
      // Group commit: 40 appends in bursts of 10 take fewer than 40 journal writes.
      const batches = journalWrites.filter((call) => ids.some((id) => call.text.includes(id))).length;
      expect(batches).toBeLessThan(ids.length);
      for (const id of ids) {
        const written = journalWrites.find((call) => call.text.includes(id));
        expect(written, `${id} was never written to the journal`).toBeDefined();
        const answered = calls.find((call) => (call.name === 'write' || call.name === 'writev') && !journalFds.has(call.fd) && call.text.includes(id) && call.text.includes('HTTP/1.1 201'));
        expect(answered, `${id} was never answered`).toBeDefined();
        expect(written!.end, `${id} was answered before its synced journal write returned`).toBeLessThanOrEqual(answered!.start);
      }
      console.log(`strace: ${ids.length} appends answered, each after the synced (O_DSYNC) write of its batch; ${batches} journal writes held them`);
    } finally {
      if (child.exitCode === null) {
        killTracees(child.pid!);
        child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    }
  });
});
