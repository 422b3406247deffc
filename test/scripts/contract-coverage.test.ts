import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { operationIds } from 'fold-sessions-mock';
import { operationSpecs } from '../../mock-server/src/spec/spec.gen.js';

const work = mkdtempSync(join(tmpdir(), 'contract-coverage-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `check` on exchanges covering every documented pair and header, except those `skip` drops. */
function check(skip: (operation: string, status: number) => boolean) {
  const dir = join(work, String(Math.random()).slice(2));
  mkdirSync(dir);
  const lines = operationIds.flatMap((operation) =>
    Object.entries(operationSpecs[operation].responses)
      .filter(([status]) => !skip(operation, Number(status)))
      .map(([status, response]) => JSON.stringify({ source: 'test', operation, status: Number(status), headers: response.headers.map((h) => h.name) })),
  );
  writeFileSync(join(dir, '1.jsonl'), `${lines.join('\n')}\n`);
  const report = join(dir, 'report.md');
  const run = spawnSync(process.execPath, ['scripts/contract-coverage.mjs', 'check'], { encoding: 'utf8', env: { ...process.env, CONTRACT_COVERAGE_DIR: dir, CONTRACT_COVERAGE_REPORT: report } });
  return { ...run, report: readFileSync(report, 'utf8') };
}

describe('contract coverage (scripts/contract-coverage.mjs)', () => {
  it('passes when every documented pair was exercised, and writes the report', () => {
    const run = check(() => false);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/(\d+) of \1 documented \(operation, status\) pairs exercised/);
    expect(run.report).toContain('| addMessage | 409 | 1 | test |');
  });

  it('fails and names a documented pair that nothing exercised', () => {
    const run = check((operation, status) => operation === 'completeSession' && status === 422);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('never exercised: completeSession 422');
    expect(run.report).toContain('| completeSession | 422 | **never** |');
  });
});
