import * as tf from '@tensorflow/tfjs';
import { batches, clickPairs, labelPairs, type PositivePair } from '../../../lib/contrastivePairs';
import type { DenseLayer, HeadSettings, ProjectionHead } from '../../../lib/projectionHead';
import { seededRandom } from '../../../lib/syntheticVectors';
import { seededShuffle, splitRows, type SplitMode, type TrainTestSplit } from '../../../lib/trainingSplit';
import { augmentPairs, VIEWS_PER_IMAGE } from '../../../lib/augmentViews';
import { HIDDEN_UNITS, type EpochLoss, type TrainedHead, type TrainingData } from '../shared/training';

/** A long loop's checkpoint (the worker's JobControl): yields now and then, throws when cancelled. */
export interface Checkpoint {
  checkpoint(): Promise<void>;
}

/** Logit given to a same-group pair: exp() of it is 0, so it is neither the positive nor a negative. */
const MASKED = -1e9;

export function splitFor(data: TrainingData, settings: HeadSettings): TrainTestSplit {
  return splitRows(data.labels, {
    testFraction: settings.testFraction,
    mode: settings.split as SplitMode,
    seed: settings.seed,
  });
}

/**
 * The positive pairs of one epoch, from `rows` only. `augment` has views of the training split's
 * images only (embedding the test split's too would double the cost): no test pairs, no test loss.
 */
export function pairsFor(
  data: TrainingData,
  settings: HeadSettings,
  rows: readonly number[],
  random: () => number,
  side: 'train' | 'test',
): PositivePair[] {
  switch (settings.positives) {
    case 'augment':
      return side === 'train' ? seededShuffle(augmentPairs(data.ids.length, rows), random) : [];
    case 'labels':
      return labelPairs(rows, data.labels, random);
    case 'clicks':
      return clickPairs(data.clicks, new Map(data.ids.map((id, row) => [id, row])), rows, settings.ips, random);
    default:
      throw new Error(`the positive source "${settings.positives}" is not available`);
  }
}

/** The catalogue's rows, then (for `augment`) the training split's views: the rows pairs point into. */
function withViews(data: TrainingData, settings: HeadSettings, trainImages: number): Float32Array {
  if (settings.positives !== 'augment') return data.vectors;
  const want = VIEWS_PER_IMAGE * trainImages * data.dim;
  if (!data.views || data.views.length !== want) {
    throw new Error(`augment needs ${VIEWS_PER_IMAGE} embedded views of each of the ${trainImages} training images`);
  }
  const all = new Float32Array(data.vectors.length + want);
  all.set(data.vectors);
  all.set(data.views, data.vectors.length);
  return all;
}

/** Dense layers with Glorot-uniform weights (seeded) and zero biases. */
function initialLayers(inputDim: number, settings: HeadSettings): { weights: tf.Variable; bias: tf.Variable }[] {
  const sizes = settings.layers >= 2 ? [inputDim, HIDDEN_UNITS, settings.dim] : [inputDim, settings.dim];
  return sizes.slice(1).map((out, i) => {
    const inp = sizes[i];
    const limit = Math.sqrt(6 / (inp + out));
    // In tidy, so the initial values are released once the variables hold them.
    return tf.tidy(() => ({
      weights: tf.variable(tf.randomUniform([inp, out], -limit, limit, 'float32', settings.seed * 7919 + i)),
      bias: tf.variable(tf.zeros([out])),
    }));
  });
}

function project(layers: { weights: tf.Variable; bias: tf.Variable }[], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  layers.forEach((layer, i) => {
    h = tf.add(tf.matMul(h, layer.weights), layer.bias);
    if (i < layers.length - 1) h = tf.relu(h);
  });
  return tf.div(h, tf.add(tf.norm(h, 2, 1, true), 1e-12));
}

/**
 * InfoNCE of one batch (see src/lib/infoNce.ts for the same formula in plain numbers): anchors
 * against every positive of the batch, the diagonal is the positive, same-group pairs masked.
 */
export function infoNceTensor(
  anchors: tf.Tensor2D,
  positives: tf.Tensor2D,
  groups: tf.Tensor1D,
  weights: tf.Tensor1D,
  temperature: number,
): tf.Scalar {
  return tf.tidy(() => {
    const n = anchors.shape[0];
    const logits = tf.div(tf.matMul(anchors, positives, false, true), temperature);
    const eye = tf.eye(n);
    const sameGroup = tf.cast(tf.equal(groups.expandDims(1), groups.expandDims(0)), 'float32');
    const masked = tf.add(logits, tf.mul(tf.sub(sameGroup, eye), MASKED));
    const own = tf.sum(tf.mul(logits, eye), 1);
    const perPair = tf.sub(tf.logSumExp(masked, 1), own);
    return tf.div(tf.sum(tf.mul(perPair, weights)), tf.sum(weights));
  });
}

