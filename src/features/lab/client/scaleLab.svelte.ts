import { WorkerClient } from '../../../bridge/workerClient';
import { SCALE_WORKER, type ScaleProgress, type ScaleRow } from '../shared/scaleProtocol';
import { maxVectorsInHeap } from '../../../lib/hnswMemory';
import { LabJob } from './labJob.svelte';
import { clampToRange } from '../../../lib/params';
import type { CompactScaleRow } from '../../quantize/shared/compactScale';
import { COMPACT_RESCORE } from '../../quantize/shared/methods';

export const SCALE_SIZES = [1_000, 10_000, 50_000, 100_000, 1_000_000];
const QUERIES = 50;
export const RECALL_TARGET = 0.95;
/** The scale worker holds up to ~2 GB of wasm heap: it is ended once it has been idle this long. */
const IDLE_TIMEOUT_MS = 10_000;

/** How cost grows with N, on synthetic clustered vectors of the model's dimension, in its own worker. */
export class ScaleLab extends LabJob {
  sizes = $state<number[]>([1_000, 10_000]);
  /** Any other N the user types, e.g. one past the heap limit to see it refused. */
  otherN = $state<number | null>(null);
  progress = $state<ScaleProgress | null>(null);
  rows = $state.raw<ScaleRow[]>([]);
  /** Also measure SQ8 and binary + rescoring at each N (features/quantize); off by default, it takes a pass over N. */
  compact = $state(false);
  compactRows = $state.raw<CompactScaleRow[]>([]);
  private readonly worker = new WorkerClient(
    () => new Worker(new URL('../worker/scale.worker.ts', import.meta.url), { type: 'module', name: 'scale' }),
    SCALE_WORKER,
    { idleTimeoutMs: IDLE_TIMEOUT_MS },
  );

  get heapLimit(): number {
    return maxVectorsInHeap(this.lab.index.dim || 1280, this.lab.params().M);
  }

  toggle(n: number): void {
    this.sizes = this.sizes.includes(n) ? this.sizes.filter((s) => s !== n) : [...this.sizes, n].sort((a, b) => a - b);
  }

  run(): Promise<void> {
    const params = this.lab.params();
    const dim = this.lab.index.dim || 1280;
    return this.guard(async (signal) => {
      const other = clampToRange({ min: 10, max: 10_000_000 }, this.otherN, 0);
      const sizes = [...new Set([...$state.snapshot(this.sizes), ...(other ? [other] : [])])].sort((a, b) => a - b);
      if (sizes.length === 0) throw new Error('Choose at least one N.');
      this.rows = [];
      this.compactRows = [];
      await this.worker.run(
        {
          sizes,
          dim,
          M: params.M,
          efConstruction: params.efConstruction,
          k: params.k,
          queries: QUERIES,
          recallTarget: RECALL_TARGET,
          compact: this.compact ? { rescore: COMPACT_RESCORE } : null,
        },
        (row: ScaleRow) => {
          this.rows = [...this.rows, row];
        },
        (progress: ScaleProgress) => {
          this.progress = progress;
        },
        (rows: CompactScaleRow[]) => {
          this.compactRows = [...this.compactRows, ...rows];
        },
        signal,
      );
      this.progress = null;
    });
  }
}
