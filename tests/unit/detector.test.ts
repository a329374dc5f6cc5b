import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../datasets/decodeImage';
import { detectorInput, loadDetectorFromDisk } from '../../datasets/nodeDetector';
import { startWasmBackend } from '../../datasets/nodeModel';
import { DEFAULT_DETECT_THRESHOLD, bestDetection, decodeDetections } from '../../src/lib/detection';
import { detectRaw } from '../../src/features/detect/worker/detector';
import { decodeJpeg, encodeJpeg, rotateAnticlockwise, withExifOrientation } from '../fixtures/badImages';

/** The app's detector code on the real CenterNet model, in Node on the WASM backend (a unit test, like setup's real-model test: the integration project stubs the worker globals tfjs-wasm looks for). */
const root = resolve(import.meta.dirname, '../..');
const assetsDir = resolve(process.env.VSL_ASSETS ?? join(root, '..', 'shared'));
const images = join(assetsDir, 'datasets', 'caltech101-40');

describe('the object detector', () => {
  let detector: tf.GraphModel;
  beforeAll(async () => {
    await startWasmBackend();
    detector = await loadDetectorFromDisk(join(assetsDir, 'detectors', 'centernet_mb3_coco'));
  }, 60_000);

  async function detect(file: string) {
    const image = await decodeImage(await readFile(join(images, file)));
    const found = decodeDetections(detectRaw(detector, detectorInput(image)), image, DEFAULT_DETECT_THRESHOLD);
    return { image, found };
  }

  it('finds the motorbike in a motorbike photo, its box in the photo’s own pixels', async () => {
    const { image, found } = await detect('Motorbikes/image_0001.jpg');
    const best = bestDetection(found)!;
    expect(best.label).toBe('motorcycle');
    expect(best.score).toBeGreaterThan(0.4);
    // The motorbike fills most of the photo; the box is inside it, in natural pixels.
    expect(best.box.x + best.box.w).toBeLessThanOrEqual(image.width);
    expect(best.box.y + best.box.h).toBeLessThanOrEqual(image.height);
    expect(best.box.w * best.box.h).toBeGreaterThan(0.3 * image.width * image.height);
  }, 60_000);

  it('puts the box on the upright photo when the file is stored turned, with an EXIF orientation tag', async () => {
    const photo = decodeJpeg(readFileSync(join(images, 'Motorbikes/image_0001.jpg')));
    // Stored a quarter turn anticlockwise (landscape becomes portrait); tag 6 says to turn it back.
    const stored = withExifOrientation(encodeJpeg(rotateAnticlockwise(photo)), 6);
    const upright = await decodeImage(encodeJpeg(photo));
    const turned = await decodeImage(stored);
    expect([turned.width, turned.height]).toEqual([photo.width, photo.height]);
    const boxOf = (image: typeof upright) =>
      bestDetection(decodeDetections(detectRaw(detector, detectorInput(image)), image, DEFAULT_DETECT_THRESHOLD))!;
    const a = boxOf(upright);
    const b = boxOf(turned);
    expect(b.label).toBe(a.label);
    // The same box in the upright photo's pixels (the two JPEG encodings differ by a few pixels).
    for (const key of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(b.box[key] - a.box[key])).toBeLessThanOrEqual(6);
    // Read without the tag, the turned pixels are portrait: the box would be in the wrong frame.
    expect(photo.width).toBeGreaterThan(photo.height);
  }, 60_000);

  it('names an airplane an airplane, and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const { found } = await detect('airplanes/image_0001.jpg');
    expect(found.map((d) => d.label)).toContain('airplane');
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
