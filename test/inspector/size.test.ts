// The inspector's JavaScript budget (60 KB min+gz), as scripts/inspector-size.mjs measures it.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('scripts/inspector-size.mjs', () => {
  it('measures the inspector JS and finds it within 60 KB min+gz', () => {
    const run = spawnSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/inspector-size.mjs')], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const measured = /^inspector\.js: (\d+) B minified, (\d+) B min\+gz/m.exec(run.stdout);
    expect(measured, run.stdout).not.toBeNull();
    const [minified, zipped] = [Number(measured![1]), Number(measured![2])];
    expect(zipped).toBeGreaterThan(1000);
    expect(zipped).toBeLessThan(minified);
    expect(zipped).toBeLessThanOrEqual(60 * 1024);
    expect(run.status).toBe(0);
  });
});
