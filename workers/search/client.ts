import * as Comlink from 'comlink';
import type { BuildResult, HnswParams, SearchQuery, SearchResult, SearchWorkerApi } from './protocol';

/** The main thread's handle on the search worker (HNSW index and exact store). */
export class SearchClient {
  private readonly worker = new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module', name: 'search' });
  private readonly api = Comlink.wrap<SearchWorkerApi>(this.worker);

  /** Hands the vectors over: they are transferred, not copied, so the caller loses them. */
  setVectors(vectors: Float32Array, ids: Int32Array, dim: number): Promise<void> {
    return this.api.setVectors(Comlink.transfer(vectors, [vectors.buffer]), ids, dim);
  }

  buildIndex(params: HnswParams, onProgress: (added: number) => void): Promise<BuildResult> {
    return this.api.buildIndex(params, Comlink.proxy(onProgress));
  }

  search(query: SearchQuery, k: number, efSearch: number): Promise<SearchResult> {
    return this.api.search(query, k, efSearch);
  }

  terminate(): void {
    this.worker.terminate();
  }
}
