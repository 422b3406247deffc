import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../support/child-server.js';
import { chatAnswer, startModelStub } from '../mock-server/ai/model-stub.js';
import { childKeys, childServers, seededRun } from './support.js';

// SIGKILL at seeded random moments while concurrent writes of every kind are in flight: what was
// answered 2xx is there after the restart, exactly once, and nothing else is half there.

const auth = { authorization: 'Bearer test_key_a', 'content-type': 'application/json' };

interface Reply {
  status: number;
  body: any;
}

/** One request; `undefined` when the server went away before answering. */
async function send(url: string, method: string, path: string, body?: unknown): Promise<Reply | undefined> {
  try {
    const response = await fetch(`${url}${path}`, { method, headers: auth, ...(body !== undefined && { body: JSON.stringify(body) }), signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  } catch {
    return undefined;
  }
}

async function sendOk(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const reply = await send(url, method, path, body);
  if (!reply || reply.status >= 300) throw new Error(`${method} ${path} → ${reply ? `${reply.status} ${JSON.stringify(reply.body)}` : 'no answer'}`);
  return reply.body;
}

/** What the test knows a session must look like after a restart. */
interface Known {
  id: string;
  /** Contents of messages answered 201. */
  acked: Set<string>;
  /** Contents sent without an answer: may or may not be there, once at most. */
  unsure: Set<string>;
  /** The last context sent, and whether it was answered 200 with nothing sent after it. */
  context: { value: unknown; acked: boolean } | undefined;
  contextsSent: string[];
  finished: 'closed' | 'completed' | undefined;
  deleted: 'yes' | 'unsure' | undefined;
}

let dir: string;
// A model that takes its time, so that kills land while summaries are pending.
let model: Awaited<ReturnType<typeof startModelStub>>;
const controlToken = 'kill-cycles-control';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fold-kill-cycles-'));
  model = await startModelStub(() => ({ ...chatAnswer('The customer asked about a refund.'), delayMs: 60 }));
});
afterAll(async () => {
  await killAll();
  await model.close();
  await rm(dir, { recursive: true, force: true });
});

const { start, kill, killAll } = childServers((db) => {
  const summarizer = ['--summarizer', 'openai', '--summarizer-url', model.url, '--summarizer-model', 'stub'];
  // A tiny journal limit: compactions run all the time, so kills land in them too.
  return spawnServer(['--port', '0', '--db', db, '--keys', childKeys, '--control-token', controlToken, '--compact-after', '25records', ...summarizer]);
});

/** Checks one session against what was acknowledged; returns whether it waits for a summary. */
async function verify(url: string, known: Known, cycle: number, seed: number): Promise<boolean> {
  const where = `cycle ${cycle} (seed ${seed}), session ${known.id}`;
  const reply = await send(url, 'GET', `/sessions/${known.id}`);
  expect(reply, where).toBeDefined();
  if (known.deleted === 'yes') {
    expect(reply!.status, `${where}: a delete answered 200 was undone`).toBe(404);
    return false;
  }
  if (reply!.status === 404) {
    expect(known.deleted, `${where}: an acknowledged session is gone`).toBe('unsure');
    known.deleted = 'yes';
    return false;
  }
  expect(reply!.status, where).toBe(200);
  const session = reply!.body;
  const contents: string[] = session.messages.map((message: { content: string }) => message.content);
  expect(session.message_count, where).toBe(contents.length);
  expect(new Set(contents).size, `${where}: a message is stored twice`).toBe(contents.length);
  for (const content of known.acked) expect(contents, `${where}: acknowledged message lost`).toContain(content);
  for (const content of contents) expect(known.acked.has(content) || known.unsure.has(content), `${where}: a message nobody sent: ${content}`).toBe(true);
  // What is there now is known from now on.
  for (const content of contents) known.acked.add(content);
  known.unsure.clear();
  if (known.context?.acked) expect(session.context, `${where}: acknowledged context lost`).toEqual(known.context.value);
  else expect(['{}', ...known.contextsSent], `${where}: a context nobody sent`).toContain(JSON.stringify(session.context));
  known.context = { value: session.context, acked: true };
  known.contextsSent = [JSON.stringify(session.context)];
  if (known.finished) expect(session.status, `${where}: an acknowledged ${known.finished} was undone`).toBe(known.finished);
  if (session.status === 'closed' || session.status === 'completed') known.finished = session.status;
  if (known.deleted === 'unsure') known.deleted = undefined;
  return session.status === 'closed' && session.summary_status === 'pending';
}

