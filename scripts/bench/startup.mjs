// Start-up of the file store on 1,000 sessions × 100 messages plus a journal of 100,000 records,
// next to the time Node needs to read and JSON.parse the same bytes; and the disk the database
// takes once compacted, next to the size of its documents' JSON. Prints one JSON line.
// Run with the source flags (see processes.mjs); `npm run bench` does.
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDurableStore } from 'fold-sessions-mock';
import { sessionsDirectory, writeGrowthDatabase } from './growth-db.mjs';

const rounds = 3;
const dir = await mkdtemp(join(tmpdir(), 'fold-startup-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** What any program must do to load the database: read every file and parse its JSON. */
async function readAndParse(dbPath) {
  const started = performance.now();
  JSON.parse(await readFile(dbPath, 'utf8'));
  const directory = sessionsDirectory(dbPath);
  for (const name of await readdir(directory)) {
    const text = await readFile(join(directory, name), 'utf8');
    if (name.endsWith('.ndjson')) for (const line of text.split('\n')) line && JSON.parse(line);
    else JSON.parse(text);
  }
  return performance.now() - started;
}

async function diskUse(dbPath) {
  let apparent = (await stat(dbPath)).size;
  let blocks = (await stat(dbPath)).blocks * 512;
  const directory = sessionsDirectory(dbPath);
  for (const name of await readdir(directory)) {
    const info = await stat(join(directory, name));
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
      const directory = sessionsDirectory(dbPath);
      for (const name of await readdir(directory)) if (name.startsWith('sess_')) json += Buffer.byteLength(JSON.stringify(JSON.parse(await readFile(join(directory, name), 'utf8'))));
      json += Buffer.byteLength(JSON.stringify(JSON.parse(await readFile(dbPath, 'utf8'))));
      compacted = { json, ...(await diskUse(dbPath)), files: (await readdir(directory)).length };
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
