// fold-sessions-mock's declared dependency ranges, tried at both ends: a project whose npm
// `overrides` pin every dependency to the lowest version its range allows, and a project installed
// the default way (the newest in each range). fold-sessions itself comes from its tarball in both.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lowestVersion } from './registry.mjs';

/** The mock's dependencies and their ranges, from the manifest that was packed. */
export function declaredDependencies(root) {
  return JSON.parse(readFileSync(join(root, 'mock-server/package.json'), 'utf8')).dependencies;
}

/**
 * npm `overrides` pinning each declared dependency to its lowest version; fold-sessions is left
 * out, as the project installs it from the tarball (the lowest of its range, checked here).
 */
export function lowestOverrides(root, sdkVersion) {
  const overrides = {};
  for (const [name, range] of Object.entries(declaredDependencies(root))) {
    if (name === 'fold-sessions') {
      if (lowestVersion(range) !== sdkVersion) throw new Error(`fold-sessions-mock takes fold-sessions ${range}; the tarball is ${sdkVersion}`);
      continue;
    }
    overrides[name] = lowestVersion(range);
  }
  return overrides;
}

/** The version of each declared dependency the mock resolves to in the installed project `dir`. */
export function installedVersions(root, dir) {
  const versions = {};
  for (const name of Object.keys(declaredDependencies(root))) {
    const nested = join(dir, 'node_modules/fold-sessions-mock/node_modules', name, 'package.json');
    const manifest = existsSync(nested) ? nested : join(dir, 'node_modules', name, 'package.json');
    versions[name] = JSON.parse(readFileSync(manifest, 'utf8')).version;
  }
  return versions;
}

/** Fails unless every dependency resolved to the version `expected` names. */
export function expectVersions(actual, expected) {
  const wrong = Object.entries(expected).filter(([name, version]) => actual[name] !== version);
  if (wrong.length) throw new Error(`installed ${wrong.map(([name]) => `${name} ${actual[name]}`).join(', ')}; expected ${wrong.map(([n, v]) => `${n} ${v}`).join(', ')}`);
}

export const listVersions = (versions) => Object.entries(versions).map(([name, version]) => `${name} ${version}`).join(', ');
