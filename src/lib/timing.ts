import { median } from './stats';

/** Warm runs per query and engine, after the first run: their median is the figure shown. */
export const WARM_RUNS = 7;

/** One query timed the way the readouts show it. */
export interface TimedRuns<T> {
  /** What the last run returned (every run returns the same). */
  result: T;
  /** Median of the warm runs, ms: the first run is left out of it. */
  ms: number;
  /** The first run on its own, ms: nothing of this query was in the caches yet. */
  firstMs: number;
}

/**
 * Runs `run` once, timed on its own (the first, cold run), then `warmRuns` more times; the figure
 * is the median of those warm repeats. Both are reported, so a learner sees what caching does to
 * a latency instead of reading a warm median as what one query costs.
 */
export function timeRuns<T>(
  run: () => T,
  warmRuns = WARM_RUNS,
  now: () => number = () => performance.now(),
): TimedRuns<T> {
  let start = now();
  let result = run();
  const firstMs = now() - start;
  const warm: number[] = [];
  for (let i = 0; i < warmRuns; i++) {
    start = now();
    result = run();
    warm.push(now() - start);
  }
  return { result, ms: median(warm), firstMs };
}
