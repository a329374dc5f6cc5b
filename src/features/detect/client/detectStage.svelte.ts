import type { Rect } from '../../../lib/crop';
import { DEFAULT_DETECT_THRESHOLD, aboveThreshold, decodeDetections, type Detection } from '../../../lib/detection';
import { errorMessage } from '../../../lib/errors';
import { LatestOnly, SUPERSEDED } from '../../../lib/latestOnly';
import type { Backend, BackendInfo, DetectorIndex, Neighbour } from '../../../lib/types';
import type { ActiveQuery, QueryStage } from '../../query/client/queryStage.svelte';
import type { CatalogueTags } from '../../embed/client/catalogueTags';
import { cocoTags } from '../../../lib/tags';
import { DetectClient } from './detectClient';
import type { RawDetections } from '../shared/protocol';

/** Boxes below this are never kept: the threshold knob starts here. */
export const MIN_THRESHOLD = 0.05;

/** One row of "Search each object": a box and what searching it returned. */
export interface ObjectRow {
  detection: Detection;
  hits: Neighbour[] | null;
  error: string | null;
}

/**
 * The detect stage: runs the object detector on every query image in its own worker, keeps the
 * boxes of the current image, and searches each box (Pinterest's detect-then-search, "Shop The Look").
 * A box becomes the query through the query stage's crop path, as a hand-drawn crop does.
 */
export class DetectStage {
  /** Why detection is off (no detector set up, or it could not load); null when it works. */
  unavailable = $state<string | null>(null);
  threshold = $state(DEFAULT_DETECT_THRESHOLD);
  running = $state(false);
  /** The detector's milliseconds on the current image (the model only); null before it ran. */
  detectMs = $state<number | null>(null);
  error = $state<string | null>(null);
  /** The tfjs backend the detector runs on, once it has started. */
  backendInfo = $state<BackendInfo | null>(null);
  /** The image the boxes belong to (the query's URL), so a crop of the same image keeps them. */
  shownFor = $state<string | null>(null);
  /** "Search each object": one row per box, or null when it has not run for this image. */
  objectRows = $state.raw<ObjectRow[] | null>(null);
  searchingObjects = $state(false);

  /** Every box above MIN_THRESHOLD, so moving the knob does not run the detector again. */
  private all = $state.raw<Detection[]>([]);
  private readonly client = new DetectClient();
  /** One image in the detector and at most one waiting: a burst of queries never builds a backlog of detections. */
  private readonly detecting = new LatestOnly<RawDetections>();
  private ready: Promise<void> | null = null;
  private readonly modelUrl: string | null;
  /** The detector's id (what object entries computed with it are stored under), or null without one. */
  readonly detectorId: string | null;

  constructor(
    detectors: DetectorIndex | null,
    private readonly query: QueryStage,
    private readonly backend: Backend | null,
    appUrl: (path: string) => string,
    /** A catalogue image's boxes become its COCO tags (at the default threshold), for search by words. */
    private readonly tags: CatalogueTags | null = null,
  ) {
    const detector = detectors?.detectors[0];
    this.detectorId = detector?.id ?? null;
    this.modelUrl = detector
      ? appUrl(`detectors/${encodeURIComponent(detector.id)}/${encodeURIComponent(detector.modelFile)}`)
      : null;
    if (!detector)
      this.unavailable =
        'Object detection is off: no detector is set up (run `npm run setup` with the detectors folder).';
    // Every query image shown (catalogue click, upload, paste, camera, history, URL) is detected once.
    // The stage lives as long as the page, so the watch is never stopped.
    $effect.root(() => {
      $effect(() => {
        const current = this.query.query;
        if (current) void this.detect(current);
      });
    });
  }

  /** The boxes at or above the threshold, best first. */
  get detections(): Detection[] {
    return aboveThreshold(this.all, this.threshold);
  }

  setThreshold(value: number): void {
    this.threshold = Math.min(1, Math.max(MIN_THRESHOLD, value));
    this.objectRows = null;
  }

  /** A box becomes the crop query (the URL, history and Pipeline tab follow, as for a drawn crop). */
  async searchBox(box: Rect): Promise<void> {
    await this.query.cropQuery({ ...box });
  }

  /** Searches every box above the threshold, one after another, and keeps one result row per box. */
  async searchEachObject(): Promise<void> {
    const image = this.shownFor;
    const boxes = this.detections;
    if (!image || boxes.length === 0) return;
    this.searchingObjects = true;
    const rows: ObjectRow[] = boxes.map((detection) => ({ detection, hits: null, error: null }));
    this.objectRows = rows;
    try {
      for (const [i, row] of rows.entries()) {
        let done: ObjectRow;
        try {
          done = { ...row, hits: await this.query.searchRegion({ ...row.detection.box }) };
        } catch (error) {
          done = { ...row, error: errorMessage(error) };
        }
        // Another image came meanwhile: its rows are not these.
        if (this.shownFor !== image) return;
        rows[i] = done;
        this.objectRows = [...rows];
      }
    } finally {
      this.searchingObjects = false;
    }
  }

  /**
   * Detects the objects of a catalogue image (object-level index entries) in the same worker as the
   * query's boxes: its boxes at or above `threshold`, best first, and the detector's milliseconds.
   */
  async detectImage(source: string | Blob, threshold: number): Promise<{ detections: Detection[]; detectMs: number }> {
    if (this.unavailable) throw new Error(this.unavailable);
    await this.start();
    const raw = await this.client.detect(source);
    return { detections: decodeDetections(raw.rows, raw, threshold), detectMs: raw.detectMs };
  }

  private start(): Promise<void> {
    this.ready ??= (async () => {
      const { loadMs: _, ...backend } = await this.client.init(this.modelUrl!, this.backend);
      this.backendInfo = backend;
    })();
    return this.ready;
  }

  private async detect(current: ActiveQuery): Promise<void> {
    if (this.unavailable || current.url === this.shownFor) return;
    const url = current.url;
    this.shownFor = url;
    this.all = [];
    this.objectRows = null;
    this.detectMs = null;
    this.error = null;
    this.running = true;
    try {
      // A query image's boxes wait for the page's first answer to be on screen: loading the detector
      // takes about half a second of CPU, which on two cores stretched the first result's render
      // (one task of 132 ms, 30 ms of it on a CPU).
      await this.query.firstAnswer;
      await this.start();
    } catch (error) {
      this.unavailable = `Object detection is off: the detector could not load (${errorMessage(error)}).`;
      this.running = false;
      return;
    }
    // Another image came while this one waited: only the newest is detected.
    if (this.shownFor !== url) return;
    try {
      const raw = await this.detecting.run(() => this.client.detect(current.source));
      if (raw === SUPERSEDED || this.shownFor !== url) return;
      this.all = decodeDetections(raw.rows, raw, MIN_THRESHOLD);
      this.detectMs = raw.detectMs;
      if (current.id !== null)
        this.tags?.setObjects(current.id, cocoTags(aboveThreshold(this.all, DEFAULT_DETECT_THRESHOLD)));
    } catch (error) {
      if (this.shownFor === url) this.error = `Detection failed: ${errorMessage(error)}`;
    } finally {
      if (this.shownFor === url) this.running = false;
    }
  }
}
