import type { Backend, ModelInfo } from '../../../src/lib/types';

export interface EmbeddingProbe {
  model: ModelInfo;
  modelUrl: string;
  backend: Backend;
  /** WASM only: false forces the single-threaded SIMD build even when the page is cross-origin isolated. */
  threads: boolean;
  /** Batch sizes to time, one after the other in this worker. */
  batches: number[];
  runs: number;
  /** Catalogue image URLs, at least the largest batch of them: decoded once, then run through the model. */
  imageUrls: string[];
}

export interface EmbeddingFigures {
  backend: Backend;
  simd: boolean;
  threads: boolean;
  /** Threads tfjs-backend-wasm actually runs (getThreadsCount); 1 when not threaded or not WASM. */
  threadCount: number;
  /** Backend start plus model download and parse, and the first (warm-up) inference, ms. */
  loadMs: number;
  warmupMs: number;
  /** Data preparation (fetch, decode, crop, resize) per image, one value per image. */
  prepMs: number[];
  /** Per batch size: model time per image, one value per run of one batch. */
  inferMsPerImage: Record<number, number[]>;
  /** Bytes of the tfjs WASM heap after the runs (0 for other backends). */
  wasmHeapBytes: number;
}

export interface ScanProbe {
  n: number;
  dim: number;
  queries: number;
  k: number;
}

export interface ScanFigures {
  bytes: number;
  /** Per query: the exact top-k scan as the app runs it (WebAssembly SIMD), and the plain JavaScript one. */
  scanMs: number[];
  plainScanMs: number[];
  /** Per repetition: a same-size copy with TypedArray.set, and with copyWithin inside one buffer. */
  setMs: number[];
  copyWithinMs: number[];
}

export interface HnswProbe {
  n: number;
  dim: number;
  M: number;
  efConstruction: number;
  k: number;
  queries: number;
  recallTarget: number;
  seed: number;
}

export interface HnswFigures {
  /** One build, after an untimed build of a small index (the library loaded, its code warm). */
  buildMs: number;
  /** The smallest efSearch of the ladder reaching recallTarget (or the last rung), and every rung tried; untimed. */
  efSearch: number;
  recall: number;
  ladder: { efSearch: number; recall: number }[];
  /** Per query, in query order: exact and HNSW (at efSearch) timed side by side, exactMs[i] with hnswMs[i]. */
  exactMs: number[];
  hnswMs: number[];
  /** The hnswlib-wasm heap holding the index. */
  wasmHeapBytes: number;
}

export interface ProbeApi {
  embedding(probe: EmbeddingProbe): Promise<EmbeddingFigures>;
  scan(probe: ScanProbe): Promise<ScanFigures>;
  hnsw(probe: HnswProbe): Promise<HnswFigures>;
  embeddingProfile(probe: EmbeddingProfileProbe): Promise<EmbeddingProfileFigures>;
}

/** The embedding investigation (tests/bench/embeddingProfile.ts): one WASM worker, its variants timed in turn. */
export type EmbeddingVariant = 'batch1' | 'batch4' | 'batch8' | 'fused1' | 'fused8';

export interface EmbeddingProfileProbe {
  model: ModelInfo;
  modelUrl: string;
  /** Catalogue image URLs, at least 8: decoded once, then run through the model. */
  imageUrls: string[];
  /** false: the single-threaded SIMD binary. */
  threads: boolean;
  /** Threads for tfjs-backend-wasm (`setThreadsCount`), with a thread pool that large; tfjs' own choice when absent. */
  threadCount?: number;
  variants: EmbeddingVariant[];
  /** Timed rounds; each round runs every variant once, in turn, so a burst of load hits them alike. */
  runs: number;
  /** Also `tf.profile` one batch-1 embedding, per kernel. */
  profile: boolean;
}

export interface EmbeddingProfileFigures {
  simd: boolean;
  threads: boolean;
  threadCount: number;
  /** Per variant: model ms per image, one value per round. */
  msPerImage: Partial<Record<EmbeddingVariant, number[]>>;
  /** Largest |difference| of a fused variant's vectors from the app's, over the same images. */
  fusedMaxAbsDiff?: number;
  /** `tf.profile` of one batch-1 embedding: kernel ms summed per kernel name, largest first, and in all. */
  kernels?: { name: string; ms: number; count: number }[];
  kernelMs?: number;
  profileWallMs?: number;
}
