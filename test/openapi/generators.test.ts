import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Other generators than the one this project uses must make code from the spec that type-checks
// in strict mode: openapi-typescript with openapi-fetch, and orval's fetch client with its MSW and faker mocks.
const root = resolve(import.meta.dirname, '../..');
const work = join(root, '.tmp/generators');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'oat'), { recursive: true });
symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
writeFileSync(join(work, 'package.json'), '{"type":"module"}');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Strict type check of `include`; `resolution` is how the consumer resolves modules. */
function typecheck(include: string[], resolution: 'NodeNext' | 'Bundler' = 'NodeNext'): string[] {
  const module = resolution === 'Bundler' ? 'ESNext' : 'NodeNext';
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noUncheckedIndexedAccess: true, noEmit: true, target: 'ES2022', module, moduleResolution: resolution, lib: ['ES2023', 'DOM', 'DOM.Iterable'], skipLibCheck: true, types: [] },
      include,
    }),
  );
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', work], { encoding: 'utf8' });
  return tsc.stdout.split('\n').filter((line) => line.includes('error TS'));
}

describe('the spec serves other generators', () => {
  it('openapi-typescript 7 + openapi-fetch: a consumer type-checks with --default-non-nullable false (and needs it)', () => {
    copyFileSync(join(root, 'test/openapi/generators/openapi-fetch-consumer.ts.txt'), join(work, 'oat/consumer.ts'));
    const generate = (extra: string[]) =>
      execFileSync(bin('openapi-typescript'), [join(root, 'openapi/sessions.yaml'), '-o', join(work, 'oat/schema.d.ts'), ...extra], { stdio: 'pipe' });
    generate(['--default-non-nullable', 'false']);
    expect(typecheck(['oat/*.ts'])).toEqual([]);
    // With its default, openapi-typescript makes every field that has a default required in requests.
    generate([]);
    expect(typecheck(['oat/*.ts']).join('\n')).toMatch(/ttl_seconds: number/);
  }, 120_000);

  // orval 8 writes its faker mocks beside the MSW handlers. In `single` mode (8.38) those files use
  // the schema types without importing them, so `split` mode is the one that compiles; its imports
  // carry no file extension, so it is checked as a bundler resolves modules.
  it('orval 8: the fetch client, its MSW handlers and faker mocks type-check (split mode, bundler resolution)', () => {
    writeFileSync(
      join(work, 'orval.config.cjs'),
      `module.exports = { sessions: { input: { target: ${JSON.stringify(join(root, 'openapi/sessions.yaml'))} }, output: { target: './orval/sessions.ts', client: 'fetch', mode: 'split', mock: true } } };`,
    );
    execFileSync(bin('orval'), ['--config', join(work, 'orval.config.cjs')], { cwd: work, stdio: 'pipe' });
    expect(readdirSync(join(work, 'orval')).sort()).toEqual(['sessions.faker.ts', 'sessions.msw.ts', 'sessions.schemas.ts', 'sessions.ts']);
    expect(typecheck(['orval/*.ts'], 'Bundler')).toEqual([]);
  }, 120_000);
});
