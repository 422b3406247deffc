// Consumer projects: a folder with its own package.json outside the workspace, installed from the
// tarballs and the registry the way an application installs its dependencies.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './process.mjs';

/** Creates `work/name` with a package.json of `fields` (an ES module project unless they say otherwise). */
export function newProject(work, name, fields = { type: 'module' }) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, ...fields }, null, 2));
  return dir;
}

/** npm install of `specs`, from the shared npm cache where it can (`online` to ask the registry for the newest). */
export async function install(dir, specs, { online = false } = {}) {
  const freshness = online ? '--prefer-online' : '--prefer-offline';
  await run('npm', ['install', freshness, '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir });
}

/** The script of an installed package's bin, e.g. packageBin(dir, 'vitest'), to run on a chosen Node. */
export function packageBin(dir, name, bin = name) {
  const folder = join(dir, 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const script = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (!script) throw new Error(`${name} has no bin ${bin}`);
  return join(folder, script);
}
