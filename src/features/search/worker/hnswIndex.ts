import { loadHnswlib, type HierarchicalNSW, type HnswlibModule } from 'hnswlib-wasm';
import type { Neighbour } from '../../../lib/types';
import type { JobControl } from '../../../bridge/jobControl';
import type { HnswParams } from '../shared/protocol';
import type { VectorStore } from './vectorStore';

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
  /** Labels that searches can return: added and not deleted. */
  private readonly live = new Set<number>();
  /** Labels mark-deleted here: still in the graph, so adding one again unmarks it. */
  private readonly deleted = new Set<number>();

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

  /** Reads an index that write() saved over exactly `ids`; throws when the file is missing, unreadable or holds other vectors. */
  static async read(file: string, ids: ArrayLike<number>, dim: number, params: HnswParams): Promise<HnswIndex> {
    library ??= loadHnswlib();
    const lib = await library;
    const index = new lib.HierarchicalNSW('cosine', dim, '');
    const free = () => (index as unknown as { delete(): void }).delete();
    try {
      await index.readIndex(file, Math.max(1, ids.length));
    } catch (error) {
      free();
      // hnswlib reports a bad file as an opaque WebAssembly.Exception.
      throw new Error(
        `hnswlib could not read the stored index (${error instanceof Error ? error.message : 'unreadable file'})`,
        { cause: error },
      );
    }
    if (index.getCurrentCount() !== ids.length) {
      const count = index.getCurrentCount();
      free();
      throw new Error(`the stored index holds ${count} vectors, not ${ids.length}`);
    }
    const restored = new HnswIndex(index, params);
    for (let i = 0; i < ids.length; i++) restored.live.add(ids[i]);
    return restored;
  }

  /** Saves the index into hnswlib's virtual file system (see indexFiles.ts for where it is kept). */
  async write(file: string): Promise<void> {
    await this.index.writeIndex(file);
  }

  /** Inserts one vector; a full index first doubles its capacity (adding past it throws). */
  add(vector: Float32Array, id: number): void {
    if (this.deleted.delete(id)) {
      // A label deleted before (an object entry turned off and on again): hnswlib refuses addPoint
      // on a deleted label, so it is unmarked and its vector updated in place.
      this.index.unmarkDelete(id);
    } else {
      const max = this.index.getMaxElements();
      if (this.index.getCurrentCount() >= max) this.index.resizeIndex(max * 2);
    }
    this.index.addPoint(vector, id, false);
    this.live.add(id);
  }

  /** Mark-delete: the node stays in the graph for routing but is never returned. */
  remove(id: number): void {
    if (!this.live.delete(id)) return;
    this.index.markDelete(id);
    this.deleted.add(id);
  }

  has(id: number): boolean {
    return this.live.has(id);
  }

  /** Makes the index hold exactly the store's vectors: adds the missing, mark-deletes the gone. */
  syncWith(store: VectorStore): void {
    for (const id of store.ids) if (!this.live.has(id)) this.add(store.vectorOf(id), id);
    for (const id of [...this.live]) if (!store.has(id)) this.remove(id);
  }

  /** Vectors searches can return (mark-deleted ones left out). */
  get count(): number {
    return this.live.size;
  }

  /** Slots the index holds now, before it next doubles. */
  get capacity(): number {
    return this.index.getMaxElements();
  }

  search(query: Float32Array, k: number, efSearch: number): Neighbour[] {
    // hnswlib throws an opaque WebAssembly.Exception when k exceeds the live (not deleted) count.
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
