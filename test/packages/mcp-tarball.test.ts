// fold-sessions-mcp as `npm pack` makes it (prepack builds it first), checked like the other
// two packages in tarballs.test.ts: publint, Are the Types Wrong (esm-only), and its contents.
// Its CHANGELOG has no release section yet: 0.1.0 is unreleased.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'fold-mcp-tarball-'));
const manifest = JSON.parse(readFileSync(join(root, 'mcp/package.json'), 'utf8'));
const tarball = join(work, `${manifest.name}-${manifest.version}.tgz`);
let files: string[] = [];

beforeAll(() => {
  execFileSync('npm', ['pack', '-w', 'mcp', '--pack-destination', work, '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((file) => file.replace(/^package\//, ''));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('fold-sessions-mcp tarball', () => {
  it('passes publint with no error, warning or suggestion', async () => {
    const data = readFileSync(tarball);
    const { messages, pkg } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }, level: 'suggestion', strict: true });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg)}`)).toEqual([]);
  });

  it('passes Are the Types Wrong with the esm-only profile', () => {
    const run = spawnSync(join(root, 'node_modules/.bin/attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color'], { encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('ships its build, its bin, the generated tools, README, LICENSE and CHANGELOG, and nothing from the tests', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts', 'dist/bin.js', 'dist/tools.gen.js']) {
      expect(files, file).toContain(file);
    }
    expect(files.filter((file) => /(^|\/)test\/|\.test\.|tsconfig/.test(file))).toEqual([]);
    expect(readFileSync(join(root, 'mcp/dist/bin.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('pins the MCP SDK and says what it is and where it comes from', () => {
    expect(manifest.dependencies['@modelcontextprotocol/sdk']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(join(root, 'mcp/LICENSE'), 'utf8')).toBe(readFileSync(join(root, 'sdk/LICENSE'), 'utf8'));
    expect(manifest.repository).toMatchObject({ type: 'git', directory: 'mcp' });
    expect(manifest.scripts.prepack).toBe('npm run build');
    expect(manifest.bin).toEqual({ 'fold-sessions-mcp': './dist/bin.js' });
  });
});

describe('the fold-sessions-mcp command in this repository', () => {
  it('is linked to the built bin', () => {
    const link = join(root, 'node_modules/.bin/fold-sessions-mcp');
    expect(readlinkSync(link)).toBe('../fold-sessions-mcp/dist/bin.js');
    expect(realpathSync(link)).toBe(join(root, 'mcp/dist/bin.js'));
  });

  it("runs the README's sandbox entry through npx exactly as written", async () => {
    // Only once the link is there: otherwise npx would look for the package on the registry.
    expect(realpathSync(join(root, 'node_modules/.bin/fold-sessions-mcp'))).toBe(join(root, 'mcp/dist/bin.js'));
    const readme = readFileSync(join(root, 'mcp/README.md'), 'utf8');
    const entry = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!)).find((c) => c.mcpServers?.['fold-sessions-sandbox']).mcpServers['fold-sessions-sandbox'];
    const transport = new StdioClientTransport({ command: entry.command, args: entry.args, cwd: root, stderr: 'pipe' });
    const client = new Client({ name: 'packages-test', version: '0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(10);
      const created = await client.callTool({ name: 'createSession', arguments: { name: 'via npx' } });
      expect(created.structuredContent).toMatchObject({ status: 'active', name: 'via npx' });
    } finally {
      await client.close();
    }
  });
});