function batchLoss(
  layers: { weights: tf.Variable; bias: tf.Variable }[],
  all: tf.Tensor2D,
  batch: PositivePair[],
  temperature: number,
): tf.Scalar {
  return tf.tidy(() => {
    const anchors = project(
      layers,
      tf.gather(
        all,
        batch.map((p) => p.anchor),
      ),
    );
    const positives = project(
      layers,
      tf.gather(
        all,
        batch.map((p) => p.positive),
      ),
    );
    return infoNceTensor(
      anchors,
      positives,
      tf.tensor1d(
        batch.map((p) => p.group),
        'int32',
      ),
      tf.tensor1d(batch.map((p) => p.weight)),
      temperature,
    );
  });
}

/** Mean of the batch losses, weighted by batch size; null when there is no batch. */
function meanLoss(losses: { value: number; size: number }[]): number | null {
  const size = losses.reduce((s, l) => s + l.size, 0);
  return size > 0 ? losses.reduce((s, l) => s + l.value * l.size, 0) / size : null;
}

/**
 * Trains a projection head on the frozen vectors of the training split with Adam and InfoNCE
 * (in-batch negatives), seeded. Reports train and test loss after each epoch. Every tensor it
 * makes is disposed before it returns or throws (cancel included).
 */
export async function trainHead(
  data: TrainingData,
  settings: HeadSettings,
  control: Checkpoint,
  onEpoch: (loss: EpochLoss) => void = () => {},
): Promise<TrainedHead> {
  const started = performance.now();
  const split = splitFor(data, settings);
  const random = seededRandom(settings.seed);
  // Test pairs are drawn once, with their own seed, so the test loss of every epoch measures the same pairs.
  const testPairs = pairsFor(data, settings, split.test, seededRandom(settings.seed + 1), 'test');
  const firstPairs = pairsFor(data, settings, split.train, random, 'train');
  if (firstPairs.length < 2) {
    throw new Error(
      settings.positives === 'clicks'
        ? `only ${firstPairs.length} click pair(s) fall in the training split: click results of catalogue queries in the Search tab (or simulate users in the Online tab) first`
        : 'the training split has no two images of one label to pair',
    );
  }
  const all = tf.tensor2d(withViews(data, settings, split.train.length), [
    data.ids.length + (settings.positives === 'augment' ? VIEWS_PER_IMAGE * split.train.length : 0),
    data.dim,
  ]);
  const layers = initialLayers(data.dim, settings);
  const optimizer = tf.train.adam(settings.learningRate);
  const variables = layers.flatMap((l) => [l.weights, l.bias]);
  const epochs: EpochLoss[] = [];
  try {
    let pairs = firstPairs;
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      if (epoch > 1) pairs = pairsFor(data, settings, split.train, random, 'train');
      const trainLosses: { value: number; size: number }[] = [];
      for (const batch of batches(pairs, settings.batchSize)) {
        const loss = optimizer.minimize(() => batchLoss(layers, all, batch, settings.temperature), true, variables);
        trainLosses.push({ value: (await loss!.data())[0], size: batch.length });
        loss!.dispose();
        await control.checkpoint();
      }
      const testLosses: { value: number; size: number }[] = [];
      for (const batch of batches(testPairs, settings.batchSize)) {
        const loss = batchLoss(layers, all, batch, settings.temperature);
        testLosses.push({ value: (await loss.data())[0], size: batch.length });
        loss.dispose();
        await control.checkpoint();
      }
      const report = { epoch, trainLoss: meanLoss(trainLosses)!, testLoss: meanLoss(testLosses) };
      epochs.push(report);
      onEpoch(report);
    }
    const dense: DenseLayer[] = [];
    for (const layer of layers) {
      const [inputDim, outputDim] = layer.weights.shape;
      dense.push({
        inputDim,
        outputDim,
        weights: new Float32Array(await layer.weights.data()),
        bias: new Float32Array(await layer.bias.data()),
      });
    }
    const head: ProjectionHead = {
      modelId: data.modelId,
      preprocessing: data.preprocessing,
      catalogueId: data.catalogueId,
      settings: { ...settings },
      layers: dense,
    };
    return {
      head,
      epochs,
      trainImages: split.train.length,
      testImages: split.test.length,
      pairs: firstPairs.length,
      trainSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    all.dispose();
    variables.forEach((v) => v.dispose());
    optimizer.dispose();
  }
}
