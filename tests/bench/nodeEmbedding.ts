import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as mobilenet from '@tensorflow-models/mobilenet';
import type { ModelInfo } from '../../src/lib/types';
import { MODEL_INPUT_BYTES, embedModelInputs } from '../../src/features/embed/worker/infer';

/**
 * The embedding's peer: the same model and the same inference code on tfjs-backend-wasm
 * (SIMD, one thread) in this Node process, model ms/image per batch size. The pixels do not
 * change the model's work, so a fixed pattern stands in for decoded images.
 */
export async function embeddingInNode(
  model: ModelInfo,
  modelUrl: string,
  batches: number[],
  runs: number,
): Promise<Record<number, number[]>> {
  // The package's .wasm files sit beside its Node entry point; under Vitest its default lookup misses them.
  setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm did not start in Node');
  await tf.ready();
  const loaded = await mobilenet.load({
    version: model.version,
    alpha: model.alpha as mobilenet.MobileNetAlpha,
    modelUrl,
    inputRange: model.inputRange,
  });
  const pattern = new Uint8Array(MODEL_INPUT_BYTES).map((_, i) => (i * 7) & 255);
  const out: Record<number, number[]> = {};
  for (const batch of batches) {
    const inputs = Array.from({ length: batch }, () => pattern);
    embedModelInputs(loaded, inputs);
    out[batch] = [];
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      embedModelInputs(loaded, inputs);
      out[batch].push((performance.now() - start) / batch);
    }
  }
  return out;
}
