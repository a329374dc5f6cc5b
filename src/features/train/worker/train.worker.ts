/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { exposeWorker } from '../../../bridge/workerHost';
import { startBackend } from '../../embed/worker/backend';
import { TRAIN_WORKER } from '../shared/protocol';
import { runTraining } from './runTraining';
import { projectVectors } from '../../../lib/projectionHead';

// WASM first, as for embedding: a head on 1280-d vectors trains several times faster there than on plain JS.
const backend = startBackend(null);

exposeWorker(TRAIN_WORKER, {
  async train(job, data, settings, k, onEpoch, onStage) {
    await backend;
    return runTraining(data, settings, k, job, onEpoch, onStage);
  },
  project(head, vectors) {
    return projectVectors(head, vectors);
  },
  tensorCount() {
    return tf.memory().numTensors;
  },
});
