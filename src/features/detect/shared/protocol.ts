import { protocol } from '../../../bridge/protocol';
import type { Backend, BackendInfo } from '../../../lib/types';

export interface DetectorReady extends BackendInfo {
  loadMs: number;
}

/** The detector's raw answer for one image: its rows, and the upright size they scale back to. */
export interface RawDetections {
  /** x1, y1, x2, y2, score, class per box, in the 512×512 input's pixels, best first (src/lib/detection.ts). */
  rows: Float32Array;
  /** The image's natural size, EXIF orientation applied. */
  width: number;
  height: number;
  /** Decoding and resizing to 512×512, and the detector itself, in milliseconds. */
  decodeMs: number;
  detectMs: number;
  /** Live tfjs tensors after the call: flat when nothing leaks. */
  tensors: number;
}

export interface DetectWorkerApi {
  init(modelUrl: string, preferred: Backend | null): Promise<DetectorReady>;
  /** Runs the detector on an image: a URL to fetch or the bytes the user gave. */
  detect(source: string | Blob): Promise<RawDetections>;
}

export const DETECT_WORKER = protocol<DetectWorkerApi>()({
  init: {},
  detect: { transferResult: (result) => [result.rows.buffer] },
});
