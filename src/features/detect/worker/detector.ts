import * as tf from '@tensorflow/tfjs';
import { DETECTOR_INPUT_SIZE } from '../../../lib/detection';

/** The graph model's input and the one output to run (the decoded boxes; the heat maps are not needed). */
export const DETECTOR_INPUT = 'tower_0/images';
export const DETECTOR_OUTPUT = 'tower_0/detections';

/**
 * Runs the detector on an image already resized to DETECTOR_INPUT_SIZE² (RGBA bytes, as a canvas
 * gives them) and returns its raw rows: x1, y1, x2, y2, score, class per box, in input pixels.
 * The detector wants RGB values in [0, 255] (inputs in [0, 1] give no detection at all).
 * Shared by the browser worker and the Node evaluation.
 */
export function detectRaw(model: tf.GraphModel, rgba: Uint8ClampedArray | Uint8Array): Float32Array {
  const output = tf.tidy(() => {
    const pixels = tf.tensor3d(Uint8Array.from(rgba), [DETECTOR_INPUT_SIZE, DETECTOR_INPUT_SIZE, 4], 'int32');
    const rgb = pixels.slice([0, 0, 0], [-1, -1, 3]).toFloat().expandDims(0);
    return model.execute({ [DETECTOR_INPUT]: rgb }, DETECTOR_OUTPUT) as tf.Tensor;
  });
  const rows = output.dataSync() as Float32Array;
  output.dispose();
  return new Float32Array(rows);
}
