import { WorkerClient } from '../../../bridge/workerClient';
import { PGVECTOR_WORKER } from '../shared/protocol';

/**
 * The main thread's handle on the pgvector worker (PGlite + pgvector). It is created only when
 * `engines=` lists pgvector, so without it no byte of PGlite is fetched.
 */
export class PgvectorClient extends WorkerClient<typeof PGVECTOR_WORKER> {
  constructor() {
    super(
      () => new Worker(new URL('../worker/pgvector.worker.ts', import.meta.url), { type: 'module', name: 'pgvector' }),
      PGVECTOR_WORKER,
    );
  }
}
