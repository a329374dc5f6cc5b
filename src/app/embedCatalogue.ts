import type { EmbeddingPool } from '../../workers/embed/pool';
import type { EmbedBatchResult, EmbedFailure, EmbedJob } from '../../workers/embed/protocol';
import { progressFigures, type ProgressFigures } from '../lib/progress';

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
  ids: Int32Array;
  cost: EmbeddingCost;
}

/** A catalogue image to embed; images with the same content hash are embedded once. */
export interface CatalogueJob extends EmbedJob {
  hash: string;
}

export interface EmbedCatalogueOptions {
  signal?: AbortSignal;
  onProgress: (progress: ProgressFigures) => void;
  onFailures: (failures: EmbedFailure[]) => void;
  /** Every batch as it comes back, for counters. */
  onBatch?: (batch: EmbedBatchResult) => void;
}

/**
 * The embedding stage: every distinct image through the pool once (duplicate files share
 * one embedding and are all listed), vectors gathered in one array in the jobs' order — not
 * the order workers finish in — so ties, samples and index builds repeat.
 */
export async function embedCatalogue(
  pool: EmbeddingPool,
  jobs: CatalogueJob[],
  options: EmbedCatalogueOptions,
): Promise<EmbeddedCatalogue> {
  const dim = pool.ready.dim;
  const total = jobs.length;
  // For the first job of each content hash: the slots of every job with that content.
  const slotsOf = new Map<number, number[]>();
  const firstWithHash = new Map<string, number>();
  const unique: EmbedJob[] = [];
  jobs.forEach((job, slot) => {
    const first = firstWithHash.get(job.hash);
    if (first === undefined) {
      firstWithHash.set(job.hash, job.id);
      slotsOf.set(job.id, [slot]);
      unique.push({ id: job.id, source: job.source });
    } else {
      slotsOf.get(first)!.push(slot);
    }
  });
  const bySlot = new Float32Array(total * dim);
  const filled = new Uint8Array(total);
  let embedded = 0;
  let done = 0;
  let decodeMs = 0;
  let inferMs = 0;
  const started = performance.now();
  options.onProgress(progressFigures(0, total, 0));
  await pool.embedAll(unique, {
    batchSize: BATCH_SIZE,
    signal: options.signal,
    onBatch: (batch) => {
      batch.ids.forEach((id, row) => {
        for (const slot of slotsOf.get(id)!) {
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
      options.onProgress(progressFigures(done, total, performance.now() - started));
    },
  });
  const indexed = filled.reduce((sum, f) => sum + f, 0);
  const vectors = new Float32Array(indexed * dim);
  const ids = new Int32Array(indexed);
  let row = 0;
  jobs.forEach((job, slot) => {
    if (!filled[slot]) return;
    vectors.set(bySlot.subarray(slot * dim, (slot + 1) * dim), row * dim);
    ids[row++] = job.id;
  });
  const perImage = Math.max(1, embedded);
  return {
    vectors,
    ids,
    cost: { decodeMs: decodeMs / perImage, inferMs: inferMs / perImage, wallSeconds: (performance.now() - started) / 1000 },
  };
}
