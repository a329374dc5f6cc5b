import { loadHnswlib, type HierarchicalNSW, type HnswlibModule } from 'hnswlib-wasm';
import type { Neighbour } from '../../src/lib/types';
import type { HnswParams } from './protocol';

const RANDOM_SEED = 100;
let library: Promise<HnswlibModule> | null = null;

/** An hnswlib-wasm index in cosine space whose labels are catalogue ids. */
export class HnswIndex {
  private constructor(private readonly index: HierarchicalNSW) {}

  static async create(dim: number, capacity: number, params: HnswParams): Promise<HnswIndex> {
    library ??= loadHnswlib();
    const lib = await library;
    // '' = no auto-save file: persistence is not this class's job.
    const index = new lib.HierarchicalNSW('cosine', dim, '');
    index.initIndex(Math.max(1, capacity), params.M, params.efConstruction, RANDOM_SEED);
    return new HnswIndex(index);
  }

  add(vector: Float32Array, id: number): void {
    this.index.addPoint(vector, id, false);
  }

  get count(): number {
    return this.index.getCurrentCount();
  }

  search(query: Float32Array, k: number, efSearch: number): Neighbour[] {
    // hnswlib throws an opaque WebAssembly.Exception when k exceeds the live count.
    const want = Math.min(k, this.count);
    if (want <= 0) return [];
    this.index.setEfSearch(efSearch);
    const { neighbors, distances } = this.index.searchKnn(query, want, undefined);
    // Cosine space returns distance = 1 − cosine similarity.
    return neighbors.map((id, i) => ({ id, score: 1 - distances[i] }));
  }
}
