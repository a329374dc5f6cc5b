import { WorkerClient } from '../../../bridge/workerClient';
import { DETECT_WORKER } from '../shared/protocol';

/** The main thread's handle on the object detector's worker (see DETECT_WORKER). */
export class DetectClient extends WorkerClient<typeof DETECT_WORKER> {
  constructor() {
    super(
      () => new Worker(new URL('../worker/detect.worker.ts', import.meta.url), { type: 'module', name: 'detect' }),
      DETECT_WORKER,
    );
  }
}
