// Measures what fold-sessions adds to a browser bundle: esbuild, minified, ESM with code
// splitting (as application bundlers do), gzip level 9. Each entry creates a session and reads
// it back. "initial" is what loads up front; "lazy" is what a dynamic import loads on demand.
//
//   node scripts/sdk-size.mjs            builds sdk/dist first
//   node scripts/sdk-size.mjs --json     machine-readable output
//
// Exits 1 when fold-sessions (create + get, without validation) is over BUDGET_KB or pulls in zod.
// test/scripts/sdk-size.test.ts runs it in `npm test`. BUDGET_KB is a ratchet: the last measured
// size plus a small margin, lowered whenever the SDK shrinks. TARGET_KB is the size the SDK must
// stay under (docs/performance.md says where the bytes go).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { browserBundle } from './bundle-options.mjs';

const TARGET_KB = 6.5;
const BUDGET_KB = 6.5;
const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'sdk/dist');

const entries = {
  'fold-sessions': `
    import { FoldSessions } from 'fold-sessions';
    const fold = new FoldSessions({ apiKey: 'key' });
    const session = await fold.sessions.create({ name: 'size' });
    console.log(await fold.sessions.get(session.id));`,
  'fold-sessions, validateResponses': `
    import { FoldSessions } from 'fold-sessions';
    import { responseValidator } from 'fold-sessions/validation';
    const fold = new FoldSessions({ apiKey: 'key', validateResponses: responseValidator });
    const session = await fold.sessions.create({ name: 'size' });
    console.log(await fold.sessions.get(session.id));`,
  'bare generated client': `
    import { client } from '${join(dist, 'generated/client.gen.js')}';
    import { createSession, getSession } from '${join(dist, 'generated/sdk.gen.js')}';
    client.setConfig({ auth: 'key' });
    const { data } = await createSession({ body: { name: 'size' }, throwOnError: true });
    console.log(await getSession({ path: { id: data.id }, throwOnError: true }));`,
};

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'sdk/tsconfig.build.json')], {
  stdio: 'inherit',
});

const work = mkdtempSync(join(tmpdir(), 'sdk-size-'));
const results = [];
try {
  for (const [name, source] of Object.entries(entries)) {
    const dir = join(work, String(results.length));
    const entry = join(dir, 'entry.mjs');
    rmSync(dir, { recursive: true, force: true });
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(entry, source);
    const { metafile } = await build({ ...browserBundle, entryPoints: [entry], splitting: true, outdir: join(dir, 'out'), metafile: true });
    const outputs = metafile.outputs;
    const gz = (file) => gzipSync(readFileSync(resolve(process.cwd(), file)), { level: 9 }).length;
    // Everything reachable from the entry through static imports loads up front.
    const [entryOut] = Object.entries(outputs).find(([, o]) => o.entryPoint) ?? [];
    const initial = new Set();
    const visit = (file) => {
      if (initial.has(file)) return;
      initial.add(file);
      for (const dep of outputs[file].imports) if (dep.kind === 'import-statement') visit(dep.path);
    };
    visit(entryOut);
    const initialBytes = [...initial].reduce((sum, file) => sum + gz(file), 0);
    const lazyBytes = Object.keys(outputs)
      .filter((file) => !initial.has(file) && file.endsWith('.js'))
      .reduce((sum, file) => sum + gz(file), 0);
    const inputs = Object.keys(metafile.inputs);
    results.push({
      name,
      initialKB: +(initialBytes / 1024).toFixed(2),
      lazyKB: +(lazyBytes / 1024).toFixed(2),
      zodInInitial: [...initial].some((file) => Object.keys(outputs[file].inputs).some((i) => i.includes('/zod'))),
      modules: inputs.length,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(results, null, 2));
} else {
  console.log('minified + gzip, KB (1 KB = 1024 bytes)');
  for (const r of results) {
    const total = (r.initialKB + r.lazyKB).toFixed(2);
    console.log(
      `  ${r.name.padEnd(36)} initial ${r.initialKB.toFixed(2)}  lazy ${r.lazyKB.toFixed(2)}  total ${total}` +
        (r.zodInInitial ? '  (zod in initial chunk)' : ''),
    );
  }
}
const sdk = results[0];
const bare = results.find((r) => r.name === 'bare generated client');
console.log(
  `fold-sessions (create + get): ${sdk.initialKB.toFixed(2)} KB, budget ${BUDGET_KB} KB, target ${TARGET_KB} KB` +
    (sdk.initialKB > TARGET_KB ? ` (over the target by ${(sdk.initialKB - TARGET_KB).toFixed(2)} KB; the generated client alone is ${bare.initialKB.toFixed(2)} KB)` : ''),
);
if (sdk.initialKB > BUDGET_KB || sdk.zodInInitial) {
  console.error(`fold-sessions is over its budget of ${BUDGET_KB} KB without validation, or pulls in zod.`);
  process.exit(1);
}
