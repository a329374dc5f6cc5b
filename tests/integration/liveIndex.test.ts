import { describe, expect, it } from 'vitest';
import { HnswIndex } from '../../src/features/search/worker/hnswIndex';
import { VectorStore } from '../../src/features/search/worker/vectorStore';
import { exactTopK } from '../../src/lib/exactSearch';
import { clusteredVectors } from '../../src/lib/syntheticVectors';

const DIM = 32;
const COUNT = 300;
const data = clusteredVectors({ count: COUNT, dim: DIM, clusters: 6, spread: 0.5, seed: 3 });
const row = (i: number) => data.subarray(i * DIM, (i + 1) * DIM);
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('the live index: incremental adds and deletes, no rebuild (real hnswlib-wasm)', () => {
  it('grows past its initial capacity by resizing, and every added vector finds itself', async () => {
    const index = await HnswIndex.create(DIM, 4, { M: 16, efConstruction: 100 });
    for (let i = 0; i < COUNT; i++) index.add(row(i), i);
    expect(index.count).toBe(COUNT);
    expect(index.capacity).toBeGreaterThanOrEqual(COUNT);
    for (const i of [0, 5, 150, COUNT - 1]) expect(index.search(row(i), 1, 64)[0]).toMatchObject({ id: i });
    index.dispose();
  });

  it('a mark-deleted vector is never returned, and k is clamped to what is left', async () => {
    const index = await HnswIndex.create(DIM, 8, { M: 16, efConstruction: 100 });
    for (let i = 0; i < 8; i++) index.add(row(i), i);
    index.remove(3);
    index.remove(3);
    expect(index.count).toBe(7);
    const hits = index.search(row(3), 10, 64);
    expect(hits.map((h) => h.id).sort()).toEqual([0, 1, 2, 4, 5, 6, 7]);
    index.dispose();
  });

  it('a store grows and shrinks in order, keeping exact search consistent', () => {
    const store = new VectorStore(new Float32Array(0), new Int32Array(0), DIM);
    expect(store.append(data.subarray(0, 100 * DIM), ids(0, 100))).toHaveLength(100);
    const before = store.vectors;
    // An id already stored is not added twice; appends leave earlier views intact.
    expect(store.append(data.subarray(0, 120 * DIM), ids(0, 120))).toEqual(ids(100, 120));
    expect(store.count).toBe(120);
    expect(before.subarray(0, DIM)).toEqual(row(0));
    expect(store.remove([5, 7, 999])).toEqual([5, 7]);
    expect(store.count).toBe(118);
    expect(Array.from(store.ids.subarray(0, 7))).toEqual([0, 1, 2, 3, 4, 6, 8]);
    expect(store.vectorOf(8)).toEqual(row(8));
    expect(() => store.vectorOf(5)).toThrow(/not in the index/);
    const top = exactTopK(store.vectors, store.ids, DIM, row(5), 118).map((n) => n.id);
    expect(top).not.toContain(5);
    expect(top).toHaveLength(118);
  });

  it('an index built from a snapshot catches up with adds and deletes made meanwhile', async () => {
    const store = new VectorStore(new Float32Array(0), new Int32Array(0), DIM);
    store.append(data.subarray(0, 200 * DIM), ids(0, 200));
    const index = await HnswIndex.create(DIM, 200, { M: 16, efConstruction: 100 });
    for (let i = 0; i < 200; i++) index.add(row(i), i);
    store.append(data.subarray(200 * DIM, COUNT * DIM), ids(200, COUNT));
    store.remove([10, 250]);
    index.syncWith(store);
    expect(index.count).toBe(COUNT - 2);
    expect(index.search(row(299), 1, 64)[0].id).toBe(299);
    expect(index.search(row(10), 5, 64).map((h) => h.id)).not.toContain(10);
    index.dispose();
  });
});
