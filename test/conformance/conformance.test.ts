import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiHandler } from 'fold-sessions-mock';
import { runConformance } from '../../mock-server/src/conformance/run.js';
import { startReferenceServer, type ReferenceServer } from '../support/reference-server.js';

const bin = fileURLToPath(new URL('../../mock-server/src/bin.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'conformance-'));
const servers: ReferenceServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
  rmSync(work, { recursive: true, force: true });
});

async function serve(wrap?: (handle: ApiHandler) => ApiHandler) {
  const server = await startReferenceServer(wrap ? { wrap } : {});
  servers.push(server);
  return server;
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=fold-sessions-source', '--import', 'tsx', bin, 'conformance', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stdout += chunk));
    child.once('exit', (code) => resolve({ code, stdout }));
  });
}

/** Breaks organisation isolation (403 instead of 404) and idempotent replays (no marker). */
const broken = (handle: ApiHandler): ApiHandler => async (request) => {
  const response = await handle(request);
  if (response.status === 404 && request.headers.authorization === 'Bearer test_key_b' && response.operationId === 'getSession') {
    return { ...response, status: 403, body: { error: 'Forbidden', code: 'AUTH_INVALID', details: null } };
  }
  const { 'idempotent-replayed': _dropped, ...headers } = response.headers;
  return { ...response, headers };
};

describe('npx fold-sessions-mock conformance', () => {
  it('passes every case against the reference server, and deletes what it created', async () => {
    const server = await serve();
    const report = await runConformance({ baseURL: server.url, key: server.apiKey, secondKey: server.otherApiKey, fuzzRequests: 150, seed: 7 });
    expect(report.results.filter((r) => r.outcome !== 'passed')).toEqual([]);
    expect(report.results.length).toBeGreaterThanOrEqual(14);
    expect(report.requests).toBeGreaterThan(150);
    expect((await server.controller.snapshot()).sessions).toEqual([]);
  });

  it('the CLI prints the report, writes JUnit XML and exits 0; without a second key the isolation case is skipped', async () => {
    const server = await serve();
    const junit = join(work, 'ok.xml');
    const { code, stdout } = await cli(['--base-url', server.url, '--key', server.apiKey, '--junit', junit, '--fuzz', '50']);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/\d+ passed, 0 failed, 1 skipped/);
    expect(stdout).toContain('SKIP  isolation');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="fold-sessions conformance" tests="\d+" failures="0" skipped="1">/);
    expect(xml).toContain('<skipped message="needs --second-key of another organisation"/>');
  });

  it('finds a deployment broken on purpose: exactly the isolation and idempotency cases fail, and the exit status is 1', async () => {
    const server = await serve(broken);
    const junit = join(work, 'broken.xml');
    const { code, stdout } = await cli(['--base-url', server.url, '--key', server.apiKey, '--second-key', server.otherApiKey, '--junit', junit, '--fuzz', '50']);
    expect(code).toBe(1);
    const failed = stdout.split('\n').filter((line) => line.startsWith('FAIL'));
    expect(failed).toEqual([expect.stringContaining('FAIL  idempotency:'), expect.stringContaining('FAIL  isolation:')]);
    expect(readFileSync(junit, 'utf8').match(/<failure /g)).toHaveLength(2);
  });

  it('refuses bad usage with exit status 2', async () => {
    expect((await cli(['--key', 'k'])).code).toBe(2);
    expect((await cli(['--base-url', 'http://127.0.0.1:1', '--key', 'k', '--second-key', 'k'])).stdout).toContain('another organisation');
  });
});
