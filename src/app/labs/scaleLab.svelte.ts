import * as Comlink from 'comlink';
import type { ScaleProgress, ScaleRow, ScaleWorkerApi } from '../../../workers/scale/protocol';
import { maxVectorsInHeap } from '../../lib/hnswMemory';
import type { Session } from '../session.svelte';

export const SCALE_SIZES = [1_000, 10_000, 50_000, 100_000];
const QUERIES = 50;
export const RECALL_TARGET = 0.95;

/** How cost grows with N, on synthetic clustered vectors of the model's dimension, in its own worker. */
export class ScaleLab {
  sizes = $state<number[]>([1_000, 10_000]);
  running = $state(false);
  progress = $state<ScaleProgress | null>(null);
  rows = $state.raw<ScaleRow[]>([]);
  error = $state<string | null>(null);
  private worker: Worker | null = null;
  private api: Comlink.Remote<ScaleWorkerApi> | null = null;

  constructor(private readonly session: Session) {}

  get heapLimit(): number {
    return maxVectorsInHeap(this.session.dim || 1280, this.session.params.M);
  }

  toggle(n: number): void {
    this.sizes = this.sizes.includes(n) ? this.sizes.filter((s) => s !== n) : [...this.sizes, n].sort((a, b) => a - b);
  }

  async run(): Promise<void> {
    if (this.sizes.length === 0) {
      this.error = 'Choose at least one N.';
      return;
    }
    this.worker ??= new Worker(new URL('../../../workers/scale/scale.worker.ts', import.meta.url), { type: 'module', name: 'scale' });
    this.api ??= Comlink.wrap<ScaleWorkerApi>(this.worker);
    const { session } = this;
    this.error = null;
    this.rows = [];
    this.running = true;
    try {
      await this.api.run(
        {
          sizes: $state.snapshot(this.sizes),
          dim: session.dim || 1280,
          M: session.params.M,
          efConstruction: session.params.efc,
          k: session.params.k,
          queries: QUERIES,
          recallTarget: RECALL_TARGET,
        },
        Comlink.proxy((row: ScaleRow) => {
          this.rows = [...this.rows, row];
        }),
        Comlink.proxy((progress: ScaleProgress) => {
          this.progress = progress;
        }),
      );
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.running = false;
      this.progress = null;
    }
  }

  cancel(): void {
    void this.api?.cancel();
  }
}
