// Fails when the working API description breaks clients of the released one, unless both
// packages' versions say so (a new major, or while 0.x a new minor).
//
//   node scripts/check-breaking.mjs                    openapi/<name>.yaml against the newest
//                                                      openapi/released/<name>-<version>.yaml
//   node scripts/check-breaking.mjs --current f.yaml   compare another file (tests use this)
//
// To release: copy openapi/<name>.yaml to openapi/released/<name>-<version>.yaml.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { findBreakingChanges, isBreakingRelease } from './spec-diff/breaking.mjs';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { current: { type: 'string' }, name: { type: 'string', default: 'sessions' } } });
const name = values.name;

const released = readdirSync(join(root, 'openapi/released'))
  .map((file) => ({ file, version: new RegExp(`^${name}-(\\d+\\.\\d+\\.\\d+)\\.yaml$`).exec(file)?.[1] }))
  .filter((entry) => entry.version)
  .sort((a, b) => compareVersions(a.version, b.version));
const newest = released.at(-1);
if (!newest) {
  console.error(`check-breaking: no openapi/released/${name}-<version>.yaml to compare with`);
  process.exit(1);
}
const currentFile = resolve(values.current ?? join(root, `openapi/${name}.yaml`));
const packages = ['sdk', 'mock-server'].map((dir) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')));

const breaks = findBreakingChanges(
  parse(readFileSync(join(root, 'openapi/released', newest.file), 'utf8')),
  parse(readFileSync(currentFile, 'utf8')),
);
const label = `${currentFile.replace(`${root}/`, '')} against openapi/released/${newest.file}`;
if (breaks.length === 0) {
  console.log(`check-breaking: ${label}: no breaking change`);
  process.exit(0);
}

const unbumped = packages.filter((pkg) => !isBreakingRelease(newest.version, pkg.version));
const lines = breaks.map((b) => `  - ${b.operation}: ${b.text}`);
if (unbumped.length === 0) {
  console.log(`check-breaking: ${label}: ${breaks.length} breaking change(s), allowed by the new versions:`);
  console.log(lines.join('\n'));
  process.exit(0);
}
console.error(`check-breaking: ${label}: ${breaks.length} breaking change(s) for existing clients:`);
console.error(lines.join('\n'));
console.error(
  `\nEither keep the change compatible, or raise the ${newest.version.startsWith('0.') ? 'minor' : 'major'} version of ` +
    `${unbumped.map((pkg) => `${pkg.name} (${pkg.version})`).join(' and ')} and say so in its CHANGELOG.md.`,
);
process.exit(1);

function compareVersions(a, b) {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}