describe('SIGKILL at random moments during concurrent writes', () => {
  it('keeps every acknowledged write exactly once through 30 kill/restart cycles, and finishes pending summaries', { timeout: 240_000 }, async () => {
    const { seed, random } = seededRun('kill cycles', 'KILL_CYCLES_SEED');
    const db = join(dir, 'cycles', 'sessions.json');
    const sessions: Known[] = [];
    let sent = 0;
    let acknowledged = 0;
    let pendingSummariesSeen = 0;
    const cycles = 30;

    for (let cycle = 1; cycle <= cycles + 1; cycle++) {
      const server = await start(db);
      const { url } = server;
      const waiting: Known[] = [];
      for (const known of sessions) if (known.deleted !== 'yes' && (await verify(url, known, cycle, seed))) waiting.push(known);
      // A summary left pending by the kill is written again after the restart.
      pendingSummariesSeen += waiting.length;
      for (const known of waiting) {
        // Eventually, not within a set time: a slow machine restarts and summarises slowly.
        let status = 'pending';
        for (const deadline = Date.now() + 15_000; Date.now() < deadline && status === 'pending'; ) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          status = (await sendOk(url, 'GET', `/sessions/${known.id}`)).summary_status;
        }
        expect(status, `cycle ${cycle} (seed ${seed}): the summary of ${known.id} stayed pending`).toBe('stored');
      }
      if (cycle > cycles) {
        // Exactly one memory entry per summarised session, whatever the kills interrupted.
        const snapshot = await (await fetch(`${url}/__fold/snapshot`, { headers: { authorization: `Bearer ${controlToken}` } })).json();
        const summarised = snapshot.sessions.filter((doc: any) => doc.session.summary_status === 'stored').map((doc: any) => doc.session.id).sort();
        const entries = snapshot.memory.map((entry: any) => entry.metadata.session_id).sort();
        expect(entries, `seed ${seed}: memory entries per session`).toEqual(summarised);
        console.log(`kill cycles: ${summarised.length} summaries stored, one memory entry each`);
        await kill(server);
        // Each compaction starts a journal file with the next number: they ran during the bursts,
        // not only at start-up (one per cycle).
        const generations = (await readdir(join(dir, 'cycles', 'sessions'))).flatMap((name) => /^journal-(\d+)\.ndjson$/.exec(name)?.[1] ?? []).map(Number);
        const compactions = Math.max(...generations) - 1;
        console.log(`kill cycles: ${compactions} compactions`);
        expect(compactions).toBeGreaterThan(2 * cycles);
        break;
      }

      // A few sessions to work on, created and answered before the burst.
      for (let i = 0; i < 3; i++) {
        const created = await sendOk(url, 'POST', '/sessions', { name: `cycle ${cycle} #${i}`, ttl_seconds: 86_400 });
        sessions.push({ id: created.id, acked: new Set(), unsure: new Set(), context: undefined, contextsSent: [], finished: undefined, deleted: undefined });
      }
      const live = () => sessions.filter((known) => known.deleted === undefined && known.finished === undefined);
      const burst: Array<Promise<void>> = [];
      const operations = 60;
      for (let i = 0; i < operations; i++) {
        const pick = random();
        const targets = live();
        const target = targets[Math.floor(random() * targets.length)];
        sent += 1;
        if (pick < 0.15 || !target) {
          const name = `burst ${cycle}.${i}`;
          burst.push(
            send(url, 'POST', '/sessions', { name, ttl_seconds: 86_400 }).then((reply) => {
              if (reply?.status !== 201) return;
              acknowledged += 1;
              sessions.push({ id: reply.body.id, acked: new Set(), unsure: new Set(), context: undefined, contextsSent: [], finished: undefined, deleted: undefined });
            }),
          );
        } else if (pick < 0.65) {
          const content = `m ${cycle}.${i}`;
          target.unsure.add(content);
          burst.push(
            send(url, 'POST', `/sessions/${target.id}/messages`, { role: i % 2 ? 'assistant' : 'user', content }).then((reply) => {
              if (!reply) return;
              target.unsure.delete(content);
              if (reply.status === 201) {
                acknowledged += 1;
                target.acked.add(content);
              }
            }),
          );
        } else if (pick < 0.8) {
          const value = { cycle, i, nested: { list: [i, String(i)] } };
          target.contextsSent.push(JSON.stringify(value));
          target.context = { value, acked: false };
          const mine = target.context;
          burst.push(
            send(url, 'PUT', `/sessions/${target.id}/context`, value).then((reply) => {
              if (reply?.status === 200 && target.context === mine) {
                acknowledged += 1;
                mine.acked = true;
              }
            }),
          );
        } else if (pick < 0.95) {
          const action = pick < 0.875 ? 'close' : 'complete';
          burst.push(
            send(url, 'POST', `/sessions/${target.id}/${action}`).then((reply) => {
              if (reply?.status !== 200) return;
              acknowledged += 1;
              target.finished = reply.body.status;
            }),
          );
        } else {
          target.deleted = 'unsure';
          burst.push(
            send(url, 'DELETE', `/sessions/${target.id}`).then((reply) => {
              if (reply?.status === 200) {
                acknowledged += 1;
                target.deleted = 'yes';
              }
            }),
          );
        }
      }
      const killAfterMs = 5 + random() * 120;
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      await kill(server);
      await Promise.all(burst);
    }
    console.log(
      `kill cycles: ${cycles} cycles, ${sent} writes sent, ${acknowledged} acknowledged before a kill, ` +
        `${sessions.length} sessions checked after every restart, ${pendingSummariesSeen} summaries found pending and finished`,
    );
    expect(acknowledged).toBeGreaterThan(cycles);
    expect(acknowledged).toBeLessThan(sent);
  });
});
