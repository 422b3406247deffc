// The README's complete MSW test file, run with Vitest in a consumer project on a chosen Node.
// The README writes it for msw 3; for msw 2 the one option msw 3 renamed is put back (msw-option.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forMsw } from './msw-option.mjs';
import { run } from './process.mjs';
import { packageBin } from './project.mjs';

const MARKER = '<!-- file: test/readme/msw-example.test.ts -->';

/** The README's code block that follows `marker`, verbatim. */
export function readmeBlock(root, marker) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!match) throw new Error(`README.md has no code block after ${marker}`);
  return match[1];
}

/** Runs the README example with the project's vitest on `node`; resolves to the number of tests passed. */
export async function runReadmeExample({ root, dir, node, mswMajor }) {
  const example = forMsw(readmeBlock(root, MARKER), mswMajor);
  const file = `readme-example-node${node.major}.test.ts`;
  const report = `vitest-readme-node${node.major}.json`;
  writeFileSync(join(dir, file), example);
  await run(node.bin, [packageBin(dir, 'vitest'), 'run', file, '--reporter=json', `--outputFile=${report}`, '--reporter=default'], {
    cwd: dir,
    env: node.env,
  });
  const { numPassedTests, numFailedTests } = JSON.parse(readFileSync(join(dir, report), 'utf8'));
  const expected = (example.match(/^it\(/gm) ?? []).length;
  if (numPassedTests !== expected || numFailedTests !== 0) throw new Error(`${numPassedTests} of ${expected} tests passed`);
  return numPassedTests;
}
