import { createSessionsApi, openDurableStore, removeInterruptedWrites, type ApiRequest, type Durability, type LowdbSessionStore } from 'fold-sessions-mock';
import type { SyncSite } from '../../mock-server/src/store/disk.js';
import { ForgetfulDisk } from './forgetful-disk.js';
import { seededRandom } from './support.js';

// Cycles of concurrent writes → power cut → restart, on a disk that forgets what was not synced.
// Each client owns its sessions and writes to them one request at a time, so each session has
// one history: the requests answered 2xx, then at most one in flight when the power went.

type Event = { t: 'create'; name: string } | { t: 'message'; content: string } | { t: 'context'; value: Record<string, unknown> } | { t: 'close' } | { t: 'delete' };

interface History {
  id: string;
  events: Event[];
  /** Events answered 2xx: the first `acked` of `events`. */
  acked: number;
  /** Events a restart has shown: what reached the disk, which a later power cut must not take back. */
  shown: number;
}

interface SessionState {
  exists: boolean;
  messages: string[];
  context: Record<string, unknown>;
  status: string;
}

function stateAfter(events: Event[]): SessionState {
  const state: SessionState = { exists: false, messages: [], context: {}, status: 'active' };
  for (const event of events) {
    if (event.t === 'create') state.exists = true;
    else if (event.t === 'message') state.messages.push(event.content);
    else if (event.t === 'context') state.context = event.value;
    else if (event.t === 'close') state.status = 'closed';
    else return { exists: false, messages: [], context: {}, status: 'active' };
  }
  return state;
}

const same = (a: SessionState, b: SessionState) => JSON.stringify(a) === JSON.stringify(b);

export interface PowerCutRun {
  cycles: number;
  /** Cycles whose power cut landed in a start-up (its compaction included). */
  cutInStartUp: number;
  /** Cycles that began with a clean stop and start. */
  cleanStops: number;
  acknowledged: number;
  /** Writes refused (503: the disk failed them). */
  refused: number;
  lost: number;
  restartsRefused: number;
  /** Starts that reported damage they recovered (process mode). */
  recovered: number;
  failures: string[];
  syncs: Map<SyncSite, number>;
}

const auth = { authorization: 'Bearer fold_dev_key', 'content-type': 'application/json' };
const db = '/db/sessions.json';

/**
 * Runs `cycles` cycles in `durability` mode from `seed`. `fsync`: every session after a restart
 * is its acknowledged history, plus perhaps the request in flight. `process`: a prefix of its
 * history, and every restart succeeds.
 */
