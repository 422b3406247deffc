// Fails when a working API description breaks clients of its released version, unless both
// packages' versions say so (a new major, or while 0.x a new minor).
//
//   node scripts/check-breaking.mjs            every openapi/<name>.yaml that has a released
//                                              openapi/released/<name>-<version>.yaml, against
//                                              the newest of them
//   node scripts/check-breaking.mjs --current f.yaml [--name sessions]
//                                              compare another file (tests use this)
//
// A change the diff calls breaking that changes no behaviour (the description now says what the
// server always did) is listed, with its reason, in openapi/released/<name>-<version>.accepted.txt,
// one `OPERATION: text` line each as printed here; every other one fails.
//
// To release: write each openapi/<name>.yaml, with what it $refs from other files inlined
// (`npx redocly bundle openapi/<name>.yaml -o openapi/released/<name>-<version>.yaml`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { inlineReferences, loadBundledSpec } from './spec-bundle.mjs';
import { findBreakingChanges, isBreakingRelease } from './spec-diff/breaking.mjs';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { current: { type: 'string' }, name: { type: 'string', default: 'sessions' } } });
const packages = ['sdk', 'mock-server'].map((dir) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')));

/** The newest released snapshot of each description, by name. */
const newest = new Map();
for (const file of readdirSync(join(root, 'openapi/released'))) {
  const match = /^(.+)-(\d+\.\d+\.\d+)\.yaml$/.exec(file);
  if (!match) continue;
  const [, name, version] = match;
  if (!newest.has(name) || compareVersions(version, newest.get(name).version) > 0) newest.set(name, { file, version });
}

const targets = values.current
  ? [{ name: values.name, current: resolve(values.current) }]
  : [...newest.keys()].sort().map((name) => ({ name, current: join(root, `openapi/${name}.yaml`) }));
if (targets.length === 0) fail('no openapi/released/<name>-<version>.yaml to compare with');

let failed = false;
for (const { name, current } of targets) {
  const released = newest.get(name);
  if (!released) fail(`no openapi/released/${name}-<version>.yaml to compare with`);
  const found = findBreakingChanges(
    inlineReferences(parse(readFileSync(join(root, 'openapi/released', released.file), 'utf8'))),
    inlineReferences(loadBundledSpec(current)),
  );
  const label = `${current.replace(`${root}/`, '')} against openapi/released/${released.file}`;
  const acceptedFile = join(root, 'openapi/released', released.file.replace(/\.yaml$/, '.accepted.txt'));
  const accepted = existsSync(acceptedFile)
    ? new Set(readFileSync(acceptedFile, 'utf8').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#')))
    : new Set();
  const breaks = found.filter((b) => !accepted.has(`${b.operation}: ${b.text}`));
  if (breaks.length === 0) {
    console.log(`check-breaking: ${label}: no breaking change`);
    continue;
  }
  const lines = breaks.map((b) => `  - ${b.operation}: ${b.text}`).join('\n');
  const unbumped = packages.filter((pkg) => !isBreakingRelease(released.version, pkg.version));
  if (unbumped.length === 0) {
    console.log(`check-breaking: ${label}: ${breaks.length} breaking change(s), allowed by the new versions:\n${lines}`);
    continue;
  }
  failed = true;
  console.error(`check-breaking: ${label}: ${breaks.length} breaking change(s) for existing clients:\n${lines}`);
  console.error(
    `\nEither keep the change compatible, or raise the ${released.version.startsWith('0.') ? 'minor' : 'major'} version of ` +
      `${unbumped.map((pkg) => `${pkg.name} (${pkg.version})`).join(' and ')} and say so in its CHANGELOG.md.\n`,
  );
}
process.exit(failed ? 1 : 0);

function fail(message) {
  console.error(`check-breaking: ${message}`);
  process.exit(1);
}

function compareVersions(a, b) {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}
