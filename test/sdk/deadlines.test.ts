import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearDeadline, setDeadline } from '../../sdk/src/deadlines.js';

/** An expiry callback that records when it ran, by name. */
const fired: string[] = [];
const expiry = (name: string) => () => void fired.push(name);
const timeouts = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

afterEach(() => {
  fired.length = 0;
  vi.useRealTimers();
});

describe('attempt deadlines', () => {
  it('ends each attempt once its own deadline has passed, with one timer for all of them', async () => {
    vi.useFakeTimers();
    const [a, b, c] = [expiry('a'), expiry('b'), expiry('c')];
    setDeadline(a, 100);
    setDeadline(b, 300);
    setDeadline(c, 200);
    expect(vi.getTimerCount()).toBe(1);

    await vi.advanceTimersByTimeAsync(99);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(100);
    expect(fired).toEqual(['a', 'c']);
    await vi.advanceTimersByTimeAsync(100);
    expect(fired).toEqual(['a', 'c', 'b']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never ends a cleared attempt, and an earlier deadline comes first', async () => {
    vi.useFakeTimers();
    const [slow, fast, renewed] = [expiry('slow'), expiry('fast'), expiry('renewed')];
    setDeadline(slow, 1_000);
    setDeadline(renewed, 200);
    setDeadline(fast, 50);
    await vi.advanceTimersByTimeAsync(50);
    expect(fired).toEqual(['fast']);

    // A retry's deadline replaces the attempt before it.
    setDeadline(renewed, 500);
    clearDeadline(slow);
    await vi.advanceTimersByTimeAsync(499);
    expect(fired).toEqual(['fast']);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual(['fast', 'renewed']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fired).toEqual(['fast', 'renewed']);
  });

  it('keeps no timer holding the process while nothing is in flight', () => {
    const before = timeouts();
    const [a, b] = [expiry('a'), expiry('b')];
    setDeadline(a, 60_000);
    setDeadline(b, 60_000);
    expect(timeouts()).toBe(before + 1);
    clearDeadline(a);
    expect(timeouts()).toBe(before + 1);
    clearDeadline(b);
    expect(timeouts()).toBe(before);
    // The next attempt holds the process again, for as long as it is in flight.
    setDeadline(a, 60_000);
    expect(timeouts()).toBe(before + 1);
    clearDeadline(a);
    expect(timeouts()).toBe(before);
  });

  it('keeps time when fake timers are installed or removed between attempts', async () => {
    const [real, fake, soon] = [expiry('real'), expiry('fake'), expiry('soon')];
    setDeadline(real, 60_000);
    vi.useFakeTimers();
    setDeadline(fake, 100);
    await vi.advanceTimersByTimeAsync(100);
    expect(fired).toEqual(['fake']);
    clearDeadline(real);

    // The timer left behind is a fake one that will never run, whatever its deadline.
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout'] });
    setDeadline(fake, 0);
    clearDeadline(fake);
    vi.useRealTimers();
    setDeadline(soon, 20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fired).toEqual(['fake', 'soon']);
  });
});
