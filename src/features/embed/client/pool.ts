import * as Comlink from 'comlink';
import type { Rect } from '../../../lib/crop';
import type { Backend, ModelInfo } from '../../../lib/types';
import type { EmbedBatchResult, EmbedJob, EmbedWorkerApi, WorkerReady } from '../shared/protocol';

export interface EmbedAllOptions {
  batchSize: number;
  signal?: AbortSignal;
  onBatch: (result: EmbedBatchResult) => void;
}

export interface PoolOptions {
  size: number;
  model: ModelInfo;
  modelUrl: string;
  backend: Backend | null;
  /** Fault injection for tests and demos: the first worker dies on this batch (1-based). */
  crashOnBatch?: number | null;
  /** Fault injection: the first worker loses its WebGL context before this batch (1-based). */
  loseContextOnBatch?: number | null;
}

/** A batch is tried this many times, each in a fresh worker, before its images are reported. */
const ATTEMPTS_PER_BATCH = 3;

class WorkerDied extends Error {}

interface PoolWorker {
  worker: Worker;
  api: Comlink.Remote<EmbedWorkerApi>;
  /** Rejects when the worker reports an uncaught error: it is then treated as dead. */
  died: Promise<never>;
}

function spawn(): PoolWorker {
  const worker = new Worker(new URL('../worker/embed.worker.ts', import.meta.url), { type: 'module', name: 'embed' });
  const died = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => reject(new WorkerDied(event.message || 'embedding worker crashed')));
  });
  died.catch(() => {});
  return { worker, api: Comlink.wrap<EmbedWorkerApi>(worker), died };
}

/**
 * A pool of embedding workers, one MobileNet each; batches go to whichever worker is free.
 * A worker that dies is replaced and its unfinished batch is redone by the new one, so no
 * image is lost and none is embedded twice.
 */
export class EmbeddingPool {
  /** Workers replaced after a crash, since the pool started. */
  restarts = 0;

  private constructor(
    private readonly workers: PoolWorker[],
    readonly ready: WorkerReady,
    private readonly options: PoolOptions,
  ) {}

  static async start(options: PoolOptions): Promise<EmbeddingPool> {
    const workers = Array.from({ length: options.size }, spawn);
    try {
      const ready = await Promise.all(workers.map((w) => EmbeddingPool.init(w, options)));
      return new EmbeddingPool(workers, ready[0], options);
    } catch (error) {
      workers.forEach((w) => w.worker.terminate());
      throw error;
    }
  }

  private static init(w: PoolWorker, options: PoolOptions): Promise<WorkerReady> {
    return Promise.race([w.api.init(options.model, options.modelUrl, options.backend), w.died]);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Embeds every job; stops handing out batches once `signal` aborts, and returns when all in flight are back. */
  async embedAll(jobs: EmbedJob[], options: EmbedAllOptions): Promise<void> {
    let next = 0;
    let batchesHandedOut = 0;
    const takeBatch = (): EmbedJob[] | null => {
      if (options.signal?.aborted || next >= jobs.length) return null;
      const batch = jobs.slice(next, next + options.batchSize);
      next += batch.length;
      return batch;
    };
    await Promise.all(
      this.workers.map(async (_, slot) => {
        for (let batch = takeBatch(); batch; batch = takeBatch()) {
          const handedOut = slot === 0 ? ++batchesHandedOut : 0;
          if (handedOut === this.options.loseContextOnBatch) await this.workers[slot].api.loseContextForTest();
          options.onBatch(await this.embedSupervised(slot, batch, handedOut === this.options.crashOnBatch));
        }
      }),
    );
  }

  private async embedSupervised(slot: number, batch: EmbedJob[], crash: boolean): Promise<EmbedBatchResult> {
    for (let attempt = 1; ; attempt++) {
      const w = this.workers[slot];
      try {
        if (crash && attempt === 1) void w.api.crashForTest();
        return await Promise.race([w.api.embed(batch), w.died]);
      } catch (error) {
        if (!(error instanceof WorkerDied)) throw error;
        await this.replace(slot);
        if (attempt >= ATTEMPTS_PER_BATCH) {
          const message = `the embedding worker crashed ${attempt} times on this batch (${error.message})`;
          const failures = batch.map((job) => ({ id: job.id, reason: 'worker-crashed' as const, message }));
          return {
            ids: [],
            vectors: new Float32Array(0),
            dim: 0,
            decodeMs: 0,
            inferMs: 0,
            tensors: 0,
            backend: this.ready,
            fallback: null,
            failures,
          };
        }
      }
    }
  }

  private async replace(slot: number): Promise<void> {
    this.workers[slot].worker.terminate();
    const fresh = spawn();
    this.workers[slot] = fresh;
    this.restarts++;
    await EmbeddingPool.init(fresh, this.options);
  }

  /**
   * Embeds one query image (or a region of it); returns its vector, the time the worker spent —
   * in all, and split into decoding + preprocessing and the model — and the batch's figures
   * (live tensors, backend).
   */
  async embedOne(
    source: string | Blob,
    region?: Rect,
  ): Promise<
    { vector: Float32Array; ms: number; decodeMs: number; inferMs: number; batch: EmbedBatchResult } | { error: string }
  > {
    const result = await this.embedSupervised(0, [{ id: -1, source, region }], false);
    if (result.failures.length > 0) return { error: result.failures[0].message };
    const { decodeMs, inferMs } = result;
    return { vector: result.vectors, ms: decodeMs + inferMs, decodeMs, inferMs, batch: result };
  }

  terminate(): void {
    this.workers.forEach((w) => w.worker.terminate());
  }
}
