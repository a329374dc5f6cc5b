import { WorkerClient, WorkerCrashed } from '../../../bridge/workerClient';
import type { Rect } from '../../../lib/crop';
import type { Backend, ModelInfo } from '../../../lib/types';
import { EMBED_WORKER, type EmbedBatchResult, type EmbedJob, type WorkerReady } from '../shared/protocol';

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
  /**
   * Workers that load the model at start; the others start (and load it) when a batch job
   * comes. Default: all of them.
   */
  warm?: number;
  /**
   * After this long with no embedding, every worker but the first is ended (each holds a
   * TensorFlow.js heap of a few hundred MiB); the next batch job starts them again. The first
   * stays for queries. Default: never.
   */
  retireAfterMs?: number;
  /** Told how many workers hold a model, whenever that changes. */
  onLiveChange?: (live: number) => void;
}

/**
 * Idle embedding workers beyond the first end after this long (as Squoosh ends idle codec
 * workers): each holds a TensorFlow.js heap of a few hundred MiB. The first stays for queries.
 */
export const RETIRE_IDLE_WORKERS_MS = 5000;

/** A batch is tried this many times, each in a fresh worker, before its images are reported. */
const ATTEMPTS_PER_BATCH = 3;

type PoolWorker = WorkerClient<typeof EMBED_WORKER>;

/**
 * One embedding worker. An uncaught error in it counts as its death: the call in flight
 * rejects with WorkerCrashed and the next call (init, by the pool) starts a fresh worker.
 */
function spawn(): PoolWorker {
  return new WorkerClient(
    () => new Worker(new URL('../worker/embed.worker.ts', import.meta.url), { type: 'module', name: 'embed' }),
    EMBED_WORKER,
    { restartOnError: true },
  );
}

/**
 * A pool of embedding workers, one MobileNet each; batches go to whichever worker is free.
 * A worker that dies is replaced and its unfinished batch is redone by the new one, so no
 * image is lost and none is embedded twice.
 */
export class EmbeddingPool {
  /** Workers replaced after a crash, since the pool started. */
  restarts = 0;

  /** Slots whose worker was ended while idle (or never started): started again by the next batch job. */
  private readonly retired = new Set<number>();
  private retireTimer: ReturnType<typeof setTimeout> | null = null;
  /** Calls in flight (batch jobs and queries): workers retire only when there is none. */
  private busy = 0;

  private constructor(
    private readonly workers: PoolWorker[],
    readonly ready: WorkerReady,
    private readonly options: PoolOptions,
    warm: number,
  ) {
    for (let slot = warm; slot < workers.length; slot++) this.retired.add(slot);
    this.options.onLiveChange?.(this.live);
  }

  static async start(options: PoolOptions): Promise<EmbeddingPool> {
    const warm = Math.max(1, Math.min(options.warm ?? options.size, options.size));
    const workers = Array.from({ length: options.size }, spawn);
    try {
      const ready = await Promise.all(workers.slice(0, warm).map((w) => EmbeddingPool.init(w, options)));
      const pool = new EmbeddingPool(workers, ready[0], options, warm);
      pool.scheduleRetirement();
      return pool;
    } catch (error) {
      workers.forEach((w) => w.terminate());
      throw error;
    }
  }

  /** Workers that hold the model now. */
  get live(): number {
    return this.workers.length - this.retired.size;
  }

  /** Starts the retired workers again (each loads the model), for a batch job. */
  private async wake(): Promise<void> {
    if (this.retired.size === 0) return;
    const slots = [...this.retired];
    this.retired.clear();
    this.options.onLiveChange?.(this.live);
    await Promise.all(slots.map((slot) => EmbeddingPool.init(this.workers[slot], this.options)));
  }

  /** Holds off retirement while `work` runs, and counts the idle time from its end. */
  private async holding<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    if (this.retireTimer !== null) clearTimeout(this.retireTimer);
    this.retireTimer = null;
    try {
      return await work();
    } finally {
      this.busy--;
      this.scheduleRetirement();
    }
  }

  private scheduleRetirement(): void {
    const after = this.options.retireAfterMs;
    if (after === undefined || this.busy > 0 || this.workers.length < 2) return;
    if (this.retireTimer !== null) clearTimeout(this.retireTimer);
    this.retireTimer = setTimeout(() => {
      this.retireTimer = null;
      if (this.busy > 0) return;
      for (let slot = 1; slot < this.workers.length; slot++) {
        if (this.retired.has(slot)) continue;
        this.workers[slot].terminate();
        this.retired.add(slot);
      }
      this.options.onLiveChange?.(this.live);
    }, after);
  }

  private static init(w: PoolWorker, options: PoolOptions): Promise<WorkerReady> {
    return w.init(options.model, options.modelUrl, options.backend);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Embeds every job; stops handing out batches once `signal` aborts, and returns when all in flight are back. */
  embedAll(jobs: EmbedJob[], options: EmbedAllOptions): Promise<void> {
    return this.holding(async () => {
      await this.wake();
      await this.embedEvery(jobs, options);
    });
  }

  private async embedEvery(jobs: EmbedJob[], options: EmbedAllOptions): Promise<void> {
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
          if (handedOut === this.options.loseContextOnBatch) await this.workers[slot].loseContextForTest();
          options.onBatch(await this.embedSupervised(slot, batch, handedOut === this.options.crashOnBatch));
        }
      }),
    );
  }

  private async embedSupervised(slot: number, batch: EmbedJob[], crash: boolean): Promise<EmbedBatchResult> {
    for (let attempt = 1; ; attempt++) {
      const w = this.workers[slot];
      try {
        // A worker that crashed between batches is as dead as one that crashes on this one.
        if (!w.alive) throw new WorkerCrashed('the embedding worker crashed');
        if (crash && attempt === 1) w.crashForTest().catch(() => {});
        return await w.embed(batch);
      } catch (error) {
        if (!(error instanceof WorkerCrashed)) throw error;
        await this.replace(slot);
        if (attempt >= ATTEMPTS_PER_BATCH) {
          const message = `the embedding worker crashed ${attempt} times on this batch (${error.message})`;
          const failures = batch.map((job) => ({ id: job.id, reason: 'worker-crashed' as const, message }));
          return {
            ids: [],
            vectors: new Float32Array(0),
            dim: 0,
            tags: [],
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

  /** The crashed worker is already terminated; its client starts a fresh one for init. */
  private async replace(slot: number): Promise<void> {
    this.restarts++;
    await EmbeddingPool.init(this.workers[slot], this.options);
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
    const result = await this.holding(() => this.embedSupervised(0, [{ id: -1, source, region }], false));
    if (result.failures.length > 0) return { error: result.failures[0].message };
    const { decodeMs, inferMs } = result;
    return { vector: result.vectors, ms: decodeMs + inferMs, decodeMs, inferMs, batch: result };
  }

  terminate(): void {
    if (this.retireTimer !== null) clearTimeout(this.retireTimer);
    this.workers.forEach((w) => w.terminate());
  }
}
