import { protocol } from '../../../bridge/protocol';
import type { CompactScaleRow } from '../../quantize/shared/compactScale';

export interface ScaleRequest {
  sizes: number[];
  dim: number;
  M: number;
  efConstruction: number;
  k: number;
  /** Queries per size (held out from the index). */
  queries: number;
  /** HNSW latency is reported at the smallest efSearch whose mean recall@k reaches this. */
  recallTarget: number;
  /** Also measure the compact codes (SQ8, binary + rescoring) at each N, floats regenerated from the seed; null: not. */
  compact: { rescore: number } | null;
}

export interface ScaleRow {
  n: number;
  /** Set when N would not fit the wasm heap; nothing else was measured. */
  refused: string | null;
  buildMs: number;
  exactMs: number;
  hnswMs: number;
  efSearch: number;
  recall: number;
  /**
   * Whether `recall` reached the request's recallTarget. When no efSearch tried reached it, the
   * row holds the largest one tried and this is false: its HNSW time is not "at the target".
   */
  reachedTarget: boolean;
  indexBytes: number;
  exactBytes: number;
}

export interface ScaleProgress {
  n: number;
  stage: string;
  done: number;
  total: number;
}

export interface ScaleWorkerApi {
  /** True when every size was measured; null when cancelled (rows measured before were already reported). */
  run(
    request: ScaleRequest,
    onRow: (row: ScaleRow) => void,
    onProgress: (p: ScaleProgress) => void,
    onCompactRows: (rows: CompactScaleRow[]) => void,
  ): Promise<true | null>;
}

export const SCALE_WORKER = protocol<ScaleWorkerApi>()({
  run: { job: true, callbacks: [1, 2, 3] },
});
