import { WorkerClient } from '../../../bridge/workerClient';
import { errorMessage } from '../../../lib/errors';
import { fitPca, projectPca } from '../../../lib/pca';
import { headOutputDim, type ProjectionHead } from '../../../lib/projectionHead';
import type { IndexStage } from '../../search/client/indexStage.svelte';
import { MAP_WORKER } from '../shared/protocol';

export interface MapLayout {
  method: 'PCA' | 'UMAP';
  /** (x, y) per point, in the order of `ids`. */
  xy: Float32Array;
  ids: number[];
}

/** Which embedding a map shows: the frozen MobileNet vectors, or the same images through the trained head. */
export type MapSide = 'before' | 'after';

const SEED = 1;
/** The UMAP worker holds a copy of the vectors and its neighbour graph: ended after a minute idle. */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * The Map tab's state: a 2-D picture of the indexed images' embeddings, PCA at once (cheap,
 * linear), then UMAP from its own worker (seeded), before and — when a head exists — after training.
 */
export class MapLab {
  layouts = $state.raw<Partial<Record<MapSide, MapLayout>>>({});
  running = $state(false);
  progress = $state({ side: 'before' as MapSide, done: 0, total: 0 });
  error = $state<string | null>(null);
  private abort: AbortController | null = null;
  private readonly worker = new WorkerClient(
    () => new Worker(new URL('../worker/map.worker.ts', import.meta.url), { type: 'module', name: 'map' }),
    MAP_WORKER,
    { idleTimeoutMs: IDLE_TIMEOUT_MS },
  );

  constructor(
    private readonly index: IndexStage,
    /** The trained head, if any (the Training tab's). */
    private readonly head: () => ProjectionHead | null,
    /** Projects vectors (transferred) through it off the main thread. */
    private readonly project: (head: ProjectionHead, vectors: Float32Array) => Promise<Float32Array>,
  ) {}

  /** Draws PCA maps at once, then replaces each with UMAP as the worker finishes it. */
  async draw(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.error = null;
    this.running = true;
    try {
      const frozen = await this.index.frozenVectors();
      const ids = Array.from(frozen.ids);
      const head = this.head();
      const sides: [MapSide, Float32Array, number][] = [['before', frozen.vectors, frozen.dim]];
      if (head) sides.push(['after', await this.project(head, frozen.vectors.slice()), headOutputDim(head)]);
      const pca: Partial<Record<MapSide, MapLayout>> = {};
      for (const [side, vectors, dim] of sides) {
        pca[side] = { method: 'PCA', xy: projectPca(fitPca(vectors, dim, SEED), vectors, dim), ids };
      }
      this.layouts = pca;
      for (const [side, vectors, dim] of sides) {
        this.progress = { side, done: 0, total: 0 };
        const xy = await this.worker.umap(
          vectors.slice(),
          dim,
          SEED,
          (done: number, total: number) => {
            this.progress = { side, done, total };
          },
          abort.signal,
        );
        if (!xy) return;
        this.layouts = { ...this.layouts, [side]: { method: 'UMAP', xy, ids } };
      }
    } catch (error) {
      this.error = `The map could not be drawn: ${errorMessage(error)}`;
    } finally {
      if (this.abort === abort) {
        this.running = false;
        this.abort = null;
      }
    }
  }

  /** Stops UMAP; the PCA pictures stay. */
  cancel(): void {
    this.abort?.abort();
  }
}
