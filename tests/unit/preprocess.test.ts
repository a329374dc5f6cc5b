import { describe, expect, it } from 'vitest';
import {
  MAX_IMAGE_PIXELS,
  MODEL_INPUT_SIZE,
  centreCropRect,
  imageTooLarge,
  l2NormaliseRows,
  modelInputFromRgba,
  resizeTaps,
} from '../../src/lib/preprocess';

describe('centreCropRect', () => {
  it('cuts the centred square of a landscape image', () => {
    expect(centreCropRect(300, 200)).toEqual({ sx: 50, sy: 0, size: 200 });
  });
  it('cuts the centred square of a portrait image', () => {
    expect(centreCropRect(200, 301)).toEqual({ sx: 0, sy: 50, size: 200 });
  });
  it('keeps a square image whole', () => {
    expect(centreCropRect(224, 224)).toEqual({ sx: 0, sy: 0, size: 224 });
  });
  it('refuses an image with no pixels', () => {
    expect(() => centreCropRect(0, 10)).toThrow(/no pixels/);
  });
});

/** An opaque RGBA image whose pixel (x, y) is pixel(x, y). */
function image(width: number, height: number, pixel: (x: number, y: number) => number[]) {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  return { data, width, height };
}

const at = (rgb: Uint8Array, x: number, y: number) => [
  ...rgb.subarray((y * MODEL_INPUT_SIZE + x) * 3, (y * MODEL_INPUT_SIZE + x) * 3 + 3),
];

describe('resizeTaps', () => {
  it('weights sum to 1 for every output pixel, down and up', () => {
    for (const source of [1, 2, 100, 224, 225, 300, 1000]) {
      for (const taps of resizeTaps(source, MODEL_INPUT_SIZE)) {
        expect(taps.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
        expect(taps.first).toBeGreaterThanOrEqual(0);
        expect(taps.first + taps.weights.length).toBeLessThanOrEqual(source);
      }
    }
  });
  it('area-averages a downscale: 448 → 224 takes each pair of pixels at half weight', () => {
    expect(resizeTaps(448, 224)[10]).toEqual({ first: 20, weights: [0.5, 0.5] });
  });
  it('splits a source pixel between the outputs that share it (300 → 224)', () => {
    const taps = resizeTaps(300, 224);
    // Output 0 covers source [0, 1.339…): all of pixel 0 and a third of pixel 1.
    expect(taps[0].first).toBe(0);
    expect(taps[0].weights).toHaveLength(2);
    expect(taps[0].weights[0]).toBeCloseTo(224 / 300, 10);
  });
  it('is the identity at 224', () => {
    expect(resizeTaps(224, 224).every((t, i) => t.first === i && t.weights.length === 1 && t.weights[0] === 1)).toBe(
      true,
    );
  });
  it('interpolates bilinearly on an upscale, pixel centres aligned', () => {
    // 112 → 224: output 1 sits at source 0.25, between pixels 0 and 1.
    expect(resizeTaps(112, 224)[1]).toEqual({ first: 0, weights: [0.75, 0.25] });
    // Edges clamp to the first and last pixel.
    expect(resizeTaps(112, 224)[0]).toEqual({ first: 0, weights: [1, 0] });
  });
});

describe('modelInputFromRgba', () => {
  it('keeps the average colour of fine detail instead of picking every other pixel', () => {
    // 1-pixel black and white stripes at 448 wide: a nearest-pixel resize would give all black or all white.
    const rgb = modelInputFromRgba(image(448, 448, (x) => (x % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255])));
    expect(at(rgb, 100, 100)).toEqual([128, 128, 128]);
  });
  it('centre-crops a landscape image: the side bands are dropped', () => {
    // 672 × 448: red bands of 112 px on both sides, blue centre square of 448.
    const rgb = modelInputFromRgba(image(672, 448, (x) => (x < 112 || x >= 560 ? [255, 0, 0, 255] : [0, 0, 255, 255])));
    expect(at(rgb, 0, 0)).toEqual([0, 0, 255]);
    expect(at(rgb, 223, 223)).toEqual([0, 0, 255]);
  });
  it('composites transparent pixels on white and half-transparent ones halfway', () => {
    const clear = modelInputFromRgba(image(10, 10, () => [0, 0, 0, 0]));
    expect(at(clear, 5, 5)).toEqual([255, 255, 255]);
    const half = modelInputFromRgba(image(224, 224, () => [0, 0, 0, 51]));
    expect(at(half, 5, 5)).toEqual([204, 204, 204]);
  });
  it('upscales a small image smoothly between its pixels', () => {
    // 2 × 2: left column black, right column white → a horizontal ramp.
    const rgb = modelInputFromRgba(image(2, 2, (x) => (x ? [255, 255, 255, 255] : [0, 0, 0, 255])));
    expect(at(rgb, 0, 0)).toEqual([0, 0, 0]);
    expect(at(rgb, 223, 0)).toEqual([255, 255, 255]);
    const middle = at(rgb, 112, 0)[0];
    expect(middle).toBeGreaterThan(100);
    expect(middle).toBeLessThan(155);
    expect(rgb).toHaveLength(MODEL_INPUT_SIZE * MODEL_INPUT_SIZE * 3);
  });
  it('refuses data that does not match its size', () => {
    expect(() => modelInputFromRgba({ data: new Uint8Array(5), width: 1, height: 1 })).toThrow(/does not match/);
  });
});

describe('l2NormaliseRows', () => {
  it('scales every row to unit length and leaves zero rows alone', () => {
    const m = l2NormaliseRows(Float32Array.from([3, 4, 0, 0, 0, 2]), 2);
    expect([...m]).toEqual([...Float32Array.from([0.6, 0.8, 0, 0, 0, 1])]);
  });
});

describe('imageTooLarge', () => {
  it('lets photos through and refuses a decompression bomb before decoding', () => {
    expect(imageTooLarge(4000, 3000)).toBeNull();
    expect(imageTooLarge(MAX_IMAGE_PIXELS, 1)).toBeNull();
    expect(imageTooLarge(20000, 20000)).toMatch(/20000×20000 pixels; the limit is 50 megapixels/);
  });
});
