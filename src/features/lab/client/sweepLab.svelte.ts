import type { SweepResult, SweepRow } from '../../search/shared/protocol';
import type { PgvectorStage } from '../../pgvector/client/pgvectorStage.svelte';
import type { PgvectorSweepRow } from '../../pgvector/shared/protocol';
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
  /** pgvector's ef_search sweep on the same queries, when asked for (engines=…,pgvector). */
  withPgvector = $state(true);
  pgvectorRows = $state.raw<PgvectorSweepRow[]>([]);
  /** M and efConstruction of the pgvector index the rows were measured on. */
  pgvectorIndex = $state.raw<{ M: number; efConstruction: number } | null>(null);
  csvUrl = $state<string | null>(null);

  constructor(
    lab: LabContext,
    readonly pgvector: PgvectorStage | null = null,
  ) {
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
      const request = {
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
      };
      const result = await index.search.sweep(
        request,
        (progress) => {
          this.progress = progress;
        },
        signal,
      );
      if (!result) return;
      const pgvector = await this.sweepPgvector(request, signal);
      if (pgvector === null) return;
      this.result = result;
      this.pgvectorRows = pgvector;
      this.pgvectorIndex = pgvector.length > 0 ? this.pgvector!.params : null;
      if (this.csvUrl) URL.revokeObjectURL(this.csvUrl);
      const csvRows = [
        ...result.rows.map((row) => ({ ...row, engine: 'hnswlib' })),
        ...pgvector.map((row) => this.asSweepRow(row)),
      ];
      this.csvUrl = URL.createObjectURL(new Blob([sweepCsv(csvRows)], { type: 'text/csv' }));
    });
  }

  /** pgvector's rows on the same queries and ladder; [] when not asked or not ready, null when cancelled. */
  private async sweepPgvector(
    request: { efSearches: number[]; k: number; queryIds: number[] },
    signal: AbortSignal,
  ): Promise<PgvectorSweepRow[] | null> {
    if (!this.pgvector?.ready || !this.withPgvector) return [];
    const { efSearches, k, queryIds } = request;
    return this.pgvector.worker.sweep(
      { efSearches, k, queryIds },
      (done, total) => {
        this.progress = { done, total, stage: 'pgvector: ef_search ladder' };
      },
      signal,
    );
  }

  /** A pgvector row in the sweep CSV's columns: its index's m and ef_construction as M and efConstruction. */
  private asSweepRow(row: PgvectorSweepRow): SweepRow & { engine: string } {
    const index = this.pgvector!.params!;
    return { ...row, M: index.M, efConstruction: index.efConstruction, self_matches: 'excluded', engine: 'pgvector' };
  }
}
