import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { UndecodableImage, decodeImage } from '../../datasets/decodeImage';
import {
  makeBombPng,
  makeCorruptJpeg,
  makePng,
  makeTransparentGradientPng,
  withExifOrientation,
} from '../fixtures/images';

async function refusal(bytes: Uint8Array): Promise<UndecodableImage> {
  const error = await decodeImage(bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UndecodableImage);
  return error as UndecodableImage;
}

/** A 40 × 20 JPEG: left half red, right half blue. */
function halfRedHalfBlue(): Uint8Array {
  const data = Buffer.alloc(40 * 20 * 4);
  for (let y = 0; y < 20; y++)
    for (let x = 0; x < 40; x++) data.set(x < 20 ? [255, 0, 0, 255] : [0, 0, 255, 255], (y * 40 + x) * 4);
  return jpeg.encode({ data, width: 40, height: 20 }, 95).data;
}

describe('decodeImage (Node)', () => {
  it('decodes a PNG to RGBA, alpha kept for the shared compositing', async () => {
    const image = await decodeImage(makeTransparentGradientPng(30, 10));
    expect([image.width, image.height, image.data.length]).toEqual([30, 10, 1200]);
    expect(image.data[3]).toBe(255);
    expect(image.data[29 * 4 + 3]).toBeLessThan(20);
  });

  it('decodes a JPEG and turns it upright by its EXIF orientation', async () => {
    const plain = await decodeImage(halfRedHalfBlue());
    expect([plain.width, plain.height]).toEqual([40, 20]);
    // Orientation 6: shown rotated 90° clockwise, so the red left half ends up on top.
    const rotated = await decodeImage(withExifOrientation(halfRedHalfBlue(), 6));
    expect([rotated.width, rotated.height]).toEqual([20, 40]);
    const pixel = (x: number, y: number) => [...rotated.data.subarray((y * 20 + x) * 4, (y * 20 + x) * 4 + 3)];
    expect(pixel(10, 5)[0]).toBeGreaterThan(200);
    expect(pixel(10, 35)[2]).toBeGreaterThan(200);
  });

  it('refuses, with a reason, what it cannot or must not decode', async () => {
    expect((await refusal(new Uint8Array(0))).reason).toBe('empty-file');
    expect((await refusal(makeCorruptJpeg())).reason).toBe('decode-failed');
    const bomb = await refusal(makeBombPng(20000, 20000));
    expect([bomb.reason, bomb.message]).toEqual(['too-large', expect.stringMatching(/20000×20000 pixels/)]);
    const truncated = makePng(50, 50).subarray(0, 60);
    expect((await refusal(truncated)).reason).toBe('decode-failed');
  });
});
