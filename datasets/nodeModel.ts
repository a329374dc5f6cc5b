import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as mobilenet from '@tensorflow-models/mobilenet';
import type { BackendInfo, ModelInfo } from '../src/lib/types';

/** tfjs's WASM backend in Node (SIMD when the CPU has it), as the browser's first choice. */
export async function startWasmBackend(): Promise<BackendInfo> {
  if (!(await tf.setBackend('wasm'))) throw new Error('the TensorFlow.js WASM backend did not start');
  await tf.ready();
  return {
    backend: 'wasm',
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
  };
}

/** Reads a TF.js graph model (its JSON, `model.json` by default, and weight shards) from a folder: no fetch. */
export function diskModel(dir: string, jsonFile = 'model.json'): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(await readFile(join(dir, jsonFile), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const shards = await Promise.all(
          manifest.flatMap((group) => group.paths.map((path) => readFile(join(dir, path)))),
        );
        const weightSpecs = manifest.flatMap((group) => group.weights);
        const weightData = new Uint8Array(Buffer.concat(shards)).buffer;
        return [weightSpecs, weightData];
      });
    },
  };
}

/** MobileNet with the load() options of the model's SOURCE.md, exactly as the browser loads it. */
export async function loadMobileNetFromDisk(dir: string, info: ModelInfo): Promise<mobilenet.MobileNet> {
  return mobilenet.load({
    version: info.version,
    alpha: info.alpha as mobilenet.MobileNetAlpha,
    modelUrl: diskModel(dir),
    inputRange: info.inputRange,
  });
}
