/** One class of the detection evaluation (datasets/detectEval.ts): how often a box is found, and what the best box does to P@k. */
export interface ClassDetection {
  label: string;
  images: number;
  /** Images with at least one box at or above the threshold. */
  withBox: number;
  /** Boxes at or above the threshold over the class's images: its object-level entries. */
  boxes: number;
  /** The COCO class the best box most often had, or null when no image had a box. */
  commonBoxClass: string | null;
  /** Label precision@k on the images with a box: the whole image as the query, and the best box. */
  wholeP10: number | null;
  bestBoxP10: number | null;
  /** Label precision@k of the whole image over all the class's images. */
  wholeP10All: number;
  /**
   * The same two queries when the other images' boxes are candidates too (object-level entries,
   * collapsed to one row per image): the whole image over all the class's images, and the best box
   * over the images that have one.
   */
  wholeP10AllWithObjects: number;
  bestBoxP10WithObjects: number | null;
}

export interface DetectionEvaluation {
  catalogue: string;
  model: string;
  detector: string;
  threshold: number;
  k: number;
  /** Query images (the first n of each class), and the images each was searched against. */
  images: number;
  searched: number;
  backend: string;
  detectMsPerImage: number;
  /** Object-level entries: boxes at or above the threshold over the query images. */
  objectEntries: number;
  /** The day it was measured (YYYY-MM-DD). */
  measuredOn: string;
  perClass: ClassDetection[];
}
