// The SDK's size budget in `npm test`: scripts/sdk-size.mjs bundles a create + get app with
// esbuild (minified, gzip 9). The size is exact for a given tree, so this is no timed test.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('scripts/sdk-size.mjs', () => {
  it('keeps fold-sessions (create + get) within its budget and without zod', () => {
    const run = spawnSync(process.execPath, [resolve(root, 'scripts/sdk-size.mjs')], { cwd: root, encoding: 'utf8' });
    expect(run.stderr, run.stdout).toBe('');
    expect(run.status).toBe(0);
    const [, size, budget] = /fold-sessions \(create \+ get\): ([\d.]+) KB, budget ([\d.]+) KB/.exec(run.stdout) ?? [];
    expect(Number(size)).toBeGreaterThan(1);
    expect(Number(size)).toBeLessThanOrEqual(Number(budget));
    expect(run.stdout).not.toMatch(/^ {2}fold-sessions .*zod in initial chunk/m);
    // The README gives the size as the script prints it.
    expect(readFileSync(resolve(root, 'README.md'), 'utf8')).toContain(`**Small**: ${size} KB minified + gzip for \`create\` + \`get\``);
  }, 120_000);
});
