import { WorkerClient } from '../../../bridge/workerClient';
import { SEARCH_WORKER } from '../shared/protocol';

/**
 * The main thread's handle on the search worker (HNSW index and exact store): the protocol's
 * methods (see SEARCH_WORKER for what is transferred and proxied). Builds, sweeps and
 * leave-one-out take an AbortSignal last; an aborted build resolves null and the old index serves on.
 */
export class SearchClient extends WorkerClient<typeof SEARCH_WORKER> {
  constructor() {
    super(
      () => new Worker(new URL('../worker/search.worker.ts', import.meta.url), { type: 'module', name: 'search' }),
      SEARCH_WORKER,
    );
  }
}
