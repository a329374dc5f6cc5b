import { WorkerClient } from '../../../bridge/workerClient';
import { KNOWN_VECTORS_WORKER } from '../shared/knownVectorsProtocol';

/** Ended after this long idle: a page reads its known vectors at start (and again on a change of model). */
const IDLE_TIMEOUT_MS = 5_000;

/**
 * The main thread's handle on the known-vectors worker, which reads the embeddings known before any
 * image is embedded: the catalogue's bundle and what browser storage kept. Why a worker: on the main
 * thread the default catalogue's 12 MB bundle arrived in chunks and was copied into one buffer, two
 * tasks of 40–50 ms in the middle of the start; and 2,369 stored embeddings arrived as IndexedDB
 * replies of 250 read back at a time, tasks of up to 70 ms of a warm start. Here they hold up nothing
 * a person sees, and come back as one transferred buffer.
 */
export class KnownVectorsClient extends WorkerClient<typeof KNOWN_VECTORS_WORKER> {
  constructor() {
    super(
      () =>
        new Worker(new URL('../worker/knownVectors.worker.ts', import.meta.url), {
          type: 'module',
          name: 'known-vectors',
        }),
      KNOWN_VECTORS_WORKER,
      { idleTimeoutMs: IDLE_TIMEOUT_MS },
    );
  }
}

/** One worker for the page: the bundle and the stored embeddings are read by the same one. */
export const knownVectors = new KnownVectorsClient();
