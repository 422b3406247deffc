import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiHandler, SessionsController } from 'fold-sessions-mock';
import { connectControl } from 'fold-sessions-mock/control';
import { conformanceExitCode, runConformance, type ConformanceReport } from '../../mock-server/src/conformance/run.js';
import { breakResponses } from '../support/break-response.js';
import { spawnServer, type ChildServer } from '../support/child-server.js';
import { startPrism, type PrismProcess } from '../support/prism.js';
import { startReferenceServer, type ReferenceServer, type ReferenceServerOptions } from '../support/reference-server.js';

const bin = fileURLToPath(new URL('../../mock-server/src/bin.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'conformance-'));
const servers: ReferenceServer[] = [];
const children: ChildServer[] = [];
const prisms: PrismProcess[] = [];
afterAll(async () => {
  for (const prism of prisms) await prism.stop();
  for (const child of children) await child.kill();
  for (const server of servers) await server.close();
  rmSync(work, { recursive: true, force: true });
});

async function serve(options: ReferenceServerOptions = {}) {
  const server = await startReferenceServer(options);
  servers.push(server);
  return server;
}

interface CliRun {
  code: number | null;
  stdout: string;
}

function cli(args: string[], onStart?: (child: ReturnType<typeof spawn>) => void): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=fold-sessions-source', '--import', 'tsx', bin, 'conformance', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stdout += chunk));
    child.once('exit', (code) => resolve({ code, stdout }));
    onStart?.(child);
  });
}

/** Every session a 201 create made, by the journal, was deleted by a 200 delete, and none is left. */
async function expectNothingLeftBehind(controller: SessionsController) {
  const journal = await controller.requests();
  const created = new Set(journal.filter((r) => r.operation_id === 'createSession' && r.status === 201).map((r) => r.session_id));
  const deleted = new Set(journal.filter((r) => r.operation_id === 'deleteSession' && r.status === 200).map((r) => r.session_id));
  expect([...created].filter((id) => !deleted.has(id))).toEqual([]);
  expect((await controller.snapshot()).sessions).toEqual([]);
  return created.size;
}

const outcomes = (report: ConformanceReport, outcome: string) => report.results.filter((r) => r.outcome === outcome).map((r) => r.id);

/** Breaks organisation isolation: another organisation's read is 403 instead of 404. */
const forbidOtherOrganisation = (handle: ApiHandler): ApiHandler => async (request) => {
  const response = await handle(request);
  if (response.status === 404 && request.headers.authorization === 'Bearer test_key_b' && response.operationId === 'getSession') {
    return { ...response, status: 403, body: { error: 'Forbidden', code: 'AUTH_INVALID', details: null } };
  }
  return response;
};

/** Breaks idempotent replays: no `Idempotent-Replayed` marker. */
const unmarkReplays = (handle: ApiHandler): ApiHandler => async (request) => {
  const response = await handle(request);
  const { 'idempotent-replayed': _dropped, ...headers } = response.headers;
  return { ...response, headers };
};

/** Breaks authentication: an unknown token is let through with 200 and no body. */
const acceptUnknownTokens = (handle: ApiHandler): ApiHandler => async (request) => {
  const response = await handle(request);
  if (response.status === 401 && request.headers.authorization === 'Bearer conformance-not-a-key') return { ...response, status: 200, body: undefined };
  return response;
};

/** Breaks ordering: messages come back newest first. */
const newestMessagesFirst = (handle: ApiHandler): ApiHandler => async (request) => {
  const response = await handle(request);
  if (response.operationId !== 'getSession' || response.status !== 200) return response;
  const session = response.body as { messages: unknown[] };
  return { ...response, body: { ...session, messages: [...session.messages].reverse() } };
};