export async function runPowerCuts(options: { durability: Durability; seed: number; cycles: number; skipSyncs?: ReadonlySet<SyncSite>; trace?: string[] }): Promise<PowerCutRun> {
  const { durability, seed, cycles } = options;
  const random = seededRandom(seed);
  // One write in 50 fails (a full disk), after a random part of it reached the file.
  const disk = new ForgetfulDisk({ random, failWrites: 0.02, ...(options.skipSyncs && { skipSyncs: options.skipSyncs }), ...(options.trace && { trace: options.trace }) });
  // Half the runs start from a database file of an earlier version: a root file, no folder.
  if (random() < 0.5) disk.file(db, '{"format":1,"memory":[]}');
  else disk.folder('/db');
  const histories = new Map<string, History>();
  // Creates in flight at a cut: their session id was never answered.
  let pendingCreates = new Map<string, Event[]>();
  const run: PowerCutRun = { cycles, cutInStartUp: 0, cleanStops: 0, acknowledged: 0, refused: 0, lost: 0, restartsRefused: 0, recovered: 0, failures: [], syncs: disk.syncs };
  const int = (n: number) => Math.floor(random() * n);

  /** Checks the store after a restart against the histories, and makes what it holds the new start. */
  const check = (store: LowdbSessionStore, cycle: number, strict: boolean) => {
    const seen = new Set<string>();
    for (const doc of store.sessionsOf('org_dev')) {
      seen.add(doc.session.id);
      const observed: SessionState = { exists: true, messages: doc.messages.map((message) => message.content), context: doc.session.context as Record<string, unknown>, status: doc.session.status };
      let history = histories.get(doc.session.id);
      if (!history) {
        const events = pendingCreates.get(doc.session.name);
        if (!events) {
          run.failures.push(`cycle ${cycle}: session ${doc.session.id} (${doc.session.name}) was never written`);
          continue;
        }
        history = { id: doc.session.id, events, acked: 0, shown: 0 };
        histories.set(history.id, history);
      }
      match(history, observed, cycle, strict);
    }
    for (const history of histories.values()) if (!seen.has(history.id)) match(history, stateAfter([]), cycle, strict);
    pendingCreates = new Map();
  };

  const match = (history: History, observed: SessionState, cycle: number, strict: boolean) => {
    const lowest = Math.max(strict ? history.acked : 0, history.shown);
    for (let kept = history.events.length; kept >= lowest; kept--) {
      if (!same(stateAfter(history.events.slice(0, kept)), observed)) continue;
      if (kept < history.acked) run.lost += history.acked - kept;
      history.events = history.events.slice(0, kept);
      history.acked = kept;
      history.shown = kept;
      if (!observed.exists) histories.delete(history.id);
      return;
    }
    run.failures.push(
      `cycle ${cycle}: session ${history.id} holds ${JSON.stringify(observed)}, which is not ${strict ? 'its acknowledged history (plus the request in flight)' : 'a prefix of its history'} at least as long as the last restart showed (${history.shown}): ${JSON.stringify(history.events)} (${history.acked} acknowledged)`,
    );
    histories.delete(history.id);
  };

  for (let cycle = 0; cycle < cycles; cycle++) {
    // The first cycle and one in ten cut the power early: in the start-up (of a new database, for
    // the first), its compaction, the first writes.
    const cut = disk.cutAfter(cycle === 0 || random() < 0.1 ? 1 + int(40) : 20 + int(400));
    const mount = disk.mount();
    let started = false;
    /** Opens the store, checks it, and runs the clients until the power goes, or for `requests` requests. */
    const phase = async (strict: boolean, requests = Number.POSITIVE_INFINITY): Promise<LowdbSessionStore | undefined> => {
      await removeInterruptedWrites(db, mount);
      let store: LowdbSessionStore;
      try {
        const open = () => openDurableStore(db, { durability, disk: mount, journalLimits: { maxRecords: 2 + int(40), maxBytes: 64 * 1024 * 1024 }, onCompactionError: () => undefined });
        // A start-up the full disk fails (a write it makes refused) is tried again, as a user would.
        const full = (error: unknown) => (error as { cause?: { code?: unknown } }).cause?.code === 'ENOSPC';
        const opened = await open()
          .catch((error: unknown) => (full(error) ? open() : Promise.reject(error)))
          .catch((error: unknown) => (full(error) ? open() : Promise.reject(error)));
        store = opened.store;
        if (opened.report.dropped.length > 0) {
          run.recovered += 1;
          if (durability === 'fsync') run.failures.push(`cycle ${cycle}: fsync-mode start-up dropped ${opened.report.dropped.join('; ')}`);
        }
      } catch (error) {
        run.restartsRefused += 1;
        run.failures.push(`cycle ${cycle}: the restart was refused: ${(error as Error).message}`);
        return undefined;
      }
      started = true;
      check(store, cycle, strict);
      const api = createSessionsApi({ store });
      const call = async (method: string, path: string, body?: unknown, key?: string) => {
        const request = { method, path, headers: { ...auth, ...(key && { 'idempotency-key': key }) }, ...(body !== undefined && { rawBody: JSON.stringify(body) }) } as ApiRequest;
        return (await api.handle(request)) as { status: number; body: Record<string, unknown> };
      };
      const owned = [...histories.values()].filter((history) => stateAfter(history.events).status === 'active');
      const clients = 2 + int(7);
      let left = requests;
      await Promise.all(
        Array.from({ length: clients }, async (_, client) => {
          const mine = owned.filter((_, i) => i % clients === client);
          let serial = 0;
          while (left-- > 0) {
            const tag = `c${cycle}-${client}-${serial++}${Number.isFinite(requests) ? 'c' : ''}`;
            let history = mine.length > 0 && random() < 0.9 ? mine[int(mine.length)]! : undefined;
            if (!history) {
              const events: Event[] = [{ t: 'create', name: tag }];
              pendingCreates.set(tag, events);
              const reply = await call('POST', '/sessions', { name: tag }, random() < 0.2 ? `k-${tag}` : undefined);
              pendingCreates.delete(tag);
              if (reply.status === 503) {
                run.refused += 1;
                continue;
              }
              if (reply.status !== 201) throw new Error(`create answered ${reply.status}`);
              history = { id: reply.body.id as string, events, acked: 1, shown: 0 };
              histories.set(history.id, history);
              mine.push(history);
              run.acknowledged += 1;
              continue;
            }
            const roll = random();
            const event: Event = roll < 0.7 ? { t: 'message', content: tag } : roll < 0.88 ? { t: 'context', value: { step: tag } } : roll < 0.95 ? { t: 'close' } : { t: 'delete' };
            history.events.push(event);
            const reply =
              event.t === 'message'
                ? await call('POST', `/sessions/${history.id}/messages`, { role: 'user', content: event.content }, random() < 0.2 ? `k-${tag}` : undefined)
                : event.t === 'context'
                  ? await call('PUT', `/sessions/${history.id}/context`, event.value)
                  : event.t === 'close'
                    ? await call('POST', `/sessions/${history.id}/close`)
                    : await call('DELETE', `/sessions/${history.id}`);
            if (reply.status === 503) {
              // Refused: it must never show.
              history.events.pop();
              run.refused += 1;
              continue;
            }
            if (reply.status >= 300) throw new Error(`${event.t} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
            history.acked = history.events.length;
            run.acknowledged += 1;
            if (event.t === 'close' || event.t === 'delete') mine.splice(mine.indexOf(history), 1);
          }
        }),
      );
      // A clean stop, as the server makes it: the summaries finish before the store closes.
      if (Number.isFinite(requests)) await api.service.summaries.flush();
      return store;
    };
    const work = (async () => {
      // A quarter of the cycles start with a few requests and a clean stop: the next start then
      // finds no journal to replay, and the power goes in a run that began from documents only.
      if (random() < 0.25) {
        const store = await phase(durability === 'fsync', 1 + int(30));
        if (!store) return;
        await store.close();
        run.cleanStops += 1;
        await phase(true);
      } else {
        await phase(durability === 'fsync');
      }
      // Only a start-up refused gets here: the power is cut to end the cycle.
    })();
    // The clients write until the power goes; a start-up refused or a request that failed ends
    // the cycle at once.
    work.then(
      () => disk.powerCut(),
      (error: unknown) => {
        run.failures.push(`cycle ${cycle}: ${(error as Error).stack ?? String(error)}`);
        disk.powerCut();
      },
    );
    await cut;
    if (!started) run.cutInStartUp += 1;
    if (run.failures.length > 0) break;
  }
  // A last restart checks the last cycle.
  if (run.failures.length === 0) {
    const mount = disk.mount();
    try {
      await removeInterruptedWrites(db, mount);
      // A start-up the full disk fails is tried again.
      let opened: Awaited<ReturnType<typeof openDurableStore>> | undefined;
      for (let attempt = 1; !opened; attempt++) {
        opened = await openDurableStore(db, { durability, disk: mount }).catch((error: unknown) => {
          if (attempt < 5 && (error as { cause?: { code?: unknown } }).cause?.code === 'ENOSPC') return undefined;
          throw error;
        });
      }
      const { store } = opened;
      check(store, cycles, durability === 'fsync');
    } catch (error) {
      run.restartsRefused += 1;
      run.failures.push(`final restart refused: ${(error as Error).message}`);
    }
  }
  return run;
}

/**
 * A batch the disk refused after all its bytes reached it (answered 503), then a power cut: the
 * refused write must not come back. Returns what went wrong.
 */
export async function refusedBatchCase(options: { seed: number; skipSyncs?: ReadonlySet<SyncSite> }): Promise<string[]> {
  const disk = new ForgetfulDisk({ random: seededRandom(options.seed), ...(options.skipSyncs && { skipSyncs: options.skipSyncs }) });
  disk.folder('/db');
  const first = await openDurableStore(db, { durability: 'fsync', disk: disk.mount() });
  const api = createSessionsApi({ store: first.store });
  const call = async (method: string, path: string, body: unknown) =>
    (await api.handle({ method, path, headers: auth, rawBody: JSON.stringify(body) } as ApiRequest)) as { status: number; body: { id: string } };
  const { body: session } = await call('POST', '/sessions', { name: 'refused' });
  disk.failNextWrite(/journal-\d+\.ndjson$/);
  const refused = await call('POST', `/sessions/${session.id}/messages`, { role: 'user', content: 'refused' });
  if (refused.status !== 503) return [`the append was answered ${refused.status}, not 503`];
  disk.powerCut();
  let store: LowdbSessionStore;
  try {
    ({ store } = await openDurableStore(db, { durability: 'fsync', disk: disk.mount() }));
  } catch (error) {
    return [`seed ${options.seed}: the restart after the power cut was refused: ${(error as Error).message}`];
  }
  const messages = store.getSession(session.id)?.messages.map((message) => message.content);
  return messages?.length === 0 ? [] : [`seed ${options.seed}: after the power cut the session holds ${JSON.stringify(messages)}; the refused append came back`];
}

/**
 * `process` mode: writes, then a clean stop whose compaction the full disk fails before it could
 * move to a new journal file, a restart that shows the writes, and a power cut: the writes a
 * clean stop kept must still be there. Returns what went wrong.
 */
export async function stoppedWithoutCompactionCase(options: { seed: number; skipSyncs?: ReadonlySet<SyncSite> }): Promise<string[]> {
  const disk = new ForgetfulDisk({ random: seededRandom(options.seed), ...(options.skipSyncs && { skipSyncs: options.skipSyncs }) });
  disk.folder('/db');
  // A database that exists: the start-up below writes no manifest, so nothing syncs the folder
  // after it creates its journal file.
  await (await openDurableStore(db, { durability: 'process', disk: disk.mount() })).store.close();
  const first = await openDurableStore(db, { durability: 'process', disk: disk.mount(), onCompactionError: () => undefined });
  // The clean stop's compaction cannot create its new journal file (a full disk).
  return keptByCleanStop(disk, first.store, options.seed, () => disk.failNextCreate(/journal-\d+\.ndjson$/));
}

/**
 * `process` mode on a database of an earlier version (a root file, no folder of documents yet):
 * writes, a clean stop, a restart that shows them, and a power cut: the sessions the clean stop
 * kept must still be there, in the folder start-up created. Returns what went wrong.
 */
export async function stoppedAfterUpgradeCase(options: { seed: number; skipSyncs?: ReadonlySet<SyncSite> }): Promise<string[]> {
  const disk = new ForgetfulDisk({ random: seededRandom(options.seed), ...(options.skipSyncs && { skipSyncs: options.skipSyncs }) });
  disk.file(db, '{"format":1,"memory":[]}');
  const first = await openDurableStore(db, { durability: 'process', disk: disk.mount() });
  return keptByCleanStop(disk, first.store, options.seed);
}

/**
 * Writes a session and an append, runs `beforeStop`, stops `store` cleanly, restarts (which must show them), cuts the
 * power and restarts again: the append must still be there. `process` mode. Returns what went wrong.
 */
async function keptByCleanStop(disk: ForgetfulDisk, store: LowdbSessionStore, seed: number, beforeStop?: () => void): Promise<string[]> {
  const api = createSessionsApi({ store });
  const call = async (method: string, path: string, body: unknown) =>
    (await api.handle({ method, path, headers: auth, rawBody: JSON.stringify(body) } as ApiRequest)) as { status: number; body: { id: string } };
  const { body: session } = await call('POST', '/sessions', { name: 'stopped' });
  await call('POST', `/sessions/${session.id}/messages`, { role: 'user', content: 'kept by the stop' });
  beforeStop?.();
  await store.close();
  try {
    const shown = await openDurableStore(db, { durability: 'process', disk: disk.mount() });
    if (shown.store.getSession(session.id)?.messages.length !== 1) return [`seed ${seed}: the restart after the clean stop lost the append`];
    disk.powerCut();
    const { store: after } = await openDurableStore(db, { durability: 'process', disk: disk.mount() });
    const messages = after.getSession(session.id)?.messages.map((message) => message.content);
    return messages?.length === 1 ? [] : [`seed ${seed}: after a clean stop, a restart and a power cut the session holds ${JSON.stringify(messages)}`];
  } catch (error) {
    return [`seed ${seed}: a restart was refused: ${(error as Error).message}`];
  }
}
