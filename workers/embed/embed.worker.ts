/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import * as mobilenet from '@tensorflow-models/mobilenet';
import * as Comlink from 'comlink';
import { startBackend } from './backend';
import { SkippedImage, decodeToModelInput } from './decode';
import { blankInput, runModel } from './infer';
import type { EmbedBatchResult, EmbedFailure, EmbedWorkerApi } from './protocol';

let model: mobilenet.MobileNet | null = null;
let crashed = false;

const api: EmbedWorkerApi = {
  async init(info, modelUrl, preferred) {
    const started = performance.now();
    const backend = await startBackend(preferred);
    model = await mobilenet.load({
      version: info.version,
      alpha: info.alpha as mobilenet.MobileNetAlpha,
      modelUrl,
      inputRange: info.inputRange,
    });
    const { dim } = runModel(model, [blankInput()]);
    return { ...backend, dim, loadMs: performance.now() - started };
  },

  async embed(jobs) {
    // After an (injected) crash this worker answers nothing more, as a dead one would.
    if (crashed) return new Promise<never>(() => {});
    if (!model) throw new Error('embedding worker used before init()');
    const decodeStart = performance.now();
    const decoded = await Promise.all(
      jobs.map((job) =>
        decodeToModelInput(job).then(
          (input) => ({ id: job.id, input }),
          (error: unknown): EmbedFailure => {
            if (error instanceof SkippedImage) return { id: job.id, ...error.failure };
            return { id: job.id, reason: 'fetch-failed', message: String(error) };
          },
        ),
      ),
    );
    const good = decoded.filter((d): d is { id: number; input: Uint8Array } => 'input' in d);
    const failures = decoded.filter((d): d is EmbedFailure => 'reason' in d);
    const inferStart = performance.now();
    const { vectors, dim } = good.length > 0 ? runModel(model, good.map((g) => g.input)) : { vectors: new Float32Array(0), dim: 0 };
    const result: EmbedBatchResult = {
      ids: good.map((g) => g.id),
      vectors,
      dim,
      failures,
      decodeMs: inferStart - decodeStart,
      inferMs: performance.now() - inferStart,
      tensors: tf.memory().numTensors,
    };
    return Comlink.transfer(result, [vectors.buffer]);
  },

  async crashForTest() {
    crashed = true;
    setTimeout(() => {
      throw new Error('injected crash');
    });
  },
};

Comlink.expose(api);
