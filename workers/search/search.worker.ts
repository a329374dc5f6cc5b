/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { exactTopK } from '../../src/lib/exactSearch';
import { median } from '../../src/lib/stats';
import type { Neighbour } from '../../src/lib/types';
import { HnswIndex } from './hnswIndex';
import type { SearchWorkerApi } from './protocol';

/** Runs per query and engine; the median is reported so one hiccup does not decide the figure. */
const REPEATS = 7;
const PROGRESS_EVERY = 64;

interface Store {
  vectors: Float32Array;
  ids: Int32Array;
  rowOfId: Map<number, number>;
  dim: number;
}

let store: Store | null = null;
let hnsw: HnswIndex | null = null;

function timed(run: () => Neighbour[]): { result: Neighbour[]; ms: number } {
  const times: number[] = [];
  let result: Neighbour[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    result = run();
    times.push(performance.now() - start);
  }
  return { result, ms: median(times) };
}

const api: SearchWorkerApi = {
  async setVectors(vectors, ids, dim) {
    const rowOfId = new Map<number, number>();
    ids.forEach((id, row) => rowOfId.set(id, row));
    store = { vectors, ids, rowOfId, dim };
    hnsw = null;
  },

  async buildIndex(params, onProgress) {
    if (!store) throw new Error('buildIndex before setVectors');
    const { vectors, ids, dim } = store;
    const start = performance.now();
    const index = await HnswIndex.create(dim, ids.length, params);
    for (let row = 0; row < ids.length; row++) {
      index.add(vectors.subarray(row * dim, (row + 1) * dim), ids[row]);
      if ((row + 1) % PROGRESS_EVERY === 0) onProgress(row + 1);
    }
    const buildMs = performance.now() - start;
    hnsw = index;
    onProgress(ids.length);
    return { count: ids.length, buildMs };
  },

  async search(query, k, efSearch) {
    if (!store || !hnsw) throw new Error('search before the index was built');
    const index = hnsw;
    const { vectors, ids, dim, rowOfId } = store;
    let vector: Float32Array;
    if ('id' in query) {
      const row = rowOfId.get(query.id);
      if (row === undefined) throw new Error(`image ${query.id} is not in the index`);
      vector = vectors.subarray(row * dim, (row + 1) * dim);
    } else {
      vector = query.vector;
    }
    const exact = timed(() => exactTopK(vectors, ids, dim, vector, k));
    const approximate = timed(() => index.search(vector, k, efSearch));
    return { exact: exact.result, hnsw: approximate.result, exactMs: exact.ms, hnswMs: approximate.ms, repeats: REPEATS };
  },
};

Comlink.expose(api);
