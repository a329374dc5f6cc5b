import * as Comlink from 'comlink';
import type { SearchWorkerApi } from '../shared/protocol';

/**
 * The main thread's handle on the search worker (HNSW index and exact store). Callbacks
 * are proxied and the vectors transferred, so callers pass plain functions and arrays.
 */
export class SearchClient {
  private readonly worker = new Worker(new URL('../worker/search.worker.ts', import.meta.url), {
    type: 'module',
    name: 'search',
  });
  private readonly api = Comlink.wrap<SearchWorkerApi>(this.worker);

  /** Hands the vectors over: they are transferred, not copied, so the caller loses them. */
  setVectors: SearchWorkerApi['setVectors'] = (vectors, ids, dim) =>
    this.api.setVectors(Comlink.transfer(vectors, [vectors.buffer]), ids, dim);

  buildIndex: SearchWorkerApi['buildIndex'] = (params, onProgress) =>
    this.api.buildIndex(params, Comlink.proxy(onProgress));

  saveIndex: SearchWorkerApi['saveIndex'] = (file, replaces) => this.api.saveIndex(file, replaces);

  restoreIndex: SearchWorkerApi['restoreIndex'] = (saved, params) => this.api.restoreIndex(saved, params);

  forgetIndexes: SearchWorkerApi['forgetIndexes'] = () => this.api.forgetIndexes();

  copyVectors: SearchWorkerApi['copyVectors'] = () => this.api.copyVectors();

  /** The vectors are transferred, so the caller loses them. */
  add: SearchWorkerApi['add'] = (vectors, ids) => this.api.add(Comlink.transfer(vectors, [vectors.buffer]), ids);

  remove: SearchWorkerApi['remove'] = (ids) => this.api.remove(ids);

  search: SearchWorkerApi['search'] = (query, k, efSearch, rules) => this.api.search(query, k, efSearch, rules);

  leaveOneOut: SearchWorkerApi['leaveOneOut'] = (k, efSearch, onProgress) =>
    this.api.leaveOneOut(k, efSearch, Comlink.proxy(onProgress));

  sweep: SearchWorkerApi['sweep'] = (request, onProgress) => this.api.sweep(request, Comlink.proxy(onProgress));

  cancel: SearchWorkerApi['cancel'] = () => this.api.cancel();

  terminate(): void {
    this.worker.terminate();
  }
}
