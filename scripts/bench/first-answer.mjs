// Start-up to the first answer on large databases, each server in its own process from spawn to
// its first answer to a real request, and the memory it holds then:
// - 10,000 sessions × 10 messages: the `fold-sessions-mock` CLI on a file database written by
//   growth-db.mjs, next to json-server 1.x on a db.json of the same sessions and messages;
// - 100,000 sessions × 10 messages: the CLI alone.
// `npm run bench` runs `firstAnswer` after the throughput cells, with no other target running.
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openDurableStore } from 'fold-sessions-mock';
import { growthDocuments, writeGrowthDatabase } from './growth-db.mjs';
import { buildReference, residentBytes, startBuiltReference, startJsonServer } from './processes.mjs';

const orgId = 'org_bench';
const key = 'bench_key';
const rounds = 3;
// Start-up is timed to the first answer, so the probe polls often.
const pollMs = 10;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * json-server's database: one collection of sessions and one of messages, each message pointing at
 * its session by `sessionId` (json-server's convention, so `?_embed=messages` finds them).
 */
async function writeJsonServerDatabase(file, options) {
  const sessions = [];
  const messages = [];
  for (const document of growthDocuments(options)) {
    sessions.push(JSON.stringify(document.session));
    for (const message of document.messages) messages.push(JSON.stringify({ ...message, sessionId: document.session.id }));
  }
  await writeFile(file, `{"sessions":[${sessions.join(',')}],"messages":[${messages.join(',')}]}`);
}

/**
 * Starts one target, takes its first-answer time and resident memory, checks that the probe's
 * answer was the session `id` (a 404 or a 401 would time something else), and stops it.
 */
async function timeStart(start, probe, id) {
  const server = await start(probe);
  try {
    const result = { ms: server.firstAnswerMs, rss: residentBytes(server.pid) };
    const { path, headers } = typeof probe === 'string' ? { path: probe } : probe;
    const response = await fetch(`${server.url}${path}`, { headers });
    const body = await response.text();
    if (response.status !== 200 || !body.includes(id)) throw new Error(`${server.name} answered ${path} with ${response.status}: ${body.slice(0, 200)}`);
    return result;
  } finally {
    await server.stop();
  }
}

/** The last lines of a failed start's log: what the server said about why. */
async function failure(error, logFile) {
  const log = await readFile(logFile, 'utf8').catch(() => '');
  const said = log
    .trim()
    .split('\n')
    .slice(-3)
    .map((line) => {
      try {
        const parsed = JSON.parse(line);
        return parsed.msg ?? parsed.err?.message ?? line;
      } catch {
        return line;
      }
    })
    .join(' | ');
  return `${error.message}${said ? `: ${said.slice(0, 400)}` : ''}`;
}

/**
 * Opens and closes the database once, as the server leaves a database it has written: with the
 * manifest that lets the next start skip checking what it wrote itself. (A database written by
 * something else, as growth-db.mjs writes it, is checked document by document once.)
 */
async function openedOnce(dbPath) {
  const { store } = await openDurableStore(dbPath);
  await store.close();
}

/** Measures both sizes in `dir`; `log` reports progress. */
export async function firstAnswer(dir, log) {
  log('first answer: building the fold-sessions-mock CLI');
  buildReference();
  const keys = `${key}=${orgId}`;
  const now = Date.now();

  // 10,000 × 10, alternating the two servers; the reference server gets a fresh copy of the
  // database each round (opening may migrate or compact it), json-server only reads its file.
  const small = { orgId, sessions: 10_000, messages: 10, now };
  log('first answer: writing 10,000 sessions × 10 messages for the reference server and json-server');
  const pristine = join(dir, 'first-10k', 'pristine');
  const ids = await writeGrowthDatabase(join(pristine, 'sessions.json'), small);
  await openedOnce(join(pristine, 'sessions.json'));
  const jsonFile = join(dir, 'first-10k', 'db.json');
  await writeJsonServerDatabase(jsonFile, small);
  const probeId = ids[ids.length >> 1];
  const referenceProbe = { path: `/sessions/${probeId}`, headers: { authorization: `Bearer ${key}` } };
  const jsonServerProbe = `/sessions/${probeId}?_embed=messages`;
  const reference = [];
  const jsonServer = [];
  for (let round = 0; round < rounds; round++) {
    log(`first answer: 10,000 × 10, round ${round + 1} of ${rounds}`);
    const work = join(dir, 'first-10k', `round-${round}`);
    await cp(pristine, work, { recursive: true });
    reference.push(
      await timeStart(
        (probe) => startBuiltReference('reference, 10,000 × 10', { db: join(work, 'sessions.json'), keys }, join(dir, 'first-10k-reference.log'), { probe, pollMs }),
        referenceProbe,
        probeId,
      ),
    );
    await rm(work, { recursive: true, force: true });
    jsonServer.push(await timeStart((probe) => startJsonServer('json-server, 10,000 × 10', jsonFile, join(dir, 'first-10k-json-server.log'), { probe, pollMs }), jsonServerProbe, probeId));
  }
  await rm(join(dir, 'first-10k'), { recursive: true, force: true });
  const summary = (runs) => ({ ms: median(runs.map((run) => run.ms)), rss: median(runs.map((run) => run.rss ?? 0)), runs });
  const tenThousand = { sessions: 10_000, messages: 10, reference: summary(reference), jsonServer: summary(jsonServer) };
  tenThousand.ratio = tenThousand.reference.ms / tenThousand.jsonServer.ms;
  tenThousand.rssRatio = tenThousand.reference.rss / tenThousand.jsonServer.rss;

  // 100,000 × 10: one start; a server that cannot open it is a result too, with its reason.
  log('first answer: writing 100,000 sessions × 10 messages');
  const bigDir = join(dir, 'first-100k');
  await mkdir(bigDir, { recursive: true });
  const writeStarted = performance.now();
  const bigIds = await writeGrowthDatabase(join(bigDir, 'sessions.json'), { orgId, sessions: 100_000, messages: 10, now });
  const writeMs = performance.now() - writeStarted;
  await openedOnce(join(bigDir, 'sessions.json'));
  log('first answer: 100,000 × 10, opening');
  const bigLog = join(dir, 'first-100k.log');
  let hundredThousand;
  try {
    const id = bigIds[bigIds.length >> 1];
    const run = await timeStart(
      (probe) => startBuiltReference('reference, 100,000 × 10', { db: join(bigDir, 'sessions.json'), keys }, bigLog, { probe, pollMs, timeoutMs: 120_000 }),
      { path: `/sessions/${id}`, headers: { authorization: `Bearer ${key}` } },
      id,
    );
    hundredThousand = { sessions: 100_000, messages: 10, writeMs, ...run };
  } catch (error) {
    hundredThousand = { sessions: 100_000, messages: 10, writeMs, error: await failure(error, bigLog) };
  } finally {
    await rm(bigDir, { recursive: true, force: true });
  }
  return { tenThousand, hundredThousand };
}
