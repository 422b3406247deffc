import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'sdk-bundle-'));
let metafile: Metafile;

beforeAll(async () => {
  const entry = join(work, 'entry.mjs');
  writeFileSync(
    entry,
    `import { FoldSessions } from 'fold-sessions';
     const fold = new FoldSessions({ apiKey: 'k' });
     console.log(await fold.sessions.get((await fold.sessions.create({ name: 'x' })).id));`,
  );
  // As a browser application would bundle it: ESM, code splitting, no Node built-ins available.
  ({ metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    splitting: true,
    outdir: join(work, 'out'),
    conditions: ['fold-sessions-source'],
    nodePaths: [join(root, 'node_modules')],
    metafile: true,
    logLevel: 'silent',
  }));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The inputs of every chunk reachable from the entry through static imports. */
function initialInputs(): string[] {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((file) => outputs[file]?.entryPoint);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const dep of outputs[file]?.imports ?? []) if (dep.kind === 'import-statement') visit(dep.path);
  };
  visit(entry ?? '');
  return [...seen].flatMap((file) => Object.keys(outputs[file]?.inputs ?? {}));
}

describe('the browser bundle', () => {
  it('builds for the browser, so the SDK imports no Node built-ins', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.includes('sdk/src/client.ts'))).toBe(true);
    expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([]);
  });

  it('keeps zod and the generated schemas out of what loads up front', () => {
    const initial = initialInputs();
    expect(initial.some((input) => input.includes('sdk/src/transport.ts'))).toBe(true);
    expect(initial.filter((input) => input.includes('node_modules/zod') || input.includes('zod.gen'))).toEqual([]);
  });

  it('has no path to zod at all: response validation is imported from fold-sessions/validation by the app', () => {
    expect(Object.keys(metafile.inputs).filter((input) => input.includes('node_modules/zod') || input.includes('zod.gen') || input.includes('validation.ts'))).toEqual([]);
  });
});
