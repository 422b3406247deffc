// Both packages as `npm pack` makes them (prepack builds them first), checked with publint and
// Are the Types Wrong, and read for what they must and must not contain. The SDK ships ESM and
// CommonJS, so every resolution mode must be green; the mock server is ESM only.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'fold-tarballs-'));
const packages = [
  {
    dir: 'sdk',
    name: 'fold-sessions',
    // attw's default profile: node10, node16 from CommonJS and from ESM, and bundler all green.
    attwProfile: 'strict',
    build: ['dist/index.js', 'dist/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json'],
  },
  { dir: 'mock-server', name: 'fold-sessions-mock', attwProfile: 'esm-only', build: ['dist/index.js', 'dist/index.d.ts'] },
] as const;
const tarballs: Record<string, string> = {};
const listing: Record<string, string[]> = {};

beforeAll(() => {
  execFileSync('npm', ['pack', '-w', 'sdk', '-w', 'mock-server', '--pack-destination', work, '--silent'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const { dir, name } of packages) {
    const version = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).version;
    tarballs[name] = join(work, `${name}-${version}.tgz`);
    listing[name] = execFileSync('tar', ['-tzf', tarballs[name]!], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((file) => file.replace(/^package\//, ''));
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The repository's API descriptions, as the mock package's copy step selects them. */
const specs = readdirSync(join(root, 'openapi')).filter((file) => file.endsWith('.yaml') && !file.startsWith('.'));

describe.each(packages)('$name tarball', ({ dir, name, attwProfile, build }) => {
  it('passes publint with no error, warning or suggestion', async () => {
    const data = readFileSync(tarballs[name]!);
    const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg)}`)).toEqual([]);
  });

  it(`passes Are the Types Wrong with the ${attwProfile} profile`, () => {
    const attw = join(root, 'node_modules/.bin/attw');
    const run = spawnSync(attw, [tarballs[name]!, '--profile', attwProfile, '--format', 'ascii', '--no-color'], { encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('ships its build, README, LICENSE and CHANGELOG, and nothing from the tests', () => {
    const files = listing[name]!;
    for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', ...build]) {
      expect(files, file).toContain(file);
    }
    expect(files.filter((file) => /(^|\/)test\/|\.test\.|tsconfig/.test(file))).toEqual([]);
  });

  it('says what it is and where it comes from', () => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(join(root, dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(manifest.repository).toMatchObject({ type: 'git', directory: dir });
    expect(manifest.homepage).toMatch(/^https:\/\//);
    expect(manifest.keywords.length).toBeGreaterThan(3);
    expect(manifest.scripts.prepack).toBe('npm run build');
    // Keep a Changelog: the version being published has its own section.
    expect(readFileSync(join(root, dir, 'CHANGELOG.md'), 'utf8')).toContain(`## [${manifest.version}] - `);
  });

  it('ships no export condition a consumer could set by accident', () => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const conditions = Object.values(manifest.exports as Record<string, unknown>).flatMap((target) =>
      typeof target === 'object' && target ? Object.keys(target) : [],
    );
    const known = new Set(['types', 'import', 'require', 'default', 'browser', 'node']);
    expect(conditions.filter((condition) => !known.has(condition) && !condition.startsWith('fold-sessions-'))).toEqual([]);
  });
});

describe('the spec in fold-sessions-mock', () => {
  it('ships the built inspector, and not its sources', () => {
    const files = listing['fold-sessions-mock']!;
    for (const file of ['ui/dist/inspector.js', 'ui/dist/inspector.css', 'ui/dist/docs.js', 'ui/dist/docs.css', 'dist/inspector/assets.js']) expect(files, file).toContain(file);
    expect(files.filter((file) => file.startsWith('ui/src/'))).toEqual([]);
  });

  it('ships every API description of the repository, byte for byte, and no lint configuration', () => {
    const shipped = listing['fold-sessions-mock']!.filter((file) => file.startsWith('openapi/'));
    expect(shipped.sort()).toEqual(specs.map((file) => `openapi/${file}`).sort());
    expect(specs).toContain('sessions.yaml');
    const extracted = join(work, 'mock');
    execFileSync('mkdir', ['-p', extracted]);
    execFileSync('tar', ['-xzf', tarballs['fold-sessions-mock']!, '-C', extracted]);
    for (const file of specs) {
      expect(readFileSync(join(extracted, 'package/openapi', file), 'utf8'), file).toBe(readFileSync(join(root, 'openapi', file), 'utf8'));
    }
  });

  it('ships its command line as one module: no import of its own files or of a package, only Node built-ins', () => {
    const extracted = join(work, 'mock-cli');
    execFileSync('mkdir', ['-p', extracted]);
    execFileSync('tar', ['-xzf', tarballs['fold-sessions-mock']!, '-C', extracted, 'package/dist/cli.js', 'package/dist/bin.js']);
    const cli = readFileSync(join(extracted, 'package/dist/cli.js'), 'utf8');
    // Import statements (at a statement's start) and dynamic imports; strings inside the code are not imports.
    const statements = [...cli.matchAll(/(?:^|[;}\n])\s*import\s*(?:[\w*{},\s$]+from\s*)?["']([^"']+)["']/g)].map((match) => match[1]!);
    const dynamic = [...cli.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]!);
    const imported = [...statements, ...dynamic];
    expect(imported).toContain('node:fs');
    const packages = new Set(imported.filter((specifier) => !specifier.startsWith('node:')).map((specifier) => specifier.split('/')[0]));
    expect(imported.filter((specifier) => specifier.startsWith('.'))).toEqual([]);
    expect([...packages]).toEqual([]);
    // The CommonJS dependencies bundled in it still find Node's modules.
    expect(cli).toContain('createRequire');
    // The entry only turns the compile cache on and loads it.
    expect(readFileSync(join(extracted, 'package/dist/bin.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n[\s\S]*await import\('\.\/cli\.js'\);\n(\/\/# sourceMappingURL=bin\.js\.map)?\s*$/);
  });

  it('resolves fold-sessions-mock/openapi/sessions.yaml with require.resolve', () => {
    const resolved = createRequire(join(root, 'package.json')).resolve('fold-sessions-mock/openapi/sessions.yaml');
    expect(resolved).toBe(join(root, 'mock-server/openapi/sessions.yaml'));
    expect(existsSync(resolved)).toBe(true);
  });
});
