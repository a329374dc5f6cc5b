/// <reference lib="webworker" />
import * as tf from '@tensorflow/tfjs';
import * as mobilenet from '@tensorflow-models/mobilenet';
import { exposeWorker } from '../../../bridge/workerHost';
import { startBackend } from './backend';
import { SkippedImage, decodeToModelInput } from './decode';
import { MODEL_INPUT_BYTES, embedModelInputs, type EmbeddedInputs } from './infer';
import type { BackendInfo, ModelInfo } from '../../../lib/types';
import { EMBED_WORKER, type EmbedBatchResult, type EmbedFailure } from '../shared/protocol';

let model: mobilenet.MobileNet | null = null;
let crashed = false;
/** What init() was given, to load the model again on another backend. */
let loadArgs: { info: ModelInfo; modelUrl: string } | null = null;
let backendInfo: BackendInfo | null = null;
/** Set once a lost WebGL context made this worker move to WASM. */
let fallback: string | null = null;

function loadModel(info: ModelInfo, modelUrl: string): Promise<mobilenet.MobileNet> {
  return mobilenet.load({
    version: info.version,
    alpha: info.alpha as mobilenet.MobileNetAlpha,
    modelUrl,
    inputRange: info.inputRange,
  });
}

/** The WebGL backend's context, when that backend runs. */
function webglContext(): WebGLRenderingContext | null {
  if (tf.getBackend() !== 'webgl') return null;
  return (tf.backend() as unknown as { gpgpu: { gl: WebGLRenderingContext } }).gpgpu.gl;
}

/**
 * A lost WebGL context (GPU reset, driver update, too many contexts) takes the model's
 * weights with it: the model is loaded again on WASM and the worker carries on.
 */
async function fallBackToWasm(): Promise<void> {
  const previous = tf.getBackend();
  try {
    // The weights lived on the lost context; dropping them keeps the tensor count honest.
    (model as unknown as { model?: tf.GraphModel } | null)?.model?.dispose();
  } catch {
    // Disposing on a lost context may throw; the backend goes next anyway.
  }
  model = null;
  tf.removeBackend(previous);
  backendInfo = await startBackend('wasm');
  model = await loadModel(loadArgs!.info, loadArgs!.modelUrl);
  fallback = `the ${previous.toUpperCase()} context was lost; embedding continues on ${backendInfo.backend.toUpperCase()}`;
}

function runModel(inputs: Uint8Array[]): EmbeddedInputs {
  return embedModelInputs(model!, inputs);
}

/** Runs the model; if the WebGL context is (or gets) lost, moves to WASM and runs it again there. */
async function runModelOnLiveContext(inputs: Uint8Array[]): Promise<EmbeddedInputs> {
  if (!webglContext()?.isContextLost()) {
    try {
      const output = runModel(inputs);
      if (!webglContext()?.isContextLost()) return output;
    } catch (error) {
      if (!webglContext()?.isContextLost()) throw error;
    }
  }
  await fallBackToWasm();
  return runModel(inputs);
}

exposeWorker(EMBED_WORKER, {
  async init(info, modelUrl, preferred) {
    const started = performance.now();
    loadArgs = { info, modelUrl };
    backendInfo = await startBackend(preferred);
    model = await loadModel(info, modelUrl);
    const { dim } = runModel([new Uint8Array(MODEL_INPUT_BYTES)]);
    return { ...backendInfo, dim, loadMs: performance.now() - started };
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
    const { vectors, dim, tags } =
      good.length > 0
        ? await runModelOnLiveContext(good.map((g) => g.input))
        : { vectors: new Float32Array(0), dim: 0, tags: [] };
    const result: EmbedBatchResult = {
      ids: good.map((g) => g.id),
      vectors,
      dim,
      tags,
      failures,
      decodeMs: inferStart - decodeStart,
      inferMs: performance.now() - inferStart,
      tensors: tf.memory().numTensors,
      backend: backendInfo!,
      fallback,
    };
    return result;
  },

  async loseContextForTest() {
    webglContext()?.getExtension('WEBGL_lose_context')?.loseContext();
  },

  async crashForTest() {
    crashed = true;
    setTimeout(() => {
      throw new Error('injected crash');
    });
  },
});
