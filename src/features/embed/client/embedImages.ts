import type { EmbeddingPool } from './pool';
import type { EmbedBatchResult, EmbedFailure, EmbedJob } from '../shared/protocol';
import { progressFigures, type ProgressFigures } from '../../../lib/progress';
import { yieldToMain } from '../../../lib/yieldToMain';

/** Images per request to a worker: large enough to amortise messaging, small enough for smooth progress. */
export const BATCH_SIZE = 8;

/** Per-image worker time of a catalogue run, split into data preparation and the model. */
export interface EmbeddingCost {
  decodeMs: number;
  inferMs: number;
  wallSeconds: number;
}

export interface EmbeddedCatalogue {
  /** Row-major, ids.length × dim, L2-normalised. */
  vectors: Float32Array;
  dim: number;
  ids: Int32Array;
  /** Null when every embedding was already known. */
  cost: EmbeddingCost | null;
}

/** A catalogue image to embed; images with the same content hash are embedded once. */
export interface CatalogueJob extends EmbedJob {
  hash: string;
}

export interface EmbedCatalogueOptions {
  /** Embeddings already known (browser cache or a precomputed bundle) by content hash: not embedded again. */
  known?: ReadonlyMap<string, Float32Array>;
  signal?: AbortSignal;
  onProgress: (progress: ProgressFigures) => void;
  onFailures: (failures: EmbedFailure[]) => void;
  /** Every batch as it comes back, for counters. */
  onBatch?: (batch: EmbedBatchResult) => void;
  /** Each new embedding with its content hash, as its batch comes back, for the cache. */
  onEmbedded?: (embedded: [hash: string, vector: Float32Array][]) => void;
}

const ROWS_PER_TASK = 400;

/**
 * The embedding stage: every distinct image not already known goes through the pool once
 * (duplicate files share one embedding and are all listed), and vectors are gathered in one
 * array in the jobs' order — not the order workers finish in — so ties, samples and index
 * builds repeat. The pool is only started when something is left to embed.
 */
export async function embedCatalogue(
  startPool: () => Promise<EmbeddingPool>,
  jobs: CatalogueJob[],
  options: EmbedCatalogueOptions,
): Promise<EmbeddedCatalogue> {
  const known = options.known ?? new Map<string, Float32Array>();
  const pending = jobs.filter((job) => !known.has(job.hash));
  const pool = pending.length > 0 ? await startPool() : null;
  const dim = pool?.ready.dim ?? known.values().next().value?.length ?? 0;
  const total = pending.length;
  // For the first job of each content hash: the slots of every job with that content.
  const slotsOf = new Map<number, number[]>();
  const firstWithHash = new Map<string, number>();
  const unique: EmbedJob[] = [];
  const bySlot = new Float32Array(jobs.length * dim);
  const filled = new Uint8Array(jobs.length);
  for (let slot = 0; slot < jobs.length; slot++) {
    // Known vectors are copied a few hundred rows a task: the default catalogue's 12 MB in one
    // went past 50 ms on a busy machine, in the middle of the start.
    if (slot > 0 && slot % ROWS_PER_TASK === 0) await yieldToMain();
    const job = jobs[slot];
    const vector = known.get(job.hash);
    if (vector) {
      if (vector.length !== dim) throw new Error(`a stored embedding has ${vector.length} dimensions, not ${dim}`);
      bySlot.set(vector, slot * dim);
      filled[slot] = 1;
      continue;
    }
    const first = firstWithHash.get(job.hash);
    if (first === undefined) {
      firstWithHash.set(job.hash, job.id);
      slotsOf.set(job.id, [slot]);
      unique.push({ id: job.id, source: job.source });
    } else {
      slotsOf.get(first)!.push(slot);
    }
  }
  let embedded = 0;
  let done = 0;
  let decodeMs = 0;
  let inferMs = 0;
  const started = performance.now();
  options.onProgress(progressFigures(0, total, 0));
  await pool?.embedAll(unique, {
    batchSize: BATCH_SIZE,
    signal: options.signal,
    onBatch: (batch) => {
      const fresh: [string, Float32Array][] = [];
      batch.ids.forEach((id, row) => {
        const slots = slotsOf.get(id)!;
        fresh.push([jobs[slots[0]].hash, batch.vectors.subarray(row * dim, (row + 1) * dim)]);
        for (const slot of slots) {
          bySlot.set(batch.vectors.subarray(row * dim, (row + 1) * dim), slot * dim);
          filled[slot] = 1;
          done++;
        }
      });
      embedded += batch.ids.length;
      decodeMs += batch.decodeMs;
      inferMs += batch.inferMs;
      const failures = batch.failures.flatMap((failure) =>
        slotsOf.get(failure.id)!.map((slot) => ({ ...failure, id: jobs[slot].id })),
      );
      done += failures.length;
      if (failures.length > 0) options.onFailures(failures);
      options.onBatch?.(batch);
      if (fresh.length > 0) options.onEmbedded?.(fresh);
      options.onProgress(progressFigures(done, total, performance.now() - started));
    },
  });
  const indexed = filled.reduce((sum, f) => sum + f, 0);
  // Every slot filled (the usual case: nothing failed): the slots already are the rows, no second copy.
  const vectors = indexed === jobs.length ? bySlot : new Float32Array(indexed * dim);
  const ids = new Int32Array(indexed);
  let row = 0;
  jobs.forEach((job, slot) => {
    if (!filled[slot]) return;
    if (vectors !== bySlot) vectors.set(bySlot.subarray(slot * dim, (slot + 1) * dim), row * dim);
    ids[row++] = job.id;
  });
  return {
    vectors,
    dim,
    ids,
    cost:
      embedded === 0
        ? null
        : {
            decodeMs: decodeMs / embedded,
            inferMs: inferMs / embedded,
            wallSeconds: (performance.now() - started) / 1000,
          },
  };
}
