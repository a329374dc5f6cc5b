import * as tf from '@tensorflow/tfjs';
import type { MobileNet } from '@tensorflow-models/mobilenet';
import { MODEL_INPUT_SIZE, l2NormaliseRows } from '../../../src/lib/preprocess';
import { MODEL_INPUT_BYTES, embedModelInputs } from '../../../src/features/embed/worker/infer';
import type { EmbeddingProfileFigures, EmbeddingVariant } from './protocol';

/** The graph node the package reads its embedding from (its EMBEDDING_NODES). */
const EMBEDDING_NODE: Record<number, string> = {
  1: 'module_apply_default/MobilenetV1/Logits/global_pool',
  2: 'module_apply_default/MobilenetV2/Logits/AvgPool',
};

/**
 * The app's embedding with its preprocessing fused into the one JavaScript pass that already copies
 * the bytes: x × (max − min) / 255 + min is written as float32 directly, so the graph starts at its
 * first convolution (no cast, mul and add kernels on the backend, no reshape or squeeze).
 */
export function embedFused(
  model: MobileNet,
  version: number,
  inputRange: [number, number],
  inputs: Uint8Array[],
): Float32Array {
  const [min, max] = inputRange;
  const scale = (max - min) / 255;
  const batch = new Float32Array(inputs.length * MODEL_INPUT_BYTES);
  inputs.forEach((input, i) => {
    const at = i * MODEL_INPUT_BYTES;
    for (let j = 0; j < MODEL_INPUT_BYTES; j++) batch[at + j] = input[j] * scale + min;
  });
  const graph = (model as unknown as { model: tf.GraphModel }).model;
  const out = tf.tidy(() => {
    const x = tf.tensor4d(batch, [inputs.length, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 3]);
    return tf.reshape(graph.execute(x, EMBEDDING_NODE[version]) as tf.Tensor, [inputs.length, -1]);
  });
  const dim = out.shape[1]!;
  const vectors = out.dataSync() as Float32Array;
  out.dispose();
  return l2NormaliseRows(new Float32Array(vectors), dim);
}

export interface VariantContext {
  model: MobileNet;
  version: number;
  inputRange: [number, number];
  inputs: Uint8Array[];
}

const BATCH: Record<EmbeddingVariant, number> = { batch1: 1, batch4: 4, batch8: 8, fused1: 1, fused8: 8 };

function run(variant: EmbeddingVariant, c: VariantContext): void {
  const inputs = c.inputs.slice(0, BATCH[variant]);
  if (variant.startsWith('fused')) embedFused(c.model, c.version, c.inputRange, inputs);
  else embedModelInputs(c.model, inputs);
}

/** Each variant once untimed (shapes sized, code warm), then `runs` rounds of every variant in turn. */
export function timeVariants(
  variants: EmbeddingVariant[],
  runs: number,
  c: VariantContext,
): Partial<Record<EmbeddingVariant, number[]>> {
  const ms: Partial<Record<EmbeddingVariant, number[]>> = {};
  for (const v of variants) {
    run(v, c);
    ms[v] = [];
  }
  for (let r = 0; r < runs; r++)
    for (const v of variants) {
      const start = performance.now();
      run(v, c);
      ms[v]!.push((performance.now() - start) / BATCH[v]);
    }
  return ms;
}

/** How far the fused variant's vectors are from the app's on the same images (they should agree to float error). */
export function fusedMaxAbsDiff(c: VariantContext): number {
  const app = embedModelInputs(c.model, c.inputs).vectors;
  const fused = embedFused(c.model, c.version, c.inputRange, c.inputs);
  return app.reduce((worst, v, i) => Math.max(worst, Math.abs(v - fused[i])), 0);
}

/** `tf.profile` of one batch-1 embedding as the app runs it: kernel time summed per kernel name. */
export async function profileKernels(
  c: VariantContext,
): Promise<Pick<EmbeddingProfileFigures, 'kernels' | 'kernelMs' | 'profileWallMs'>> {
  const start = performance.now();
  const info = await tf.profile(() => {
    embedModelInputs(c.model, c.inputs.slice(0, 1));
  });
  const profileWallMs = performance.now() - start;
  const byName = new Map<string, { ms: number; count: number }>();
  // tf.profile lists each op's wrapper (`fusedConv2d__op`) around the kernel it runs: kernels only, else counted twice.
  for (const k of info.kernels.filter((k) => !k.name.endsWith('__op'))) {
    const entry = byName.get(k.name) ?? { ms: 0, count: 0 };
    entry.ms += Number(k.kernelTimeMs) || 0;
    entry.count += 1;
    byName.set(k.name, entry);
  }
  const kernels = [...byName].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
  return { kernels, kernelMs: kernels.reduce((sum, k) => sum + k.ms, 0), profileWallMs };
}
