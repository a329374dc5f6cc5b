import { describe, expect, it } from 'vitest';
import { efSearchLadder } from '../../src/lib/experiments';
import { clusteredVectors } from '../../src/lib/syntheticVectors';
import { Cancelled, JobControl, Jobs } from '../../src/bridge/jobControl';
import { HnswIndex } from '../../src/features/search/worker/hnswIndex';
import { runSweep } from '../../src/features/search/worker/sweep';
import { VectorStore } from '../../src/features/search/worker/vectorStore';

const DIM = 64;
const COUNT = 3000;

describe('sweep with the real hnswlib-wasm', () => {
  // Isotropic clusters: hard enough that a small efSearch misses neighbours.
  const vectors = clusteredVectors({ count: COUNT, dim: DIM, clusters: 30, spread: 0.9, seed: 3 });
  const store = new VectorStore(
    vectors,
    Int32Array.from({ length: COUNT }, (_, i) => i),
    DIM,
  );
  const queryIds = Array.from({ length: 100 }, (_, i) => i * 29);

  it('gives recall that rises with efSearch, within noise, for each M', async () => {
    const control = new JobControl();
    const result = await runSweep(
      store,
      null,
      { Ms: [4, 16], efConstruction: 100, efSearches: efSearchLadder(10, 256), k: 10, queryIds },
      control,
      () => {},
    );
    expect(result.rows).toHaveLength(2 * efSearchLadder(10, 256).length);
    for (const M of [4, 16]) {
      const recalls = result.rows.filter((r) => r.M === M).map((r) => r.recall);
      console.log(`M=${M} recall by efSearch: ${recalls.map((r) => r.toFixed(3)).join(' ')}`);
      for (let i = 1; i < recalls.length; i++) expect(recalls[i]).toBeGreaterThanOrEqual(recalls[i - 1] - 0.01);
      expect(recalls[recalls.length - 1]).toBeGreaterThan(recalls[0]);
      expect(recalls[recalls.length - 1]).toBeGreaterThanOrEqual(0.95);
    }
    for (const row of result.rows) {
      expect(row.qps).toBeGreaterThan(0);
      expect(row.p95_ms).toBeGreaterThanOrEqual(row.p50_ms);
    }
    expect(result.exact.qps).toBeGreaterThan(0);
  });

  it('a cancelled build stops at its next checkpoint', async () => {
    const control = new JobControl();
    let progressCalls = 0;
    const build = HnswIndex.build(store.vectors, store.ids, DIM, { M: 16, efConstruction: 200 }, control, () => {
      progressCalls++;
      if (progressCalls === 2) control.cancel();
    });
    await expect(build).rejects.toBeInstanceOf(Cancelled);
    expect(progressCalls).toBe(2);
  });
});

describe('Jobs', () => {
  it('refuses a second job while one runs, and takes one again after', async () => {
    const jobs = new Jobs();
    let release: () => void = () => {};
    const first = jobs.run(1, () => new Promise<string>((resolve) => (release = () => resolve('first'))));
    await expect(jobs.run(2, async () => 'second')).rejects.toThrow(/another job/);
    release();
    expect(await first).toBe('first');
    expect(await jobs.run(3, async () => 'third')).toBe('third');
  });
});
