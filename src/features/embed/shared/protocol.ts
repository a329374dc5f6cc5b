import { protocol } from '../../../bridge/protocol';
import type { PixelAugmentation } from '../../../lib/augmentViews';
import type { Rect } from '../../../lib/crop';
import type { ImageTag } from '../../../lib/tags';
import type { Backend, BackendInfo, ModelInfo } from '../../../lib/types';

/** One image to embed: a URL to fetch, or bytes the user gave (upload, drop). */
export interface EmbedJob {
  id: number;
  source: string | Blob;
  /** Crop query: embed only this region (natural pixels), before the usual centre crop. */
  region?: Rect;
  /** Training's `augment` source: flip and colour-jitter the model input (src/lib/augmentViews.ts). */
  augment?: PixelAugmentation;
}

export type SkipReason =
  'empty-file' | 'unsupported-format' | 'fetch-failed' | 'too-large' | 'decode-failed' | 'worker-crashed';

export interface EmbedFailure {
  id: number;
  reason: SkipReason;
  message: string;
}

export interface EmbedBatchResult {
  /** Ids of the embedded images, in the order of the rows of `vectors`. */
  ids: number[];
  /** L2-normalised embeddings, row-major, ids.length × dim. */
  vectors: Float32Array;
  dim: number;
  /** Each embedded image's top ImageNet classes (lib/tags.ts), from the same forward pass, in the order of `ids`. */
  tags: ImageTag[][];
  failures: EmbedFailure[];
  /** Wall time in the worker for decoding and preprocessing the batch, and for the model. */
  decodeMs: number;
  inferMs: number;
  /** Live tfjs tensors in this worker after the batch (tf.memory().numTensors): flat when nothing leaks. */
  tensors: number;
  /** The backend that embedded this batch: it changes when a lost WebGL context made the worker move to WASM. */
  backend: BackendInfo;
  /** Why this worker runs on another backend than it started on, or null. */
  fallback: string | null;
}

export interface WorkerReady extends BackendInfo {
  dim: number;
  loadMs: number;
}

export interface EmbedWorkerApi {
  init(model: ModelInfo, modelUrl: string, preferred: Backend | null): Promise<WorkerReady>;
  embed(jobs: EmbedJob[]): Promise<EmbedBatchResult>;
  /** Fault injection: the worker loses its WebGL context (WEBGL_lose_context), as after a GPU reset. */
  loseContextForTest(): Promise<void>;
  /** Fault injection: the worker throws an uncaught error, as a crashing worker would, and answers nothing more. */
  crashForTest(): Promise<void>;
}

export const EMBED_WORKER = protocol<EmbedWorkerApi>()({
  init: {},
  embed: { transferResult: (result) => [result.vectors.buffer] },
  loseContextForTest: {},
  crashForTest: {},
});
