/**
 * Preprocessing maths shared by every path that turns an image into model input.
 *
 * Crop policy: centre crop. The largest centred square is cut from the image and resized
 * to 224×224, so the object in the middle keeps its aspect ratio and the borders of the
 * longer side are dropped. Transparent pixels are composited on white.
 */
export const MODEL_INPUT_SIZE = 224;
/** Names the way an image becomes model input; stored embeddings are keyed by it, so change it with the code. */
export const PREPROCESSING_VERSION = 'centre-crop-canvas-224-v1';
export const ALPHA_BACKGROUND = 'white';

/**
 * Images above this many pixels are refused before they are decoded: a 20000×20000
 * "decompression bomb" would need 1.6 GB of RGBA. 50 MP is far beyond any photo we need.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** Why an image of this size is refused, or null when it may be decoded. */
export function imageTooLarge(width: number, height: number): string | null {
  if (width * height <= MAX_IMAGE_PIXELS) return null;
  return `the image is too large to decode safely (${width}×${height} pixels; the limit is ${MAX_IMAGE_PIXELS / 1e6} megapixels)`;
}

export interface CropRect {
  sx: number;
  sy: number;
  size: number;
}

export function centreCropRect(width: number, height: number): CropRect {
  if (!(width > 0 && height > 0)) throw new Error(`image has no pixels (${width}×${height})`);
  const size = Math.min(width, height);
  return { sx: Math.floor((width - size) / 2), sy: Math.floor((height - size) / 2), size };
}

/** Drops the alpha channel of RGBA pixels (already composited on the background). */
export function rgbaToRgb(rgba: Uint8ClampedArray | Uint8Array): Uint8Array {
  if (rgba.length % 4 !== 0) throw new Error('RGBA data length must be a multiple of 4');
  const pixels = rgba.length / 4;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    rgb[p * 3] = rgba[p * 4];
    rgb[p * 3 + 1] = rgba[p * 4 + 1];
    rgb[p * 3 + 2] = rgba[p * 4 + 2];
  }
  return rgb;
}

/** Scales each row of a row-major matrix to unit L2 norm, in place. Zero rows stay zero. */
export function l2NormaliseRows(matrix: Float32Array, dim: number): Float32Array {
  for (let offset = 0; offset < matrix.length; offset += dim) {
    let sum = 0;
    for (let i = 0; i < dim; i++) sum += matrix[offset + i] * matrix[offset + i];
    const norm = Math.sqrt(sum);
    if (norm === 0) continue;
    for (let i = 0; i < dim; i++) matrix[offset + i] /= norm;
  }
  return matrix;
}
