/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { exactTopK } from '../../src/lib/exactSearch';
import { hnswIndexBytes } from '../../src/lib/hnswMemory';
import { leaveOut } from '../../src/lib/offlineEvaluation';
import { median } from '../../src/lib/stats';
import type { Neighbour } from '../../src/lib/types';
import { JobControl } from '../shared/jobControl';
import { HnswIndex } from './hnswIndex';
import type { IndexSize, SearchWorkerApi } from './protocol';
import { runSweep } from './sweep';
import { VectorStore } from './vectorStore';

/** Runs per query and engine; the median is reported so one hiccup does not decide the figure. */
const REPEATS = 7;

let store: VectorStore | null = null;
let hnsw: HnswIndex | null = null;
const control = new JobControl();

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

function size(index: HnswIndex, vectors: VectorStore): IndexSize {
  return { count: vectors.count, indexBytes: hnswIndexBytes(index.capacity, vectors.dim, index.params.M) };
}

function ready(): { store: VectorStore; hnsw: HnswIndex } {
  if (!store || !hnsw) throw new Error('the index is not built yet');
  return { store, hnsw };
}

const api: SearchWorkerApi = {
  async setVectors(vectors, ids, dim) {
    hnsw?.dispose();
    hnsw = null;
    store = new VectorStore(vectors, ids, dim);
  },

  async buildIndex(params, onProgress) {
    if (!store) throw new Error('buildIndex before setVectors');
    const { vectors, ids, dim } = store;
    const start = performance.now();
    const built = await control.run(() => HnswIndex.build(vectors, ids, dim, params, control, onProgress));
    if (!built) return null;
    // Images added or deleted while it was built.
    built.syncWith(store);
    const buildMs = performance.now() - start;
    hnsw?.dispose();
    hnsw = built;
    return { ...size(built, store), buildMs };
  },

  async add(vectors, ids) {
    const live = ready();
    for (const id of live.store.append(vectors, ids)) live.hnsw.add(live.store.vectorOf(id), id);
    return size(live.hnsw, live.store);
  },

  async remove(ids) {
    const live = ready();
    for (const id of live.store.remove(ids)) live.hnsw.remove(id);
    return size(live.hnsw, live.store);
  },

  async search(query, k, efSearch) {
    const { store, hnsw } = ready();
    const vector = 'id' in query ? store.vectorOf(query.id) : query.vector;
    const exact = timed(() => exactTopK(store.vectors, store.ids, store.dim, vector, k));
    const approximate = timed(() => hnsw.search(vector, k, efSearch));
    return { exact: exact.result, hnsw: approximate.result, exactMs: exact.ms, hnswMs: approximate.ms, repeats: REPEATS };
  },

  async leaveOneOut(k, efSearch, onProgress) {
    const { store, hnsw } = ready();
    return control.run(async () => {
      const queryIds = Array.from(store.ids);
      const exact: number[][] = [];
      const approximate: number[][] = [];
      for (const id of queryIds) {
        const vector = store.vectorOf(id);
        // One more than k, since the query finds itself.
        exact.push(leaveOut(id, exactTopK(store.vectors, store.ids, store.dim, vector, k + 1).map((n) => n.id), k));
        approximate.push(leaveOut(id, hnsw.search(vector, k + 1, efSearch).map((n) => n.id), k));
        if (exact.length % 32 === 0) onProgress(exact.length);
        await control.checkpoint();
      }
      onProgress(queryIds.length);
      return { queryIds, exact, hnsw: approximate };
    });
  },

  async sweep(request, onProgress) {
    const { store, hnsw } = ready();
    return control.run(() => runSweep(store, hnsw, request, control, onProgress));
  },

  async cancel() {
    control.cancel();
  },
};

Comlink.expose(api);
