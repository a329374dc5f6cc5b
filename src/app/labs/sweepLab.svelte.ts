import type { SweepResult } from '../../../workers/search/protocol';
import { efSearchLadder, seededSample, sweepCsv } from '../../lib/experiments';
import type { Session } from '../session.svelte';

const SAMPLE_SEED = 42;
export const SWEEP_M_CHOICES = [4, 8, 16, 32, 48];

/** Recall against speed, ann-benchmarks style, measured on this catalogue in this browser. */
export class SweepLab {
  Ms = $state<number[]>([]);
  queries = $state(200);
  running = $state(false);
  progress = $state({ done: 0, total: 0, stage: '' });
  result = $state.raw<SweepResult | null>(null);
  csvUrl = $state<string | null>(null);
  error = $state<string | null>(null);

  constructor(private readonly session: Session) {
    this.Ms = [session.params.M];
  }

  toggleM(M: number): void {
    this.Ms = this.Ms.includes(M) ? this.Ms.filter((m) => m !== M) : [...this.Ms, M].sort((a, b) => a - b);
  }

  async run(): Promise<void> {
    const { session } = this;
    if (this.Ms.length === 0) {
      this.error = 'Choose at least one M.';
      return;
    }
    this.error = null;
    this.running = true;
    try {
      const result = await session.exclusive(() =>
        session.search.sweep(
          {
            Ms: $state.snapshot(this.Ms),
            efConstruction: session.params.efc,
            efSearches: efSearchLadder(session.params.k),
            k: session.params.k,
            queryIds: seededSample(session.indexedIds, this.queries, SAMPLE_SEED),
          },
          (progress) => {
          this.progress = progress;
        },
        ),
      );
      if (!result) return;
      this.result = result;
      if (this.csvUrl) URL.revokeObjectURL(this.csvUrl);
      this.csvUrl = URL.createObjectURL(new Blob([sweepCsv(result.rows)], { type: 'text/csv' }));
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.running = false;
    }
  }

  cancel(): void {
    void this.session.search.cancel();
  }
}
