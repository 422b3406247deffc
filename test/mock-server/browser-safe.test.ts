import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = (path: string) => fileURLToPath(new URL(`../../mock-server/src/${path}`, import.meta.url));

describe('the api layer and the control client are browser-safe', () => {
  it.each(['surface.ts', 'control/index.ts'])('%s bundles for the browser without Node built-ins', async (path) => {
    const result = await build({
      entryPoints: [entry(path)],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      conditions: ['fold-sessions-source'],
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.startsWith('node:') || input.includes('lowdb/lib/adapters/node') || input.includes('/express/'))).toEqual([]);
  });
});
