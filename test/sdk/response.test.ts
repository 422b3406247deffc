import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APIConnectionError, APIPromise, FoldSessions, NotFoundError, type Logger } from 'fold-sessions';
import { SESSION_ID, useStubServer } from './support/stub-server.js';

const stub = useStubServer();

/** A port on 127.0.0.1 that nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
const client = (options: ConstructorParameters<typeof FoldSessions>[0] = {}) =>
  new FoldSessions({ apiKey: 'sk_secret_key_123', baseURL: stub().url, maxRetries: 0, ...options });

describe('withResponse() and asResponse()', () => {
  it('every method returns an APIPromise: await it for the body, or ask for the response too', async () => {
    const fold = client();
    const pending = fold.sessions.get(SESSION_ID);
    expect(pending).toBeInstanceOf(APIPromise);
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending).id).toBe(SESSION_ID);

    const { data, response, requestId } = await fold.sessions.get(SESSION_ID).withResponse();
    expect(data.id).toBe(SESSION_ID);
    expect(response.status).toBe(200);
    expect(requestId).toBe(response.headers.get('x-request-id'));
    expect(requestId).toMatch(/^req_\d+$/);
  });

  it('asResponse() gives the raw response with its body unread', async () => {
    const response = await client().sessions.get(SESSION_ID).asResponse();
    expect(response.bodyUsed).toBe(false);
    expect((await response.json()).id).toBe(SESSION_ID);
  });

  it('a page carries its response; the three ways of consuming a list still work', async () => {
    const fold = client();
    const page = await fold.sessions.list({ limit: 1 });
    expect(page.response?.status).toBe(200);
    expect(page.response?.headers.get('x-request-id')).toMatch(/^req_/);
    const all = [];
    for await (const session of fold.sessions.list({ limit: 1 })) all.push(session.id);
    expect(all.length).toBeGreaterThanOrEqual(1);
  });

  it('errors reject withResponse(), asResponse() and the promise alike', async () => {
    const fold = client();
    stub().fail({ status: 404, body: { error: 'gone', code: 'NOT_FOUND', details: null } });
    await expect(fold.sessions.get(SESSION_ID).withResponse()).rejects.toBeInstanceOf(NotFoundError);
    stub().fail({ status: 404, body: { error: 'gone', code: 'NOT_FOUND', details: null } });
    await expect(fold.sessions.get(SESSION_ID).asResponse()).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('logging', () => {
  const capture = () => {
    const lines: string[] = [];
    const logger: Logger = {
      error: (line) => lines.push(`error ${line}`),
      warn: (line) => lines.push(`warn ${line}`),
      info: (line) => lines.push(`info ${line}`),
      debug: (line) => lines.push(`debug ${line}`),
    };
    return { lines, logger };
  };

  it('at debug: one line per attempt and the retry decision with its delay and reason; never the key', async () => {
    const { lines, logger } = capture();
    const fold = client({ logger, logLevel: 'debug', maxRetries: 2, defaultHeaders: { 'x-tenant': 'acme' } });
    stub().fail({ status: 503, headers: { 'retry-after': '0' } });
    await fold.sessions.get(SESSION_ID);
    expect(lines).toEqual([
      expect.stringMatching(/^debug \[fold-sessions\] attempt 1: GET http:\/\/127\.0\.0\.1:\d+\/sessions\/sess_\w+ → 503 \(request id req_\d+\) in \d+ ms$/),
      expect.stringMatching(/^info \[fold-sessions\] retrying GET \/sessions\/sess_\w+ in 0 ms \(attempt 2 of 3\): status 503$/),
      expect.stringMatching(/^debug \[fold-sessions\] attempt 2: GET .* → 200 \(request id req_\d+\) in \d+ ms$/),
    ]);
    expect(lines.join('\n')).not.toContain('sk_secret_key_123');
    expect(lines.join('\n').toLowerCase()).not.toContain('authorization');
  });

  it('at the default warn: only calls that failed after their retries', async () => {
    const { lines, logger } = capture();
    const fold = client({ logger, maxRetries: 1 });
    await fold.sessions.get(SESSION_ID);
    expect(lines).toEqual([]);
    stub().fail({ status: 503, headers: { 'retry-after': '0' } }, { status: 503, headers: { 'retry-after': '0' } });
    await expect(fold.sessions.get(SESSION_ID)).rejects.toThrow();
    expect(lines).toEqual([expect.stringMatching(/^warn \[fold-sessions\] GET \/sessions\/sess_\w+ failed after 2 attempts: status 503$/)]);
  });

  it('off logs nothing; FOLD_LOG sets the level; a bad level or logger fails at construction', async () => {
    const { lines, logger } = capture();
    stub().fail({ status: 503, headers: { 'retry-after': '0' } });
    await expect(client({ logger, logLevel: 'off' }).sessions.get(SESSION_ID)).rejects.toThrow();
    expect(lines).toEqual([]);
    vi.stubEnv('FOLD_LOG', 'debug');
    try {
      await client({ logger }).sessions.get(SESSION_ID);
      expect(lines).toHaveLength(1);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(() => client({ logLevel: 'loud' as never })).toThrow(/logLevel \(or FOLD_LOG\) must be off, error, warn, info, debug/);
    expect(() => client({ logger: {} as never })).toThrow(/logger must be an object with error, warn, info, debug methods/);
  });
});

describe('environment and defaults', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('FOLD_BASE_URL sets the base URL; the option wins', async () => {
    vi.stubEnv('FOLD_BASE_URL', stub().url);
    await new FoldSessions({ apiKey: 'k', maxRetries: 0 }).sessions.get(SESSION_ID);
    expect(stub().seen).toHaveLength(1);
    await expect(new FoldSessions({ apiKey: 'k', maxRetries: 0, baseURL: `http://127.0.0.1:${await closedPort()}` }).sessions.get(SESSION_ID)).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('defaultHeaders go with every request; per-call headers win', async () => {
    const fold = client({ defaultHeaders: { 'x-tenant': 'acme', 'x-trace': 'default' } });
    await fold.sessions.get(SESSION_ID, { headers: { 'x-trace': 'call' } });
    expect(stub().seen[0]?.headers).toMatchObject({ 'x-tenant': 'acme', 'x-trace': 'call' });
  });

  it('withOptions() derives a client that shares nothing mutable with the first', async () => {
    const headers = { 'x-tenant': 'acme' };
    const first = client({ defaultHeaders: headers });
    const second = first.withOptions({ defaultHeaders: { 'x-tenant': 'globex' }, timeout: 5_000 });
    headers['x-tenant'] = 'changed later';
    await first.sessions.get(SESSION_ID);
    await second.sessions.get(SESSION_ID);
    expect(stub().seen.map((request) => request.headers['x-tenant'])).toEqual(['acme', 'globex']);
    expect(second).not.toBe(first);
    expect(second.sessions).not.toBe(first.sessions);
  });

  it('a connection error names the cause and the host it could not reach', async () => {
    const port = await closedPort();
    const error = await new FoldSessions({ apiKey: 'k', baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 }).sessions.get(SESSION_ID).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe(`GET /sessions/${SESSION_ID} could not reach the server: ECONNREFUSED 127.0.0.1:${port}`);
    const unknownHost = await new FoldSessions({ apiKey: 'k', baseURL: 'http://no-such-host.invalid', maxRetries: 0 }).sessions.get(SESSION_ID).catch((caught: unknown) => caught);
    expect((unknownHost as Error).message).toMatch(/could not reach the server: (ENOTFOUND|EAI_AGAIN) no-such-host\.invalid$/);
  });
});
