import { afterAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/bridge/workerClient';
import { SEARCH_WORKER } from '../../src/features/search/shared/protocol';
import { searchWorker } from '../../src/features/search/worker/searchWorker';
import { clusteredVectors } from '../../src/lib/syntheticVectors';
import { portWorker } from '../fixtures/portWorker';

const DIM = 64;
const COUNT = 2000;
const vectors = clusteredVectors({ count: COUNT, dim: DIM, clusters: 20, spread: 0.8, seed: 11 });
const ids = Int32Array.from({ length: COUNT }, (_, i) => i);

/** Aborts once `after` progress reports have come, counting them. */
function abortAfter(after: number) {
  const abort = new AbortController();
  let reports = 0;
  return {
    signal: abort.signal,
    abort: () => abort.abort(),
    get reports() {
      return reports;
    },
    onProgress: () => {
      if (++reports === after) abort.abort();
    },
  };
}

describe('the search worker behind the worker client (real hnswlib-wasm, over a MessageChannel)', () => {
  const search = new WorkerClient(() => portWorker(SEARCH_WORKER, searchWorker()), SEARCH_WORKER);
  afterAll(() => search.terminate());
  const serving = { M: 8, efConstruction: 64 };
  let before: number[] = [];

  it('takes the vectors (transferred) and builds the index that serves queries', async () => {
    const copy = vectors.slice();
    await search.setVectors(copy, ids.slice(), DIM);
    expect(copy.byteLength).toBe(0);
    const built = await search.buildIndex(serving, () => {});
    expect(built).toMatchObject({ count: COUNT });
    const result = await search.search({ id: 5 }, 10, 64, null);
    expect(result.exact[0].id).toBe(5);
    // Each engine's first run is reported beside the median of the 7 warm runs after it.
    expect(result.repeats).toBe(7);
    for (const ms of [result.exactMs, result.hnswMs, result.exactFirstMs, result.hnswFirstMs]) {
      expect(ms).toBeGreaterThan(0);
    }
    before = result.hnsw.map((n) => n.id);
    expect(before).toHaveLength(10);
  });

  it('an aborted rebuild resolves null and the old index keeps serving, during and after', async () => {
    const rebuild = abortAfter(3);
    const building = search.buildIndex({ M: 32, efConstruction: 400 }, rebuild.onProgress, rebuild.signal);
    // Answered while the build runs: by the old index.
    expect((await search.search({ id: 5 }, 10, 64, null)).hnsw.map((n) => n.id)).toEqual(before);
    expect(await building).toBeNull();
    expect(rebuild.reports).toBeLessThan(COUNT / 64);
    expect((await search.search({ id: 5 }, 10, 64, null)).hnsw.map((n) => n.id)).toEqual(before);
  });

  it('leave-one-out and sweeps resolve null when aborted', async () => {
    const evaluation = abortAfter(1);
    expect(await search.leaveOneOut(10, 64, evaluation.onProgress, evaluation.signal)).toBeNull();
    const sweep = abortAfter(1);
    const request = { Ms: [8, 16], efConstruction: 64, efSearches: [10, 20], k: 10, queryIds: [1, 2, 3] };
    expect(await search.sweep(request, sweep.onProgress, sweep.signal)).toBeNull();
    // Neither touched the serving index.
    expect((await search.search({ id: 5 }, 10, 64, null)).hnsw.map((n) => n.id)).toEqual(before);
  });

  it('a late abort of a finished build does not cancel the next job', async () => {
    const build = new AbortController();
    expect(await search.buildIndex(serving, () => {}, build.signal)).toMatchObject({ count: COUNT });
    const request = { Ms: [8, 16], efConstruction: 64, efSearches: [10, 20], k: 10, queryIds: [1, 2, 3] };
    const swept = await search.sweep(request, () => build.abort(), new AbortController().signal);
    expect(swept?.rows).toHaveLength(4);
  });
});
