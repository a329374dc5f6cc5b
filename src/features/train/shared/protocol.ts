import { protocol } from '../../../bridge/protocol';
import type { HeadSettings, ProjectionHead } from '../../../lib/projectionHead';
import type { EpochLoss, TrainingData, TrainingOutcome } from './training';

export interface TrainWorkerApi {
  /**
   * Trains a projection head (its vectors are transferred) and measures the test split before
   * and after. Null when cancelled.
   */
  train(
    data: TrainingData,
    settings: HeadSettings,
    k: number,
    onEpoch: (loss: EpochLoss) => void,
    onStage: (text: string) => void,
  ): Promise<TrainingOutcome | null>;
  /** Projects row-major vectors (transferred) through a head, off the main thread: a catalogue at a time. */
  project(head: ProjectionHead, vectors: Float32Array): Float32Array;
  /** Tensors alive in the worker's TensorFlow.js: the same before and after a run (no leak). */
  tensorCount(): number;
}

export const TRAIN_WORKER = protocol<TrainWorkerApi>()({
  train: {
    job: true,
    callbacks: [3, 4],
    transfer: (data) => (data.views ? [data.vectors.buffer, data.views.buffer] : [data.vectors.buffer]),
  },
  project: { transfer: (_, vectors) => [vectors.buffer], transferResult: (projected) => [projected.buffer] },
  tensorCount: {},
});
