import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { breakResponses } from '../support/break-response.js';
import { startPrism } from '../support/prism.js';
import { startReferenceServer } from '../support/reference-server.js';

/** Runs the prism-proxy contract target in a child vitest with one response broken on purpose. */
function runBrokenSuite(breakage: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CONTRACT_BREAK_RESPONSE: breakage, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    delete env.CI; // the child must not overwrite this run's JSON report
    const child = spawn(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', 'test/contract/prism-proxy.test.ts', '--reporter=default'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** A reference server behind `prism proxy --errors`, forwarding invalid requests too. */
async function proxied(options: Parameters<typeof startReferenceServer>[0] = {}) {
  const server = await startReferenceServer(options);
  const prism = await startPrism({ kind: 'proxy', upstream: server.url, extraArgs: ['--errors', '--validate-request', 'false'] });
  return {
    createSession: (name: string) =>
      fetch(`${prism.url}/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      }),
    async stop() {
      await prism.stop();
      await server.close();
    },
  };
}

describe('negative control: the prism-proxy target notices a broken server', () => {
  it.each([
    ['missing-field', 'createSession'],
    ['wrong-status', 'createSession'],
  ] as const)('Prism flags a %s response of %s', async (kind, operationId) => {
    const broken = await proxied({ wrap: breakResponses({ operationId, kind }) });
    const healthy = await proxied();
    try {
      const response = await broken.createSession('broken on purpose');
      const violations = response.headers.get('sl-violations') ?? '';
      const flagged = violations !== '' || response.status >= 500;
      expect(flagged, `status ${response.status}, sl-violations ${violations}`).toBe(true);

      // The control: the same request through an unbroken server is not flagged.
      const ok = await healthy.createSession('healthy');
      expect(ok.status).toBe(201);
      expect(ok.headers.get('sl-violations')).toBeNull();
    } finally {
      await broken.stop();
      await healthy.stop();
    }
  });

  it('the whole contract suite fails on target (c) when getSession answers an undocumented status', async () => {
    const { code, output } = await runBrokenSuite('getSession:wrong-status');
    expect(code).not.toBe(0);
    expect(output).toMatch(/GET \/sessions\/sess_\w+ → \d+: Prism reports .*Unable to match the returned status code/);
    expect(output).toMatch(/Tests\s+\d+ failed/);
  });
});
