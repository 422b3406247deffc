import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Other generators than the one this project uses must make code from the spec that type-checks
// in strict mode: openapi-typescript with openapi-fetch, and orval's fetch client with its MSW mocks.
const root = resolve(import.meta.dirname, '../..');
const work = join(root, '.tmp/generators');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'oat'), { recursive: true });
symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
writeFileSync(join(work, 'package.json'), '{"type":"module"}');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function typecheck(include: string[]): string[] {
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noUncheckedIndexedAccess: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023', 'DOM', 'DOM.Iterable'], skipLibCheck: true, types: [] },
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

  it('orval 7.13: the fetch client and its MSW mocks type-check', () => {
    writeFileSync(
      join(work, 'orval.config.cjs'),
      `module.exports = { sessions: { input: { target: ${JSON.stringify(join(root, 'openapi/sessions.yaml'))} }, output: { target: './orval/sessions.ts', client: 'fetch', mode: 'single', mock: true } } };`,
    );
    execFileSync(bin('orval'), ['--config', join(work, 'orval.config.cjs')], { cwd: work, stdio: 'pipe' });
    expect(typecheck(['orval/*.ts'])).toEqual([]);
  }, 120_000);
});
