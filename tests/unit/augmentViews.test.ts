import { describe, expect, it } from 'vitest';
import {
  augmentationKey,
  augmentPixels,
  FLIP_PROBABILITY,
  JITTER_STRENGTH,
  MIN_AREA,
  randomAugmentation,
} from '../../src/lib/augmentViews';
import { seededRandom } from '../../src/lib/syntheticVectors';

const draw = (seed: number, n: number) => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => randomAugmentation(300, 200, random));
};

describe('randomAugmentation (the augment source: crop, flip, colour jitter)', () => {
  it('is seeded: the same seed gives the same views, another seed other views', () => {
    expect(draw(5, 20)).toEqual(draw(5, 20));
    expect(draw(6, 20)).not.toEqual(draw(5, 20));
    expect(draw(5, 20).map(augmentationKey)).toEqual(draw(5, 20).map(augmentationKey));
  });

  it('keeps every parameter in its range and uses the whole of each range', () => {
    const views = draw(11, 2000);
    for (const { crop, jitter } of views) {
      expect(crop).not.toBeNull();
      const { x, y, w, h } = crop!;
      expect(x >= 0 && y >= 0 && x + w <= 300 && y + h <= 200).toBe(true);
      expect((w * h) / (300 * 200)).toBeGreaterThan(MIN_AREA - 0.03);
      for (const f of [jitter.brightness, jitter.contrast, jitter.saturation]) {
        expect(f).toBeGreaterThanOrEqual(1 - JITTER_STRENGTH);
        expect(f).toBeLessThanOrEqual(1 + JITTER_STRENGTH);
      }
    }
    const flips = views.filter((v) => v.flip).length / views.length;
    expect(Math.abs(flips - FLIP_PROBABILITY)).toBeLessThan(0.05);
    const brightness = views.map((v) => v.jitter.brightness);
    expect(Math.min(...brightness)).toBeLessThan(1 - 0.9 * JITTER_STRENGTH);
    expect(Math.max(...brightness)).toBeGreaterThan(1 + 0.9 * JITTER_STRENGTH);
    const areas = views.map((v) => (v.crop!.w * v.crop!.h) / (300 * 200));
    expect(Math.max(...areas)).toBeGreaterThan(0.85); // near-whole crops happen (the 3:4–4:3 aspect caps a 3:2 image at ~0.94)
  });

  it('views an image of unknown size whole, still flipped and jittered', () => {
    const view = randomAugmentation(undefined, undefined, seededRandom(1));
    expect(view.crop).toBeNull();
    expect(augmentationKey(view)).toMatch(/^whole\|(no)?flip\|/);
  });
});

describe('augmentPixels', () => {
  // A 2×2 image: red, green / blue, grey.
  const image = Uint8Array.from([200, 0, 0, 0, 200, 0, 0, 0, 200, 100, 100, 100]);
  const identity = { brightness: 1, contrast: 1, saturation: 1 };

  it('changes nothing with no flip and unit factors', () => {
    expect(augmentPixels(image, 2, { flip: false, jitter: identity })).toEqual(image);
  });

  it('flips each row left to right', () => {
    expect(Array.from(augmentPixels(image, 2, { flip: true, jitter: identity }))).toEqual([
      0, 200, 0, 200, 0, 0, 100, 100, 100, 0, 0, 200,
    ]);
  });

  it('brightness scales, clamped to 255', () => {
    const out = augmentPixels(image, 2, { flip: false, jitter: { ...identity, brightness: 1.4 } });
    expect(Array.from(out.slice(0, 3))).toEqual([255, 0, 0]);
    expect(Array.from(out.slice(9))).toEqual([140, 140, 140]);
  });

  it('saturation 0 turns every pixel to its own grey; a grey pixel never changes', () => {
    const out = augmentPixels(image, 2, { flip: false, jitter: { ...identity, saturation: 0 } });
    expect(Array.from(out.slice(0, 3))).toEqual([60, 60, 60]); // 0.299 × 200
    expect(Array.from(out.slice(9))).toEqual([100, 100, 100]);
  });

  it('contrast 0 gives every channel the mean grey of the image', () => {
    const out = augmentPixels(image, 2, { flip: false, jitter: { ...identity, contrast: 0 } });
    const grey = (200 + 100) / 4; // the lumas: 0.299·200 + 0.587·200 + 0.114·200 and 100, over 4 pixels
    expect(new Set(out)).toEqual(new Set([grey]));
  });

  it('refuses data of the wrong size', () => {
    expect(() => augmentPixels(image, 3, { flip: false, jitter: identity })).toThrow(/3×3/);
  });
});
