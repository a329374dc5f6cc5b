import { evaluateRankings, type EvaluationSummary } from '../../lib/offlineEvaluation';
import type { Session } from '../session.svelte';

export interface EvaluationRun {
  k: number;
  efSearch: number;
  model: string;
  seconds: number;
  exact: EvaluationSummary;
  hnsw: EvaluationSummary;
}

/** The book's offline evaluation: leave-one-out over the catalogue, relevance = same label. */
export class EvaluationLab {
  k = $state(10);
  running = $state(false);
  progress = $state({ done: 0, total: 0 });
  result = $state.raw<EvaluationRun | null>(null);
  error = $state<string | null>(null);

  constructor(private readonly session: Session) {}

  async run(): Promise<void> {
    const { session } = this;
    const k = this.k;
    this.error = null;
    this.running = true;
    this.progress = { done: 0, total: session.indexedIds.length };
    const started = performance.now();
    try {
      const rankings = await session.exclusive(() =>
        session.search.leaveOneOut(k, session.params.ef, (done) => {
          this.progress = { ...this.progress, done };
        }),
      );
      if (!rankings) return;
      const labelOf = new Map(session.items.map((item) => [item.id, item.label]));
      this.result = {
        k,
        efSearch: session.params.ef,
        model: session.model?.id ?? '',
        seconds: (performance.now() - started) / 1000,
        exact: evaluateRankings(rankings.queryIds, rankings.exact, labelOf, k),
        hnsw: evaluateRankings(rankings.queryIds, rankings.hnsw, labelOf, k),
      };
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
