import * as Comlink from 'comlink';
import type { Backend, ModelInfo } from '../../src/lib/types';
import type { EmbedBatchResult, EmbedJob, EmbedWorkerApi, WorkerReady } from './protocol';

export interface EmbedProgress {
  done: number;
  total: number;
}

export interface EmbedAllOptions {
  batchSize: number;
  signal?: AbortSignal;
  onBatch: (result: EmbedBatchResult) => void;
}

interface PoolWorker {
  worker: Worker;
  api: Comlink.Remote<EmbedWorkerApi>;
}

/** A pool of embedding workers, one MobileNet each; batches go to whichever worker is free. */
export class EmbeddingPool {
  private constructor(
    private readonly workers: PoolWorker[],
    readonly ready: WorkerReady,
  ) {}

  static async start(size: number, model: ModelInfo, modelUrl: string, backend: Backend | null): Promise<EmbeddingPool> {
    const workers = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./embed.worker.ts', import.meta.url), { type: 'module', name: 'embed' });
      return { worker, api: Comlink.wrap<EmbedWorkerApi>(worker) };
    });
    try {
      const ready = await Promise.all(workers.map((w) => w.api.init(model, modelUrl, backend)));
      return new EmbeddingPool(workers, ready[0]);
    } catch (error) {
      workers.forEach((w) => w.worker.terminate());
      throw error;
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Embeds every job; stops handing out batches once `signal` aborts, and returns when all in flight are back. */
  async embedAll(jobs: EmbedJob[], options: EmbedAllOptions): Promise<void> {
    let next = 0;
    const takeBatch = (): EmbedJob[] | null => {
      if (options.signal?.aborted || next >= jobs.length) return null;
      const batch = jobs.slice(next, next + options.batchSize);
      next += batch.length;
      return batch;
    };
    await Promise.all(
      this.workers.map(async ({ api }) => {
        for (let batch = takeBatch(); batch; batch = takeBatch()) options.onBatch(await api.embed(batch));
      }),
    );
  }

  /** Embeds one image the user gave; returns its vector, the time the worker spent and its live tensors. */
  async embedOne(source: Blob): Promise<{ vector: Float32Array; ms: number; tensors: number } | { error: string }> {
    const result = await this.workers[0].api.embed([{ id: -1, source }]);
    if (result.failures.length > 0) return { error: result.failures[0].message };
    return { vector: result.vectors, ms: result.decodeMs + result.inferMs, tensors: result.tensors };
  }

  terminate(): void {
    this.workers.forEach((w) => w.worker.terminate());
  }
}
