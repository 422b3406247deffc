// Coverage of the contract: which documented (operation, status) pairs and response headers the
// test suite exercised. `npm test` runs `reset` before the tests and `check` after them: `check`
// writes coverage/contract-coverage.md and fails when a documented pair was never exercised, or a
// documented header never sent. The exchanges come from the journals of the test servers
// (test/support/contract-coverage.ts).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadOperations } from './api-table.mjs';

const folder = process.env.CONTRACT_COVERAGE_DIR ?? '.tmp/contract-coverage';
const report = process.env.CONTRACT_COVERAGE_REPORT ?? 'coverage/contract-coverage.md';
const mode = process.argv[2];
if (mode === 'reset') {
  rmSync(folder, { recursive: true, force: true });
  process.exit(0);
}
if (mode !== 'check') {
  console.error('usage: node scripts/contract-coverage.mjs reset|check');
  process.exit(2);
}

const seen = new Map(); // "operation status" → { count, sources: Set, headers: Set }
let exchanges = 0;
for (const file of readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.name.endsWith('.jsonl'))) {
  for (const line of readFileSync(join(folder, file.name), 'utf8').split('\n').filter(Boolean)) {
    const { source, operation, status, headers } = JSON.parse(line);
    const key = `${operation} ${status}`;
    let entry = seen.get(key);
    if (!entry) seen.set(key, (entry = { count: 0, sources: new Set(), headers: new Set() }));
    entry.count += 1;
    entry.sources.add(source);
    for (const header of headers) entry.headers.add(header);
    exchanges += 1;
  }
}

const rows = [];
const missingPairs = [];
const headerNamesSeen = new Set([...seen.values()].flatMap((entry) => [...entry.headers]));
const missingHeaders = new Set();
const unseenOnPair = [];
for (const operation of loadOperations()) {
  for (const [status, response] of Object.entries(operation.responses)) {
    const entry = seen.get(`${operation.operationId} ${status}`);
    if (!entry) missingPairs.push(`${operation.operationId} ${status}`);
    const documented = response.headers.map((header) => header.name);
    const absent = documented.filter((name) => !entry?.headers.has(name));
    for (const name of documented) if (!headerNamesSeen.has(name)) missingHeaders.add(name);
    if (entry && absent.length > 0) unseenOnPair.push(`${operation.operationId} ${status}: ${absent.join(', ')}`);
    rows.push(`| ${operation.operationId} | ${status} | ${entry ? entry.count : '**never**'} | ${entry ? [...entry.sources].sort().join('; ') : ''} | ${documented.map((name) => (entry?.headers.has(name) ? name : `~~${name}~~`)).join(', ')} |`);
  }
}

mkdirSync(dirname(report), { recursive: true });
writeFileSync(
  report,
  [
    '# Contract coverage',
    '',
    `${exchanges} exchanges recorded by the test servers. A header struck through was documented for that response but never seen on it.`,
    '',
    '| operation | status | exchanges | exercised by | documented headers |',
    '|---|---|---:|---|---|',
    ...rows,
    '',
  ].join('\n'),
);
const pairs = rows.length;
console.log(`contract coverage: ${pairs - missingPairs.length} of ${pairs} documented (operation, status) pairs exercised by ${exchanges} exchanges; report in ${report}`);
if (unseenOnPair.length > 0) console.log(`  documented headers not seen on their response (each seen elsewhere):\n    ${unseenOnPair.join('\n    ')}`);
if (missingPairs.length > 0 || missingHeaders.size > 0) {
  if (missingPairs.length > 0) console.error(`never exercised: ${missingPairs.join(', ')}`);
  if (missingHeaders.size > 0) console.error(`documented headers never sent: ${[...missingHeaders].join(', ')}`);
  process.exit(1);
}
