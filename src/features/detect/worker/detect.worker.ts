/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import { exposeWorker } from '../../../bridge/workerHost';
import { DETECTOR_INPUT_SIZE } from '../../../lib/detection';
import { startBackend } from '../../embed/worker/backend';
import { decodeUpright } from '../../embed/worker/decode';
import { DETECT_WORKER } from '../shared/protocol';
import { detectRaw } from './detector';

let model: tf.GraphModel | null = null;

/** The whole upright image squashed to the detector's square input, as the detector was trained (aspect not kept). */
async function detectorInput(
  source: string | Blob,
): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  const bitmap = await decodeUpright(source);
  try {
    const canvas = new OffscreenCanvas(DETECTOR_INPUT_SIZE, DETECTOR_INPUT_SIZE);
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, DETECTOR_INPUT_SIZE, DETECTOR_INPUT_SIZE);
    const { data } = context.getImageData(0, 0, DETECTOR_INPUT_SIZE, DETECTOR_INPUT_SIZE);
    return { rgba: data, width: bitmap.width, height: bitmap.height };
  } finally {
    bitmap.close();
  }
}

exposeWorker(DETECT_WORKER, {
  async init(modelUrl, preferred) {
    const started = performance.now();
    const backend = await startBackend(preferred);
    model = await tf.loadGraphModel(modelUrl);
    // One untimed run, so the first query's figure is not the kernels' warm-up.
    detectRaw(model, new Uint8Array(DETECTOR_INPUT_SIZE * DETECTOR_INPUT_SIZE * 4));
    return { ...backend, loadMs: performance.now() - started };
  },

  async detect(source) {
    if (!model) throw new Error('detector worker used before init()');
    const started = performance.now();
    const { rgba, width, height } = await detectorInput(source);
    const decoded = performance.now();
    const rows = detectRaw(model, rgba);
    return {
      rows,
      width,
      height,
      decodeMs: decoded - started,
      detectMs: performance.now() - decoded,
      tensors: tf.memory().numTensors,
    };
  },
});
