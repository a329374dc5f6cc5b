/**
 * Preprocessing maths shared by every path that turns an image into model input.
 *
 * Crop policy: centre crop. The largest centred square is cut from the image and resized
 * to 224×224, so the object in the middle keeps its aspect ratio and the borders of the
 * longer side are dropped. Transparent pixels are composited on white. The resize is plain
 * JavaScript (not canvas drawImage, whose filter differs between browsers and does not
 * exist in Node), so the browser and the precompute CLI give the same input.
 */
export const MODEL_INPUT_SIZE = 224;

/**
 * Names the exact transformation from file to model input. Stored with every embedding
 * (bundles, caches): bump it whenever the model input changes, so old vectors are not reused.
 */
export const PREPROCESSING_VERSION = 'centre-crop-area-224-v2';

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

/** Decoded pixels, row-major RGBA, not premultiplied. */
export interface RgbaImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** Source pixels and weights that make one output pixel along one axis. */
export interface Taps {
  first: number;
  weights: number[];
}

/**
 * Area averaging for a downscale: each output pixel is the mean of the source pixels it
 * covers, weighted by how much of each it covers. Every source pixel counts, so fine
 * detail is averaged, never skipped (no aliasing) — what a careful canvas downscale does.
 */
function areaTaps(source: number, target: number): Taps[] {
  const scale = source / target;
  return Array.from({ length: target }, (_, i) => {
    const start = i * scale;
    const end = start + scale;
    const first = Math.floor(start);
    const weights: number[] = [];
    for (let j = first; j < end && j < source; j++) {
      weights.push((Math.min(j + 1, end) - Math.max(j, start)) / scale);
    }
    return { first, weights };
  });
}

/**
 * Bilinear for an upscale, pixel centres aligned (as canvas and tf.image.resizeBilinear
 * with halfPixelCenters do), edges clamped.
 */
function bilinearTaps(source: number, target: number): Taps[] {
  return Array.from({ length: target }, (_, i) => {
    const x = Math.min(Math.max(((i + 0.5) * source) / target - 0.5, 0), source - 1);
    const first = Math.min(Math.floor(x), source - 2);
    if (first < 0) return { first: 0, weights: [1] };
    const t = x - first;
    return { first, weights: [1 - t, t] };
  });
}

export function resizeTaps(source: number, target: number): Taps[] {
  return source >= target ? areaTaps(source, target) : bilinearTaps(source, target);
}

/**
 * The model input of a decoded image, identical in the browser and in Node: the centre
 * crop, alpha composited on white, resized to 224×224 (area averaging down, bilinear up),
 * RGB, one byte per channel. The resize is separable: rows first, then columns.
 */
export function modelInputFromRgba(image: RgbaImage): Uint8Array {
  const { data, width, height } = image;
  if (data.length !== width * height * 4) throw new Error(`RGBA data does not match ${width}×${height} pixels`);
  const { sx, sy, size } = centreCropRect(width, height);
  const out = MODEL_INPUT_SIZE;
  const taps = resizeTaps(size, out);
  // Rows pass: every source row of the crop, composited on white, resized to `out` columns.
  const rows = new Float32Array(size * out * 3);
  const line = new Float64Array(size * 3);
  for (let y = 0; y < size; y++) {
    const rowStart = ((sy + y) * width + sx) * 4;
    for (let x = 0; x < size; x++) {
      const p = rowStart + x * 4;
      const alpha = data[p + 3] / 255;
      const white = 255 * (1 - alpha);
      line[x * 3] = data[p] * alpha + white;
      line[x * 3 + 1] = data[p + 1] * alpha + white;
      line[x * 3 + 2] = data[p + 2] * alpha + white;
    }
    for (let x = 0; x < out; x++) {
      const { first, weights } = taps[x];
      let r = 0;
      let g = 0;
      let b = 0;
      for (let t = 0; t < weights.length; t++) {
        const q = (first + t) * 3;
        r += weights[t] * line[q];
        g += weights[t] * line[q + 1];
        b += weights[t] * line[q + 2];
      }
      const o = (y * out + x) * 3;
      rows[o] = r;
      rows[o + 1] = g;
      rows[o + 2] = b;
    }
  }
  // Columns pass.
  const rgb = new Uint8Array(out * out * 3);
  for (let y = 0; y < out; y++) {
    const { first, weights } = taps[y];
    for (let x = 0; x < out * 3; x++) {
      let sum = 0;
      for (let t = 0; t < weights.length; t++) sum += weights[t] * rows[(first + t) * out * 3 + x];
      rgb[y * out * 3 + x] = Math.min(255, Math.max(0, Math.round(sum)));
    }
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
