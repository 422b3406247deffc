import { describe, expect, it } from 'vitest';
import { openDurableStore, sessionFixture, type Durability, type SessionDocument } from 'fold-sessions-mock';
import { describeFile, manifestText } from '../../mock-server/src/store/manifest.js';
import { ForgetfulDisk } from './forgetful-disk.js';
import { seededRandom } from './support.js';

// A database of the older layout (one document per session) moves into segment files with the
// first compaction. A power cut anywhere in that move must lose nothing, in either durability
// mode: everything it moves was durable before it started.

const db = '/db/sessions.json';
const folder = '/db/sessions';

/** The older layout: the root, one file per session, with or without the manifest that listed them. */
function legacyDatabase(disk: ForgetfulDisk, docs: SessionDocument[], withManifest: boolean): void {
  const root = JSON.stringify({ format: 1, memory: [] });
  disk.file(db, root);
  const summaries = new Map([['/root', describeFile(Buffer.from(root))]]);
  for (const doc of docs) {
    const text = JSON.stringify(doc);
    disk.file(`${folder}/${doc.session.id}.json`, text);
    summaries.set(`${doc.session.id}.json`, describeFile(Buffer.from(text)));
  }
  if (withManifest) disk.file(`${folder}/manifest.json`, manifestText(1, summaries));
}

const contentOf = (docs: Iterable<SessionDocument>) => JSON.stringify([...docs].sort((a, b) => (a.session.id < b.session.id ? -1 : 1)));

async function migrationCase(seed: number, durability: Durability): Promise<{ failures: string[]; cutInMove: boolean }> {
  const random = seededRandom(seed);
  const disk = new ForgetfulDisk({ random });
  const sessions = Array.from({ length: 12 }, (_, i) => sessionFixture({ orgId: 'org_dev', name: `older layout ${i}`, messages: 1 + (i % 4), now: Date.UTC(2026, 0, 1) }).sessions[0]!);
  legacyDatabase(disk, sessions, seed % 2 === 0);
  const expected = contentOf(sessions);
  const failures: string[] = [];
  let moved = false;
  // The power goes after a random number of file operations of the start-up and its compaction.
  const cut = disk.cutAfter(1 + Math.floor(random() * 160));
  const work = (async () => {
    const { store } = await openDurableStore(db, { durability, disk: disk.mount() });
    await store.close();
    moved = true;
  })();
  work.then(
    () => disk.powerCut(),
    (error: unknown) => {
      failures.push(`seed ${seed}: the first start failed: ${(error as Error).message}`);
      disk.powerCut();
    },
  );
  await cut;
  const cutInMove = !moved;
  for (const step of ['after the power cut', 'after a clean stop']) {
    try {
      const { store, report } = await openDurableStore(db, { durability, disk: disk.mount() });
      const found = contentOf(store.sessionsOf('org_dev'));
      if (found !== expected) failures.push(`seed ${seed}: ${step} the sessions differ from the older layout's (${[...store.sessionsOf('org_dev')].length} of ${sessions.length})`);
      if (report.dropped.length > 0) failures.push(`seed ${seed}: ${step} start-up dropped ${report.dropped.join('; ')}`);
      await store.close();
    } catch (error) {
      failures.push(`seed ${seed}: the start ${step} was refused: ${(error as Error).message}`);
      break;
    }
  }
  const left = disk.names(folder).filter((name) => name.startsWith('sess_'));
  if (left.length > 0) failures.push(`seed ${seed}: after a clean stop ${left.length} files of the older layout are left`);
  return { failures, cutInMove };
}

describe('moving a database of the older layout into segments', () => {
  for (const durability of ['fsync', 'process'] as Durability[]) {
    it(`--durability ${durability}: a power cut anywhere in the move loses nothing (40 seeds)`, async () => {
      const failures: string[] = [];
      let cutInMove = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const run = await migrationCase(seed, durability);
        failures.push(...run.failures);
        if (run.cutInMove) cutInMove += 1;
      }
      expect(failures).toEqual([]);
      // Most cuts land before the move is done: the cases test the move, not a finished one.
      expect(cutInMove).toBeGreaterThanOrEqual(20);
    });
  }
});
