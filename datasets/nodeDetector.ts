import { readdir } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { DETECTOR_INPUT_SIZE } from '../src/lib/detection';
import type { RgbaImage } from '../src/lib/preprocess';
import { diskModel } from './nodeModel';

/** The detector of a detectors/<id>/ folder (its one graph model .json and weights), read from disk. */
export async function loadDetectorFromDisk(dir: string): Promise<tf.GraphModel> {
  const graphs = (await readdir(dir)).filter((file) => file.endsWith('.json'));
  if (graphs.length !== 1) throw new Error(`${dir}: expected one graph model .json, found ${graphs.length}`);
  return tf.loadGraphModel(diskModel(dir, graphs[0]));
}

/**
 * The upright image squashed to the detector's square input, RGBA bytes: bilinear, as the
 * browser's canvas does it (the canvas's filter is not reproducible here, so boxes may differ a little).
 */
export function detectorInput(image: RgbaImage): Uint8Array {
  const resized = tf.tidy(() =>
    tf.image
      .resizeBilinear(tf.tensor3d(Uint8Array.from(image.data), [image.height, image.width, 4], 'int32'), [
        DETECTOR_INPUT_SIZE,
        DETECTOR_INPUT_SIZE,
      ])
      .round()
      .clipByValue(0, 255)
      .toInt(),
  );
  const bytes = Uint8Array.from(resized.dataSync());
  resized.dispose();
  return bytes;
}
