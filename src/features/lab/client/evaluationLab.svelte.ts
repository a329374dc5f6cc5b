import { evaluateRankings, type EvaluationSummary } from '../../../lib/offlineEvaluation';
import { LabJob } from './labJob.svelte';
import { clampToRange } from '../../../lib/params';

/** k for the ranking metrics: the book's offline evaluation looks at the first page of results. */
export const EVALUATION_K = { min: 1, max: 100 };

export interface EvaluationRun {
  k: number;
  efSearch: number;
  model: string;
  seconds: number;
  exact: EvaluationSummary;
  hnsw: EvaluationSummary;
}

/** The book's offline evaluation: leave-one-out over the catalogue, relevance = same label. */
export class EvaluationLab extends LabJob {
  k = $state(10);
  progress = $state({ done: 0, total: 0 });
  result = $state.raw<EvaluationRun | null>(null);

  run(): Promise<void> {
    const { index, catalogue, embed } = this.lab;
    const efSearch = this.lab.params().efSearch;
    const k = clampToRange(EVALUATION_K, this.k, 10);
    this.progress = { done: 0, total: index.indexedIds.length };
    const started = performance.now();
    return this.guard(async (signal) => {
      const rankings = await index.search.leaveOneOut(
        k,
        efSearch,
        (done) => {
          this.progress = { ...this.progress, done };
        },
        signal,
      );
      if (!rankings) return;
      const labelOf = new Map(catalogue.items.map((item) => [item.id, item.label]));
      this.result = {
        k,
        efSearch,
        model: embed.model.id,
        seconds: (performance.now() - started) / 1000,
        exact: evaluateRankings(rankings.queryIds, rankings.exact, labelOf, k),
        hnsw: evaluateRankings(rankings.queryIds, rankings.hnsw, labelOf, k),
      };
    });
  }
}
