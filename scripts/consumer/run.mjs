// Consumer checks: both packages as `npm pack` makes them, installed into fresh projects outside
// the workspace the way an application installs them, and used there.
//
//   node scripts/consumer/run.mjs        (npm run test:consumer; .ci/run calls it after npm test)
//
// Installs reuse the npm cache (--prefer-offline); bundlers, TypeScript and Chromium's driver come
// from the workspace, the packages under test only from their tarballs. Prints every command it
// runs and one line per check, and writes consumer-results.json ({ passed, failed, checks }).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkTypes } from './types.mjs';
import { bundleWithoutZod } from './bundlers.mjs';
import { runSetupWorker } from './browser.mjs';
import { freePort, run, startProcess } from './process.mjs';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'fold-consumer-'));
const keep = process.argv.includes('--keep');
const results = [];
const started = Date.now();
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pinned = (name) => `${name}@${rootManifest.devDependencies[name]}`;

async function check(name, body) {
  const t0 = Date.now();
  console.log(`\n--- ${name}`);
  try {
    const detail = await body();
    results.push({ name, ok: true, ms: Date.now() - t0, detail });
    console.log(`ok    ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`);
    return true;
  } catch (error) {
    results.push({ name, ok: false, ms: Date.now() - t0, error: String(error?.message ?? error) });
    console.log(`FAIL  ${name}: ${error?.message ?? error}`);
    return false;
  }
}

function finish() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  writeFileSync(join(root, 'consumer-results.json'), JSON.stringify({ passed, failed, checks: results }, null, 2));
  console.log(`\nconsumer checks: ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const r of results.filter((r) => !r.ok)) console.log(`  failed: ${r.name}: ${r.error.split('\n')[0]}`);
  if (keep) console.log(`projects kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
  process.exit(failed === 0 ? 0 : 1);
}

/** The README's code block that follows `marker`, verbatim. */
function readmeBlock(marker) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!match) throw new Error(`README.md has no code block after ${marker}`);
  return match[1];
}

function newProject(name) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }, null, 2));
  return dir;
}

async function install(dir, specs) {
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir });
}

// 1. The tarballs, exactly as `npm publish` would upload them (prepack builds each package).
const tarballDir = join(work, 'tarballs');
const tarballs = {};
const packed = await check('npm pack fold-sessions and fold-sessions-mock', async () => {
  mkdirSync(tarballDir, { recursive: true });
  await run('npm', ['pack', '-w', 'sdk', '-w', 'mock-server', '--pack-destination', tarballDir, '--silent'], { cwd: root });
  for (const [name, dir] of [['fold-sessions', 'sdk'], ['fold-sessions-mock', 'mock-server']]) {
    const { version } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    tarballs[name] = join(tarballDir, `${name}-${version}.tgz`);
    if (!existsSync(tarballs[name])) throw new Error(`${tarballs[name]} was not written`);
  }
  return Object.values(tarballs).map((file) => file.replace(`${tarballDir}/`, '')).join(', ');
});
if (!packed) finish();

let newestMsw = '';
await check('find the newest msw 2.x on the registry', async () => {
  const { stdout } = await run('npm', ['view', 'msw@^2', 'version', '--json'], { cwd: work, quiet: true });
  const versions = [JSON.parse(stdout)].flat().filter((v) => /^2\.\d+\.\d+$/.test(v));
  newestMsw = versions.sort((a, b) => a.split('.')[1] - b.split('.')[1] || a.split('.')[2] - b.split('.')[2]).at(-1);
  if (!newestMsw) throw new Error(`no msw 2.x in ${stdout}`);
  return newestMsw;
});

// 2. Fresh projects, installed side by side.
const oldest = { msw: '2.10.0', dir: newProject('msw-2.10.0') };
const newest = { msw: newestMsw || '2', dir: newProject(`msw-${newestMsw || 'newest'}`) };
const typesDir = newProject('types');
const noZodDir = newProject('sdk-without-zod');
const both = [tarballs['fold-sessions'], tarballs['fold-sessions-mock']];
const installs = [
  [`install the tarballs with msw@${oldest.msw}, vitest and prism`, oldest.dir, [...both, `msw@${oldest.msw}`, pinned('vitest'), pinned('@stoplight/prism-cli')]],
  [`install the tarballs with msw@${newest.msw} and vitest`, newest.dir, [...both, `msw@${newest.msw}`, pinned('vitest')]],
  ['install the tarballs with only their declared dependencies (and msw, their peer)', typesDir, [...both, `msw@${oldest.msw}`]],
  ['install fold-sessions alone (zod, its optional peer, not installed)', noZodDir, [tarballs['fold-sessions']]],
];
const installed = await Promise.all(installs.map(([name, dir, specs]) => check(name, () => install(dir, specs))));
const ok = (dir) => installed[installs.findIndex(([, d]) => d === dir)];

