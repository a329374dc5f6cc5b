import { protocol } from '../../../bridge/protocol';
import type { ProductQuantizer } from './productQuantizer';

/** A catalogue as PQ codes: the codebooks, and the m-byte code of each row (ids in row order). */
export interface PqCodes {
  pq: ProductQuantizer;
  /** ids.length × m bytes. */
  codes: Uint8Array;
  ids: Int32Array;
}

export interface PqTrainProgress {
  /** k-means of the sub-spaces (done of m), then the rows encoded (done of the rows). */
  stage: 'training' | 'encoding';
  done: number;
  total: number;
}

export interface PqTrainOptions {
  m: number;
  seed: number;
}

export interface PqTrainWorkerApi {
  /**
   * Trains the m × 256 codebooks on the vectors (row-major, ids.length × dim; transferred) by
   * seeded k-means, or takes `codebooks` trained before, and encodes every row. Null when cancelled.
   */
  encode(
    vectors: Float32Array,
    ids: Int32Array,
    dim: number,
    options: PqTrainOptions,
    codebooks: ProductQuantizer | null,
    onProgress: (progress: PqTrainProgress) => void,
  ): Promise<PqCodes | null>;
}

/** The PQ training worker's boundary: k-means runs here, never in the search worker, so exact and HNSW keep answering. */
export const PQ_TRAIN_WORKER = protocol<PqTrainWorkerApi>()({
  encode: { job: true, callbacks: [5], transfer: (vectors) => [vectors.buffer] },
});
