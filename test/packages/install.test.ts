// What `npm install` (or `npm ci`) leaves in a clone: both packages built by the root `prepare`
// script, and the fold-sessions-mock command linked to the built file.
import { execFileSync } from 'node:child_process';
import { existsSync, readlinkSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('after npm install', () => {
  it('both packages are built', () => {
    for (const file of ['sdk/dist/index.js', 'sdk/dist/index.d.ts', 'sdk/dist/cjs/index.js', 'sdk/dist/cjs/package.json', 'mock-server/dist/index.js', 'mock-server/dist/bin.js', 'mock-server/openapi/sessions.yaml']) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
  });

  it('links the fold-sessions-mock command to the built bin, and it runs', () => {
    const link = join(root, 'node_modules/.bin/fold-sessions-mock');
    expect(readlinkSync(link)).toBe('../fold-sessions-mock/dist/bin.js');
    expect(realpathSync(link)).toBe(join(root, 'mock-server/dist/bin.js'));
    expect(execFileSync(link, ['--help'], { encoding: 'utf8' })).toMatch(/^Usage: fold-sessions-mock/);
  });
});
