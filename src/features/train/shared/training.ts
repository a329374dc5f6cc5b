import type { ClickEvent } from '../../../lib/clickLog';
import type { EvaluationSummary } from '../../../lib/offlineEvaluation';
import type { HeadSettings, ProjectionHead } from '../../../lib/projectionHead';

/** The defaults of the Training tab's knobs (the issue's: d' = 128, half the images held out). */
export const DEFAULT_HEAD_SETTINGS: HeadSettings = {
  positives: 'labels',
  split: 'stratified',
  testFraction: 0.5,
  epochs: 20,
  temperature: 0.1,
  dim: 128,
  layers: 1,
  learningRate: 0.001,
  batchSize: 128,
  seed: 1,
  ips: false,
};

/** Width of the hidden layer of the two-layer (MLP) head. */
export const HIDDEN_UNITS = 512;

/** What a head is trained on: the catalogue's frozen vectors, row by row, with their labels and ids. */
export interface TrainingData {
  /** rows × dim, L2-normalised, row-major. */
  vectors: Float32Array;
  dim: number;
  /** Catalogue id of each row. */
  ids: number[];
  /** Label of each row. */
  labels: string[];
  /** The click log of this catalogue, for the `clicks` source. */
  clicks: ClickEvent[];
  /**
   * For `augment`: two embedded views (random resized crops) of each training-split image, in the
   * split's row order (lib/augmentViews.ts); null for the other sources.
   */
  views: Float32Array | null;
  modelId: string;
  preprocessing: string;
  catalogueId: string;
}

export interface EpochLoss {
  epoch: number;
  /** Mean InfoNCE over the epoch's training batches. */
  trainLoss: number;
  /** InfoNCE on pairs from the test split, no update; null when the test split has no pair of this source. */
  testLoss: number | null;
}

export interface TrainedHead {
  head: ProjectionHead;
  epochs: EpochLoss[];
  /** Images the head trained on and images it is measured on. */
  trainImages: number;
  testImages: number;
  /** Positive pairs per epoch. */
  pairs: number;
  trainSeconds: number;
}

export interface TrainingOutcome extends TrainedHead {
  k: number;
  /** Exact ranking on the test split only, with the frozen vectors and through the head. */
  before: EvaluationSummary;
  after: EvaluationSummary;
  /** `clicks` with IPS: the same run without the weighting, so what IPS changes is visible. */
  unweighted: { after: EvaluationSummary; epochs: EpochLoss[] } | null;
}
