import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync('README.md', 'utf8');

/** The fenced code blocks of a markdown text that follow a line containing `marker`. */
function blockAfter(text: string, marker: string): string {
  const at = text.indexOf(marker);
  expect(at, `README marker ${marker}`).toBeGreaterThan(-1);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(text.slice(at));
  expect(match, `code block after ${marker}`).not.toBeNull();
  return match![1]!;
}

describe('README.md', () => {
  it('shows the MSW example exactly as the tested file test/readme/msw-example.test.ts', () => {
    expect(blockAfter(readme, '<!-- file: test/readme/msw-example.test.ts -->')).toBe(readFileSync('test/readme/msw-example.test.ts', 'utf8'));
  });

  it('shows the end-to-end example exactly as the tested file test/readme/e2e-example.test.ts, here and in mock-server/README.md', () => {
    const example = readFileSync('test/readme/e2e-example.test.ts', 'utf8');
    expect(blockAfter(readme, '<!-- file: test/readme/e2e-example.test.ts -->')).toBe(example);
    expect(blockAfter(readFileSync('mock-server/README.md', 'utf8'), '<!-- file: test/readme/e2e-example.test.ts -->')).toBe(example);
  });

  it('gives npm test as the test command', () => {
    expect(readme).toMatch(/```sh\nnpm test\n```/);
  });
});
