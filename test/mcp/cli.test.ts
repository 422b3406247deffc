import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mcpBin, sourceFlags } from './connect.js';

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [...sourceFlags, mcpBin, ...args], {
    env: { ...process.env, FOLD_API_KEY: undefined, FOLD_BASE_URL: undefined, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('fold-sessions-mcp command line', () => {
  it('--help prints the usage on stdout and exits 0', () => {
    const { status, stdout } = run(['--help']);
    expect(status).toBe(0);
    for (const flag of ['--http', '--port', '--host', '--sandbox', 'FOLD_API_KEY', 'FOLD_BASE_URL']) expect(stdout).toContain(flag);
  });

  it('says in one sentence that the key is missing, and how to do without one', () => {
    const { status, stdout, stderr } = run([]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual(['fold-sessions-mcp: Missing API key: set FOLD_API_KEY, or run with --sandbox to rehearse without one.']);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'.*--help/],
    [['--http', '--port', 'eighty'], /--port must be an integer from 0 to 65535, got "eighty"/],
    [['--port', '4000'], /--port and --host apply to --http only/],
    [['--http', '--port'], /--port.*argument.*--help/],
  ])('refuses %j in one line', (args, message) => {
    const { status, stderr } = run(args, { FOLD_API_KEY: 'k' });
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('refuses a FOLD_BASE_URL that is not a URL, without printing the key', () => {
    const { status, stderr } = run([], { FOLD_API_KEY: 'sk_secret_cli_0042', FOLD_BASE_URL: 'not a url' });
    expect(status).toBe(2);
    expect(stderr).toMatch(/baseURL must be an absolute URL/);
    expect(stderr).not.toContain('sk_secret_cli_0042');
  });
});
