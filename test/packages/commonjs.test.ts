// fold-sessions as `npm pack` makes it, installed into a CommonJS project outside the workspace and
// loaded both ways: `require` gets the CommonJS build, `import` the ESM build, and one process may
// load both. The scripts run with require(esm) turned off, as in Jest's CommonJS module registry,
// so a `require` that only worked by loading the ESM build would fail here.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionBody, SESSION_ID } from '../sdk/support/stub-server.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'fold-commonjs-'));
const app = join(work, 'app');
const seen: string[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  execFileSync('npm', ['pack', '-w', 'sdk', '--pack-destination', work, '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const { version } = JSON.parse(readFileSync(join(root, 'sdk/package.json'), 'utf8'));
  const installed = join(app, 'node_modules/fold-sessions');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, `fold-sessions-${version}.tgz`), '-C', installed, '--strip-components=1']);
  // zod is the optional peer the app installs itself; the workspace's copy stands in for it.
  symlinkSync(join(root, 'node_modules/zod'), join(app, 'node_modules/zod'), 'dir');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'commonjs' }));

  // The two answers the scripts need: a created session, and a 404 for any session read.
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    const [status, body] =
      req.method === 'POST' && req.url === '/sessions'
        ? [201, sessionBody()]
        : [404, { error: `No session ${req.url?.split('/').at(-1)}`, code: 'NOT_FOUND', details: null }];
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${seen.length}` }).end(JSON.stringify(body));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server?.close(done));
  rmSync(work, { recursive: true, force: true });
});

/** Writes `source` to `file` in the app, runs it with Node, and returns what it printed, as JSON. */
async function runInApp(file: string, source: string): Promise<unknown> {
  writeFileSync(join(app, file), source);
  const { stdout } = await run(process.execPath, ['--no-experimental-require-module', file, url], { cwd: app, timeout: 30_000 });
  return JSON.parse(stdout);
}

const entries = ['fold-sessions', 'fold-sessions/validation', 'fold-sessions/zod'];

describe('fold-sessions from CommonJS', () => {
  it('require() loads the CommonJS build of every entry, with the exports of the ESM build', async () => {
    const required = await runInApp(
      'entries.cjs',
      `const { relative } = require('node:path');
      const entries = ${JSON.stringify(entries)};
      console.log(JSON.stringify(entries.map((name) => ({
        file: relative(__dirname, require.resolve(name)),
        exports: Object.keys(require(name)).sort(),
      }))));`,
    );
    const imported = await runInApp(
      'entries.mjs',
      `import { relative } from 'node:path';
      import { fileURLToPath } from 'node:url';
      const entries = ${JSON.stringify(entries)};
      const out = [];
      for (const name of entries) {
        out.push({
          file: relative(import.meta.dirname, fileURLToPath(import.meta.resolve(name))),
          exports: Object.keys(await import(name)).sort(),
        });
      }
      console.log(JSON.stringify(out));`,
    );
    const files = (list: unknown) => (list as Array<{ file: string }>).map(({ file }) => file);
    const exports = (list: unknown) => (list as Array<{ exports: string[] }>).map(({ exports }) => exports);
    expect(files(required)).toEqual([
      'node_modules/fold-sessions/dist/cjs/index.js',
      'node_modules/fold-sessions/dist/cjs/validation.js',
      'node_modules/fold-sessions/dist/cjs/generated/zod.gen.js',
    ]);
    expect(files(imported)).toEqual([
      'node_modules/fold-sessions/dist/index.js',
      'node_modules/fold-sessions/dist/validation.js',
      'node_modules/fold-sessions/dist/generated/zod.gen.js',
    ]);
    expect(exports(required)).toEqual(exports(imported));
    const [main, validation, zod] = exports(imported);
    expect(main).toEqual(expect.arrayContaining(['FoldSessions', 'NotFoundError', 'isFoldSessionsError']));
    expect(validation).toEqual(['responseValidator']);
    expect(zod).toContain('zSession');
  });

  it('creates a session, and surfaces a 404 as NotFoundError', async () => {
    seen.length = 0;
    const result = await runInApp(
      'client.cjs',
      `const { FoldSessions, NotFoundError, isAPIError } = require('fold-sessions');
      const fold = new FoldSessions({ apiKey: 'key_cjs', baseURL: process.argv[2], maxRetries: 0 });
      (async () => {
        const session = await fold.sessions.create({ name: 'from require' });
        const error = await fold.sessions.get('sess_missing').catch((error) => error);
        console.log(JSON.stringify({
          id: session.id,
          notFound: error instanceof NotFoundError,
          apiError: isAPIError(error),
          name: error.name,
          status: error.status,
          code: error.code,
          requestId: error.requestId,
        }));
      })();`,
    );
    expect(result).toEqual({ id: SESSION_ID, notFound: true, apiError: true, name: 'NotFoundError', status: 404, code: 'NOT_FOUND', requestId: 'req_2' });
    expect(seen).toEqual(['POST /sessions Bearer key_cjs', 'GET /sessions/sess_missing Bearer key_cjs']);
  });

  it('validates responses with fold-sessions/validation and fold-sessions/zod', async () => {
    const result = await runInApp(
      'validation.cjs',
      `const { FoldSessions, ResponseValidationError } = require('fold-sessions');
      const { responseValidator } = require('fold-sessions/validation');
      const { zSession } = require('fold-sessions/zod');
      const session = ${JSON.stringify(sessionBody())};
      const fold = new FoldSessions({ apiKey: 'key', baseURL: process.argv[2], maxRetries: 0, validateResponses: responseValidator });
      (async () => {
        const created = await fold.sessions.create({ name: 'validated' });
        console.log(JSON.stringify({
          created: created.id,
          valid: zSession.safeParse(session).success,
          invalid: zSession.safeParse({ ...session, status: 'sleeping' }).success,
          issues: responseValidator.check('CreateSession', { ...session, status: 'sleeping' }).map((issue) => issue.path),
          validationError: typeof ResponseValidationError,
        }));
      })();`,
    );
    expect(result).toEqual({ created: SESSION_ID, valid: true, invalid: false, issues: ['status'], validationError: 'function' });
  });
});

describe('the ESM and CommonJS builds in one process', () => {
  it("recognise each other's errors through the guards", async () => {
    const result = await runInApp(
      'both.mjs',
      `import { createRequire } from 'node:module';
      import * as esm from 'fold-sessions';
      const cjs = createRequire(import.meta.url)('fold-sessions');
      const notFound = (sdk) =>
        new sdk.FoldSessions({ apiKey: 'key', baseURL: process.argv[2], maxRetries: 0 }).sessions.get('sess_missing').catch((error) => error);
      const rateLimited = (sdk) =>
        new sdk.RateLimitError('GET /sessions', 429, new Headers({ 'retry-after': '2' }), { error: 'Slow down', code: 'RATE_LIMITED' });
      const seenBy = (guards, error) => ({
        notFound: guards.isFoldSessionsError(error, guards.NotFoundError),
        rateLimit: guards.isFoldSessionsError(error, guards.RateLimitError),
        api: guards.isAPIError(error),
        any: guards.isFoldSessionsError(error),
        instanceOf: error instanceof guards.FoldSessionsError,
      });
      const [esmNotFound, cjsNotFound] = [await notFound(esm), await notFound(cjs)];
      const [esmLimited, cjsLimited] = [rateLimited(esm), rateLimited(cjs)];
      console.log(JSON.stringify({
        twoCopies: esm.FoldSessionsError !== cjs.FoldSessionsError,
        esmNotFoundByCjs: seenBy(cjs, esmNotFound),
        cjsNotFoundByEsm: seenBy(esm, cjsNotFound),
        esmRateLimitByCjs: seenBy(cjs, esmLimited),
        cjsRateLimitByEsm: seenBy(esm, cjsLimited),
        retryAfter: [esmLimited.retryAfter, cjsLimited.retryAfter],
        plainError: cjs.isFoldSessionsError(new Error('x')) || esm.isFoldSessionsError(new Error('x')),
      }));`,
    );
    // instanceof fails across the two builds, as across two copies of the package; the guards do not.
    const notFound = { notFound: true, rateLimit: false, api: true, any: true, instanceOf: false };
    const rateLimit = { notFound: false, rateLimit: true, api: true, any: true, instanceOf: false };
    expect(result).toEqual({
      twoCopies: true,
      esmNotFoundByCjs: notFound,
      cjsNotFoundByEsm: notFound,
      esmRateLimitByCjs: rateLimit,
      cjsRateLimitByEsm: rateLimit,
      retryAfter: [2, 2],
      plainError: false,
    });
  });
});
