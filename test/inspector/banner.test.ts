// The start-up banner's inspector link: the control token in the fragment, unless it is a secret
// from the environment, which the banner never prints.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, type ChildServer } from '../support/child-server.js';

const started: ChildServer[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) await server.kill();
});

async function banner(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ url: string; output: string }> {
  const server = await spawnServer(['--port', '0', '--in-memory', ...args], { env: { FOLD_SESSIONS_CONTROL_TOKEN: undefined, ...env } });
  started.push(server);
  return { url: server.url, output: server.output() };
}

describe('the inspector line of the banner', () => {
  it('carries a generated token in the fragment, the same token the control API takes', async () => {
    const { url, output } = await banner([]);
    const token = /Control API: \S+ \(token (\S+);/.exec(output)?.[1];
    expect(token).toMatch(/^fold_control_/);
    expect(output).toContain(`  Inspector: ${url}/__fold/ui#token=${token} (API reference: /__fold/docs)\n`);
  });

  it('escapes a chosen token for the fragment', async () => {
    const { url, output } = await banner(['--control-token', 'a+b/c=d~e.f']);
    expect(output).toContain(`  Inspector: ${url}/__fold/ui#token=a%2Bb%2Fc%3Dd~e.f `);
  });

  it('does not print a token from FOLD_SESSIONS_CONTROL_TOKEN', async () => {
    const { url, output } = await banner([], { FOLD_SESSIONS_CONTROL_TOKEN: 'secret-from-env' });
    expect(output).not.toContain('secret-from-env');
    expect(output).toContain(`  Inspector: ${url}/__fold/ui#token=<FOLD_SESSIONS_CONTROL_TOKEN> `);
  });

  it('has no inspector line with the control API off', async () => {
    const { output } = await banner(['--no-control']);
    expect(output).not.toContain('Inspector');
  });
});
