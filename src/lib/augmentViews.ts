import type { PositivePair } from './contrastivePairs';
import type { Rect } from './crop';

/**
 * Self-supervised positives (the book's pick, as in SimCLR, Chen et al. 2020): two augmented
 * views of one image. A view is a random resized crop (a region of 35–100 % of the image's area,
 * aspect ratio between 3:4 and 4:3, anywhere in the image), flipped left–right half the time,
 * then colour-jittered (brightness, contrast and saturation each scaled by a factor in
 * 1 ± JITTER_STRENGTH). Everything is drawn from a seeded generator, so a run repeats and its
 * embedded views can be cached by their parameters.
 */
export const VIEWS_PER_IMAGE = 2;
export const MIN_AREA = 0.35;
export const ASPECT = { min: 3 / 4, max: 4 / 3 };
export const FLIP_PROBABILITY = 0.5;
/** SimCLR's colour distortion at half its strength (0.8 × 0.5), without the hue shift and grey-scale step. */
export const JITTER_STRENGTH = 0.4;

/** Multiplicative colour factors; 1 leaves the channel as it was. */
export interface ColourJitter {
  brightness: number;
  contrast: number;
  saturation: number;
}

/** What is done to the pixels of the model input (224×224) after the crop. */
export interface PixelAugmentation {
  flip: boolean;
  jitter: ColourJitter;
}

/** One view: the crop (natural pixels) and what is done to its pixels after. */
export interface ViewAugmentation extends PixelAugmentation {
  /** Null when the image's pixel size is unknown: the whole image is viewed. */
  crop: Rect | null;
}

/** A random crop of a width × height image, in natural pixels, whole and inside it. */
export function randomResizedCrop(width: number, height: number, random: () => number): Rect {
  const area = width * height * (MIN_AREA + (1 - MIN_AREA) * random());
  const logAspect = Math.log(ASPECT.min) + (Math.log(ASPECT.max) - Math.log(ASPECT.min)) * random();
  const aspect = Math.exp(logAspect);
  const w = Math.max(1, Math.min(width, Math.round(Math.sqrt(area * aspect))));
  const h = Math.max(1, Math.min(height, Math.round(Math.sqrt(area / aspect))));
  const x = Math.floor(random() * (width - w + 1));
  const y = Math.floor(random() * (height - h + 1));
  return { x, y, w, h };
}

const factor = (random: () => number): number => 1 - JITTER_STRENGTH + 2 * JITTER_STRENGTH * random();

/** A random view of a width × height image (size unknown: no crop), drawn crop, flip, jitter in that order. */
export function randomAugmentation(
  width: number | null | undefined,
  height: number | null | undefined,
  random: () => number,
): ViewAugmentation {
  const crop = width && height ? randomResizedCrop(width, height, random) : null;
  const flip = random() < FLIP_PROBABILITY;
  const jitter = { brightness: factor(random), contrast: factor(random), saturation: factor(random) };
  return { crop, flip, jitter };
}

/** A stable text form of a view's parameters, for cache keys (factors to 4 decimals). */
export function augmentationKey(view: ViewAugmentation): string {
  const { crop, flip, jitter } = view;
  const j = [jitter.brightness, jitter.contrast, jitter.saturation].map((f) => f.toFixed(4)).join(',');
  return `${crop ? `${crop.x},${crop.y},${crop.w},${crop.h}` : 'whole'}|${flip ? 'flip' : 'noflip'}|${j}`;
}

/** ITU-R BT.601 luma, the grey that saturation blends towards (as torchvision's ColorJitter). */
const luma = (r: number, g: number, b: number): number => 0.299 * r + 0.587 * g + 0.114 * b;

/**
 * Flips and colour-jitters a square RGB image (row-major, 3 bytes a pixel), into a new array:
 * brightness scales every channel, contrast blends with the image's mean grey, saturation blends
 * each pixel with its own grey; values clamped to 0–255 after each step, as torchvision does.
 */
export function augmentPixels(rgb: Uint8Array, side: number, augmentation: PixelAugmentation): Uint8Array {
  if (rgb.length !== side * side * 3) throw new Error(`RGB data does not match ${side}×${side} pixels`);
  const { flip, jitter } = augmentation;
  const pixels = new Float32Array(rgb.length);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const from = (y * side + (flip ? side - 1 - x : x)) * 3;
      const to = (y * side + x) * 3;
      for (let c = 0; c < 3; c++) pixels[to + c] = clampByte(rgb[from + c] * jitter.brightness);
    }
  }
  let grey = 0;
  for (let p = 0; p < pixels.length; p += 3) grey += luma(pixels[p], pixels[p + 1], pixels[p + 2]);
  grey /= side * side;
  for (let p = 0; p < pixels.length; p++) pixels[p] = clampByte(grey + (pixels[p] - grey) * jitter.contrast);
  const out = new Uint8Array(rgb.length);
  for (let p = 0; p < pixels.length; p += 3) {
    const own = luma(pixels[p], pixels[p + 1], pixels[p + 2]);
    for (let c = 0; c < 3; c++) out[p + c] = Math.round(clampByte(own + (pixels[p + c] - own) * jitter.saturation));
  }
  return out;
}

function clampByte(value: number): number {
  return Math.min(255, Math.max(0, value));
}

/**
 * The `augment` source's pairs: view rows laid out after the catalogue's `count` rows, two per
 * image of `rows` in order (row i's views at count + 2i and count + 2i + 1), each image's two
 * views one pair, grouped by the image.
 */
export function augmentPairs(count: number, rows: readonly number[]): PositivePair[] {
  return rows.map((row, i) => ({
    anchor: count + VIEWS_PER_IMAGE * i,
    positive: count + VIEWS_PER_IMAGE * i + 1,
    group: row,
    weight: 1,
  }));
}
