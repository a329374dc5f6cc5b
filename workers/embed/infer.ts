import * as tf from '@tensorflow/tfjs';
import type * as mobilenet from '@tensorflow-models/mobilenet';
import { MODEL_INPUT_SIZE, l2NormaliseRows } from '../../src/lib/preprocess';

const PIXELS = MODEL_INPUT_SIZE * MODEL_INPUT_SIZE * 3;

/** A blank model input, to warm a model up before it is timed or used. */
export function blankInput(): Uint8Array {
  return new Uint8Array(PIXELS);
}

/** Runs a batch of 224×224 RGB inputs through the model: L2-normalised embeddings, row-major. */
export function runModel(model: mobilenet.MobileNet, inputs: Uint8Array[]): { vectors: Float32Array; dim: number } {
  const batch = new Float32Array(inputs.length * PIXELS);
  inputs.forEach((input, i) => batch.set(input, i * PIXELS));
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
