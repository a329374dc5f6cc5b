import { loadHnswlib, type HierarchicalNSW, type HnswlibModule } from 'hnswlib-wasm';
import type { Neighbour } from '../../src/lib/types';
import type { JobControl } from '../shared/jobControl';
import type { HnswParams } from './protocol';

const RANDOM_SEED = 100;
const PROGRESS_EVERY = 64;
let library: Promise<HnswlibModule> | null = null;

/** Bytes of hnswlib-wasm's heap (grown, never shrunk), 0 before the library loads. */
export async function hnswlibHeapBytes(): Promise<number> {
  if (!library) return 0;
  return ((await library) as unknown as { HEAPU8: Uint8Array }).HEAPU8.byteLength;
}

/** An hnswlib-wasm index in cosine space whose labels are catalogue ids. */
export class HnswIndex {
  private constructor(
    private readonly index: HierarchicalNSW,
    readonly params: HnswParams,
  ) {}

  static async create(dim: number, capacity: number, params: HnswParams): Promise<HnswIndex> {
    library ??= loadHnswlib();
    const lib = await library;
    // '' = no auto-save file: persistence is not this class's job.
    const index = new lib.HierarchicalNSW('cosine', dim, '');
    index.initIndex(Math.max(1, capacity), params.M, params.efConstruction, RANDOM_SEED);
    return new HnswIndex(index, params);
  }

  /** Inserts every row of `vectors`; frees the half-built index if the job is cancelled. */
  static async build(
    vectors: Float32Array,
    ids: ArrayLike<number>,
    dim: number,
    params: HnswParams,
    control: JobControl,
    onProgress: (added: number) => void,
  ): Promise<HnswIndex> {
    const index = await HnswIndex.create(dim, ids.length, params);
    try {
      for (let row = 0; row < ids.length; row++) {
        index.add(vectors.subarray(row * dim, (row + 1) * dim), ids[row]);
        if ((row + 1) % PROGRESS_EVERY === 0) onProgress(row + 1);
        await control.checkpoint();
      }
    } catch (error) {
      index.dispose();
      throw error;
    }
    onProgress(ids.length);
    return index;
  }

  /** Reads an index that write() saved; throws when the file is missing or unreadable. */
  static async read(file: string, dim: number, capacity: number, params: HnswParams): Promise<HnswIndex> {
    library ??= loadHnswlib();
    const lib = await library;
    const index = new lib.HierarchicalNSW('cosine', dim, '');
    try {
      await index.readIndex(file, Math.max(1, capacity));
    } catch (error) {
      (index as unknown as { delete(): void }).delete();
      // hnswlib reports a bad file as an opaque WebAssembly.Exception.
      throw new Error(`hnswlib could not read the stored index (${error instanceof Error ? error.message : 'unreadable file'})`);
    }
    return new HnswIndex(index, params);
  }

  /** Saves the index into hnswlib's virtual file system (see indexFiles.ts for where it is kept). */
  async write(file: string): Promise<void> {
    await this.index.writeIndex(file);
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

  /** Frees the index's wasm memory (an embind object is not garbage-collected). */
  dispose(): void {
    (this.index as unknown as { delete(): void }).delete();
  }
}
