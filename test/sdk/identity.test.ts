// The identity headers in Node: which client sent an attempt, which attempt it is, and how long
// the client waits for it, as the server's journal records them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FoldSessions } from 'fold-sessions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../sdk/src/version.js';
import { type ReferenceServer, startReferenceServer } from '../support/reference-server.js';

const { version } = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../sdk/package.json'), 'utf8')) as { version: string };
let server: ReferenceServer;

beforeAll(async () => {
  server = await startReferenceServer();
});
afterAll(() => server?.close());
beforeEach(() => server.controller.reset());

const headersOf = async (operationId: string) =>
  (await server.controller.requests({ operationId })).map((exchange) => exchange.request_headers);

describe('identity headers in Node', () => {
  it('has the version of sdk/package.json, without importing it at run time', () => {
    expect(VERSION).toBe(version);
  });

  it('sends User-Agent, X-Fold-Retry-Count 0 and X-Fold-Timeout on the first attempt', async () => {
    const fold = new FoldSessions({ apiKey: server.apiKey, baseURL: server.url, timeout: 1500 });
    await fold.sessions.create({ name: 'identity' });
    const [sent] = await headersOf('createSession');
    expect(sent?.['user-agent']).toBe(`fold-sessions/${version} (node/${process.versions.node}; ${process.platform})`);
    expect(sent?.['x-fold-retry-count']).toBe('0');
    expect(sent?.['x-fold-timeout']).toBe('1.5');
  });

  it('counts the retries of one call, and keeps its idempotency key: a retry is told from a duplicate', async () => {
    const fold = new FoldSessions({ apiKey: server.apiKey, baseURL: server.url, logLevel: 'off' });
    await server.controller.fail('createSession', { status: 503, retryAfter: 0, times: 2 });
    await fold.sessions.create({ name: 'retried' });
    await fold.sessions.create({ name: 'again' });
    const sent = await headersOf('createSession');
    expect(sent.map((headers) => headers['x-fold-retry-count'])).toEqual(['0', '1', '2', '0']);
    const keys = sent.map((headers) => headers['idempotency-key']);
    expect(new Set(keys.slice(0, 3)).size).toBe(1);
    expect(keys[3]).not.toBe(keys[0]);
  });

  it("sends a call's own timeout, and the caller's headers win", async () => {
    const fold = new FoldSessions({ apiKey: server.apiKey, baseURL: server.url, defaultHeaders: { 'User-Agent': 'my-agent/1.0' } });
    const { id } = await fold.sessions.create({ name: 'own timeout' });
    await fold.sessions.get(id, { timeout: 250 });
    const [sent] = await headersOf('getSession');
    expect(sent?.['x-fold-timeout']).toBe('0.25');
    expect(sent?.['user-agent']).toBe('my-agent/1.0');
  });

  it('sends none with identityHeaders: false', async () => {
    const fold = new FoldSessions({ apiKey: server.apiKey, baseURL: server.url, identityHeaders: false });
    await fold.sessions.list();
    const [sent] = await headersOf('listSessions');
    expect(Object.keys(sent ?? {}).filter((name) => name.startsWith('x-fold-'))).toEqual([]);
    expect(sent?.['user-agent']).not.toMatch(/fold-sessions/);
  });

  it('refuses an identityHeaders that is not a boolean, at construction', () => {
    expect(() => new FoldSessions({ apiKey: 'k', identityHeaders: 'yes' as unknown as boolean })).toThrow(/identityHeaders must be a boolean/);
  });
});
