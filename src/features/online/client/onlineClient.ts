import { WorkerClient } from '../../../bridge/workerClient';
import { ONLINE_WORKER } from '../shared/protocol';

/** Ended after this long idle: it holds a copy of the vectors while the re-ranked arms are made. */
const IDLE_TIMEOUT_MS = 10_000;

/** The main thread's handle on the Online tab's worker (simulated sessions, re-ranked arms). */
export class OnlineClient extends WorkerClient<typeof ONLINE_WORKER> {
  constructor() {
    super(
      () => new Worker(new URL('../worker/online.worker.ts', import.meta.url), { type: 'module', name: 'online' }),
      ONLINE_WORKER,
      { idleTimeoutMs: IDLE_TIMEOUT_MS },
    );
  }
}
