import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLimits } from 'fold-sessions-mock';

const root = resolve(import.meta.dirname, '../..');
const decisions = readFileSync(join(root, 'docs/decisions.md'), 'utf8');
const anchors = new Set([...decisions.matchAll(/^## (.+)$/gm)].map((match) => match[1]!.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));

describe('docs/decisions.md', () => {
  it('has every section the code and the docs cite', () => {
    const files = execFileSync('git', ['ls-files', 'mock-server/src', 'sdk/src', 'mcp/src', 'scripts', 'test', 'README.md', 'mock-server/README.md', 'sdk/README.md'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    const cited = files.flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/docs\/decisions\.md#([a-z0-9-]+)/g)].map((match) => `${file}: ${match[1]}`));
    expect(cited.length).toBeGreaterThanOrEqual(5);
    expect(cited.filter((citation) => !anchors.has(citation.split(': ')[1]!))).toEqual([]);
  });

  it('lists each limit with the default the code has', () => {
    const row = (name: string) => new RegExp(`^\\| \`${name}\`[^|]*\\| ([^|]+) \\|`, 'm').exec(decisions)?.[1]?.trim();
    const shown = (bytes: number) => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : bytes.toLocaleString('en-US'));
    for (const [name, value] of Object.entries(defaultLimits)) {
      const flag = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
      expect(row(flag), flag).toBe(name.endsWith('Bytes') ? shown(value) : value.toLocaleString('en-US'));
    }
    expect(row('summary-answer-bytes')).toBe('1 MiB');
  });

  it('agrees with the limits table of mock-server/README.md', () => {
    const readme = readFileSync(join(root, 'mock-server/README.md'), 'utf8');
    const names = [...Object.keys(defaultLimits).map((name) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)), 'summary-answer-bytes'];
    for (const name of names) {
      const inReadme = new RegExp(`^\\| \`${name}\` \\| ([^|]+) \\|$`, 'm').exec(readme)?.[1]?.trim();
      const inDecisions = new RegExp(`^\\| \`${name}\`[^|]*\\| ([^|]+) \\|`, 'm').exec(decisions)?.[1]?.trim();
      expect(inReadme, name).toBeDefined();
      expect(inReadme, name).toBe(inDecisions);
    }
  });
});
