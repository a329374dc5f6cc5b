import type { PositivePair } from './contrastivePairs';
import type { Rect } from './crop';

/**
 * Self-supervised positives (the book's pick, as in SimCLR): two augmented views of one image.
 * Here the augmentation is a random resized crop — a region of 35–100 % of the image's area with
 * an aspect ratio between 3:4 and 4:3, anywhere in the image — embedded like any crop query.
 */
export const VIEWS_PER_IMAGE = 2;
const MIN_AREA = 0.35;
const ASPECT = { min: 3 / 4, max: 4 / 3 };

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
