import '../integration/hnswlibInNode';
import { loadHnswlib } from 'hnswlib-wasm/dist/hnswlib.js';
import hnswlibNode from 'hnswlib-node';
import { annRecallAtK } from '../../src/lib/annRecall';
import { exactTopK } from '../../src/lib/exactSearch';
import { clusteredBenchVectors } from './vectors';

/** The same HNSW parameters for both libraries, and the same vectors (made from `seed`). */
export interface PeerProbe {
  n: number;
  dim: number;
  M: number;
  efConstruction: number;
  efSearch: number;
  k: number;
  queries: number;
  seed: number;
}

export interface PeerFigures {
  buildMs: number;
  queryMs: number[];
  recall: number;
}

/** What both hnswlib builds offer, in their own spellings. */
interface Hnsw {
  initIndex(maxElements: number, M: number, efConstruction: number, seed: number): void;
  addPoint(vector: Float32Array | number[], label: number, replace: boolean): void;
  setEf(ef: number): void;
  searchKnn(query: Float32Array | number[], k: number): { neighbors: number[] };
  dispose(): void;
}

const RANDOM_SEED = 100;

async function wasmIndex(dim: number): Promise<Hnsw> {
  const lib = await loadHnswlib();
  const index = new lib.HierarchicalNSW('cosine', dim, '');
  return {
    initIndex: (max, M, efc, seed) => index.initIndex(max, M, efc, seed),
    addPoint: (v, label, replace) => index.addPoint(v as Float32Array, label, replace),
    setEf: (ef) => index.setEfSearch(ef),
    searchKnn: (q, k) => index.searchKnn(q as Float32Array, k, undefined),
    dispose: () => (index as unknown as { delete(): void }).delete(),
  };
}

function nativeIndex(dim: number): Hnsw {
  const index = new hnswlibNode.HierarchicalNSW('cosine', dim);
  return {
    // The native binding takes plain arrays: measure() hands it those.
    initIndex: (max, M, efc, seed) => index.initIndex(max, M, efc, seed),
    addPoint: (v, label, replace) => index.addPoint(v as number[], label, replace),
    setEf: (ef) => index.setEf(ef),
    searchKnn: (q, k) => index.searchKnn(q as number[], k),
    dispose: () => {},
  };
}

/**
 * Builds and queries one library on the probe's vectors; times only the library calls. The build
 * is one run; the queries run once untimed (recall is taken there) and then once timed.
 */
async function measure(make: (dim: number) => Hnsw | Promise<Hnsw>, probe: PeerProbe): Promise<PeerFigures> {
  const { n, dim, M, efConstruction, efSearch, k, queries: q, seed } = probe;
  const all = clusteredBenchVectors(n + q, dim, seed);
  const rows = Array.from({ length: n + q }, (_, i) => all.subarray(i * dim, (i + 1) * dim));
  const index = await make(dim);
  // Conversion to the binding's input type is done up front, outside the timings.
  const inputs: (Float32Array | number[])[] = make === nativeIndex ? rows.map((r) => Array.from(r)) : rows;
  const start = performance.now();
  index.initIndex(n, M, efConstruction, RANDOM_SEED);
  for (let i = 0; i < n; i++) index.addPoint(inputs[i], i, false);
  const buildMs = performance.now() - start;
  index.setEf(efSearch);
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  const data = all.subarray(0, n * dim);
  let recall = 0;
  for (let i = 0; i < q; i++) {
    const { neighbors } = index.searchKnn(inputs[n + i], k);
    recall +=
      annRecallAtK(
        exactTopK(data, ids, dim, rows[n + i], k).map((r) => r.id),
        neighbors,
      ) / q;
  }
  const queryMs: number[] = [];
  for (let i = 0; i < q; i++) {
    const t = performance.now();
    index.searchKnn(inputs[n + i], k);
    queryMs.push(performance.now() - t);
  }
  index.dispose();
  return { buildMs, queryMs, recall };
}

/** hnswlib-wasm and native hnswlib (hnswlib-node) in this Node process, one after the other. */
export async function hnswPeers(probe: PeerProbe): Promise<{ wasm: PeerFigures; native: PeerFigures }> {
  return { wasm: await measure(wasmIndex, probe), native: await measure(nativeIndex, probe) };
}
