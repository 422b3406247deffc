import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const scratch = mkdtempSync(join(tmpdir(), 'fold-check-generated-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function check(folder: string) {
  return spawnSync(process.execPath, ['scripts/check-generated.mjs', folder], { encoding: 'utf8' });
}

describe('npm run check:generated', () => {
  it('passes on the committed generated code', () => {
    const result = check('sdk/src/generated');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails on a hand edit and names the fix', () => {
    const copy = join(scratch, 'edited');
    cpSync('sdk/src/generated', copy, { recursive: true });
    appendFileSync(join(copy, 'zod.gen.ts'), '\nexport const handEdit = 1;\n');
    const result = check(copy);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('differs: zod.gen.ts');
    expect(result.stderr).toContain('npm run generate');
  });

  it('fails on a stray file', () => {
    const copy = join(scratch, 'stray');
    cpSync('sdk/src/generated', copy, { recursive: true });
    appendFileSync(join(copy, 'extra.ts'), 'export {};\n');
    const result = check(copy);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('not generated: extra.ts');
  });
});
