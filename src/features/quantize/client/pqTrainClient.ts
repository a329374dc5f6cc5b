import { WorkerClient } from '../../../bridge/workerClient';
import { PQ_TRAIN_WORKER } from '../shared/pqTrainProtocol';

/** The main thread's handle on the PQ training worker; started only when the PQ column is shown. */
export class PqTrainClient extends WorkerClient<typeof PQ_TRAIN_WORKER> {
  constructor() {
    super(
      () => new Worker(new URL('../worker/pqTrain.worker.ts', import.meta.url), { type: 'module', name: 'pq-train' }),
      PQ_TRAIN_WORKER,
    );
  }
}
