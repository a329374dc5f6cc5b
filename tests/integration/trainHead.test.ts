import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { JobControl } from '../../src/bridge/jobControl';
import { infoNceLoss } from '../../src/lib/infoNce';
import { projectVectors, type HeadSettings } from '../../src/lib/projectionHead';
import { evaluateRows } from '../../src/lib/splitEvaluation';
import { clusteredVectors, seededRandom } from '../../src/lib/syntheticVectors';
import { seededShuffle } from '../../src/lib/trainingSplit';
import { DEFAULT_HEAD_SETTINGS, type TrainingData } from '../../src/features/train/shared/training';
import { runTraining } from '../../src/features/train/worker/runTraining';
import { infoNceTensor, splitFor, trainHead } from '../../src/features/train/worker/trainHead';

const DIM = 48;
const CLUSTERS = 8;
const COUNT = 480;

/**
 * Overlapping clusters: the noise around each centre spreads over every dimension, so same-label
 * neighbours are often of another label. A head can learn to keep the centres' directions and
 * drop the noise; nothing can be learned from shuffled labels.
 */
function clusteredData(labelOf: (row: number) => string = (row) => `c${row % CLUSTERS}`): TrainingData {
  const vectors = clusteredVectors({ count: COUNT, dim: DIM, clusters: CLUSTERS, spread: 2, seed: 11 });
  return {
    vectors,
    dim: DIM,
    ids: Array.from({ length: COUNT }, (_, i) => i),
    labels: Array.from({ length: COUNT }, (_, i) => labelOf(i)),
    clicks: [],
    views: null,
    modelId: 'synthetic',
    preprocessing: 'none',
    catalogueId: 'synthetic',
  };
}

const settings: HeadSettings = { ...DEFAULT_HEAD_SETTINGS, dim: 16, epochs: 15, learningRate: 0.01, batchSize: 64 };

describe('training a projection head with InfoNCE', () => {
  it('the TensorFlow.js loss equals the plain reference, groups and weights included', () => {
    const random = seededRandom(5);
    const rows = (n: number) =>
      Array.from({ length: n }, () => {
        const v = Array.from({ length: 6 }, () => random() - 0.5);
        const norm = Math.hypot(...v);
        return v.map((x) => x / norm);
      });
    const anchors = rows(5);
    const positives = rows(5);
    const groups = [0, 1, 0, 2, 3];
    const weights = [1, 2, 0.5, 1, 3];
    const value = tf.tidy(
      () =>
        infoNceTensor(
          tf.tensor2d(anchors),
          tf.tensor2d(positives),
          tf.tensor1d(groups, 'int32'),
          tf.tensor1d(weights),
          0.2,
        ).dataSync()[0],
    );
    expect(value).toBeCloseTo(infoNceLoss(anchors, positives, groups, 0.2, weights), 4);
  });

  it('raises test-split mAP@10 clearly on overlapping clusters, and leaks no tensor', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const outcome = await runTraining(clusteredData(), settings, 10, new JobControl());
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(outcome.before.overall.map).toBeLessThan(0.8);
    expect(outcome.after.overall.map).toBeGreaterThan(outcome.before.overall.map + 0.1);
    expect(outcome.epochs).toHaveLength(settings.epochs);
    expect(outcome.epochs.at(-1)!.trainLoss).toBeLessThan(outcome.epochs[0].trainLoss);
    expect(outcome.epochs.at(-1)!.testLoss!).toBeLessThan(outcome.epochs[0].testLoss!);
    expect(outcome.trainImages + outcome.testImages).toBe(COUNT);
    expect(outcome.head.layers.at(-1)!.outputDim).toBe(16);
  });

  it('with shuffled labels the head does not raise test-split mAP@10 (measured against the true labels)', async () => {
    const data = clusteredData();
    const shuffled = { ...data, labels: seededShuffle(data.labels, seededRandom(9)) };
    const { head } = await trainHead(shuffled, settings, new JobControl());
    const { test } = splitFor(shuffled, settings);
    const before = evaluateRows(data.vectors, DIM, test, data.labels, 10).overall.map;
    const after = evaluateRows(projectVectors(head, data.vectors), settings.dim, test, data.labels, 10).overall.map;
    expect(after).toBeLessThan(before + 0.02);
  });

  it('augment: trains on two views per training image, with no test loss (the test split has no views)', async () => {
    const data = clusteredData();
    const { train } = splitFor(data, settings);
    const random = seededRandom(3);
    // A view: the image's vector with a little noise, as a crop of it would move it.
    const views = new Float32Array(train.length * 2 * DIM);
    train.forEach((row, i) => {
      for (let v = 0; v < 2; v++) {
        for (let d = 0; d < DIM; d++)
          views[(i * 2 + v) * DIM + d] = data.vectors[row * DIM + d] + 0.05 * (random() - 0.5);
      }
    });
    const tensorsBefore = tf.memory().numTensors;
    const run = await trainHead({ ...data, views }, { ...settings, positives: 'augment', epochs: 3 }, new JobControl());
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(run.pairs).toBe(train.length);
    expect(run.epochs.map((e) => e.testLoss)).toEqual([null, null, null]);
    expect(run.epochs[2].trainLoss).toBeLessThan(run.epochs[0].trainLoss);
    await expect(trainHead(data, { ...settings, positives: 'augment', epochs: 1 }, new JobControl())).rejects.toThrow(
      /embedded views/,
    );
  });

  it('is seeded: the same settings give the same head', async () => {
    const data = clusteredData();
    const quick = { ...settings, epochs: 2 };
    const a = await trainHead(data, quick, new JobControl());
    const b = await trainHead(data, quick, new JobControl());
    expect(Array.from(a.head.layers[0].weights.subarray(0, 50))).toEqual(
      Array.from(b.head.layers[0].weights.subarray(0, 50)),
    );
  });

  it('stops when cancelled, leaving no tensor behind', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const control = new JobControl();
    const run = trainHead(clusteredData(), { ...settings, layers: 2 }, control, (e) => {
      if (e.epoch === 2) control.cancel();
    });
    await expect(run).rejects.toThrow('cancelled');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
