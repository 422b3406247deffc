import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy, isTransient, retryDelay, sleep } from '../../mock-server/src/conformance/retry.js';
import { runConformance } from '../../mock-server/src/conformance/run.js';
import { startReferenceServer } from '../support/reference-server.js';

const headers = (init: Record<string, string>) => new Headers(init);

describe('the conformance kit retries', () => {
  it('503, 429 and lost connections, but not a plan limit or any other status', () => {
    expect(isTransient(undefined)).toBe(true);
    expect(isTransient(503)).toBe(true);
    expect(isTransient(429, headers({ 'retry-after': '1' }))).toBe(true);
    expect(isTransient(429, headers({ 'x-should-retry': 'false' }))).toBe(false);
    for (const status of [200, 400, 401, 404, 409, 422, 500]) expect(isTransient(status)).toBe(false);
  });

  it('waits what Retry-After says (seconds or a date), never more than the ceiling; else backs off', () => {
    expect(retryDelay(0, headers({ 'retry-after': '2' }), defaultRetryPolicy)).toBe(2000);
    expect(retryDelay(0, headers({ 'retry-after': '0' }), defaultRetryPolicy)).toBe(0);
    expect(retryDelay(0, headers({ 'retry-after': '3600' }), defaultRetryPolicy)).toBe(10_000);
    const date = new Date(Date.now() + 4000).toUTCString();
    expect(retryDelay(0, headers({ 'retry-after': date }), defaultRetryPolicy)).toBeGreaterThan(2000);
    expect(retryDelay(0, undefined, defaultRetryPolicy, () => 0)).toBe(250);
    expect(retryDelay(2, undefined, defaultRetryPolicy, () => 0)).toBe(1000);
    expect(retryDelay(2, undefined, defaultRetryPolicy, () => 1)).toBe(750);
    expect(retryDelay(10, undefined, { maxTries: 5, maxWaitMs: 3000 }, () => 0)).toBe(3000);
  });

  it('sleeps abortably', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('a dropped connection is retried: the case is flaky, with the count', async () => {
    const server = await startReferenceServer();
    try {
      await server.controller.fail('getSession', { networkError: true, times: 2 });
      const report = await runConformance({ baseURL: server.url, key: server.apiKey, only: ['unknown-session'] });
      expect(report.results.find((r) => r.id === 'unknown-session')).toMatchObject({ outcome: 'flaky', retries: 2, message: 'passed after 2 retries' });
    } finally {
      await server.close();
    }
  });

  it('a delete whose connection is lost after it worked is no false failure, and the clean-up says the session is gone', async () => {
    const server = await startReferenceServer();
    try {
      await server.controller.fail('deleteSession', { networkError: true, afterProcessing: true });
      const inCase = await runConformance({ baseURL: server.url, key: server.apiKey, only: ['delete'] });
      expect(inCase.results.find((r) => r.id === 'delete')).toMatchObject({ outcome: 'flaky' });
      expect(inCase.cleanup).toMatchObject({ notDeleted: [], alreadyGone: 1 });

      await server.controller.fail('deleteSession', { networkError: true, afterProcessing: true });
      const inCleanUp = await runConformance({ baseURL: server.url, key: server.apiKey, only: ['create'] });
      expect(inCleanUp.cleanup).toEqual({ created: 1, deleted: 0, alreadyGone: 1, notDeleted: [] });
      expect((await server.controller.snapshot()).sessions).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
