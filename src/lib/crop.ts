import { centreCropRect, type CropRect } from './preprocess';

/**
 * Crop geometry for a region query. A crop is a rectangle in the image's natural pixels
 * (EXIF orientation applied), whole pixels, always inside the image and never smaller than
 * MIN_CROP_PX on a side (or the image's own side when that is smaller).
 */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Smallest crop side, in natural pixels: below this the 224×224 model input is mostly blur. */
export const MIN_CROP_PX = 16;

/** Arrow keys move (Shift + arrow resizes) the crop by this share of the image side. */
export const KEY_STEP = 0.02;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function minSide(imageSide: number): number {
  return Math.min(MIN_CROP_PX, imageSide);
}

/** The same rectangle made valid: whole pixels, at least the minimum size, inside the image. */
export function clampRect(rect: Rect, image: Size): Rect {
  const w = clamp(Math.round(rect.w), minSide(image.width), image.width);
  const h = clamp(Math.round(rect.h), minSide(image.height), image.height);
  return {
    x: clamp(Math.round(rect.x), 0, image.width - w),
    y: clamp(Math.round(rect.y), 0, image.height - h),
    w,
    h,
  };
}

/** The rectangle a drag from `a` to `b` draws, in any direction; points outside the image are pulled in. */
export function rectFromPoints(a: Point, b: Point, image: Size): Rect {
  const ax = clamp(a.x, 0, image.width);
  const ay = clamp(a.y, 0, image.height);
  const bx = clamp(b.x, 0, image.width);
  const by = clamp(b.y, 0, image.height);
  const rect = { x: Math.min(ax, bx), y: Math.min(ay, by), w: Math.abs(bx - ax), h: Math.abs(by - ay) };
  // A tiny drag grows from where it started, towards the image's inside.
  const w = Math.max(rect.w, minSide(image.width));
  const h = Math.max(rect.h, minSide(image.height));
  const x = bx < ax ? Math.max(rect.x + rect.w, w) - w : rect.x;
  const y = by < ay ? Math.max(rect.y + rect.h, h) - h : rect.y;
  return clampRect({ x, y, w, h }, image);
}

/** Moves the crop, stopping at the image's edges (its size never changes). */
export function moveRect(rect: Rect, dx: number, dy: number, image: Size): Rect {
  return clampRect({ ...rect, x: rect.x + dx, y: rect.y + dy }, image);
}

/** Grows or shrinks the crop from its bottom-right corner, within the image and the minimum size. */
export function resizeRect(rect: Rect, dw: number, dh: number, image: Size): Rect {
  const w = clamp(rect.w + dw, minSide(image.width), image.width - rect.x);
  const h = clamp(rect.h + dh, minSide(image.height), image.height - rect.y);
  return clampRect({ ...rect, w, h }, image);
}

/** A centred crop covering half of each side: where keyboard users start. */
export function defaultRect(image: Size): Rect {
  return clampRect({ x: image.width / 4, y: image.height / 4, w: image.width / 2, h: image.height / 2 }, image);
}

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** The crop after an arrow key: moves it, or resizes it with Shift. Null for any other key. */
export function rectAfterKey(rect: Rect, key: string, shift: boolean, image: Size): Rect | null {
  const arrow = ARROWS[key];
  if (!arrow) return null;
  const dx = arrow[0] * Math.max(1, Math.round(image.width * KEY_STEP));
  const dy = arrow[1] * Math.max(1, Math.round(image.height * KEY_STEP));
  return shift ? resizeRect(rect, dx, dy, image) : moveRect(rect, dx, dy, image);
}

/** A point on the image as displayed (CSS px from its top-left corner) → natural pixels. */
export function displayToNatural(point: Point, display: Size, natural: Size): Point {
  return { x: (point.x * natural.width) / display.width, y: (point.y * natural.height) / display.height };
}

/** A crop in natural pixels → the box to draw over the displayed image, in CSS px. */
export function naturalToDisplay(rect: Rect, display: Size, natural: Size): Rect {
  const sx = display.width / natural.width;
  const sy = display.height / natural.height;
  return { x: rect.x * sx, y: rect.y * sy, w: rect.w * sx, h: rect.h * sy };
}

/** `x,y,w,h` in natural pixels, the URL's form. */
export function formatCrop(rect: Rect): string {
  return [rect.x, rect.y, rect.w, rect.h].join(',');
}

/** Reads `x,y,w,h` (whole, non-negative, positive size); null when malformed. Clamped to the image later. */
export function parseCrop(text: string | null): Rect | null {
  if (!text) return null;
  const parts = text.split(',');
  if (parts.length !== 4 || parts.some((p) => !/^\d+$/.test(p.trim()))) return null;
  const [x, y, w, h] = parts.map(Number);
  if (w <= 0 || h <= 0) return null;
  return { x, y, w, h };
}

/**
 * The square of the image that becomes the 224×224 model input: the centre crop of the
 * region (clamped to the image), or of the whole image when there is no region.
 */
export function modelInputSquare(region: Rect | null, image: Size): CropRect {
  const r = region ? clampRect(region, image) : { x: 0, y: 0, w: image.width, h: image.height };
  const square = centreCropRect(r.w, r.h);
  return { sx: r.x + square.sx, sy: r.y + square.sy, size: square.size };
}
