import { build, type BuildOptions } from 'esbuild';
import { describe, expect, it } from 'vitest';

// How a consumer's bundler sees the entry: browser platform, msw provided by the consumer.
const browserBundle: BuildOptions = {
  bundle: true,
  platform: 'browser',
  format: 'esm',
  conditions: ['fold-sessions-source'],
  external: ['msw'],
  write: false,
  logLevel: 'silent',
};

describe('fold-sessions-mock/msw in a browser bundle', () => {
  it('bundles for the browser with nothing from node:* or lowdb/node', async () => {
    const result = await build({ ...browserBundle, entryPoints: ['mock-server/src/msw/index.ts'], metafile: true });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs.some((path) => path.includes('mock-server/src/core/service.ts'))).toBe(true);
    expect(inputs.filter((path) => /lowdb\/lib\/adapters\/node|(^|\/)node:/.test(path))).toEqual([]);
    const code = result.outputFiles![0]!.text;
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:|["']lowdb\/node["']/);
  });

  it('would notice a Node-only import', async () => {
    const attempt = build({
      ...browserBundle,
      stdin: { contents: "import 'lowdb/node'; export * from './mock-server/src/msw/index.ts';", resolveDir: '.', loader: 'ts' },
    });
    await expect(attempt).rejects.toThrow(/node:|fs|Could not resolve/);
  });
});
