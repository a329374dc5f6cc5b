import * as tf from '@tensorflow/tfjs';
import type { MobileNet } from '@tensorflow-models/mobilenet';
import { MODEL_INPUT_SIZE, l2NormaliseRows } from '../../../lib/preprocess';

export const MODEL_INPUT_BYTES = MODEL_INPUT_SIZE * MODEL_INPUT_SIZE * 3;

/**
 * Embeds model inputs (224×224 RGB bytes each) with MobileNet's pooled penultimate layer,
 * L2-normalised rows. Shared by the browser worker and the Node precompute CLI.
 */
export function embedModelInputs(model: MobileNet, inputs: Uint8Array[]): { vectors: Float32Array; dim: number } {
  const batch = new Float32Array(inputs.length * MODEL_INPUT_BYTES);
  inputs.forEach((input, i) => batch.set(input, i * MODEL_INPUT_BYTES));
  const embeddings = tf.tidy(() => {
    // A single image goes in as 3-D so the package skips its (identity) resize; the
    // package's infer() takes a 4-D batch too, though its type says 3-D.
    const input =
      inputs.length === 1
        ? tf.tensor3d(batch, [MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 3])
        : (tf.tensor4d(batch, [inputs.length, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, 3]) as unknown as tf.Tensor3D);
    return model.infer(input, true) as tf.Tensor2D;
  });
  const dim = embeddings.shape[1];
  const vectors = embeddings.dataSync() as Float32Array;
  embeddings.dispose();
  return { vectors: l2NormaliseRows(new Float32Array(vectors), dim), dim };
}
