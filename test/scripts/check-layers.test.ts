import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '../../scripts/check-layers.mjs');
const source = join(import.meta.dirname, '../../mock-server/src');

/** Runs the check on `root`; its exit status and what it printed. */
function check(root?: string): { status: number; output: string } {
  try {
    const output = execFileSync(process.execPath, [script, ...(root ? ['--root', root] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: failed.stdout + failed.stderr };
  }
}

describe('scripts/check-layers.mjs', () => {
  let copy: string;
  beforeAll(async () => {
    copy = await mkdtemp(join(tmpdir(), 'fold-layers-'));
    await cp(source, copy, { recursive: true });
  });
  afterAll(() => rm(copy, { recursive: true, force: true }));

  it('passes on the source tree as it is', () => {
    const { status, output } = check();
    expect(output).toMatch(/^layers: \d+ files of mock-server\/src import only down their layers/);
    expect(status).toBe(0);
  });

  it.each([
    ['core importing the store', 'core/service.ts', "import '../store/file-store.js';\n", /core\/service\.ts:1: core may not import store \(\.\.\/store\/file-store\.js\)/],
    ['the store importing the HTTP pipeline', 'store/journal-log.ts', "import type { ApiRequest } from '../http/types.js';\n", /store\/journal-log\.ts:1: store may not import http/],
    ['the control client importing the server', 'control/client/client.ts', "export { createControlHandler } from '../server/handler.js';\n", /control-client may not import control-server/],
    ['the HTTP pipeline importing the composition root', 'http/handler.ts', "import { createSessionsApi } from '../runtime.js';\n", /http\/handler\.ts:1: http may not import runtime/],
  ])('fails on %s, naming the file, the line and the layers', async (_, file, line, said) => {
    const path = join(copy, file);
    const before = await readFile(path, 'utf8');
    await writeFile(path, line + before);
    try {
      const { status, output } = check(copy);
      expect(status).toBe(1);
      expect(output).toMatch(said);
    } finally {
      await writeFile(path, before);
    }
  });

  it('fails on a file outside every layer', async () => {
    const path = join(copy, 'stray.ts');
    await writeFile(path, 'export const stray = 1;\n');
    try {
      const { status, output } = check(copy);
      expect(status).toBe(1);
      expect(output).toContain('stray.ts: in no layer');
    } finally {
      await rm(path);
    }
  });
});
