import { WARM_RUNS, type TimedRuns } from '../../../lib/timing';
import { median } from '../../../lib/stats';

/**
 * timeRuns (lib/timing.ts) for a query that answers through a promise, as PGlite's do: the first
 * run timed on its own, then the median of WARM_RUNS warm repeats, so the pgvector column's
 * figures mean what the exact and HNSW columns' mean.
 */
export async function timeRunsAsync<T>(run: () => Promise<T>, warmRuns = WARM_RUNS): Promise<TimedRuns<T>> {
  let start = performance.now();
  let result = await run();
  const firstMs = performance.now() - start;
  const warm: number[] = [];
  for (let i = 0; i < warmRuns; i++) {
    start = performance.now();
    result = await run();
    warm.push(performance.now() - start);
  }
  return { result, ms: median(warm), firstMs };
}
