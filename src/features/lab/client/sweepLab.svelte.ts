import type { SweepResult } from '../../search/shared/protocol';
import { efSearchLadder, seededSample, sweepCsv } from '../../../lib/experiments';
import { LabJob, type LabContext } from './labJob.svelte';
import { clampToRange } from '../../../lib/params';

const SAMPLE_SEED = 42;
export const SWEEP_M_CHOICES = [4, 8, 16, 32, 48];

/** Recall against speed, ann-benchmarks style, measured on this catalogue in this browser. */
export class SweepLab extends LabJob {
  Ms = $state<number[]>([]);
  queries = $state(200);
  progress = $state({ done: 0, total: 0, stage: '' });
  result = $state.raw<SweepResult | null>(null);
  csvUrl = $state<string | null>(null);

  constructor(lab: LabContext) {
    super(lab);
    this.Ms = [lab.params().M];
  }

  toggleM(M: number): void {
    this.Ms = this.Ms.includes(M) ? this.Ms.filter((m) => m !== M) : [...this.Ms, M].sort((a, b) => a - b);
  }

  run(): Promise<void> {
    const { index } = this.lab;
    const params = this.lab.params();
    return this.guard(async (signal) => {
      if (this.Ms.length === 0) throw new Error('Choose at least one M.');
      const result = await index.search.sweep(
        {
          Ms: $state.snapshot(this.Ms),
          efConstruction: params.efConstruction,
          // k + 1 is searched, the query's own id dropped (see sweep.ts): the list needs k + 1 places.
          efSearches: efSearchLadder(params.k + 1),
          k: params.k,
          queryIds: seededSample(
            index.indexedIds,
            clampToRange({ min: 1, max: index.indexedIds.length }, this.queries, 200),
            SAMPLE_SEED,
          ),
        },
        (progress) => {
          this.progress = progress;
        },
        signal,
      );
      if (!result) return;
      this.result = result;
      if (this.csvUrl) URL.revokeObjectURL(this.csvUrl);
      this.csvUrl = URL.createObjectURL(new Blob([sweepCsv(result.rows)], { type: 'text/csv' }));
    });
  }
}