// 3. The README's complete MSW vitest file, verbatim, with the lowest and the newest msw 2.x.
for (const project of [oldest, newest]) {
  await check(`README MSW example passes with msw@${project.msw} (vitest)`, async () => {
    if (!ok(project.dir)) throw new Error('not installed');
    const example = readmeBlock('<!-- file: test/readme/msw-example.test.ts -->');
    writeFileSync(join(project.dir, 'readme-example.test.ts'), example);
    await run(join(project.dir, 'node_modules/.bin/vitest'), ['run', '--reporter=json', '--outputFile=vitest.json', '--reporter=default'], {
      cwd: project.dir,
    });
    const report = JSON.parse(readFileSync(join(project.dir, 'vitest.json'), 'utf8'));
    const expected = (example.match(/^it\(/gm) ?? []).length;
    if (report.numPassedTests !== expected || report.numFailedTests !== 0) {
      throw new Error(`${report.numPassedTests} of ${expected} tests passed`);
    }
    return `${report.numPassedTests} tests`;
  });
}

// 4. The CLI from the installed tarball, and one SDK call to it.
await check('fold-sessions-mock CLI from the tarball serves an SDK call', async () => {
  if (!ok(oldest.dir)) throw new Error('not installed');
  const bin = join(oldest.dir, 'node_modules/.bin/fold-sessions-mock');
  const help = await run(bin, ['--help'], { cwd: oldest.dir, quiet: true });
  if (!help.stdout.includes('Usage: fold-sessions-mock')) throw new Error(`--help printed:\n${help.stdout}`);
  const server = await startProcess(bin, ['--port', '0', '--in-memory', '--keys', 'consumer_key=org_consumer'], {
    cwd: oldest.dir,
    ready: /listening on (http:\/\/\S+)/,
  });
  try {
    writeFileSync(
      join(oldest.dir, 'sdk-call.mjs'),
      `import { FoldSessions } from 'fold-sessions';
const fold = new FoldSessions({ apiKey: 'consumer_key', baseURL: process.argv[2] });
const session = await fold.sessions.create({ name: 'From the tarball' });
await fold.sessions.messages.add(session.id, { role: 'user', content: 'hello' });
const read = await fold.sessions.get(session.id);
if (read.messages[0]?.content !== 'hello' || read.status !== 'active') throw new Error(JSON.stringify(read));
console.log(session.id);
`,
    );
    const call = await run(process.execPath, ['sdk-call.mjs', server.match[1]], { cwd: oldest.dir, quiet: true });
    return `${server.match[1]}, created ${call.stdout.trim()}`;
  } finally {
    const code = await server.stop();
    if (code !== 0) throw new Error(`the server exited with ${code} on SIGTERM:\n${server.output()}`);
  }
});

// 5. The README's "Contract checks in your CI" script, as a consumer runs it.
await check('README contract check: prism proxy with the shipped spec in front of the CLI', async () => {
  if (!ok(oldest.dir)) throw new Error('not installed');
  for (const file of ['contract-check.sh', 'smoke.mjs']) {
    writeFileSync(join(oldest.dir, file), readFileSync(join(root, 'examples/contract-check', file)));
  }
  const env = { MOCK_PORT: String(await freePort()), PROXY_PORT: String(await freePort()) };
  const { stdout } = await run('bash', ['contract-check.sh', 'node', 'smoke.mjs'], { cwd: oldest.dir, env, timeoutMs: 120_000 });
  if (!stdout.includes('contract check passed')) throw new Error(stdout);
});

// 6. The published types, with skipLibCheck off, under each module resolution.
for (const resolution of ['node16', 'nodenext', 'bundler']) {
  await check(`types of both packages, moduleResolution ${resolution}, skipLibCheck false, no any`, async () => {
    if (!ok(typesDir)) throw new Error('not installed');
    return checkTypes({ root, dir: typesDir, resolution, entries: 'all' });
  });
  await check(`types of fold-sessions without zod, moduleResolution ${resolution}, skipLibCheck false`, async () => {
    if (!ok(noZodDir)) throw new Error('not installed');
    return checkTypes({ root, dir: noZodDir, resolution, entries: 'sdk' });
  });
}

// 7. An app that imports the SDK, zod not installed, bundled by Vite, esbuild and webpack.
const sizes = [];
for (const bundler of ['vite', 'esbuild', 'webpack']) {
  await check(`${bundler} bundles an app using fold-sessions without zod: no error, no zod warning`, async () => {
    if (!ok(noZodDir)) throw new Error('not installed');
    if (existsSync(join(noZodDir, 'node_modules/zod'))) throw new Error('zod is installed, the check would prove nothing');
    const size = await bundleWithoutZod({ root, dir: noZodDir, bundler });
    sizes.push({ bundler, ...size });
    return `${(size.gzipBytes / 1024).toFixed(2)} KB gzipped in ${size.files} file(s)`;
  });
}

// 8. setupWorker with the handlers, in headless Chromium.
for (const project of [oldest, newest]) {
  await check(`setupWorker with the handlers in headless Chromium (msw@${project.msw})`, async () => {
    if (!ok(project.dir)) throw new Error('not installed');
    return runSetupWorker({ root, dir: project.dir });
  });
}

if (sizes.length) {
  console.log('\nApp bundle importing fold-sessions (create + get), minified, gzip level 9:');
  for (const s of sizes) console.log(`  ${s.bundler.padEnd(8)} ${(s.gzipBytes / 1024).toFixed(2)} KB in ${s.files} JS file(s)`);
}
finish();
