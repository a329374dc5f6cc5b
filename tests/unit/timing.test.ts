import { describe, expect, it } from 'vitest';
import { WARM_RUNS, timeRuns } from '../../src/lib/timing';

/** A clock where run i (0 = the first) takes durations[i] ms. */
function scriptedClock(durations: number[]): { now: () => number; run: () => number } {
  let time = 0;
  let runs = 0;
  return {
    now: () => time,
    run: () => {
      time += durations[runs];
      return runs++;
    },
  };
}

describe('query timing: the first run, then the warm median', () => {
  it('reports the first run on its own and the median of the warm runs after it', () => {
    // A slow first run, then seven warm ones.
    const clock = scriptedClock([40, 3, 1, 2, 9, 2, 1, 2]);
    const timed = timeRuns(clock.run, 7, clock.now);
    expect(timed.firstMs).toBe(40);
    // Median of 3, 1, 2, 9, 2, 1, 2: the first run is not one of the seven.
    expect(timed.ms).toBe(2);
    expect(timed.result).toBe(7);
  });

  it('the warm median never includes the first run, however slow', () => {
    const clock = scriptedClock([1000, 5, 5, 5, 5, 5, 5, 5]);
    expect(timeRuns(clock.run, 7, clock.now)).toMatchObject({ ms: 5, firstMs: 1000 });
  });

  it('runs 1 + WARM_RUNS times by default, and the readouts say "of 7"', () => {
    let runs = 0;
    timeRuns(() => runs++);
    expect(runs).toBe(1 + WARM_RUNS);
    expect(WARM_RUNS).toBe(7);
  });
});
