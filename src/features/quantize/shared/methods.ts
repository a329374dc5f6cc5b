import { IVF_PROBE, ivfLists } from './ivfProduct';

/**
 * The ways a vector can be stored and searched in the quantization lab, the float32 exact scan
 * first as the reference. The quantized ones but IVF-PQ can also be Search engines (`engines=` in
 * the URL, src/lib/params.ts); IVF-PQ is measured in the lab only.
 */
export const QUANT_METHODS = ['float32', 'sq8', 'binary', 'binary-rescore', 'pq', 'ivf-pq'] as const;
export type QuantMethod = (typeof QUANT_METHODS)[number];
export type QuantizedMethod = Exclude<QuantMethod, 'float32'>;

export const METHOD_NAMES: Record<QuantMethod, string> = {
  float32: 'float32 (exact scan)',
  sq8: 'SQ8 (int8 per dimension)',
  binary: 'binary (Hamming)',
  'binary-rescore': 'binary + float rescoring',
  pq: 'PQ (m bytes, ADC)',
  'ivf-pq': `IVF-PQ (√N lists, ${IVF_PROBE} probed)`,
};

/** Rescoring depth R of the binary codes: candidates by Hamming distance that the float vectors rescore. */
export const RESCORE = { min: 1, max: 100_000, default: 200 };
/** PQ's sub-spaces m (bytes per vector). */
export const PQ_M = { min: 1, max: 512, default: 64 };
export const PQ_SEED = 7;
/** Seed of the binary codes' optional random rotation. */
export const ROTATION_SEED = 11;

/** Bytes of one vector's code (float32: the vector itself); rows are padded as the kernels read them. */
export function bytesPerVector(method: QuantMethod, dim: number, pqM: number): number {
  switch (method) {
    case 'float32':
      return dim * 4;
    case 'sq8':
      return Math.ceil(dim / 16) * 16;
    case 'binary':
    case 'binary-rescore':
      return Math.ceil(dim / 64) * 8;
    case 'pq':
      return pqM;
    case 'ivf-pq':
      // The residual's code and the row's id in its inverted list.
      return pqM + 4;
  }
}

/** What a method keeps besides its codes, in bytes: per-dimension ranges, means (and the rotation), or the codebooks. */
export function modelBytes(method: QuantMethod, dim: number, pqM: number, count: number, rotate = false): number {
  switch (method) {
    case 'float32':
      return 0;
    case 'sq8':
      return dim * 8;
    case 'binary':
    case 'binary-rescore':
      return dim * 4 + (rotate ? dim * dim * 4 : 0);
    case 'pq':
      return Math.min(256, count) * dim * 4 + (pqM + 1) * 4;
    case 'ivf-pq':
      // The coarse centroids, the residuals' codebooks, and where each list starts.
      return (ivfLists(count) + Math.min(256, count)) * dim * 4 + (pqM + 1) * 4 + (ivfLists(count) + 1) * 4;
  }
}

/** Whether the method reads the float vectors at query time (they must be kept somewhere: memory, disk, or regenerated). */
export const needsFloats = (method: QuantMethod) => method === 'float32' || method === 'binary-rescore';

export interface QuantizationRequest {
  k: number;
  rescore: number;
  pqM: number;
  /** Binary codes: sign bits after a random rotation. */
  rotate?: boolean;
  /** Catalogue images searched by their stored vectors, each left out of its own lists. */
  queryIds: number[];
}

/** One method's figures; field names are the CSV columns. */
export interface QuantizationRow {
  method: QuantMethod;
  bytes_per_vector: number;
  /** Codes + what the method keeps besides (ranges, codebooks), not the float vectors rescoring reads. */
  total_bytes: number;
  train_ms: number;
  p50_ms: number;
  p95_ms: number;
  /** ANN recall@k against the float32 exact scan, each query left out of both lists. */
  recall: number;
  /** Whether it reads the float vectors at query time. */
  needs_floats: boolean;
}

export interface QuantizationResult {
  rows: QuantizationRow[];
  /** Per method, the top k ids (query left out) of each query, in queryIds' order: the label metrics are computed from these. */
  rankings: Record<QuantMethod, number[][]>;
  queryIds: number[];
  k: number;
  count: number;
  dim: number;
}

export interface QuantizationProgress {
  done: number;
  total: number;
  stage: string;
}

export const isQuantizedMethod = (engine: string): engine is QuantizedMethod =>
  engine !== 'float32' && (QUANT_METHODS as readonly string[]).includes(engine);

/** Rescoring depth of binary + rescoring in the Scale lab, where each rescored row is regenerated from the seed. */
export const COMPACT_RESCORE = 1000;
