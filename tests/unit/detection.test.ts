import { describe, expect, it } from 'vitest';
import {
  COCO_CLASSES,
  DEFAULT_DETECT_THRESHOLD,
  DETECTOR_INPUT_SIZE,
  aboveThreshold,
  bestDetection,
  boxToNatural,
  decodeDetections,
} from '../../src/lib/detection';

/** Raw detector rows, as the graph model's `tower_0/detections` gives them. */
const rows = (...r: number[][]) => new Float32Array(r.flat());

describe('object detection geometry', () => {
  it('has the 80 COCO classes in the detector order', () => {
    expect(COCO_CLASSES).toHaveLength(80);
    expect([COCO_CLASSES[0], COCO_CLASSES[3], COCO_CLASSES[4], COCO_CLASSES[79]]).toEqual([
      'person',
      'motorcycle',
      'airplane',
      'toothbrush',
    ]);
  });

  it('scales a box from the 512×512 input to natural pixels, each axis on its own', () => {
    // A 1024×256 image was squashed to 512×512: x doubles, y halves.
    expect(boxToNatural(100, 200, 300, 400, { width: 1024, height: 256 })).toEqual({ x: 200, y: 100, w: 400, h: 100 });
    // The whole input is the whole image.
    const full = { width: 300, height: 197 };
    expect(boxToNatural(0, 0, DETECTOR_INPUT_SIZE, DETECTOR_INPUT_SIZE, full)).toEqual({ x: 0, y: 0, w: 300, h: 197 });
  });

  it('keeps a box inside the image and whole, even when the detector overshoots or swaps corners', () => {
    expect(boxToNatural(-20, -5, 600, 530, { width: 256, height: 256 })).toEqual({ x: 0, y: 0, w: 256, h: 256 });
    expect(boxToNatural(300, 400, 100, 200, { width: 512, height: 512 })).toEqual({ x: 100, y: 200, w: 200, h: 200 });
    expect(boxToNatural(10.4, 20.6, 110.2, 70.9, { width: 512, height: 512 })).toEqual({ x: 10, y: 21, w: 100, h: 50 });
  });

  it('keeps rows at or above the threshold, best first, with their COCO class', () => {
    const raw = rows(
      [10, 10, 100, 100, 0.25, 0],
      [20, 20, 200, 200, 0.47, 3],
      [30, 30, 300, 300, 0.3, 4],
      [0, 0, 50, 50, 0.9, 80], // no such class
      [5, 5, 5, 60, 0.8, 1], // empty box
    );
    const found = decodeDetections(raw, { width: 512, height: 512 }, DEFAULT_DETECT_THRESHOLD);
    expect(found.map((d) => [d.label, d.score])).toEqual([
      ['motorcycle', expect.closeTo(0.47, 6)],
      ['airplane', expect.closeTo(0.3, 6)],
    ]);
    expect(found[0].box).toEqual({ x: 20, y: 20, w: 180, h: 180 });
  });

  it('moves the threshold without running the detector again, and picks the best box', () => {
    const all = decodeDetections(
      rows([0, 0, 100, 100, 0.6, 0], [0, 0, 200, 200, 0.35, 2], [0, 0, 300, 300, 0.1, 16]),
      { width: 512, height: 512 },
      0.05,
    );
    expect(aboveThreshold(all, 0.3).map((d) => d.label)).toEqual(['person', 'car']);
    expect(aboveThreshold(all, 0.5).map((d) => d.label)).toEqual(['person']);
    expect(aboveThreshold(all, 0.7)).toEqual([]);
    expect(bestDetection(all)?.label).toBe('person');
    expect(bestDetection([])).toBeNull();
  });
});
