import { clampRect, type Rect, type Size } from './crop';

/**
 * Object detection geometry and classes for the CenterNet detector (MobileNetV3 backbone,
 * COCO 80 classes): its raw rows are boxes in the 512×512 input it was given (the whole
 * upright image squashed to a square), so a box goes back to the image's natural pixels by
 * scaling each axis on its own.
 */

/** The detector's input side: the whole image is resized to this square, aspect ratio not kept. */
export const DETECTOR_INPUT_SIZE = 512;

/** Values per raw detection row: x1, y1, x2, y2, score, class. */
export const DETECTION_ROW = 6;

/** Boxes scoring below this are not shown by default (the detector's SOURCE.md: useful around 0.3). */
export const DEFAULT_DETECT_THRESHOLD = 0.3;

/** The 80 COCO classes in the detector's 0-based order. */
export const COCO_CLASSES: readonly string[] = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard',
  'tennis racket', 'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple',
  'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch',
  'potted plant', 'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone',
  'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear',
  'hair drier', 'toothbrush',
]; // prettier-ignore

export interface Detection {
  /** The box in the image's natural pixels (EXIF orientation applied), clamped inside the image. */
  box: Rect;
  score: number;
  /** COCO class name. */
  label: string;
}

/** One raw box (x1, y1, x2, y2 in the 512×512 input) in natural pixels: whole, inside the image. */
export function boxToNatural(x1: number, y1: number, x2: number, y2: number, image: Size): Rect {
  const sx = image.width / DETECTOR_INPUT_SIZE;
  const sy = image.height / DETECTOR_INPUT_SIZE;
  const left = Math.max(0, Math.min(x1, x2) * sx);
  const top = Math.max(0, Math.min(y1, y2) * sy);
  const right = Math.min(image.width, Math.max(x1, x2) * sx);
  const bottom = Math.min(image.height, Math.max(y1, y2) * sy);
  return clampRect({ x: left, y: top, w: right - left, h: bottom - top }, image);
}

/**
 * The detector's raw rows (DETECTION_ROW floats each, best first) → the detections at or above
 * `threshold`, in natural pixels, best first. Rows with an unknown class or an empty box are dropped.
 */
export function decodeDetections(rows: ArrayLike<number>, image: Size, threshold: number): Detection[] {
  const detections: Detection[] = [];
  for (let i = 0; i + DETECTION_ROW <= rows.length; i += DETECTION_ROW) {
    const [x1, y1, x2, y2, score, cls] = [0, 1, 2, 3, 4, 5].map((j) => rows[i + j]);
    const label = COCO_CLASSES[Math.round(cls)];
    if (!(score >= threshold) || label === undefined || x2 === x1 || y2 === y1) continue;
    detections.push({ box: boxToNatural(x1, y1, x2, y2, image), score, label });
  }
  return detections.sort((a, b) => b.score - a.score);
}

/** Only the detections at or above a threshold (the knob moves without running the detector again). */
export function aboveThreshold(detections: readonly Detection[], threshold: number): Detection[] {
  return detections.filter((d) => d.score >= threshold);
}

/** The best-scoring detection, or null: the box "search with the best box" uses. */
export function bestDetection(detections: readonly Detection[]): Detection | null {
  return detections.reduce<Detection | null>((best, d) => (best === null || d.score > best.score ? d : best), null);
}
