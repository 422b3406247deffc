import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const guard = resolve(import.meta.dirname, '../../scripts/require-node.cjs');

describe('scripts/require-node.cjs', () => {
  it('lets the toolchain run on this Node', () => {
    const run = spawnSync(process.execPath, [guard], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  // The machine's own Node (20 here) is what a user who skipped the toolchain's Node would run.
  const system = ['/usr/bin/node', '/usr/local/bin/node'].find(
    (path) => existsSync(path) && spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim().split('.')[0] !== '24',
  );
  it.runIf(system)('answers an older Node with one sentence and exit status 1', () => {
    const run = spawnSync(system!, [guard], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^fold-sessions needs Node 24\.18 or newer for its toolchain, and this is Node \d+\.\d+\.\d+ .*install Node 24 LTS/);
  });
});
