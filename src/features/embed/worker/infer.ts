import * as tf from '@tensorflow/tfjs';
import type { MobileNet } from '@tensorflow-models/mobilenet';
import { MODEL_INPUT_SIZE, l2NormaliseRows } from '../../../lib/preprocess';
import { IMAGENET_CLASS_COUNT, topTags, type ImageTag } from '../../../lib/tags';

export const MODEL_INPUT_BYTES = MODEL_INPUT_SIZE * MODEL_INPUT_SIZE * 3;

/** The pooled penultimate layer, by MobileNet version, as @tensorflow-models/mobilenet names it. */
const EMBEDDING_NODES: Record<string, string> = {
  '1.00': 'module_apply_default/MobilenetV1/Logits/global_pool',
  '2.00': 'module_apply_default/MobilenetV2/Logits/AvgPool',
};

/** What the package keeps private: the graph, and how it scales pixels into the model's input range. */
interface MobileNetInternals {
  model: tf.GraphModel;
  version: string;
  normalizationConstant: number;
  inputMin: number;
}

export interface EmbeddedInputs {
  /** L2-normalised embeddings, row-major, inputs.length × dim. */
  vectors: Float32Array;
  dim: number;
  /** Each input's top ImageNet classes (lib/tags.ts), from the same forward pass. */
  tags: ImageTag[][];
}

/**
 * Embeds model inputs (224×224 RGB bytes each) with MobileNet's pooled penultimate layer,
 * L2-normalised rows, and reads the ImageNet classifier head's logits in the same forward pass:
 * the graph is executed once for both output nodes, as the package's infer() and classify()
 * would do in two runs. Shared by the browser worker and the Node precompute CLI.
 */
export function embedModelInputs(model: MobileNet, inputs: Uint8Array[]): EmbeddedInputs {
  const net = model as unknown as MobileNetInternals;
  const embeddingNode = EMBEDDING_NODES[net.version];
  if (!embeddingNode) throw new Error(`no embedding node known for MobileNet version ${net.version}`);
  const batch = new Float32Array(inputs.length * MODEL_INPUT_BYTES);
  inputs.forEach((input, i) => batch.set(input, i * MODEL_INPUT_BYTES));
  const [embeddings, logits] = tf.tidy(() => {
    // The package's infer(): bytes scaled into the model's input range (no resize: inputs are 224×224).
    const pixels = tf.tensor4d(batch, [inputs.length, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 3]);
    const scaled = tf.add(tf.mul(pixels, net.normalizationConstant), net.inputMin);
    const [pooled, logits1001] = net.model.execute(scaled, [embeddingNode, net.model.outputNodes[0]]) as tf.Tensor[];
    const embedded = tf.reshape(pooled, [inputs.length, -1]) as tf.Tensor2D;
    // Logit 0 is the background slot: the package drops it, and so do the tags.
    return [embedded, tf.slice(logits1001, [0, 1], [-1, IMAGENET_CLASS_COUNT])];
  });
  const dim = embeddings.shape[1];
  const vectors = new Float32Array(embeddings.dataSync() as Float32Array);
  const scores = logits.dataSync() as Float32Array;
  tf.dispose([embeddings, logits]);
  const tags = inputs.map((_, i) => topTags(scores.subarray(i * IMAGENET_CLASS_COUNT, (i + 1) * IMAGENET_CLASS_COUNT)));
  return { vectors: l2NormaliseRows(vectors, dim), dim, tags };
}
