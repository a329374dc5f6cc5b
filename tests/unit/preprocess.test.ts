import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_PIXELS, centreCropRect, imageTooLarge, l2NormaliseRows, rgbaToRgb } from '../../src/lib/preprocess';

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

describe('rgbaToRgb', () => {
  it('drops the alpha byte of every pixel', () => {
    expect([...rgbaToRgb(Uint8ClampedArray.from([1, 2, 3, 255, 4, 5, 6, 0]))]).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('refuses data that is not whole pixels', () => {
    expect(() => rgbaToRgb(new Uint8Array(5))).toThrow();
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
