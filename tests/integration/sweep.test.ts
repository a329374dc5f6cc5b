import { describe, expect, it } from 'vitest';
import { annRecallAtK } from '../../src/lib/annRecall';
import { efSearchLadder } from '../../src/lib/experiments';
import { clusteredVectors } from '../../src/lib/syntheticVectors';
import { Cancelled, JobControl, Jobs } from '../../src/bridge/jobControl';
import { HnswIndex } from '../../src/features/search/worker/hnswIndex';
import { exactOthers, hnswOthers, runSweep } from '../../src/features/search/worker/sweep';
import { VectorStore } from '../../src/features/search/worker/vectorStore';

const DIM = 64;
/** A build list this short leaves a sparse, poorly connected graph. */
const STARVED_EFC = 10;
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

  it('does not count the query finding itself: a starved index scores below what self-matches would give', async () => {
    const k = 10;
    // The smallest list a k + 1 search can use (hnswlib takes max(efSearch, k)).
    const efSearch = k + 1;
    // Starved: few links, a short build list and the smallest search list miss true neighbours.
    const starved = await HnswIndex.build(
      store.vectors,
      store.ids,
      DIM,
      { M: 4, efConstruction: STARVED_EFC },
      new JobControl(),
      () => {},
    );
    try {
      // The starved index is the live one, so the sweep measures exactly the index checked below.
      const result = await runSweep(
        store,
        starved,
        { Ms: [4], efConstruction: STARVED_EFC, efSearches: [efSearch], k, queryIds },
        new JobControl(),
        () => {},
      );
      const swept = result.rows[0].recall;
      expect(result.rows[0]).toMatchObject({ queries: queryIds.length, self_matches: 'excluded' });

      // The old measure: top k of both engines, the query included (it finds itself at distance 0).
      let withSelf = 0;
      // The same measure as the sweep's, written out here: k + 1 searched, the query's id dropped.
      let withoutSelf = 0;
      let selfFound = 0;
      for (const id of queryIds) {
        const vector = store.vectorOf(id);
        const exact = store.exactTopK(vector, k).map((n) => n.id);
        const approximate = starved.search(vector, k, efSearch).map((n) => n.id);
        withSelf += annRecallAtK(exact, approximate) / queryIds.length;
        if (approximate.includes(id)) selfFound++;
        const others = (ids: number[]) => ids.filter((other) => other !== id).slice(0, k);
        withoutSelf +=
          annRecallAtK(
            others(store.exactTopK(vector, k + 1).map((n) => n.id)),
            others(starved.search(vector, k + 1, efSearch).map((n) => n.id)),
          ) / queryIds.length;
      }
      console.log(
        `M=4, efConstruction=${STARVED_EFC}, efSearch=${efSearch}: recall@${k} ${swept.toFixed(3)} with the query left out, ` +
          `${withSelf.toFixed(3)} counting self-matches (HNSW found the query itself for ${selfFound}/${queryIds.length})`,
      );
      expect(swept).toBeCloseTo(withoutSelf, 10);
      expect(swept).toBeLessThan(1);
      // A query found itself for most queries, and each such self-match is a free hit the old measure
      // counted. (Not every one: this graph is so sparse that the greedy search sometimes misses even
      // the query's own vector, which costs the old measure a hit instead.) Data and build are
      // seeded, so the figures are deterministic; the margin asks for at least 5 of the k·Q = 1,000
      // neighbour slots (here the gap is 18), so the sign cannot come from a single query.
      expect(selfFound).toBeGreaterThan(queryIds.length / 2);
      expect(withSelf - swept).toBeGreaterThanOrEqual(5 / (k * queryIds.length));
    } finally {
      starved.dispose();
    }
  });

  it('no result list contains its query, and an identical image still counts as a neighbour', async () => {
    const index = await HnswIndex.build(
      store.vectors,
      store.ids,
      DIM,
      { M: 8, efConstruction: 50 },
      new JobControl(),
      () => {},
    );
    try {
      for (const id of queryIds) {
        const exact = exactOthers(store, id, 10);
        const approximate = hnswOthers(store, index, id, 10, 10);
        expect(exact.ids).toHaveLength(10);
        expect(approximate.ids).toHaveLength(10);
        expect(exact.ids).not.toContain(id);
        expect(approximate.ids).not.toContain(id);
        expect(exact.ms).toBeGreaterThanOrEqual(0);
      }
    } finally {
      index.dispose();
    }

    // Images 1 and 2 are identical: both at distance 0 from query 2, image 1 first (catalogue order).
    const twins = new Float32Array(vectors.subarray(0, 5 * DIM));
    twins.set(twins.subarray(DIM, 2 * DIM), 2 * DIM);
    const small = new VectorStore(twins, Int32Array.from([0, 1, 2, 3, 4]), DIM);
    expect(small.exactTopK(small.vectorOf(2), 2).map((n) => n.id)).toEqual([1, 2]);
    // Dropping the first hit would drop the twin and keep the query; the query's own id goes.
    expect(exactOthers(small, 2, 3).ids[0]).toBe(1);
    expect(exactOthers(small, 2, 3).ids).not.toContain(2);
    const twinIndex = await HnswIndex.build(
      small.vectors,
      small.ids,
      DIM,
      { M: 4, efConstruction: 10 },
      new JobControl(),
      () => {},
    );
    try {
      const found = hnswOthers(small, twinIndex, 2, 3, 10).ids;
      expect(found).toContain(1);
      expect(found).not.toContain(2);
      expect(found).toHaveLength(3);
    } finally {
      twinIndex.dispose();
    }
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
