import { describe, expect, it } from 'vitest';
import { HnswIndex } from '../../src/features/search/worker/hnswIndex';
import { annRecallAtK } from '../../src/lib/annRecall';
import { exactTopK } from '../../src/lib/exactSearch';
import { clusteredVectors } from '../../src/lib/syntheticVectors';

const DIM = 128;
const COUNT = 4000;
const QUERIES = 100;
const K = 10;

describe('hnswlib-wasm against exact search on clustered vectors', () => {
  // Queries come from the same clusters as the data but are not inserted.
  const all = clusteredVectors({ count: COUNT + QUERIES, dim: DIM, clusters: 40, spread: 0.6, seed: 7 });
  const data = all.subarray(0, COUNT * DIM);
  const queries = all.subarray(COUNT * DIM);
  const ids = Int32Array.from({ length: COUNT }, (_, i) => i);

  async function meanRecall(efSearch: number, index: HnswIndex): Promise<number> {
    let total = 0;
    for (let q = 0; q < QUERIES; q++) {
      const query = queries.subarray(q * DIM, (q + 1) * DIM);
      const exact = exactTopK(data, ids, DIM, query, K).map((n) => n.id);
      const approximate = index.search(query, K, efSearch).map((n) => n.id);
      total += annRecallAtK(exact, approximate);
    }
    return total / QUERIES;
  }

  it('reaches recall@10 ≥ 0.95 at efSearch ≥ 64 (M=16, efConstruction=200)', async () => {
    const index = await HnswIndex.create(DIM, COUNT, { M: 16, efConstruction: 200 });
    for (let i = 0; i < COUNT; i++) index.add(data.subarray(i * DIM, (i + 1) * DIM), i);
    expect(index.count).toBe(COUNT);
    for (const ef of [64, 128]) {
      const recall = await meanRecall(ef, index);
      console.log(`recall@${K} at efSearch=${ef}: ${recall.toFixed(3)}`);
      expect(recall).toBeGreaterThanOrEqual(0.95);
    }
    // A starved search must do worse, or the check above proves nothing about HNSW.
    const low = await meanRecall(1, await weakIndex());
    expect(low).toBeLessThan(0.95);
  });

  async function weakIndex(): Promise<HnswIndex> {
    const index = await HnswIndex.create(DIM, COUNT, { M: 2, efConstruction: 4 });
    for (let i = 0; i < COUNT; i++) index.add(data.subarray(i * DIM, (i + 1) * DIM), i);
    return index;
  }

  it('returns cosine similarities that match exact search for the same neighbours', async () => {
    const index = await HnswIndex.create(DIM, COUNT, { M: 16, efConstruction: 200 });
    for (let i = 0; i < COUNT; i++) index.add(data.subarray(i * DIM, (i + 1) * DIM), i);
    const query = data.subarray(0, DIM);
    const approximate = index.search(query, K, 64);
    expect(approximate[0]).toMatchObject({ id: 0 });
    expect(approximate[0].score).toBeCloseTo(1, 5);
    const exactScore = new Map(exactTopK(data, ids, DIM, query, COUNT).map((n) => [n.id, n.score]));
    for (const hit of approximate) expect(hit.score).toBeCloseTo(exactScore.get(hit.id)!, 5);
  });

  it('clamps k to the number of vectors instead of throwing', async () => {
    const index = await HnswIndex.create(DIM, 3, { M: 16, efConstruction: 200 });
    for (let i = 0; i < 3; i++) index.add(data.subarray(i * DIM, (i + 1) * DIM), i);
    expect(index.search(data.subarray(0, DIM), 10, 64)).toHaveLength(3);
  });
});