describe('npx fold-sessions-mock conformance', () => {
  it('passes every case against the reference server, and deletes what it created', async () => {
    const server = await serve();
    const report = await runConformance({ baseURL: server.url, key: server.apiKey, secondKey: server.otherApiKey, fuzzRequests: 150, seed: 7 });
    expect(report.results.filter((r) => r.outcome !== 'passed')).toEqual([]);
    expect(report.results.length).toBeGreaterThanOrEqual(15);
    expect(report.requests).toBeGreaterThan(150);
    expect(report.score).toBe(100);
    expect(report.cleanup.notDeleted).toEqual([]);
    expect(report.cleanup.deleted).toBe(report.cleanup.created);
    expect(await expectNothingLeftBehind(server.controller)).toBe(report.cleanup.created);
  });

  it.each([1, 2, 3, 4])('against 503s at a rate of 0.3 (seed %i): no false failure, retries counted, nothing left behind', async (seed) => {
    const server = await serve({ faults: { errorRate: 0.3, seed, retryAfter: 0 } });
    const report = await runConformance({ baseURL: server.url, key: server.apiKey, secondKey: server.otherApiKey, fuzzRequests: 100, seed });
    expect(outcomes(report, 'failed'), JSON.stringify(report.results, null, 1)).toEqual([]);
    expect(outcomes(report, 'unavailable')).toEqual([]);
    expect(report.retries).toBeGreaterThan(0);
    expect(outcomes(report, 'flaky').length).toBeGreaterThan(0);
    expect(report.results.find((r) => r.outcome === 'flaky')?.message).toMatch(/^passed after \d+ retr(y|ies)$/);
    expect(report.cleanup).toMatchObject({ notDeleted: [] });
    expect(report.cleanup.deleted).toBe(report.cleanup.created);
    expect(await expectNothingLeftBehind(server.controller)).toBe(report.cleanup.created);
  });

  it('the CLI against `--fault-rate 0.3` (Retry-After: 1) passes, writes JSON, and the server keeps nothing', async () => {
    const child = await spawnServer(['--in-memory', '--port', '0', '--fault-rate', '0.3', '--seed', '5', '--control-token', 'conformance-control', '--log', 'silent']);
    children.push(child);
    const json = join(work, 'faults.json');
    const run = await cli(['--base-url', child.url, '--key', 'fold_dev_key', '--only', 'create,close,delete,auth,list', '--fuzz', '0', '--json', json, '--junit', join(work, 'faults.xml')]);
    expect(run.code, run.stdout).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as ConformanceReport;
    expect(report.results.filter((r) => r.outcome === 'passed' || r.outcome === 'flaky').map((r) => r.id)).toEqual(['create', 'close', 'delete', 'auth', 'list']);
    expect(report.cleanup.deleted).toBe(report.cleanup.created);
    await expectNothingLeftBehind(connectControl({ baseURL: child.url, token: 'conformance-control' }));
  }, 120_000);

  it('the CLI prints the report and the score, writes JUnit XML and exits 0; without a second key the isolation case is skipped', async () => {
    const server = await serve();
    const junit = join(work, 'ok.xml');
    const { code, stdout } = await cli(['--base-url', server.url, '--key', server.apiKey, '--junit', junit, '--fuzz', '50']);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/\d+ passed, 0 flaky, 0 failed, 0 unavailable, 1 skipped/);
    expect(stdout).toMatch(/^Score: 100% of applicable cases passed or flaky \(lifecycle 5\/5, /m);
    expect(stdout).toMatch(/^Clean-up: (\d+) sessions created, \1 deleted$/m);
    expect(stdout).toMatch(/^SKIP +isolation /m);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="fold-sessions conformance" tests="\d+" failures="0" errors="0" skipped="1">/);
    expect(xml).toContain('<skipped message="needs --second-key of another organisation"/>');
    expect((await server.controller.snapshot()).sessions).toEqual([]);
  });

  it.each([
    ['isolation (403 for another organisation)', forbidOtherOrganisation, ['isolation']],
    ['idempotent replays (no marker)', unmarkReplays, ['idempotency']],
    ['authentication (an unknown token gets 200 without a body)', acceptUnknownTokens, ['auth']],
    ['message order (newest first)', newestMessagesFirst, ['messages']],
    ['close (answers 202)', breakResponses({ operationId: 'closeSession', kind: 'wrong-status' }), ['close']],
    ['the context (no id in the session)', breakResponses({ operationId: 'updateContext', kind: 'missing-field' }), ['context']],
  ] as const)('a deployment broken on purpose in %s: exactly that rule fails, and nothing is left behind', async (_rule, wrap, expected) => {
    const server = await serve({ wrap });
    const report = await runConformance({ baseURL: server.url, key: server.apiKey, secondKey: server.otherApiKey, fuzzRequests: 0, seed: 1 });
    expect(outcomes(report, 'failed')).toEqual(expected);
    expect(conformanceExitCode(report)).toBe(1);
    const message = report.results.find((r) => r.outcome === 'failed')!.message!;
    expect(message).toMatch(/expected .*; got \d{3}.* \((GET|POST|PUT|DELETE) \/\S+, x-request-id \S+\)/);
    expect(message).not.toMatch(/\d{3} undefined/);
    expect((await server.controller.snapshot()).sessions).toEqual([]);
  });

  it('an unknown token answered 200 without a body is worded plainly, with the request id', async () => {
    const server = await serve({ wrap: acceptUnknownTokens });
    const report = await runConformance({ baseURL: server.url, key: server.apiKey, only: ['auth'] });
    expect(report.results.find((r) => r.id === 'auth')?.message).toMatch(/^expected a body of the spec's schema for 200; got 200 with no body \(GET \/sessions, x-request-id [\w.:-]+\)$/);
  });

  it('the CLI exits 1 on a violation, with the failing cases in the JUnit XML', async () => {
    const server = await serve({ wrap: (handle) => unmarkReplays(forbidOtherOrganisation(handle)) });
    const junit = join(work, 'broken.xml');
    const { code, stdout } = await cli(['--base-url', server.url, '--key', server.apiKey, '--second-key', server.otherApiKey, '--junit', junit, '--fuzz', '50']);
    expect(code).toBe(1);
    const failed = stdout.split('\n').filter((line) => line.startsWith('FAIL'));
    expect(failed).toEqual([expect.stringMatching(/^FAIL +idempotency /), expect.stringMatching(/^FAIL +isolation /)]);
    expect(readFileSync(junit, 'utf8').match(/<failure /g)).toHaveLength(2);
  });

  it('a deployment that only answers 503 is unavailable, not failed: exit 3, with the last answer', async () => {
    const server = await serve({ faults: { errorRate: 1, retryAfter: 0 } });
    const json = join(work, 'down.json');
    const { code, stdout } = await cli(['--base-url', server.url, '--key', server.apiKey, '--only', 'auth,unknown-session', '--json', json, '--junit', join(work, 'down.xml')]);
    expect(code, stdout).toBe(3);
    const report = JSON.parse(readFileSync(json, 'utf8')) as ConformanceReport;
    expect(outcomes(report, 'unavailable')).toEqual(['auth', 'unknown-session']);
    expect(report.results.find((r) => r.id === 'auth')!.message).toMatch(/no answer but transient ones after 5 tries; the last was 503 SERVICE_UNAVAILABLE/);
    expect(report.score).toBe(0);
  });

  it('--read-only runs only the cases that create nothing, and nothing is created', async () => {
    const server = await serve();
    const report = await runConformance({ baseURL: server.url, key: server.apiKey, secondKey: server.otherApiKey, readOnly: true, fuzzRequests: 20 });
    expect(outcomes(report, 'passed')).toEqual(['validation', 'auth', 'unknown-session', 'list', 'query-memory', 'request-id']);
    expect(report.results.filter((r) => r.outcome === 'skipped').every((r) => r.message === 'creates sessions (--read-only)')).toBe(true);
    expect(report.cleanup.created).toBe(0);
    expect(await server.controller.requests({ operationId: 'createSession', status: 201 })).toEqual([]);
  });

  it('--only and --skip select cases by id; an unknown id is bad usage (exit 2)', async () => {
    const server = await serve();
    const only = await runConformance({ baseURL: server.url, key: server.apiKey, only: ['auth', 'fuzz'], fuzzRequests: 10 });
    expect(outcomes(only, 'passed')).toEqual(['auth', 'fuzz']);
    const skip = await runConformance({ baseURL: server.url, key: server.apiKey, secondKey: server.otherApiKey, skip: ['fuzz', 'isolation'], fuzzRequests: 10 });
    expect(outcomes(skip, 'skipped')).toEqual(['isolation', 'fuzz']);
    const bad = await cli(['--base-url', server.url, '--key', server.apiKey, '--only', 'auth,nope']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('--only: no case "nope"');
  });

  it('passes through `prism proxy` in front of the reference server', async () => {
    const server = await serve();
    const prism = await startPrism({ kind: 'proxy', upstream: server.url });
    prisms.push(prism);
    const report = await runConformance({ baseURL: prism.url, key: server.apiKey, secondKey: server.otherApiKey, fuzzRequests: 30, seed: 3 });
    expect(report.results.filter((r) => r.outcome !== 'passed' && r.outcome !== 'flaky'), prism.output().slice(-2000)).toEqual([]);
    expect((await server.controller.snapshot()).sessions).toEqual([]);
  }, 90_000);

  it('Ctrl-C mid-run: the case in flight stops, the sessions created so far are deleted, exit 130', async () => {
    const server = await serve({ faults: { latencyMs: 20 } });
    const run = await cli(['--base-url', server.url, '--key', server.apiKey, '--fuzz', '2000', '--junit', join(work, 'interrupted.xml')], (child) => {
      const poll = setInterval(async () => {
        if ((await server.controller.snapshot()).sessions.length < 5) return;
        clearInterval(poll);
        child.kill('SIGINT');
      }, 100);
    });
    expect(run.code, run.stdout).toBe(130);
    expect(run.stdout).toContain('interrupted; deleting the sessions the run created');
    // A delete cut short by the interrupt may have been carried out: then the session is already gone.
    const [, created, deleted, gone] = /^Clean-up: (\d+) sessions? created, (\d+) deleted(?:, (\d+) already gone \(a lost connection hid the delete's answer\))?$/m.exec(run.stdout) ?? [];
    expect(Number(created), run.stdout).toBeGreaterThanOrEqual(5);
    expect(Number(deleted) + Number(gone ?? 0)).toBe(Number(created));
    expect(await expectNothingLeftBehind(server.controller)).toBe(Number(created));
  }, 60_000);

  it('a create cut short by the interrupt is settled under its Idempotency-Key and deleted', async () => {
    const server = await serve({ faults: { latencyMs: 300 } });
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 100);
    const report = await runConformance({ baseURL: server.url, key: server.apiKey, only: ['create'], signal: interrupt.signal });
    expect(report.interrupted).toBe(true);
    expect(report.results.find((r) => r.id === 'create')).toMatchObject({ outcome: 'skipped', message: expect.stringContaining('interrupted') });
    expect(report.cleanup).toEqual({ created: 1, deleted: 1, alreadyGone: 0, notDeleted: [] });
    expect(await expectNothingLeftBehind(server.controller)).toBe(1);
  });

  it('refuses bad usage with exit status 2', async () => {
    expect((await cli(['--key', 'k'])).code).toBe(2);
    expect((await cli(['--base-url', 'http://127.0.0.1:1', '--key', 'k', '--second-key', 'k'])).stdout).toContain('another organisation');
  });
});
