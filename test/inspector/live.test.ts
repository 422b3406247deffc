// The inspector's polling of the control API: one read at a time, errors reported and survived.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionsController } from 'fold-sessions-mock/control';
import { pollMs, requestLimit, startLive, type Live, type LiveData } from '../../mock-server/ui/src/live.js';

function fakeControl(options: { failFirst?: boolean } = {}) {
  let reads = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  const filters: unknown[] = [];
  const slow = async <T>(value: T): Promise<T> => {
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 100));
    inFlight--;
    return value;
  };
  const control = {
    clock: { now: () => slow(1_000_000) },
    snapshot: () => {
      reads++;
      if (options.failFirst && reads === 1) return Promise.reject(new Error('connection refused'));
      return slow({ sessions: [], memory: [] });
    },
    requests: (filter: unknown) => (filters.push(filter), slow([])),
    stubs: () => slow([]),
  } as unknown as SessionsController;
  return { control, filters, reads: () => reads, mostInFlight: () => mostInFlight };
}

describe('startLive', () => {
  let live: Live | undefined;
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    live?.stop();
    vi.useRealTimers();
  });

  it(`reads every ${pollMs} ms, never two reads at once, with the newest ${requestLimit} requests`, async () => {
    const fake = fakeControl();
    const seen: LiveData[] = [];
    live = startLive(fake.control, (data) => seen.push(data), () => {});
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toHaveLength(1);
    void live.refresh();
    void live.refresh();
    await vi.advanceTimersByTimeAsync(2_000);
    // Four reads (clock, snapshot, requests, stubs) run side by side within one poll, never more.
    expect(fake.mostInFlight()).toBe(4);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen.length).toBeLessThanOrEqual(6);
    expect(fake.filters[0]).toEqual({ limit: requestLimit });
  });

  it('moves the server clock on locally between reads', async () => {
    const fake = fakeControl();
    live = startLive(fake.control, () => {}, () => {});
    await vi.advanceTimersByTimeAsync(100);
    const first = live.now();
    expect(first).toBeGreaterThanOrEqual(1_000_000);
    expect(Number.isInteger(first)).toBe(true);
  });

  it('reports a failed read and goes on polling', async () => {
    const fake = fakeControl({ failFirst: true });
    const errors: unknown[] = [];
    const seen: LiveData[] = [];
    live = startLive(fake.control, (data) => seen.push(data), (error) => errors.push(error));
    await vi.advanceTimersByTimeAsync(pollMs + 200);
    expect(errors.map(String)).toEqual(['Error: connection refused']);
    expect(seen).toHaveLength(1);
  });

  it('sends the filter of the requests view and stops when told', async () => {
    const fake = fakeControl();
    live = startLive(fake.control, () => {}, () => {});
    live.setRequestFilter({ operationId: 'addMessage', status: 503 });
    await vi.advanceTimersByTimeAsync(300);
    expect(fake.filters).toContainEqual({ operationId: 'addMessage', status: 503, limit: requestLimit });
    live.stop();
    const reads = fake.reads();
    await vi.advanceTimersByTimeAsync(5 * pollMs);
    expect(fake.reads()).toBe(reads);
  });
});
