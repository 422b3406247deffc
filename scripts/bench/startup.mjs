// Start-up of the file store on 1,000 sessions × 100 messages plus a journal of 100,000 records,
// next to the time Node needs to read and JSON.parse the same bytes; and the disk the database
// takes once compacted, next to the size of its documents' JSON. Prints one JSON line.
// Run with the source flags (see processes.mjs); `npm run bench` does.
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDurableStore } from 'fold-sessions-mock';
import { fileStoreLayout, writeGrowthDatabase } from './growth-db.mjs';

const rounds = 3;
const dir = await mkdtemp(join(tmpdir(), 'fold-startup-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** What any program must do to load the database: read every file and parse its JSON. */
async function readAndParse(dbPath) {
  const started = performance.now();
  for (const path of fileStoreLayout.files(dbPath)) fileStoreLayout.parse(path, await readFile(path, 'utf8'));
  return performance.now() - started;
}

async function diskUse(dbPath) {
  let apparent = 0;
  let blocks = 0;
  for (const path of fileStoreLayout.files(dbPath)) {
    const info = await stat(path);
    apparent += info.size;
    blocks += info.blocks * 512;
  }
  return { apparent, blocks };
}

try {
  const pristine = join(dir, 'pristine', 'sessions.json');
  await writeGrowthDatabase(pristine, { orgId: 'org_bench', sessions: 1000, messages: 100, journalRecords: 100_000 });
  const parseMs = [];
  const openMs = [];
  let replayed = 0;
  let compacted;
  for (let round = 0; round < rounds; round++) {
    const work = join(dir, `round-${round}`);
    await cp(join(dir, 'pristine'), work, { recursive: true });
    const dbPath = join(work, 'sessions.json');
    parseMs.push(await readAndParse(dbPath));
    const started = performance.now();
    const { store, report } = await openDurableStore(dbPath);
    openMs.push(performance.now() - started);
    replayed = report.replayed;
    // A journal the store did not replay in full would make the figure meaningless.
    if (replayed !== 100_000 || report.tornRecord) throw new Error(`start-up replayed ${replayed} of 100,000 journal records (torn: ${report.tornRecord})`);
    await store.close();
    if (round === 0) {
      // The documents' JSON, as the data stands after the journal: the yardstick for disk use.
      let json = 0;
      const files = fileStoreLayout.files(dbPath);
      for (const path of files) {
        if (path !== dbPath && !fileStoreLayout.holdsSessions(path)) continue;
        for (const value of fileStoreLayout.parse(path, await readFile(path, 'utf8'))) json += Buffer.byteLength(JSON.stringify(value));
      }
      compacted = { json, ...(await diskUse(dbPath)), files: files.length - 1 };
    }
    await rm(work, { recursive: true, force: true });
  }
  const result = { sessions: 1000, messages: 100, journalRecords: replayed, parseMs: median(parseMs), openMs: median(openMs), disk: compacted };
  result.ratio = result.openMs / result.parseMs;
  result.diskRatio = compacted.apparent / compacted.json;
  console.log(JSON.stringify(result));
} finally {
  await rm(dir, { recursive: true, force: true });
}
