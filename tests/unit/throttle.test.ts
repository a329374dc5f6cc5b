import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from '../../src/lib/throttle';

describe('Throttle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at most once per interval, and once more at its end for what came meanwhile', async () => {
    const runs: number[] = [];
    const throttle = new Throttle(
      () => void runs.push(Date.now()),
      500,
      () => Date.now(),
    );
    const start = Date.now();
    throttle.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([start]);
    for (let t = 0; t < 10; t++) {
      throttle.request();
      await vi.advanceTimersByTimeAsync(100);
    }
    // Requests over 1 s: runs at 500 and 1000 ms, never closer than the interval.
    expect(runs.map((t) => t - start)).toEqual([0, 500, 1000]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(runs).toHaveLength(3);
  });

  it('flush runs a pending request at once, and nothing when none is pending', async () => {
    let runs = 0;
    const throttle = new Throttle(
      () => void runs++,
      500,
      () => Date.now(),
    );
    await throttle.flush();
    expect(runs).toBe(0);
    throttle.request();
    await vi.advanceTimersByTimeAsync(0);
    throttle.request();
    await throttle.flush();
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(2);
  });
});
