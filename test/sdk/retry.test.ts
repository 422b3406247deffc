import { describe, expect, it, vi } from 'vitest';
import { retryDelay, shouldRetry, sleep } from '../../sdk/src/retry.js';

const headers = (init: Record<string, string>) => new Headers(init);
const noJitter = () => 0;
const fullJitter = () => 1;

describe('shouldRetry', () => {
  it('retries when there was no response (connection error or timeout)', () => {
    expect(shouldRetry(undefined)).toBe(true);
  });

  it.each([408, 429, 500, 502, 503, 504])('retries status %i', (status) => {
    expect(shouldRetry(status, headers({}))).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 413, 415, 422])('does not retry status %i', (status) => {
    expect(shouldRetry(status, headers({}))).toBe(false);
  });

  it('retries a 409 only when the server says so', () => {
    expect(shouldRetry(409, headers({ 'x-should-retry': 'true' }))).toBe(true);
  });

  it('lets x-should-retry: false stop a retry the status would allow', () => {
    expect(shouldRetry(503, headers({ 'x-should-retry': 'false' }))).toBe(false);
    expect(shouldRetry(429, headers({ 'x-should-retry': 'false' }))).toBe(false);
  });

  it('ignores x-should-retry values other than true and false', () => {
    expect(shouldRetry(503, headers({ 'x-should-retry': 'maybe' }))).toBe(true);
    expect(shouldRetry(400, headers({ 'x-should-retry': '1' }))).toBe(false);
  });
});

describe('retryDelay', () => {
  it('uses retry-after-ms first', () => {
    expect(retryDelay(0, headers({ 'retry-after-ms': '250', 'retry-after': '5' }), noJitter)).toBe(250);
  });

  it('accepts fractional retry-after-ms', () => {
    expect(retryDelay(0, headers({ 'retry-after-ms': '12.5' }), noJitter)).toBe(12.5);
  });

  it('falls back to Retry-After when retry-after-ms is not a number', () => {
    expect(retryDelay(0, headers({ 'retry-after-ms': 'soon', 'retry-after': '2' }), noJitter)).toBe(2000);
  });

  it('reads Retry-After in seconds, including 0', () => {
    expect(retryDelay(3, headers({ 'retry-after': '1' }), noJitter)).toBe(1000);
    expect(retryDelay(3, headers({ 'retry-after': '0' }), noJitter)).toBe(0);
  });

  it('reads Retry-After as an HTTP date', () => {
    vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
    try {
      expect(retryDelay(0, headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), noJitter)).toBe(30_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('accepts exactly 60 s of advice and no more', () => {
    expect(retryDelay(0, headers({ 'retry-after': '60' }), noJitter)).toBe(60_000);
    expect(retryDelay(0, headers({ 'retry-after': '61' }), noJitter)).toBe(500);
    expect(retryDelay(0, headers({ 'retry-after-ms': '60001' }), noJitter)).toBe(500);
  });

  it('ignores a date in the past and other bad values, backing off instead', () => {
    for (const value of ['Mon, 01 Jan 2001 00:00:00 GMT', '-1', 'soon', '', '1e3', 'NaN']) {
      expect(retryDelay(1, headers({ 'retry-after': value }), noJitter), value).toBe(1000);
    }
  });

  it('backs off exponentially from 0.5 s and caps at 8 s', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => retryDelay(n, undefined, noJitter))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });

  it('takes off at most 25 % as jitter', () => {
    expect(retryDelay(0, undefined, fullJitter)).toBe(375);
    expect(retryDelay(10, headers({}), fullJitter)).toBe(6000);
    for (let i = 0; i < 100; i++) {
      const delay = retryDelay(2, undefined);
      expect(delay).toBeGreaterThan(1500 - 1e-9);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });
});

describe('sleep', () => {
  it('waits the given time', async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      const slept = sleep(1000).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await slept;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects with the reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await expect(slept).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects at once on an already aborted signal', async () => {
    await expect(sleep(10_000, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});
