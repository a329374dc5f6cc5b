import { WorkerClient } from '../../../bridge/workerClient';
import { BUNDLE_WORKER } from '../shared/bundleProtocol';

/** Ended after this long idle: a page reads its bundle once, at start (and again on a change of model). */
const IDLE_TIMEOUT_MS = 5_000;

/**
 * The main thread's handle on the bundle worker. Why a worker: read on the main thread, the
 * 12 MB bundle of the default catalogue arrived in chunks and was copied into one buffer there,
 * two tasks of 40–50 ms in the middle of the start; here they hold up nothing a person sees.
 */
export class BundleClient extends WorkerClient<typeof BUNDLE_WORKER> {
  constructor() {
    super(
      () => new Worker(new URL('../worker/bundle.worker.ts', import.meta.url), { type: 'module', name: 'bundle' }),
      BUNDLE_WORKER,
      { idleTimeoutMs: IDLE_TIMEOUT_MS },
    );
  }
}
