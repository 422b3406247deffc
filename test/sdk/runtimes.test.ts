import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../support/reference-server.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'sdk-runtimes-'));
const smoke = resolve(import.meta.dirname, 'runtimes/smoke.mjs');
let server: ReferenceServer;

beforeAll(async () => {
  // The package as published: tsc output, in a folder of this test's own.
  execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, 'sdk/tsconfig.build.json'), '--outDir', out]);
  server = await startReferenceServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

const { version } = JSON.parse(readFileSync(resolve(root, 'sdk/package.json'), 'utf8')) as { version: string };
// `User-Agent: fold-sessions/<version> (<runtime>/<version>; <os>)`.
const runtimes: Array<[string, (args: string[]) => [string, string[]], RegExp]> = [
  [
    'Deno',
    (args) => [resolve(root, 'node_modules/.bin/deno'), ['run', '--allow-net=127.0.0.1', `--allow-read=${out},${smoke}`, smoke, ...args]],
    new RegExp(`^fold-sessions/${version.replaceAll('.', '\\.')} \\(deno/\\d+\\.\\d+\\.\\d+; ${process.platform}\\)$`),
  ],
  [
    'Bun',
    (args) => [resolve(root, 'node_modules/.bin/bun'), ['run', smoke, ...args]],
    new RegExp(`^fold-sessions/${version.replaceAll('.', '\\.')} \\(bun/\\d+\\.\\d+\\.\\d+; ${process.platform}\\)$`),
  ],
];

describe('the SDK runs unchanged in other runtimes', () => {
  it.each(runtimes)('%s: create, add, get with a retry, and a 404, each attempt saying who sent it', async (_name, command, userAgent) => {
    await server.controller.reset();
    await server.controller.fail('getSession', { status: 503, retryAfter: 0 });
    const [file, args] = command([pathToFileURL(join(out, 'index.js')).href, server.url, server.apiKey]);
    const { stdout } = await run(file, args, { timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
      status: 'active',
      messages: ['hello from a runtime'],
      notFound: true,
      notFoundRequestId: expect.stringMatching(/^req_/),
    });
    const gets = await server.controller.requests({ operationId: 'getSession' });
    expect(gets.map((exchange) => exchange.status)).toEqual([503, 200, 404]);
    expect(gets.map((exchange) => exchange.request_headers['x-fold-retry-count'])).toEqual(['0', '1', '0']);
    expect(gets.map((exchange) => exchange.request_headers['x-fold-timeout'])).toEqual(['60', '60', '60']);
    for (const exchange of gets) expect(exchange.request_headers['user-agent']).toMatch(userAgent);
  }, 90_000);
});
